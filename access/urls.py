from django.contrib.auth import views as auth_views
from django.urls import path

from access.views import (
    access_tab,
    audit_pages,
    emergency,
    people,
    requests,
    rooms,
    security_keys,
    sign_in_help,
    signin,
    where_and_when,
)

# Mounted at accounts/.
auth_urlpatterns = [
    path("login/", signin.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", signin.two_factor_verify, name="two_factor_verify"),
    path("set-password/<uidb64>/<token>/", people.SetPasswordView.as_view(), name="set_password"),
    path("two-factor/set-up/", signin.two_factor_set_up, name="two_factor_set_up"),
    path("two-factor/backup-codes/", signin.backup_codes, name="two_factor_backup_codes"),
    path("two-factor/forget-this-browser/", signin.forget_browser, name="forget_browser"),
    # Passkeys and security keys: the script's questions (JSON), naming a new key, removing one.
    path(
        "two-factor/keys/add/begin/",
        security_keys.SecurityKeyAddBegin.as_view(),
        name="security_key_add_begin",
    ),
    path(
        "two-factor/keys/add/complete/",
        security_keys.SecurityKeyAddComplete.as_view(),
        name="security_key_add_complete",
    ),
    path(
        "two-factor/keys/verify/begin/",
        security_keys.SecurityKeyVerifyBegin.as_view(),
        name="security_key_verify_begin",
    ),
    path(
        "two-factor/keys/verify/complete/",
        security_keys.SecurityKeyVerifyComplete.as_view(),
        name="security_key_verify_complete",
    ),
    path("two-factor/keys/<uuid:key_id>/name/", security_keys.security_key_name, name="security_key_name"),
    path(
        "two-factor/keys/<uuid:key_id>/remove/", security_keys.security_key_remove, name="security_key_remove"
    ),
]

urlpatterns = [
    path("children/<uuid:child_id>/access/", access_tab.child_access, name="child_access"),
    path("children/<uuid:child_id>/access/key-people/", access_tab.key_worker_add, name="key_worker_add"),
    path(
        "children/<uuid:child_id>/access/grant/",
        access_tab.grant_child,
        {"kind": "file"},
        name="grant_child_file",
    ),
    path(
        "children/<uuid:child_id>/access/grant-safeguarding/",
        access_tab.grant_child,
        {"kind": "safeguarding"},
        name="grant_safeguarding_file",
    ),
    path("children/<uuid:child_id>/access/conflicts/", access_tab.conflict_add, name="conflict_add"),
    path("key-people/<uuid:assignment_id>/end/", access_tab.key_worker_end, name="key_worker_end"),
    path("grants/<uuid:grant_id>/revoke/", access_tab.grant_revoke, name="grant_revoke"),
    path("conflicts/<uuid:conflict_id>/clear/", access_tab.conflict_clear, name="conflict_clear"),
    path("staff/<uuid:staff_member_id>/grant/", access_tab.grant_staff_file, name="grant_staff_file"),
    path("access-requests/", requests.access_request_start, name="access_request_start"),
    path("access-requests/new/<uuid:child_id>/", requests.access_request_new, name="access_request_new"),
    path("access-requests/<uuid:request_id>/", requests.access_request_decide, name="access_request_decide"),
    path("emergency/", emergency.emergency_cards, name="emergency_cards"),
    path("emergency/kitchen/", emergency.kitchen_list, name="kitchen_list"),
    path("emergency/children/<uuid:child_id>/", emergency.emergency_card, name="emergency_card"),
    path("rooms/", rooms.rooms_today, name="rooms_today"),
    path("rooms/<uuid:room_id>/assign/", rooms.room_assign, name="room_assign"),
    path(
        "room-assignments/<uuid:room_assignment_id>/end/",
        rooms.room_assignment_end,
        name="room_assignment_end",
    ),
    path("emergency-access/", emergency.break_glass_start, name="break_glass_start"),
    path("emergency-access/new/<uuid:child_id>/", emergency.break_glass_new, name="break_glass_new"),
    path("emergency-access/mine/", emergency.break_glass_mine, name="break_glass_mine"),
    path("emergency-access/review/", emergency.break_glass_queue, name="break_glass_queue"),
    path(
        "emergency-access/<uuid:break_glass_id>/review/",
        emergency.break_glass_review,
        name="break_glass_review",
    ),
    path("emergency-access/<uuid:break_glass_id>/end/", emergency.break_glass_end, name="break_glass_end"),
    path("audit/", audit_pages.audit_log, name="audit_log"),
    path("audit/export.csv", audit_pages.audit_export, name="audit_export"),
    path("children/<uuid:child_id>/history/", audit_pages.access_history, name="access_history"),
    path("me/activity/", audit_pages.my_activity, name="my_activity"),
    path("people/sign-in/", sign_in_help.sign_in_help, name="sign_in_help"),
    path("people/", people.people, name="people"),
    path("people/new/", people.person_new, name="person_new"),
    path("people/<uuid:person_id>/roles/", people.person_roles, name="person_roles"),
    path("roles/<uuid:membership_id>/confirm/", people.membership_confirm, name="membership_confirm"),
    path("roles/<uuid:membership_id>/end/", people.membership_end, name="membership_end"),
    path("people/<uuid:user_id>/unlock/", sign_in_help.unlock, name="sign_in_unlock"),
    path(
        "people/<uuid:user_id>/two-factor-reset/",
        sign_in_help.two_factor_reset_new,
        name="two_factor_reset_new",
    ),
    path(
        "two-factor-resets/<uuid:reset_id>/confirm/",
        sign_in_help.two_factor_reset_confirm,
        name="two_factor_reset_confirm",
    ),
    path(
        "two-factor-resets/<uuid:reset_id>/cancel/",
        sign_in_help.two_factor_reset_cancel,
        name="two_factor_reset_cancel",
    ),
    path("sites/<uuid:site_id>/where-and-when/", where_and_when.where_and_when, name="where_and_when"),
    path(
        "sites/<uuid:site_id>/devices/add/",
        where_and_when.site_device_add,
        name="site_device_add",
    ),
    path(
        "site-devices/<uuid:device_id>/remove/", where_and_when.site_device_revoke, name="site_device_revoke"
    ),
    path("sites/<uuid:site_id>/open-files/", where_and_when.files_open, name="files_open"),
]
