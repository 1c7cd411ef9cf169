"""
The one choke point: every view gets files, records and attachments from here.

"Not allowed" and "does not exist" raise the same 404. A fetched child carries
what this person may do with it (``can_read_general``, ``can_read_safeguarding``,
``is_my_key_child``, ``is_conflicted``), computed in the query that fetches it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from access import policy
from access.models import Conflict, Grant, KeyWorkerAssignment, Role, Scope, User
from records.models import Attachment, Child, Record, StaffMember

# The names records/models.py calls for `visible_to`.
child_filter_for_user = policy.child_filter
record_filter_for_user = policy.record_filter
staff_file_filter_for_user = policy.staff_file_filter


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def children_with_standing(user: Any) -> QuerySet[Child]:
    child, site = OuterRef("pk"), OuterRef("site_id")
    return Child.objects.visible_to(user).annotate(
        can_read_general=_flag(policy.reads_general(user, child, site)),
        can_read_safeguarding=_flag(policy.reads_safeguarding(user, child, site)),
        is_my_key_child=_flag(Q(policy.is_key_worker(user, child))),
    )


def child_get_for_user(*, user: Any, child_id: uuid.UUID) -> Child:
    try:
        return children_with_standing(user).select_related("site").get(pk=child_id)
    except Child.DoesNotExist:
        raise Http404("No such child") from None


def child_get_for_concern(*, user: Any, child_id: uuid.UUID) -> Child:
    """A child at one of the person's sites, for raising a concern. Raising is
    not reading: only what identifies the child is loaded."""
    try:
        return (
            Child.objects.filter(site__staff__user_id=user.pk)
            .exclude(status=Child.Status.LEFT)
            .select_related("site")
            .only("id", "site__name", "room", "first_name", "last_name", "preferred_name", "date_of_birth")
            .get(pk=child_id)
        )
    except Child.DoesNotExist:
        raise Http404("No such child") from None


def children_for_concern(*, user: Any) -> list[Child]:
    if not policy.is_signed_in_person(user):
        return []
    children = (
        Child.objects.filter(site__staff__user_id=user.pk)
        .exclude(status=Child.Status.LEFT)
        .select_related("site")
        .only("id", "site__name", "room", "first_name", "last_name", "preferred_name", "date_of_birth")
        .distinct()
    )
    return sorted(children, key=lambda c: (c.last_name.casefold(), c.first_name.casefold()))


def record_get_for_user(*, user: Any, record_id: uuid.UUID) -> Record:
    try:
        return (
            Record.objects.visible_to(user)
            .select_related(
                "child__site",
                "staff_member__user",
                "author__carer",
                "subject_staff_member__user",
                "signed_off_by",
            )
            .annotate(is_my_key_child=_flag(Q(policy.is_key_worker(user, OuterRef("child_id")))))
            .get(pk=record_id)
        )
    except Record.DoesNotExist:
        raise Http404("No such record") from None


def staff_member_get_for_user(*, user: Any, staff_member_id: uuid.UUID) -> StaffMember:
    try:
        return StaffMember.objects.visible_to(user).select_related("user").get(pk=staff_member_id)
    except StaffMember.DoesNotExist:
        raise Http404("No such staff file") from None


def staff_files_for_user(*, user: Any) -> list[StaffMember]:
    members = StaffMember.objects.visible_to(user).select_related("user").prefetch_related("sites")
    return sorted(members, key=lambda m: (m.user.last_name, m.user.first_name, m.user.username))


def attachment_get_for_user(*, user: Any, attachment_id: uuid.UUID) -> Attachment:
    try:
        return Attachment.objects.visible_to(user).select_related("record").get(pk=attachment_id)
    except Attachment.DoesNotExist:
        raise Http404("No such attachment") from None


def staff_site_ids(record: Record) -> frozenset[Any]:
    """The sites of the staff file a record belongs to (none for a child's record)."""
    if record.staff_member_id is None:
        return frozenset()
    return frozenset(
        StaffMember.sites.through.objects.filter(staffmember_id=record.staff_member_id).values_list(
            "site_id", flat=True
        )
    )


def records_for_child(*, user: Any, child: Child) -> QuerySet[Record]:
    """The current (not superseded) records of a child's file that this person may read."""
    return Record.objects.visible_to(user).filter(child=child).exclude(status=Record.Status.SUPERSEDED)


def records_for_staff_member(*, user: Any, staff_member: StaffMember) -> QuerySet[Record]:
    return (
        Record.objects.visible_to(user)
        .filter(staff_member=staff_member)
        .exclude(status=Record.Status.SUPERSEDED)
    )


# --- who can read a file, and why (the Access tab) --------------------------------


@dataclass
class Reader:
    user: User
    reasons: list[str] = field(default_factory=list)


@dataclass
class AccessOverview:
    readers: list[Reader]
    safeguarding_readers: list[Reader]
    kept_out: list[Reader]
    key_workers: list[KeyWorkerAssignment]
    grants: list[Grant]
    past_grants: list[Grant]
    conflicts: list[Conflict]


def _add(readers: dict[Any, Reader], user: User, reason: str) -> None:
    readers.setdefault(user.pk, Reader(user=user)).reasons.append(reason)


def child_access_overview(*, child: Child) -> AccessOverview:
    """Everyone who can read this child's file today, and why. A fixed number of
    queries, however many people and grants there are."""
    now = timezone.now()
    key_workers = list(
        KeyWorkerAssignment.objects.filter(child=child, ended_at__isnull=True).select_related(
            "user", "assigned_by"
        )
    )
    role_rows = (
        User.groups.through.objects.filter(
            user__is_active=True,
            user__staff_member__sites=child.site_id,
            group__name__in=policy.SITE_READERS,
        )
        .select_related("user", "group")
        .distinct()
    )
    grants = list(Grant.objects.filter(child=child).select_related("grantee", "granted_by", "revoked_by"))
    live = [g for g in grants if g.is_live(now)]
    conflicts = list(
        Conflict.objects.filter(child=child, cleared_at__isnull=True).select_related("user", "recorded_by")
    )
    # Carers who are also on the staff; other carers never see staff pages anyway.
    carers = list(User.objects.filter(carer__child_links__child=child, staff_member__isnull=False).distinct())

    kept_out: dict[Any, Reader] = {}
    for conflict in conflicts:
        _add(kept_out, conflict.user, "Declared conflict of interest")
    for user in carers:
        _add(kept_out, user, "A parent, carer or relative of the child")

    readers: dict[Any, Reader] = {}
    safeguarding: dict[Any, Reader] = {}
    for assignment in key_workers:
        _add(readers, assignment.user, "Key person")
    for row in role_rows:
        label = Role(row.group.name).label
        _add(readers, row.user, f"{label} at {child.site.name}")
        if row.group.name == Role.DSL:
            _add(safeguarding, row.user, f"{label} at {child.site.name}")
    for grant in live:
        until = f", until {timezone.localtime(grant.expires_at):%-d %b %Y %H:%M}" if grant.expires_at else ""
        target = safeguarding if grant.scope == Scope.SAFEGUARDING_FILE else readers
        _add(target, grant.grantee, f"Granted by {grant.granted_by.get_full_name()}{until}")

    def without_kept_out(people: dict[Any, Reader]) -> list[Reader]:
        found = [r for pk, r in people.items() if pk not in kept_out]
        return sorted(found, key=lambda r: (r.user.last_name, r.user.first_name))

    return AccessOverview(
        readers=without_kept_out(readers),
        safeguarding_readers=without_kept_out(safeguarding),
        kept_out=list(kept_out.values()),
        key_workers=key_workers,
        grants=live,
        past_grants=[g for g in grants if not g.is_live(now)][:20],
        conflicts=conflicts,
    )


def staff_at_site(*, site_id: Any, roles: tuple[str, ...] | None = None) -> list[User]:
    people = User.objects.filter(is_active=True, staff_member__sites=site_id)
    if roles:
        people = people.filter(groups__name__in=roles)
    return list(people.distinct().order_by("last_name", "first_name"))


def grant_get_for_manager(*, user: Any, grant_id: uuid.UUID) -> Grant:
    """A grant the person may revoke: on a child at a site they manage (or, for
    safeguarding, lead), or on a staff file at a site where they are HR."""
    standing = policy.standing_of(user)
    try:
        grant = Grant.objects.select_related("child", "staff_member").get(pk=grant_id)
    except Grant.DoesNotExist:
        raise Http404("No such grant") from None
    if grant.scope == Scope.STAFF_FILE:
        sites = frozenset(grant.staff_member.sites.values_list("pk", flat=True))  # type: ignore[union-attr]
        allowed = Role.HR in standing.roles and bool(sites & standing.site_ids)
    elif grant.scope == Scope.SAFEGUARDING_FILE:
        allowed = standing.has(Role.DSL, grant.child.site_id)  # type: ignore[union-attr]
    else:
        allowed = standing.has(Role.MANAGER, grant.child.site_id)  # type: ignore[union-attr]
    if not allowed:
        raise Http404("No such grant")
    return grant


def _get_for_site_manager(model: Any, *, user: Any, pk: uuid.UUID) -> Any:
    """A row about a child, for the manager of the child's site; 404 for anyone else."""
    standing = policy.standing_of(user)
    found = model.objects.select_related("child").filter(pk=pk).first()
    if found is None or not standing.has(Role.MANAGER, found.child.site_id):
        raise Http404(f"No such {model._meta.verbose_name}")
    return found


def assignment_get_for_manager(*, user: Any, assignment_id: uuid.UUID) -> KeyWorkerAssignment:
    return _get_for_site_manager(KeyWorkerAssignment, user=user, pk=assignment_id)


def conflict_get_for_manager(*, user: Any, conflict_id: uuid.UUID) -> Conflict:
    return _get_for_site_manager(Conflict, user=user, pk=conflict_id)


def staff_at_sites(*, site_ids: frozenset[Any]) -> list[User]:
    return list(
        User.objects.filter(is_active=True, staff_member__sites__in=site_ids)
        .distinct()
        .order_by("last_name", "first_name")
    )


def safeguarding_reader_count(*, child: Child) -> int:
    return len(child_access_overview(child=child).safeguarding_readers)


# --- who may read which audit entries ---------------------------------------------


def audit_tiers_for_child(child: Child, standing: policy.Standing) -> set[str]:
    """Entries about a child's file that this person may see: never about a part
    they cannot read, so the trail does not reveal that such records exist."""
    tiers = set()
    if child.can_read_general:
        tiers.add("general")
    if child.can_read_safeguarding:
        tiers.add("safeguarding")
    if policy.may_see_access(standing, child):
        tiers.add("access")
    return tiers


def about_me(user: Any) -> list[str]:
    """Ids of records (and their attachments) about this person: nobody sees
    those, nor who opened them."""
    records = list(Record.objects.filter(subject_staff_member__user_id=user.pk).values_list("pk", flat=True))
    if not records:
        return []
    files = Attachment.objects.filter(record_id__in=records).values_list("pk", flat=True)
    return [str(pk) for pk in [*records, *files]]


def audit_sites(standing: policy.Standing) -> list[Any]:
    return [s for s in standing.site_ids if standing.has_any((Role.MANAGER, Role.DSL), s)]


def audit_scope_for(user: Any, standing: policy.Standing) -> Q | None:
    """The audit entries a manager or DSL may search: about their sites' children
    (not ones they are kept out of) and staff files, and file-less entries (sign-ins,
    lists) by their sites' staff. None for everyone else."""
    sites = audit_sites(standing)
    if not sites:
        return None
    children = Child.objects.filter(site__in=sites).filter(~policy.is_conflicted(user, OuterRef("pk")))
    staff = StaffMember.objects.filter(sites__in=sites).values("pk")
    actors = User.objects.filter(staff_member__sites__in=sites).values("pk")
    scope = (
        Q(child_id__in=children.values("pk"))
        | Q(staff_member_id__in=staff, child_id__isnull=True)
        | Q(child_id__isnull=True, staff_member_id__isnull=True, actor__in=actors)
    )
    tiers = ["", "general", "access"]
    if Role.DSL in standing.roles:
        tiers.append("safeguarding")
    if Role.HR in standing.roles:
        tiers.append("personnel")
    return scope & Q(tier__in=tiers) & ~Q(object_pk__in=about_me(user))


def audit_people_for(standing: policy.Standing) -> QuerySet[User]:
    return (
        User.objects.filter(staff_member__sites__in=audit_sites(standing))
        .distinct()
        .order_by("last_name", "first_name")
    )


def child_names_for_user(*, user: Any, child_ids: set[Any]) -> dict[Any, str]:
    """Names of the children among these ids that the person may see (one query)."""
    if not child_ids:
        return {}
    children = (
        Child.objects.visible_to(user)
        .filter(pk__in=child_ids)
        .only("id", "first_name", "last_name", "preferred_name")
    )
    return {c.pk: c.display_name for c in children}


def record_titles_for_user(*, user: Any, record_ids: set[str]) -> dict[str, str]:
    """Titles of the records among these ids that the person may read (one query)."""
    if not record_ids:
        return {}
    records = Record.objects.visible_to(user).filter(pk__in=record_ids).only("id", "title")
    return {str(r.pk): r.title for r in records}


# --- the parent portal ------------------------------------------------------------


def portal_carer(user: Any) -> Any:
    """The Carer behind a signed-in person, or None (staff who are not carers)."""
    from records.models import Carer

    if not policy.is_signed_in_person(user):
        return None
    return Carer.objects.filter(user_id=user.pk).first()


def portal_children(*, user: Any) -> list[Child]:
    children = Child.objects.filter(policy.portal_child_filter(user)).select_related("site")
    return sorted(children, key=lambda c: (c.first_name.casefold(), c.last_name.casefold()))


def portal_child_get(*, user: Any, child_id: uuid.UUID) -> Child:
    try:
        return Child.objects.filter(policy.portal_child_filter(user)).select_related("site").get(pk=child_id)
    except Child.DoesNotExist:
        raise Http404("No such child") from None


def portal_records(*, user: Any, child: Child) -> QuerySet[Record]:
    return (
        Record.objects.filter(policy.portal_record_filter(user))
        .filter(child=child)
        .order_by("-occurred_at", "-created_at")
    )


def portal_record_get(*, user: Any, record_id: uuid.UUID) -> Record:
    try:
        return (
            Record.objects.filter(policy.portal_record_filter(user))
            .select_related("child__site")
            .get(pk=record_id)
        )
    except Record.DoesNotExist:
        raise Http404("No such record") from None


def portal_attachment_get(*, user: Any, attachment_id: uuid.UUID) -> Attachment:
    records = Record.objects.filter(policy.portal_record_filter(user)).values("pk")
    try:
        return Attachment.objects.filter(record__in=records).select_related("record").get(pk=attachment_id)
    except Attachment.DoesNotExist:
        raise Http404("No such attachment") from None


def portal_access_history(*, child: Child, limit: int = 200) -> list[Any]:
    """Who on the staff opened the child's file, when and how. Entries about the
    safeguarding or personnel parts, and about who may read the file, are left
    out; so are other carers' own visits."""
    from audit.models import AuditEntry

    return list(
        AuditEntry.objects.filter(child_id=child.pk, tier="general", actor__staff_member__isnull=False)
        .select_related("actor")
        .prefetch_related("actor__groups")
        .order_by("-timestamp", "-id")[:limit]
    )


# --- asking for access ---------------------------------------------------------------

CHILD_IDENTITY = ("id", "site__name", "room", "first_name", "last_name", "preferred_name", "date_of_birth")


def children_for_access_request(*, user: Any) -> list[Child]:
    """Children at the person's settings whose file they cannot read (and are
    not kept out of): who the child is, nothing of the file."""
    if not policy.is_signed_in_person(user):
        return []
    children = (
        Child.objects.filter(site__staff__user_id=user.pk)
        .exclude(status=Child.Status.LEFT)
        .exclude(pk__in=Child.objects.visible_to(user).values("pk"))
        .exclude(policy.is_conflicted(user, OuterRef("pk")))
        .select_related("site")
        .only(*CHILD_IDENTITY)
        .distinct()
    )
    return sorted(children, key=lambda c: (c.last_name.casefold(), c.first_name.casefold()))


def child_get_for_access_request(*, user: Any, child_id: uuid.UUID) -> Child:
    try:
        return (
            Child.objects.filter(site__staff__user_id=user.pk)
            .exclude(status=Child.Status.LEFT)
            .exclude(policy.is_conflicted(user, OuterRef("pk")))
            .select_related("site")
            .only(*CHILD_IDENTITY)
            .distinct()
            .get(pk=child_id)
        )
    except Child.DoesNotExist:
        raise Http404("No such child") from None


def pending_access_requests(*, standing: policy.Standing) -> list[Any]:
    from access.models import AccessRequest

    sites = [s for s in standing.site_ids if standing.has(Role.MANAGER, s)]
    if not sites:
        return []
    return list(
        AccessRequest.objects.filter(status=AccessRequest.Status.PENDING, child__site__in=sites)
        .select_related("child", "requester")
        .order_by("created_at")[:200]
    )


def access_request_get_for_manager(*, user: Any, request_id: uuid.UUID) -> Any:
    from access.models import AccessRequest

    found = (
        AccessRequest.objects.select_related("child__site", "requester", "decided_by")
        .filter(
            pk=request_id,
            child__site__staff__user_id=user.pk,
            child__site__staff__user__groups__name=Role.MANAGER,
        )
        .exclude(child__in=Child.objects.filter(policy.is_conflicted(user, OuterRef("pk"))))
        .first()
    )
    if found is None:
        raise Http404("No such request")
    return found
