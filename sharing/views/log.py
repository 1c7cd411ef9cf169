"""The sharing log: for the setting and for one child, on the page and as CSV."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from access import policy
from access.http import AuthenticatedHttpRequest
from access.views.step_up import require_step_up
from audit.csv_writer import csv_response
from audit.models import Event, Tier
from audit.services import audit_event
from records.models import Child
from sharing import selectors
from sharing.forms import LogFilterForm
from sharing.models import Disclosure, ExportTier
from sharing.selectors import LogRow
from sharing.views.common import child_for

CSV_HEADER = [
    "when (UTC)",
    "what",
    "reference",
    "child",
    "recipient",
    "kind of recipient",
    "lawful basis",
    "condition",
    "purpose",
    "consent relied on",
    "status or decision",
    "parents told",
    "hidden from parents",
    "reason",
    "by",
    "approved by",
    "sent",
]


@require_GET
@login_required
def sharing_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every disclosure and decision the person may see, newest first."""
    form = LogFilterForm(request.GET or None)
    rows = selectors.log_rows(user=request.user, filters=form.filters())
    standing = policy.standing_of(request.user)
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=Disclosure,
        request=request,
        tier=Tier.NONE,
        reason=f"Sharing log: {len(rows)} shown",
    )
    context = {
        "form": form,
        "rows": rows,
        "shown": selectors.LOG_SHOWN,
        "may_export": bool(policy.log_export_sites(standing)),
        "export_tiers": [t for t in ExportTier if policy.bulk_export_sites(standing, t)],
        "query": request.GET.urlencode(),
    }
    return render(request, "sharing/log.html", context)


def _csv_rows(rows: Iterable[LogRow], who: str, when: Any) -> Iterator[Sequence[object]]:
    yield [f"CONFIDENTIAL: sharing log exported by {who} at {when:%Y-%m-%d %H:%M} UTC. Do not copy or share."]
    yield CSV_HEADER
    for row in rows:
        d, decision = row.disclosure, row.decision
        consent = d.consent if d is not None else None
        yield [
            row.when.isoformat(),
            row.kind,
            d.reference if d else "",
            row.child.full_name,
            row.recipient.label if row.recipient else "",
            row.recipient.get_kind_display() if row.recipient else "",
            row.basis,
            d.get_condition_display() if d and d.condition else "",
            d.get_purpose_display() if d else "",
            f"given {consent.given_at:%Y-%m-%d}" if consent else "",
            row.outcome,
            d.get_parents_told_display() if d else "",
            ("yes" if d.hidden_from_parents and not d.released_at else "no") if d else "",
            decision.reason if decision else (d.basis_reason if d else ""),
            row.by.get_full_name() or row.by.username,
            (d.approved_by.get_full_name() if d and d.approved_by else ""),
            d.sent_at.isoformat() if d and d.sent_at else "",
        ]


def _csv(request: AuthenticatedHttpRequest, rows: list[LogRow], name: str) -> StreamingHttpResponse:
    who = request.user.get_full_name() or request.user.get_username()
    return csv_response(
        _csv_rows(rows, who, timezone.now()), filename=f"{name}-{timezone.now():%Y%m%d-%H%M}.csv"
    )


@require_GET
@login_required
def sharing_log_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    sites = policy.log_export_sites(policy.standing_of(request.user))
    if not sites:
        raise Http404
    require_step_up(request)  # an export: a fresh two-factor code
    form = LogFilterForm(request.GET or None)
    rows = [
        r
        for r in selectors.log_rows(user=request.user, filters=form.filters(), limit=None)
        if r.child.site_id in sites
    ]
    audit_event(
        actor=request.user,
        event=Event.EXPORTED,
        obj=Disclosure,
        request=request,
        tier=Tier.NONE,
        reason=f"Sharing log exported as CSV: {len(rows)} rows",
    )
    return _csv(request, rows, "confide-sharing-log")


def _tier_seen(child: Child) -> str:
    return Tier.GENERAL if child.can_read_general else Tier.SAFEGUARDING


@require_GET
@login_required
def child_sharing(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    """A child's consents, what was shared about them and what was decided."""
    child = child_for(request, child_id)
    if child.can_read_safeguarding:
        require_step_up(request)  # safeguarding shares may be listed: a fresh two-factor code
    form = LogFilterForm(request.GET or None)
    sharing = selectors.child_sharing(user=request.user, child=child, filters=form.filters())
    standing = policy.standing_of(request.user)
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=_tier_seen(child),
        reason="Sharing page",
    )
    context = {
        "child": child,
        "form": form,
        "sharing": sharing,
        "may_share": policy.may_start_disclosure(standing, child),
        "may_keep_consents": policy.may_keep_consents(standing, child),
        "may_log_request": policy.may_log_request(standing, child),
        "may_export": policy.may_export_child_log(standing, child),
        "may_see_access": policy.may_see_access(standing, child),
        "query": request.GET.urlencode(),
    }
    return render(request, "sharing/child_sharing.html", context)


@require_GET
@login_required
def child_sharing_csv(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> StreamingHttpResponse:
    child = child_for(request, child_id, may=policy.may_export_child_log)
    require_step_up(request)  # an export: a fresh two-factor code
    form = LogFilterForm(request.GET or None)
    rows = selectors.child_sharing(user=request.user, child=child, filters=form.filters(), limit=None).rows
    audit_event(
        actor=request.user,
        event=Event.EXPORTED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=_tier_seen(child),
        reason=f"Child's sharing log exported as CSV: {len(rows)} rows",
    )
    return _csv(request, rows, f"sharing-log-{child.pk.hex[:8]}")
