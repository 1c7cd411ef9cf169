from django.urls import path

from portal.views import invitations

# The staff side, on the child's file.
urlpatterns = [
    path(
        "children/<uuid:child_id>/carers/<uuid:link_id>/invite/",
        invitations.portal_invite,
        name="portal_invite",
    ),
    path(
        "children/<uuid:child_id>/carers/<uuid:link_id>/portal-off/",
        invitations.portal_disable,
        name="portal_disable",
    ),
]
