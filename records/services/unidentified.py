"""Concerns about a child the person raising them cannot identify fully: raised by
anyone at the setting, filed in the right child's file by a safeguarding lead."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import SAFEGUARDING_LEADS, User
from access.selectors.people import people_with_role
from audit.models import Event
from audit.services import audit_event
from records.models import Addendum, Child, Record, Site, Tier, UnidentifiedConcern
from records.services.concerns import concern_body, concern_file, validate_concern
from records.services.entries import addendum_create
from records.services.notifications import notify


@transaction.atomic
def unidentified_concern_raise(
    *,
    actor: User,
    site: Site,
    description: str,
    what_happened: str,
    occurred_at: datetime.datetime,
    childs_words: str = "",
    where: str = "",
    who_present: str = "",
    body_map_note: str = "",
    actions_taken: str = "",
) -> UnidentifiedConcern:
    """A concern about a child described, not named; the site's safeguarding leads are told."""
    if not policy.may_raise_unidentified_concern(policy.standing_of(actor), site.pk):
        raise PermissionDenied
    if not (description or "").strip():
        raise ValidationError(
            {"description": "Describe the child: a name you heard, their age, room, who they were with."}
        )
    validate_concern(what_happened=what_happened, occurred_at=occurred_at)
    concern = UnidentifiedConcern(
        site=site,
        author=actor,
        description=description.strip(),
        body=concern_body(
            what_happened=what_happened,
            childs_words=childs_words,
            where=where,
            who_present=who_present,
            body_map_note=body_map_note,
            actions_taken=actions_taken,
        ),
        occurred_at=occurred_at,
    )
    concern.full_clean()
    concern.save()
    audit_event(actor=actor, event=Event.CONCERN_RAISED, obj=concern, tier=Tier.SAFEGUARDING)
    leads = people_with_role(site_id=site.pk, roles=SAFEGUARDING_LEADS).exclude(pk=actor.pk)
    notify(
        recipients=list(leads),
        message=f"A safeguarding concern about a child not yet identified was raised at {site.name}.",
        url=reverse("unidentified_concern", args=[concern.pk]),
    )
    return concern


@transaction.atomic
def unidentified_concern_link(*, actor: User, concern: UnidentifiedConcern, child: Child) -> Record:
    """The safeguarding lead has found the child: the concern is filed in their file,
    as raised by the person who wrote it, with the description they gave."""
    concern = UnidentifiedConcern.objects.select_for_update().get(pk=concern.pk)
    standing = policy.standing_of(actor)
    if not policy.may_handle_unidentified_concern(standing, concern):
        raise PermissionDenied
    if concern.status != UnidentifiedConcern.Status.WAITING:
        raise ValidationError("This concern is already filed in a child's file.")
    if child.site_id != concern.site_id or not policy.reads_safeguarding(standing, child):
        raise ValidationError({"child": "Choose a child at the setting where the concern was raised."})
    record = concern_file(
        author=concern.author, child=child, body=concern.body, occurred_at=concern.occurred_at
    )
    addendum_create(
        actor=actor,
        record=record,
        kind=Addendum.Kind.NOTE,
        text=(
            f"Raised on {timezone.localtime(concern.created_at):%d %B %Y at %H:%M} about a child the "
            f"person could not identify fully, described as: {concern.description}"
        ),
    )
    concern.status = UnidentifiedConcern.Status.LINKED
    concern.record, concern.linked_by, concern.linked_at = record, actor, timezone.now()
    concern.full_clean()
    concern.save()
    audit_event(
        actor=actor,
        event=Event.CONCERN_RAISED,
        obj=record,
        child_id=child.pk,
        tier=Tier.SAFEGUARDING,
        reason=f"Filed from a concern about a child not yet identified (concern {concern.pk})",
    )
    return record
