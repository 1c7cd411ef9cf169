"""
Who may share what outside the setting, and see what was shared (docs/sharing.md).

- Start a disclosure: staff who may read the child's general file, in a
  practitioner, senior or safeguarding role at the child's site (never
  students, volunteers or kitchen staff). Safeguarding records: the DSL only.
- Approve it: none for a consent-based share of records the person may read;
  a manager of the site for any other basis; the DSL for a safeguarding basis,
  safeguarding records or another agency's documents. Someone who holds the
  approving role completes the share in one pass.
- See a disclosure, request or decision: whoever made it; readers of the
  child's general file (general tier) or safeguarding file (safeguarding tier).
- Download a bundle, record it sent: its author, the site's managers and DSL
  (the DSL only for a safeguarding one). Release a hidden one to parents: the DSL.
- The directory: kept by the site's managers; an entry of kind "other" needs a
  second approver (another manager, or the chair, the data-protection lead or
  the proprietor); read by the staff who may share and the second approvers.
- Consents: recorded, confirmed or withdrawn by whoever may add to the child's
  general file. Requests for information and the sharing log's export: the
  site's managers and DSL. Bulk export: general files by managers, safeguarding
  files by the DSL, staff files by HR.
- Parents (parental responsibility, no court restriction): their children's
  consents, giving (confirmed by staff) and withdrawing one, and the
  disclosures sent that are not hidden.

Each rule is written in Python (for one object) and, where lists need it, in
SQL (sharing_filter), from the same facts (access/policy/facts.py).
"""

from __future__ import annotations

import uuid

from django.db.models import Q

from access.models import CONFIRMERS, MANAGERS, SAFEGUARDING_LEADS, SITE_READERS, Role
from access.policy.facts import Facts, Person, facts_of
from access.policy.rules import NOTHING, general_q, reads_general, reads_safeguarding, safeguarding_q
from records.models import Child, Tier
from sharing.models import Consent, Disclosure, ExportTier, InformationRequest, Recipient, SharingDecision

# Who shares with other agencies: people who work with the child in a
# practitioner, senior or safeguarding role (not students, volunteers or kitchen staff).
SHARING_ROLES = (
    Role.PRACTITIONER,
    Role.ROOM_LEAD,
    Role.SENIOR,
    Role.MANAGER,
    Role.DEPUTY_MANAGER,
    Role.DSL,
    Role.DEPUTY_DSL,
)
# Who answers requests for information, and exports the sharing log.
SHARING_LEADS = MANAGERS + SAFEGUARDING_LEADS
APPROVER_ROLES: dict[str, tuple[str, ...]] = {
    Disclosure.Approver.MANAGER: MANAGERS,
    Disclosure.Approver.DSL: SAFEGUARDING_LEADS,
}

Shared = Disclosure | InformationRequest | SharingDecision


# --- starting a share ------------------------------------------------------------------


def may_start_disclosure(standing: Facts, child: Child) -> bool:
    return reads_general(standing, child) and standing.has_any(SHARING_ROLES, child.site_id)


def may_share_safeguarding(standing: Facts, child: Child) -> bool:
    """Safeguarding records leave the setting only through the DSL."""
    return reads_safeguarding(standing, child) and standing.has_any(SAFEGUARDING_LEADS, child.site_id)


def holds_approver_role(standing: Facts, approver: str, site_id: uuid.UUID) -> bool:
    roles = APPROVER_ROLES.get(approver)
    return roles is None or standing.has_any(roles, site_id)


# --- seeing what was shared ---------------------------------------------------------------


def reads_shared(f: Facts, item: Shared) -> bool:
    """A disclosure, request or decision: by its tier, as the child's file is read."""
    child = item.child
    if child.pk.hex in f.conflicted:
        return False
    author = item.decided_by_id if isinstance(item, SharingDecision) else item.created_by_id
    if author == f.user_id:
        return True
    if item.tier == Tier.SAFEGUARDING:
        return reads_safeguarding(f, child)
    return reads_general(f, child)


def sharing_q(f: Facts, *, author: str) -> Q:
    """The same rule as a condition on disclosures, requests or decisions (`author`:
    the field naming who made it)."""
    if f.user_id is None:
        return NOTHING
    general = Q(tier=Tier.GENERAL) & general_q(f, child="child_id", site="child__site_id")
    safeguarding = Q(tier=Tier.SAFEGUARDING) & safeguarding_q(f, child="child_id", site="child__site_id")
    mine = Q(**{author: f.user_id}) & ~Q(child_id__in=[uuid.UUID(hex=c) for c in f.conflicted])
    return general | safeguarding | mine


def sharing_filter(user: Person, *, author: str = "created_by_id") -> Q:
    return sharing_q(facts_of(user), author=author)


def may_approve_disclosure(standing: Facts, disclosure: Disclosure) -> bool:
    return (
        disclosure.status == Disclosure.Status.AWAITING_APPROVAL
        and disclosure.created_by_id != standing.user_id
        and holds_approver_role(standing, disclosure.approver, disclosure.child.site_id)
    )


def may_send_disclosure(standing: Facts, disclosure: Disclosure) -> bool:
    """Download the bundle and record that it was sent: the author, or the site's
    managers and DSL (the DSL only, for a safeguarding disclosure)."""
    if disclosure.status not in (Disclosure.Status.READY, Disclosure.Status.SENT):
        return False
    if disclosure.created_by_id == standing.user_id:
        return True
    leads = SAFEGUARDING_LEADS if disclosure.tier == Tier.SAFEGUARDING else SHARING_LEADS
    return standing.has_any(leads, disclosure.child.site_id)


def may_release_to_parents(standing: Facts, disclosure: Disclosure) -> bool:
    return (
        disclosure.status == Disclosure.Status.SENT
        and disclosure.hidden_from_parents
        and disclosure.released_at is None
        and standing.has_any(SAFEGUARDING_LEADS, disclosure.child.site_id)
    )


# --- the directory --------------------------------------------------------------------------


def directory_sites(standing: Facts) -> frozenset[uuid.UUID]:
    """The sites whose directory the person may read."""
    return standing.sites_with(*SHARING_ROLES, *CONFIRMERS)


def may_keep_directory(standing: Facts, site_id: uuid.UUID) -> bool:
    return standing.has_any(MANAGERS, site_id)


def may_approve_recipient(standing: Facts, recipient: Recipient) -> bool:
    """A second person: another manager, or the chair, the data-protection lead or the proprietor."""
    return (
        recipient.status == Recipient.Status.AWAITING_APPROVAL
        and recipient.created_by_id != standing.user_id
        and standing.has_any(CONFIRMERS, recipient.site_id)
    )


# --- consents, requests, the log, exports ------------------------------------------------------


def may_keep_consents(standing: Facts, child: Child) -> bool:
    """Record, confirm or withdraw a consent: whoever may add to the child's general file."""
    return reads_general(standing, child) and (
        child.pk.hex in standing.key_children or standing.has_any(SITE_READERS, child.site_id)
    )


def reads_consent(f: Facts, consent: Consent) -> bool:
    return reads_general(f, consent.child)


def may_log_request(standing: Facts, child: Child) -> bool:
    return reads_general(standing, child) and standing.has_any(SHARING_LEADS, child.site_id)


def may_decide_request(standing: Facts, request: InformationRequest) -> bool:
    leads = SAFEGUARDING_LEADS if request.tier == Tier.SAFEGUARDING else SHARING_LEADS
    return request.status == InformationRequest.Status.OPEN and standing.has_any(leads, request.child.site_id)


def log_export_sites(standing: Facts) -> frozenset[uuid.UUID]:
    return standing.sites_with(*SHARING_LEADS)


def may_export_child_log(standing: Facts, child: Child) -> bool:
    return standing.has_any(SHARING_LEADS, child.site_id)


EXPORT_ROLES = {
    ExportTier.GENERAL: MANAGERS,
    ExportTier.SAFEGUARDING: SAFEGUARDING_LEADS,
    ExportTier.PERSONNEL: (Role.HR,),
}


def bulk_export_sites(standing: Facts, tier: str) -> frozenset[uuid.UUID]:
    """The sites whose files of this tier the person may export."""
    roles = EXPORT_ROLES.get(ExportTier(tier)) if tier in ExportTier.values else None
    return standing.sites_with(*roles) if roles else frozenset()


# --- parents -------------------------------------------------------------------------------


def portal_reads_disclosure(f: Facts, disclosure: Disclosure) -> bool:
    """A parent sees a disclosure about their child once sent, unless it is hidden
    (a safeguarding basis, or to the police or social care) and not yet released."""
    return disclosure.child_id.hex in f.portal_children and disclosure.is_visible_to_parents


def portal_disclosure_q(f: Facts) -> Q:
    children = [uuid.UUID(hex=c) for c in f.portal_children]
    if not children:
        return NOTHING
    return Q(child_id__in=children, status=Disclosure.Status.SENT) & (
        Q(hidden_from_parents=False) | Q(released_at__isnull=False)
    )


def portal_disclosure_filter(user: Person) -> Q:
    return portal_disclosure_q(facts_of(user))
