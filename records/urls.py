from django.urls import path

from access import views as access_views
from records import views

urlpatterns = [
    path("", views.home, name="home"),
    path("children/", views.children, name="children"),
    path("children/<uuid:child_id>/", views.child_file, name="child_file"),
    path("children/<uuid:child_id>/chronology/", views.child_chronology, name="child_chronology"),
    path("children/<uuid:child_id>/records/new/", views.record_add, name="record_add"),
    path("children/<uuid:child_id>/access/", access_views.child_access, name="child_access"),
    path("children/<uuid:child_id>/access/key-people/", access_views.key_worker_add, name="key_worker_add"),
    path(
        "children/<uuid:child_id>/access/grant/",
        access_views.grant_child,
        {"kind": "file"},
        name="grant_child_file",
    ),
    path(
        "children/<uuid:child_id>/access/grant-safeguarding/",
        access_views.grant_child,
        {"kind": "safeguarding"},
        name="grant_safeguarding_file",
    ),
    path("children/<uuid:child_id>/access/conflicts/", access_views.conflict_add, name="conflict_add"),
    path(
        "children/<uuid:child_id>/carers/<uuid:link_id>/invite/",
        access_views.portal_invite,
        name="portal_invite",
    ),
    path(
        "children/<uuid:child_id>/carers/<uuid:link_id>/portal-off/",
        access_views.portal_disable,
        name="portal_disable",
    ),
    path("key-people/<uuid:assignment_id>/end/", access_views.key_worker_end, name="key_worker_end"),
    path("grants/<uuid:grant_id>/revoke/", access_views.grant_revoke, name="grant_revoke"),
    path("conflicts/<uuid:conflict_id>/clear/", access_views.conflict_clear, name="conflict_clear"),
    path("records/<uuid:record_id>/", views.record_detail, name="record_detail"),
    path("records/<uuid:record_id>/amend/", views.record_amend, name="record_amend"),
    path("records/<uuid:record_id>/add/", views.record_addendum, name="record_addendum"),
    path("records/<uuid:record_id>/sign-off/", views.record_sign_off, name="record_sign_off"),
    path("records/<uuid:record_id>/return/", views.record_return, name="record_return"),
    path("records/<uuid:record_id>/concern/action/", views.concern_action, name="concern_action"),
    path("records/<uuid:record_id>/concern/link/", views.concern_link, name="concern_link"),
    path("records/<uuid:record_id>/concern/close/", views.concern_close, name="concern_close"),
    path("sign-off/", views.sign_off_queue, name="sign_off_queue"),
    path("concerns/", views.concern_queue, name="concern_queue"),
    path("corrections/", views.correction_queue, name="correction_queue"),
    path("access-requests/", access_views.access_request_start, name="access_request_start"),
    path("access-requests/new/<uuid:child_id>/", access_views.access_request_new, name="access_request_new"),
    path(
        "access-requests/<uuid:request_id>/", access_views.access_request_decide, name="access_request_decide"
    ),
    path("corrections/<uuid:correction_id>/decide/", views.correction_decide, name="correction_decide"),
    path("attachments/<uuid:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("concerns/new/", views.concern_start, name="concern_start"),
    path("concerns/new/<uuid:child_id>/", views.concern_raise, name="concern_raise"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/<uuid:staff_member_id>/", views.staff_file, name="staff_file"),
    path("staff/<uuid:staff_member_id>/records/new/", views.staff_record_add, name="staff_record_add"),
    path("staff/<uuid:staff_member_id>/grant/", access_views.grant_staff_file, name="grant_staff_file"),
    path("notifications/", views.notifications, name="notifications"),
    path("hidden/", views.screen_hidden, name="screen_hidden"),
    path("settings/discreet/", views.discreet_mode, name="discreet_mode"),
    path("notifications/<uuid:notification_id>/open/", views.notification_open, name="notification_open"),
]
