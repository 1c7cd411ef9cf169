"""The pages that read the trail: a site's audit log (and its CSV export), a
child's access history, and "my activity". Who may see which entries is
decided by access, like every other page."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from access import policy
from access.forms import AuditFilterForm
from access.http import AuthenticatedHttpRequest
from access.models import User
from access.selectors import (
    about_me,
    audit_people_for,
    audit_scope_for,
    audit_sites,
    audit_tiers_for_child,
    child_get_for_user,
    child_names_for_user,
    names_of,
    record_titles_for_user,
)
from access.views.step_up import require_step_up
from audit import selectors as trail
from audit.csv_writer import csv_response
from audit.models import AuditEntry, Event, Tier
from audit.people import people_named, with_names
from audit.services import audit_event


def _page(
    request: AuthenticatedHttpRequest, queryset: QuerySet[AuditEntry]
) -> tuple[list[AuditEntry], dict[str, Any]]:
    cursor = request.GET.get("before")
    entries, older = trail.page_before(queryset, cursor)
    return entries, {"older": older, "is_first": not cursor}


# What an entry touched, in words, by the model of its object.
OBJECT_WORDS = {
    "child": "The child's file",
    "attachment": "An attachment",
    "staffmember": "A staff file",
    "grant": "Need-to-know access",
    "conflict": "A conflict of interest",
    "keyworkerassignment": "Key person",
    "childuserobjectpermission": "Access permission",
    "staffmemberuserobjectpermission": "Access permission",
    "user": "An account",
    "auditentry": "The audit log",
    "carer": "A parent or carer",
    "childcarer": "A parent or carer's rights",
    "notification": "A notification",
    "site": "A setting",
    "disclosure": "A disclosure to another agency",
    "consent": "A consent to share",
    "recipient": "The sharing directory",
    "informationrequest": "A request for information",
    "sharingdecision": "A decision on sharing",
    "bulkexport": "A bulk export",
}


def _describe(user: User, page: list[AuditEntry], *, with_children: bool = True) -> list[AuditEntry]:
    """Name children and records the reader may see; describe everything else by kind."""
    record_ids = {e.object_pk for e in page if _model_of(e) == "record" and e.object_pk}
    titles = record_titles_for_user(user=user, record_ids=record_ids)
    names = (
        child_names_for_user(user=user, child_ids={e.child_id for e in page if e.child_id})
        if with_children
        else {}
    )
    people = names_of(people_named(e.reason for e in page))
    for entry in page:
        entry.reason_shown = with_names(entry.reason, lambda pk: people.get(pk, "someone"))
        entry.child_name = names.get(entry.child_id, "") if entry.child_id else ""
        model = _model_of(entry)
        if model == "record":
            title = titles.get(entry.object_pk)
            entry.description = f"Record “{title}”" if title else "A record"
        else:
            entry.description = OBJECT_WORDS.get(model, entry.object_repr)
    return page


def _model_of(entry: AuditEntry) -> str:
    return ContentType.objects.get_for_id(entry.content_type_id).model


def _site_log(request: AuthenticatedHttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    standing = policy.standing_of(request.user)
    scope = audit_scope_for(request.user, standing)
    if scope is None:
        raise Http404
    form = AuditFilterForm(request.GET or None, people=audit_people_for(standing))
    entries = trail.entries(scope)
    if form.is_valid():
        data = form.cleaned_data
        entries = trail.filtered(
            entries,
            actor=data["person"],
            child_id=data["child"],
            event=data["event"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    elif form.is_bound:
        entries = entries.none()
    return form, entries


@require_GET
@login_required
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, entries = _site_log(request)
    page, paging = _page(request, entries)
    _describe(request.user, page)
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=AuditEntry,
        request=request,
        tier=Tier.NONE,
        reason="Audit log" if paging["is_first"] else "Audit log, older entries",
    )
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request, "access/audit_log.html", {"form": form, "page": page, "query": query.urlencode(), **paging}
    )


@require_GET
@login_required
def audit_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    require_step_up(request)  # exporting the trail: a fresh two-factor code
    form, entries = _site_log(request)
    exported_at = timezone.now()
    filters = form.cleaned_data if form.is_valid() else {}
    used = ", ".join(
        f"{name}={value.pk if hasattr(value, 'pk') else value}" for name, value in filters.items() if value
    )
    audit_event(
        actor=request.user,
        event=Event.EXPORTED,
        obj=AuditEntry,
        request=request,
        tier=Tier.NONE,
        reason=f"Audit log exported as CSV ({used or 'no filters'})",
    )
    who = request.user.get_full_name() or request.user.get_username()
    people = {person.pk: str(person) for person in audit_people_for(policy.standing_of(request.user))}

    def rows() -> Iterator[list[Any]]:
        yield [
            f"CONFIDENTIAL: audit log exported by {who} at {exported_at:%Y-%m-%d %H:%M} UTC. "
            "Do not copy or share."
        ]
        yield [
            "time (UTC)",
            "person",
            "username",
            "event",
            "tier",
            "child id",
            "staff file id",
            "object",
            "reason",
            "address",
            "chain position",
        ]
        for e in entries.iterator(chunk_size=2000):
            yield [
                e.timestamp.isoformat(),
                e.actor.get_full_name() if e.actor else "",
                e.actor.get_username() if e.actor else "",
                e.get_event_display(),
                e.tier,
                e.child_id or "",
                e.staff_member_id or "",
                e.object_repr,
                with_names(e.reason, lambda pk: people.get(pk, f"person {pk}")),
                e.remote_addr or "",
                e.seq or "",
            ]

    return csv_response(rows(), filename=f"confide-audit-{exported_at:%Y%m%d-%H%M}.csv")


@require_GET
@login_required
def access_history(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_get_for_user(user=request.user, child_id=child_id)
    standing = policy.standing_of(request.user)
    entries = trail.for_child(
        child_id=child.pk, tiers=audit_tiers_for_child(child, standing), hidden=about_me(request.user)
    )
    page, paging = _page(request, entries)
    _describe(request.user, page, with_children=False)
    # As for the file itself: a reader of the safeguarding file alone says safeguarding is involved.
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.GENERAL if child.can_read_general else Tier.SAFEGUARDING,
        reason="Access history",
    )
    return render(
        request,
        "access/access_history.html",
        {
            "child": child,
            "page": page,
            **paging,
            "may_search": bool(audit_sites(standing)),
            "may_see_access": policy.may_see_access(standing, child),
        },
    )


@require_GET
@login_required
def my_activity(request: AuthenticatedHttpRequest) -> HttpResponse:
    page, paging = _page(request, trail.for_actor(user=request.user))
    _describe(request.user, page)
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=AuditEntry,
        request=request,
        tier=Tier.NONE,
        reason="My activity" if paging["is_first"] else "My activity, older entries",
    )
    return render(request, "access/my_activity.html", {"page": page, **paging})
