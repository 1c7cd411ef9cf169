"""The reads behind the sharing pages, each starting from what access lets the person see."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from access import policy
from access import selectors as access_selectors
from access.models import CONFIRMERS, SITE_READERS, User
from records.models import Attachment, Child, Record, Site, Tier
from records.selectors import count_of
from sharing.models import (
    BulkExport,
    Consent,
    Disclosure,
    InformationRequest,
    Recipient,
    SharingDecision,
)
from sharing.services import redaction

# The newest this many entries of each kind show on a log page; the CSV has them all.
LOG_SHOWN = 100
# A new directory entry shows on every manager's home for this long.
NEW_ENTRY_DAYS = 7


# --- the sharing log ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LogRow:
    """One line of the sharing log: a disclosure or a decision."""

    when: datetime.datetime
    kind: str
    child: Child
    recipient: Recipient | None
    basis: str
    outcome: str
    by: User
    disclosure: Disclosure | None = None
    decision: SharingDecision | None = None


@dataclass(frozen=True)
class LogFilters:
    kind: str = ""  # "disclosures", "decisions" or both
    recipient_kind: str = ""
    basis: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    child_id: uuid.UUID | None = None


Logged = TypeVar("Logged", Disclosure, SharingDecision)


def _dated(queryset: QuerySet[Logged], field_name: str, f: LogFilters) -> QuerySet[Logged]:
    zone = timezone.get_current_timezone()
    if f.date_from:
        start = datetime.datetime.combine(f.date_from, datetime.time.min, tzinfo=zone)
        queryset = queryset.filter(**{f"{field_name}__gte": start})
    if f.date_to:
        end = datetime.datetime.combine(f.date_to, datetime.time.max, tzinfo=zone)
        queryset = queryset.filter(**{f"{field_name}__lte": end})
    return queryset


def disclosures_logged(*, user: User, filters: LogFilters) -> QuerySet[Disclosure]:
    found = access_selectors.disclosures_for(user).select_related("child__site", "recipient", "created_by")
    if filters.child_id:
        found = found.filter(child_id=filters.child_id)
    if filters.recipient_kind:
        found = found.filter(recipient__kind=filters.recipient_kind)
    if filters.basis:
        found = found.filter(basis=filters.basis)
    return _dated(found, "created_at", filters).order_by("-created_at")


def decisions_logged(*, user: User, filters: LogFilters) -> QuerySet[SharingDecision]:
    found = access_selectors.decisions_for(user).select_related(
        "child__site", "recipient", "decided_by", "information_request", "disclosure"
    )
    if filters.child_id:
        found = found.filter(child_id=filters.child_id)
    if filters.recipient_kind:
        found = found.filter(recipient__kind=filters.recipient_kind)
    if filters.basis:
        found = found.filter(disclosure__basis=filters.basis)
    return _dated(found, "decided_at", filters).order_by("-decided_at")


def _disclosure_row(d: Disclosure) -> LogRow:
    return LogRow(
        when=d.sent_at or d.created_at,
        kind="Disclosure",
        child=d.child,
        recipient=d.recipient,
        basis=d.get_basis_display(),
        outcome=d.get_status_display(),
        by=d.created_by,
        disclosure=d,
    )


def _decision_row(d: SharingDecision) -> LogRow:
    if d.concern_id:
        kind = "Decision not to refer"
    elif d.information_request_id:
        kind = f"Request answered: {d.get_outcome_display().lower()}"
    else:
        kind = f"Decision: {d.get_outcome_display().lower()}"
    return LogRow(
        when=d.decided_at,
        kind=kind,
        child=d.child,
        recipient=d.recipient,
        basis=d.disclosure.get_basis_display() if d.disclosure else "",
        outcome=d.get_outcome_display(),
        by=d.decided_by,
        decision=d,
    )


def log_rows(*, user: User, filters: LogFilters, limit: int | None = LOG_SHOWN) -> list[LogRow]:
    """Disclosures and decisions, newest first (decisions that made a disclosure show once, as it)."""
    rows: list[LogRow] = []
    if filters.kind in ("", "disclosures"):
        disclosures = disclosures_logged(user=user, filters=filters)
        rows += [_disclosure_row(d) for d in (disclosures[:limit] if limit else disclosures.iterator())]
    if filters.kind in ("", "decisions"):
        decisions = decisions_logged(user=user, filters=filters)
        if filters.kind == "":
            decisions = decisions.filter(disclosure__isnull=True)
        rows += [_decision_row(d) for d in (decisions[:limit] if limit else decisions.iterator())]
    return sorted(rows, key=lambda row: row.when, reverse=True)


# --- a child's sharing page --------------------------------------------------------------------


@dataclass(frozen=True)
class ChildSharing:
    consents: list[Consent]
    rows: list[LogRow]
    open_requests: list[InformationRequest] = field(default_factory=list)


def child_sharing(
    *, user: User, child: Child, filters: LogFilters, limit: int | None = LOG_SHOWN
) -> ChildSharing:
    """For a child fetched through access (who may read its general file)."""
    consents = list(access_selectors.consents_of(child)) if child.can_read_general else []
    requests = list(
        access_selectors.requests_for(user)
        .filter(child=child, status=InformationRequest.Status.OPEN)
        .select_related("created_by")
    )
    child_filters = LogFilters(**{**filters.__dict__, "child_id": child.pk})
    return ChildSharing(
        consents=consents,
        rows=log_rows(user=user, filters=child_filters, limit=limit),
        open_requests=requests,
    )


def consents_at_a_glance(*, child: Child) -> list[Consent]:
    """The child file's consent panel (for readers of the general file): in force or
    waiting, each flagged if expired or due for review."""
    if not child.can_read_general:
        return []
    return list(
        Consent.objects.filter(
            child=child, status__in=[Consent.Status.ACTIVE, Consent.Status.AWAITING_CONFIRMATION]
        )
        .select_related("given_by__carer")
        .order_by("expires_on")
    )


# --- what a share may include -----------------------------------------------------------------


@dataclass(frozen=True)
class Shareable:
    record: Record
    parts: list[tuple[str, str]]
    from_another_agency: bool


def shareable_records(*, user: User, child: Child, dsl: bool) -> list[Shareable]:
    """The current records of the child's file this person may share, with their parts;
    safeguarding records only for the DSL."""
    records = access_selectors.records_for_child(user=user, child=child)
    if not dsl:
        records = records.filter(tier=Tier.GENERAL)
    records = records.annotate(files=count_of(Attachment)).order_by("-occurred_at", "-created_at")
    return [
        Shareable(
            record=r,
            parts=redaction.record_parts(r, attachment_count=r.files if dsl else 0),
            from_another_agency=redaction.is_from_another_agency(r),
        )
        for r in records[:200]
    ]


# --- the directory, and each person's home --------------------------------------------------------


def directory(*, user: User) -> list[Recipient]:
    return list(
        access_selectors.recipients_for(user)
        .select_related("site", "created_by", "approved_by")
        .annotate(shares=Count("disclosures"))
        .order_by("site__name", "status", "kind", "created_at")
    )


@dataclass(frozen=True)
class HomeSharing:
    new_entries: list[Recipient]
    entries_to_approve: list[Recipient]
    disclosures_to_approve: list[Disclosure]
    consents_to_confirm: list[Consent]

    def __bool__(self) -> bool:
        return bool(
            self.new_entries
            or self.entries_to_approve
            or self.disclosures_to_approve
            or self.consents_to_confirm
        )


def home_sharing(*, user: User, standing: policy.Standing) -> HomeSharing:
    """What sharing asks of this person: new directory entries (managers, for a week),
    entries and disclosures waiting for their approval, portal consents to confirm.
    At most three queries, and none for someone with nothing to do here."""
    managed = standing.sites_with(*policy.MANAGERS)
    confirming = standing.sites_with(*CONFIRMERS)
    new: list[Recipient] = []
    to_approve: list[Recipient] = []
    if managed or confirming:
        week_ago = timezone.now() - datetime.timedelta(days=NEW_ENTRY_DAYS)
        entries = Recipient.objects.filter(
            Q(site_id__in=sorted(managed), created_at__gte=week_ago)
            | Q(site_id__in=sorted(confirming), status=Recipient.Status.AWAITING_APPROVAL)
        ).select_related("site", "created_by")
        for entry in entries.order_by("-created_at")[:100]:
            if entry.site_id in managed and entry.created_at >= week_ago:
                new.append(entry)
            if policy.may_approve_recipient(standing, entry):
                to_approve.append(entry)
    waiting: list[Disclosure] = []
    if standing.sites_with(*policy.SHARING_LEADS):
        waiting = [
            d
            for d in access_selectors.disclosures_for(user)
            .filter(status=Disclosure.Status.AWAITING_APPROVAL)
            .select_related("child__site", "recipient")[:50]
            if policy.may_approve_disclosure(standing, d)
        ]
    consents: list[Consent] = []
    readers = standing.sites_with(*SITE_READERS)
    if readers or standing.key_children:
        mine = Q(site_id__in=sorted(readers)) | Q(pk__in=[uuid.UUID(hex=c) for c in standing.key_children])
        children = access_selectors.children_for(user).filter(mine).values("pk")
        consents = list(
            Consent.objects.filter(status=Consent.Status.AWAITING_CONFIRMATION, child__in=children)
            .select_related("child")
            .order_by("created_at")[:50]
        )
    return HomeSharing(new, to_approve, waiting, consents)


def past_exports(*, sites: list[uuid.UUID], tier: str) -> list[BulkExport]:
    """The latest exports of this tier at these sites (who, when, why, how much)."""
    return list(
        BulkExport.objects.filter(site_id__in=sites, tier=tier).select_related("site", "exported_by")[:20]
    )


def sites_of(site_ids: Iterable[uuid.UUID]) -> list[Site]:
    """The settings with these ids (those a person's role gives them a say over)."""
    return list(Site.objects.filter(pk__in=sorted(site_ids)))
