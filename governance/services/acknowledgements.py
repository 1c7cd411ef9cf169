"""Reading a policy and saying so: staff, students, volunteers and trustees acknowledge
the current version their role must read; parents are shown what is published to them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access import policy as access_policy
from access.models import User
from access.policy import governance as rules
from audit.models import Event, Tier
from audit.services import audit_event
from governance.models import Acknowledgement, ParentNoticeSeen, PolicyVersion
from governance.selectors import people_yet_to_read
from records.services.notifications import notify


@transaction.atomic
def policy_acknowledge(*, actor: User, version: PolicyVersion, confirmed: bool) -> Acknowledgement:
    """Ticked and confirmed: the person has read this version and will follow it. Only
    the current version can be acknowledged."""
    if not rules.reads_policies(access_policy.facts_of(actor)):
        raise PermissionDenied
    version = PolicyVersion.objects.select_related("policy").get(pk=version.pk)
    if version.status != PolicyVersion.Status.CURRENT:
        raise ValidationError(
            "This is not the current version of the policy. Read the current version and acknowledge that."
        )
    if not confirmed:
        raise ValidationError(
            {"confirmed": "Tick the box to say you have read the policy and will follow it."}
        )
    found = Acknowledgement.objects.filter(version=version, user=actor).first()
    if found is not None:
        return found
    made = Acknowledgement(version=version, user=actor, acknowledged_at=timezone.now())
    made.full_clean()
    made.save()
    audit_event(
        actor=actor,
        event=Event.POLICY_ACKNOWLEDGED,
        obj=version,
        tier=Tier.NONE,
        reason=f"Acknowledged version {version.version}",
    )
    access_policy.forget_facts()  # files open again at once if this was the last one
    return made


@transaction.atomic
def acknowledgement_remind(*, actor: User, version: PolicyVersion) -> int:
    """A manager reminds everyone who has not yet acknowledged the current version."""
    if not rules.may_draft_policy(access_policy.facts_of(actor)):
        raise PermissionDenied
    if version.status != PolicyVersion.Status.CURRENT:
        raise ValidationError("Only the current version can be acknowledged: there is nobody to remind.")
    waiting = people_yet_to_read(version)
    if waiting:
        when = timezone.localtime(version.acknowledge_by) if version.acknowledge_by else None
        by = f" by {when:%-d %B}" if when and when > timezone.now() else ""
        notify(
            recipients=waiting,
            message=f"Reminder: please read the {version.policy.title} policy{by}.",
            url=reverse("policy_read", args=[version.pk]),
        )
    audit_event(
        actor=actor,
        event=Event.UPDATED,
        obj=version,
        tier=Tier.NONE,
        reason=f"Reminder sent to {len(waiting)} people",
    )
    return len(waiting)


@transaction.atomic
def parent_notices_seen(*, actor: User, versions: list[PolicyVersion]) -> int:
    """A parent was shown the privacy notice and the policies published to parents."""
    if not actor.is_portal_user:
        raise PermissionDenied
    made = 0
    for version in versions:
        if version.status != PolicyVersion.Status.CURRENT:
            continue
        _, created = ParentNoticeSeen.objects.get_or_create(version=version, user=actor)
        made += int(created)
    if made:
        audit_event(
            actor=actor,
            event=Event.POLICY_ACKNOWLEDGED,
            obj=PolicyVersion,
            tier=Tier.NONE,
            reason=f"Portal: shown {made} notices and policies",
        )
    return made
