"""The policy register: a manager drafts a version; the setting's adopting body adopts
it, the chair signing with their password (or a manager uploading the signed copy);
those who must read it are told, and have GOVERNANCE_GRACE_DAYS to do so."""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from access import policy as access_policy
from access.models import Role, User
from access.policy import governance as rules
from access.selectors.people import by_name
from access.services import lockout
from audit.models import Event, Tier
from audit.services import audit_event
from crypto import attachments
from governance.models import AdoptingBody, Policy, PolicyFile, PolicyKind, PolicyRequirement, PolicyVersion
from governance.selectors import people_who_must_read
from records.services.notifications import notify


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@transaction.atomic
def policy_create(*, actor: User, title: str, kind: str, published_to_parents: bool) -> Policy:
    _require(rules.may_draft_policy(access_policy.facts_of(actor)))
    if not (title or "").strip():
        raise ValidationError({"title": "Give the policy a title."})
    if kind not in PolicyKind.values:
        raise ValidationError({"kind": "Choose what kind of policy it is."})
    found = Policy(
        title=title.strip(), kind=kind, published_to_parents=published_to_parents, created_by=actor
    )
    found.full_clean()
    found.save()
    audit_event(
        actor=actor, event=Event.CREATED, obj=found, tier=Tier.NONE, reason="Policy added to the register"
    )
    return found


def policy_file_store(
    *, actor: User, version: PolicyVersion, purpose: str, checked: attachments.CheckedUpload
) -> PolicyFile:
    """A PDF, sealed on disk like every attachment."""
    if checked.content_type != attachments.PDF:
        raise ValidationError({"document": "Upload the policy as a PDF."})
    stored = PolicyFile(
        version=version,
        purpose=purpose,
        original_filename=checked.filename,
        content_type=checked.content_type,
        size=len(checked.data),
        uploaded_by=actor,
    )
    name, key_id, digest = attachments.seal_and_store(attachment_id=stored.pk, data=checked.data)
    stored.stored_name, stored.key_id, stored.sha256 = name, key_id, digest
    try:
        with transaction.atomic():
            stored.full_clean()
            stored.save()
    except BaseException:
        attachments.delete_stored(name)
        raise
    return stored


@transaction.atomic
def version_draft(
    *,
    actor: User,
    policy: Policy,
    version: str,
    text: str,
    roles: Collection[str],
    review_by: datetime.date | None,
    grace_days: int | None = None,
    summary_of_changes: str = "",
    document: attachments.CheckedUpload | None = None,
) -> PolicyVersion:
    """A new version, waiting for adoption. Needs a version, a review date that is not
    past, and its text or a PDF."""
    _require(rules.may_draft_policy(access_policy.facts_of(actor)))
    errors = {}
    version = (version or "").strip()
    if not version:
        errors["version"] = "Give the version a number or name, for example 3 or 2026."
    elif policy.versions.filter(version=version).exists():
        errors["version"] = f"{policy.title} already has a version {version}. Give this one another."
    if review_by is None:
        errors["review_by"] = "Give the date by which the policy is to be reviewed."
    elif review_by <= timezone.localdate():
        errors["review_by"] = "The review date has passed. Choose a date in the future."
    if not (text or "").strip() and document is None:
        errors["text"] = "Write the policy, or upload it as a PDF."
    unknown = set(roles) - set(Role.values)
    if unknown:
        errors["roles"] = "Choose roles from the list."
    if errors or review_by is None:
        raise ValidationError(errors)
    drafted = PolicyVersion(
        policy=policy,
        version=version,
        text=(text or "").strip(),
        summary_of_changes=(summary_of_changes or "").strip(),
        review_by=review_by,
        grace_days=settings.GOVERNANCE_GRACE_DAYS if grace_days is None else grace_days,
        drafted_by=actor,
    )
    drafted.full_clean()
    drafted.save()
    for role in sorted(set(roles)):
        PolicyRequirement.objects.create(version=drafted, role=role)
    if document is not None:
        policy_file_store(actor=actor, version=drafted, purpose=PolicyFile.Purpose.DOCUMENT, checked=document)
    audit_event(
        actor=actor, event=Event.CREATED, obj=drafted, tier=Tier.NONE, reason=f"Version {version} drafted"
    )
    return drafted


def _check_adoptable(version: PolicyVersion, meeting_on: datetime.date | None) -> dict[str, str]:
    errors = {}
    if version.status != PolicyVersion.Status.DRAFT:
        errors["__all__"] = "This version has been adopted already."
    if meeting_on is None:
        errors["meeting_on"] = "Give the date of the meeting that adopted it."
    elif meeting_on > timezone.localdate():
        errors["meeting_on"] = "The meeting's date is in the future."
    if version.review_by <= timezone.localdate():
        errors["__all__"] = "Its review date has passed: a manager drafts it again with a new review date."
    return errors


def _adopt(*, actor: User, version: PolicyVersion, how: str) -> PolicyVersion:
    now = timezone.now()
    version.body = version.body or settings.GOVERNANCE_ADOPTING_BODY
    version.adopted_at, version.adoption_recorded_by = now, actor
    version.acknowledge_by = now + datetime.timedelta(days=version.grace_days)
    version.status = PolicyVersion.Status.CURRENT
    version.full_clean()
    version.save()
    policy = Policy.objects.select_for_update().get(pk=version.policy_id)
    for old in PolicyVersion.objects.filter(policy=policy, status=PolicyVersion.Status.CURRENT).exclude(
        pk=version.pk
    ):
        old.status = PolicyVersion.Status.SUPERSEDED
        old.save(update_fields=["status"])
    policy.current_version = version
    policy.save(update_fields=["current_version"])
    access_policy.forget_facts()
    body = AdoptingBody(version.body).label.lower().removeprefix("the ")
    audit_event(
        actor=actor,
        event=Event.SIGNED_OFF,
        obj=version,
        tier=Tier.NONE,
        reason=f"Version {version.version} adopted by the {body} ({how})",
    )
    when = timezone.localtime(version.acknowledge_by)
    notify(
        recipients=by_name(people_who_must_read(version)),
        message=f"A new version of the {policy.title} policy: please read it by {when:%-d %B}.",
        url=reverse("policy_read", args=[version.pk]),
    )
    return version


@transaction.atomic
def version_adopt_sign(
    *,
    actor: User,
    version: PolicyVersion,
    meeting_on: datetime.date | None,
    password: str,
    request: HttpRequest | None = None,
) -> PolicyVersion:
    """The chair of trustees (or the proprietor) adopts a version, signing on behalf of
    the adopting body by entering their password again."""
    _require(rules.may_sign_as_chair(access_policy.facts_of(actor)))
    version = PolicyVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
    errors = _check_adoptable(version, meeting_on)
    if errors:
        raise ValidationError(errors)
    try:
        lockout.password_recheck(request=request, user=actor, password=password or "")
    except ValidationError as refused:
        text = " ".join(refused.messages).replace("The record is not signed.", "The policy is not signed.")
        raise ValidationError({"password": text}) from None
    version.meeting_on = meeting_on
    version.chair_name = actor.get_full_name() or actor.get_username()
    version.signed_by, version.signed_at = actor, timezone.now()
    return _adopt(actor=actor, version=version, how="signed by the chair")


@transaction.atomic
def version_adopt_with_copy(
    *,
    actor: User,
    version: PolicyVersion,
    meeting_on: datetime.date | None,
    chair_name: str,
    signed_copy: attachments.CheckedUpload | None,
) -> PolicyVersion:
    """A manager records an adoption made on paper: the meeting, the chair's name and the signed copy."""
    _require(rules.may_record_adoption(access_policy.facts_of(actor)))
    version = PolicyVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
    errors = _check_adoptable(version, meeting_on)
    if not (chair_name or "").strip():
        errors["chair_name"] = "Give the name of the chair who signed it."
    if signed_copy is None:
        errors["signed_copy"] = "Upload the signed copy (a PDF)."
    if errors:
        raise ValidationError(errors)
    assert signed_copy is not None  # noqa: S101 - checked above
    version.meeting_on, version.chair_name = meeting_on, chair_name.strip()
    try:
        policy_file_store(
            actor=actor, version=version, purpose=PolicyFile.Purpose.SIGNED_COPY, checked=signed_copy
        )
    except ValidationError:
        raise ValidationError({"signed_copy": "Upload the signed copy as a PDF."}) from None
    return _adopt(actor=actor, version=version, how="signed copy uploaded")
