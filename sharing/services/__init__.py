"""Writes of the sharing app, one module per job. Each is one transaction and leaves its audit entry."""

from sharing.services.consent_cover import Cover, consent_covering
from sharing.services.consents import (
    PORTAL_FORM,
    PORTAL_STATEMENT,
    consent_confirm,
    consent_give_in_portal,
    consent_record,
    consent_withdraw,
)
from sharing.services.disclosure_steps import (
    disclosure_approve,
    disclosure_bundle,
    disclosure_mark_sent,
    disclosure_release,
)
from sharing.services.disclosures import ShareRefused, disclosure_make
from sharing.services.exports import bulk_export
from sharing.services.recipients import recipient_add, recipient_approve, recipient_retire
from sharing.services.requests import (
    concern_decide_not_to_refer,
    concern_refer,
    request_decide,
    request_log,
)

__all__ = [
    "PORTAL_FORM",
    "PORTAL_STATEMENT",
    "Cover",
    "ShareRefused",
    "bulk_export",
    "concern_decide_not_to_refer",
    "concern_refer",
    "consent_confirm",
    "consent_covering",
    "consent_give_in_portal",
    "consent_record",
    "consent_withdraw",
    "disclosure_approve",
    "disclosure_bundle",
    "disclosure_make",
    "disclosure_mark_sent",
    "disclosure_release",
    "recipient_add",
    "recipient_approve",
    "recipient_retire",
    "request_decide",
    "request_log",
]
