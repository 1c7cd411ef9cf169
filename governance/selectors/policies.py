"""The register, a version for one reader, who has read what, and what waits for whom."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from access import policy as access_policy
from access.models import BreakGlass, Membership, User
from access.policy import governance as rules
from access.selectors.people import by_name, name_key
from governance.models import Acknowledgement, ParentNoticeSeen, Policy, PolicyFile, PolicyKind, PolicyVersion
from records.models import StaffConcern

# Reviews are flagged this many days before they are due.
REVIEW_WARNING_DAYS = 30


def _versions() -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.select_related("policy", "signed_by", "drafted_by").prefetch_related(
        "requirements", "files"
    )


def people_who_must_read(version: PolicyVersion) -> list[User]:
    """Everyone holding, now, one of the roles that must read the version."""
    roles = list(version.requirements.values_list("role", flat=True))
    live = Membership.objects.live().filter(role__in=roles).values("user_id")
    return list(User.objects.filter(is_active=True, pk__in=live))


def people_yet_to_read(version: PolicyVersion) -> list[User]:
    done = set(version.acknowledgements.values_list("user_id", flat=True))
    return by_name(u for u in people_who_must_read(version) if u.pk not in done)


def register(*, user: User) -> list[Policy]:
    """Every policy, its current version and how many have acknowledged it (for the register)."""
    if not rules.sees_register(access_policy.facts_of(user)):
        return []
    return list(
        Policy.objects.select_related("current_version")
        .annotate(
            acknowledged=Count("current_version__acknowledgements", distinct=True),
            drafts=Count("versions", filter=Q(versions__status=PolicyVersion.Status.DRAFT), distinct=True),
        )
        .order_by("title")
    )


def current_versions() -> list[PolicyVersion]:
    """The current version of every policy (what everyone with a role may read)."""
    return list(_versions().filter(status=PolicyVersion.Status.CURRENT).order_by("policy__title"))


def versions_of(policy: Policy) -> list[PolicyVersion]:
    return list(_versions().filter(policy=policy).order_by("-drafted_at"))


def acknowledged_by(*, user: User, version: PolicyVersion) -> Acknowledgement | None:
    return Acknowledgement.objects.filter(user=user, version=version).first()


def policy_get_for_register(*, user: User, policy_id: uuid.UUID) -> Policy:
    if not rules.sees_register(access_policy.facts_of(user)):
        raise Http404("No such policy")
    found = Policy.objects.select_related("current_version").filter(pk=policy_id).first()
    if found is None:
        raise Http404("No such policy")
    return found


def version_get_for_user(*, user: User, version_id: uuid.UUID) -> PolicyVersion:
    """A version to read: the current one, for anyone with a role; every version, for
    those who see the register."""
    facts = access_policy.facts_of(user)
    version = _versions().filter(pk=version_id).first()
    if version is None or not rules.reads_policies(facts):
        raise Http404("No such policy")
    if version.status != PolicyVersion.Status.CURRENT and not rules.sees_register(facts):
        raise Http404("No such policy")
    return version


def policy_file_get_for_user(*, user: User, file_id: uuid.UUID) -> PolicyFile:
    found = PolicyFile.objects.select_related("version").filter(pk=file_id).first()
    if found is None:
        raise Http404("No such file")
    version_get_for_user(user=user, version_id=found.version_id)
    facts = access_policy.facts_of(user)
    if found.purpose == PolicyFile.Purpose.SIGNED_COPY and not rules.sees_register(facts):
        raise Http404("No such file")
    return found


def versions_to_read(*, user: User) -> list[PolicyVersion]:
    """The current versions waiting for this person's acknowledgement: past their grace
    period first (they keep files closed), then the others, by when they are due."""
    facts = access_policy.facts_of(user)
    ids = facts.policies_unread | facts.policies_due
    if not ids:
        return []
    found = list(_versions().filter(pk__in=[uuid.UUID(hex=i) for i in ids]))
    for version in found:
        version.gating = version.pk.hex in facts.policies_unread  # type: ignore[attr-defined]
    return sorted(found, key=lambda v: (not v.gating, v.acknowledge_by or timezone.now(), v.policy.title))  # type: ignore[attr-defined]


def acknowledgement_lists(version: PolicyVersion) -> tuple[list[Acknowledgement], list[User]]:
    """Who has acknowledged this version (and when), and who must and has not."""
    # Names are sealed: put in order once opened.
    done = sorted(version.acknowledgements.select_related("user"), key=lambda a: name_key(a.user))
    if version.status != PolicyVersion.Status.CURRENT:
        return done, []
    return done, people_yet_to_read(version)


def my_acknowledgements(*, user: User, limit: int = 50) -> list[Acknowledgement]:
    return list(
        Acknowledgement.objects.filter(user=user)
        .select_related("version__policy")
        .order_by("-acknowledged_at")[:limit]
    )


def reviews_due(*, user: User, today: datetime.date | None = None) -> list[PolicyVersion]:
    """For managers and governors: current versions past their review date (overdue) or
    within 30 days of it."""
    if not rules.sees_register(access_policy.facts_of(user)):
        return []
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=REVIEW_WARNING_DAYS)
    found = list(
        _versions().filter(status=PolicyVersion.Status.CURRENT, review_by__lte=soon).order_by("review_by")
    )
    for version in found:
        version.overdue = version.review_by < today  # type: ignore[attr-defined]
    return found


def drafts_waiting(*, user: User) -> list[PolicyVersion]:
    """Versions waiting for adoption, for those who may adopt them."""
    if not rules.may_record_adoption(access_policy.facts_of(user)):
        return []
    return list(_versions().filter(status=PolicyVersion.Status.DRAFT).order_by("drafted_at"))


def governance_numbers() -> dict[str, Any]:
    """Numbers only, for the trustees: never a name, a child or a staff file."""
    today = timezone.localdate()
    current = PolicyVersion.objects.filter(status=PolicyVersion.Status.CURRENT)
    required = 0
    done = 0
    for version in current.prefetch_related("requirements"):
        readers = people_who_must_read(version)
        required += len(readers)
        acknowledged = set(version.acknowledgements.values_list("user_id", flat=True))
        done += sum(1 for person in readers if person.pk in acknowledged)
    since = timezone.now() - datetime.timedelta(days=30)
    uses = BreakGlass.objects.filter(opened_at__gte=since)
    return {
        "policies": current.count(),
        "reviews_overdue": current.filter(review_by__lt=today).count(),
        "drafts": PolicyVersion.objects.filter(status=PolicyVersion.Status.DRAFT).count(),
        "acknowledged_percent": round(100 * done / required) if required else 100,
        "acknowledgements_missing": required - done,
        "break_glass_30_days": uses.count(),
        "break_glass_unreviewed": BreakGlass.objects.filter(reviewed_at__isnull=True).count(),
        "break_glass_not_justified": uses.filter(justified=False).count(),
        "allegations_open": StaffConcern.objects.filter(
            kind=StaffConcern.Kind.ALLEGATION, status=StaffConcern.Status.OPEN
        ).count(),
        "low_level_open": StaffConcern.objects.filter(status=StaffConcern.Status.OPEN)
        .exclude(kind=StaffConcern.Kind.ALLEGATION)
        .count(),
    }


# --- parents ---------------------------------------------------------------------------


def current_for_parents() -> list[PolicyVersion]:
    """The privacy notice first, then the policies published to parents, current versions."""
    found = (
        _versions()
        .filter(status=PolicyVersion.Status.CURRENT)
        .filter(Q(policy__published_to_parents=True) | Q(policy__kind=PolicyKind.PRIVACY_NOTICE))
    )
    return sorted(found, key=lambda v: (v.policy.kind != PolicyKind.PRIVACY_NOTICE, v.policy.title))


def parent_notices_unseen(*, user: User) -> list[PolicyVersion]:
    seen = set(ParentNoticeSeen.objects.filter(user=user).values_list("version_id", flat=True))
    return [v for v in current_for_parents() if v.pk not in seen]


def portal_version_get(*, version_id: uuid.UUID) -> PolicyVersion:
    for version in current_for_parents():
        if version.pk == version_id:
            return version
    raise Http404("No such policy")
