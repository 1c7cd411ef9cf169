"""The sharing app's models, one module per kind (everything importable from here)."""

from sharing.models.choices import (
    AGENCY_CATEGORIES,
    CONSENT_PURPOSES,
    HIDDEN_KINDS,
    SPECIAL_CATEGORIES,
    Basis,
    Channel,
    Condition,
    ConsentMethod,
    ConsentPosition,
    DecisionOutcome,
    ExportTier,
    ParentsTold,
    Purpose,
    RecipientKind,
    RequestAuthority,
    SecureChannel,
)
from sharing.models.consents import DEFAULT_LIFETIME, REVIEW_WARNING, Consent
from sharing.models.disclosures import Disclosure, DisclosureItem, lines_of
from sharing.models.exports import BulkExport
from sharing.models.media import MediaOutlet, media_match
from sharing.models.recipients import Recipient
from sharing.models.requests import InformationRequest, SharingDecision

__all__ = [
    "AGENCY_CATEGORIES",
    "CONSENT_PURPOSES",
    "DEFAULT_LIFETIME",
    "HIDDEN_KINDS",
    "REVIEW_WARNING",
    "SPECIAL_CATEGORIES",
    "Basis",
    "BulkExport",
    "Channel",
    "Condition",
    "Consent",
    "ConsentMethod",
    "ConsentPosition",
    "DecisionOutcome",
    "Disclosure",
    "DisclosureItem",
    "ExportTier",
    "InformationRequest",
    "MediaOutlet",
    "ParentsTold",
    "Purpose",
    "Recipient",
    "RecipientKind",
    "RequestAuthority",
    "SecureChannel",
    "SharingDecision",
    "lines_of",
    "media_match",
]
