from django.contrib.auth import views as auth_views
from django.urls import path

from access.forms import SignInForm
from access.views import access_tab, audit_pages, requests

# Mounted at accounts/.
auth_urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
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
    path("audit/", audit_pages.audit_log, name="audit_log"),
    path("audit/export.csv", audit_pages.audit_export, name="audit_export"),
    path("children/<uuid:child_id>/history/", audit_pages.access_history, name="access_history"),
    path("me/activity/", audit_pages.my_activity, name="my_activity"),
]
