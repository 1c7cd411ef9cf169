from django.urls import path

from sharing.views import consents, disclosures, exports, log, recipients, requests

urlpatterns = [
    path("sharing/", log.sharing_log, name="sharing_log"),
    path("sharing/log.csv", log.sharing_log_csv, name="sharing_log_csv"),
    path("sharing/exports/new/", exports.bulk_export, name="bulk_export"),
    path("sharing/directory/", recipients.recipient_list, name="recipient_list"),
    path("sharing/directory/new/", recipients.recipient_add, name="recipient_add"),
    path("sharing/directory/<uuid:recipient_id>/", recipients.recipient_detail, name="recipient_detail"),
    path(
        "sharing/directory/<uuid:recipient_id>/approve/",
        recipients.recipient_approve,
        name="recipient_approve",
    ),
    path(
        "sharing/directory/<uuid:recipient_id>/retire/", recipients.recipient_retire, name="recipient_retire"
    ),
    path("children/<uuid:child_id>/sharing/", log.child_sharing, name="child_sharing"),
    path("children/<uuid:child_id>/sharing/log.csv", log.child_sharing_csv, name="child_sharing_csv"),
    path("children/<uuid:child_id>/share/", disclosures.disclosure_start, name="disclosure_start"),
    path("children/<uuid:child_id>/consents/new/", consents.consent_add, name="consent_add"),
    path("children/<uuid:child_id>/requests/new/", requests.request_add, name="request_add"),
    path("records/<uuid:record_id>/concern/refer/", disclosures.concern_refer, name="concern_refer"),
    path("consents/<uuid:consent_id>/", consents.consent_detail, name="consent_detail"),
    path("consents/<uuid:consent_id>/confirm/", consents.consent_confirm, name="consent_confirm"),
    path("consents/<uuid:consent_id>/withdraw/", consents.consent_withdraw, name="consent_withdraw"),
    path("disclosures/<uuid:disclosure_id>/", disclosures.disclosure_detail, name="disclosure_detail"),
    path(
        "disclosures/<uuid:disclosure_id>/approve/", disclosures.disclosure_approve, name="disclosure_approve"
    ),
    path("disclosures/<uuid:disclosure_id>/sent/", disclosures.disclosure_sent, name="disclosure_sent"),
    path(
        "disclosures/<uuid:disclosure_id>/bundle.pdf", disclosures.disclosure_bundle, name="disclosure_bundle"
    ),
    path(
        "disclosures/<uuid:disclosure_id>/release/", disclosures.disclosure_release, name="disclosure_release"
    ),
    path(
        "requests-for-information/<uuid:information_request_id>/",
        requests.request_detail,
        name="request_detail",
    ),
    path(
        "requests-for-information/<uuid:information_request_id>/decide/",
        requests.request_decide,
        name="request_decide",
    ),
]
