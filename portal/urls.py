from django.urls import path

from portal.views import consents, messages, pages, policies, welcome

# Mounted at portal/.
urlpatterns = [
    path("", pages.portal_home, name="portal_home"),
    path("welcome/<str:token>/", welcome.portal_welcome, name="portal_welcome"),
    path("policies/", policies.portal_policies, name="portal_policies"),
    path("children/<uuid:child_id>/", pages.portal_child, name="portal_child"),
    path("children/<uuid:child_id>/send/", pages.portal_send, name="portal_send"),
    path("children/<uuid:child_id>/correction/", pages.portal_correction, name="portal_correction"),
    path("children/<uuid:child_id>/history/", pages.portal_history, name="portal_history"),
    path("children/<uuid:child_id>/messages/", messages.portal_messages, name="portal_messages"),
    path("children/<uuid:child_id>/file.pdf", pages.portal_file_pdf, name="portal_file_pdf"),
    path("children/<uuid:child_id>/sharing/", consents.portal_sharing, name="portal_sharing"),
    path("children/<uuid:child_id>/consents/give/", consents.portal_consent_give, name="portal_consent_give"),
    path("consents/<uuid:consent_id>/", consents.portal_consent, name="portal_consent"),
    path(
        "consents/<uuid:consent_id>/withdraw/",
        consents.portal_consent_withdraw,
        name="portal_consent_withdraw",
    ),
    path("consents/<uuid:consent_id>/copy.pdf", consents.portal_consent_pdf, name="portal_consent_pdf"),
    path("records/<uuid:record_id>/", pages.portal_record, name="portal_record"),
    path("records/<uuid:record_id>/comment/", pages.portal_record_comment, name="portal_record_comment"),
    path("attachments/<uuid:attachment_id>/", pages.portal_attachment, name="portal_attachment"),
]
