"""Concerns and allegations about staff: one case for its case manager or HR, the
cases waiting for them, what an author may know (that it was submitted), and the
colleagues a concern can be raised about."""

from __future__ import annotations

import datetime
import uuid

from django.db.models import BooleanField, ExpressionWrapper, QuerySet
from django.http import Http404

from access import policy
from access.models import STAFF_ROLES, Membership, Role, User
from access.policy import staff_concerns as rules
from access.selectors.people import by_name, staff_file_site_ids
from records.models import Child, StaffConcern, StaffMember


def _cases() -> QuerySet[StaffConcern]:
    return StaffConcern.objects.select_related(
        "staff_member__user", "site", "raised_by", "case_manager", "child", "closed_by"
    )


def staff_concerns_for(*, user: User) -> QuerySet[StaffConcern]:
    """Every case this person may read: as its case manager, or as HR."""
    return _cases().filter(rules.staff_concern_q(policy.facts_of(user)))


def open_staff_concerns(*, user: User) -> QuerySet[StaffConcern]:
    return staff_concerns_for(user=user).filter(status=StaffConcern.Status.OPEN).order_by("raised_at", "pk")


def staff_concern_get_for_user(*, user: User, concern_id: uuid.UUID, write: bool = False) -> StaffConcern:
    """One case, for its case manager or HR (with write, while it is open); 404 for
    anyone else, its subject and its author included."""
    concern = _cases().filter(pk=concern_id).first()
    if concern is None:
        raise Http404("No such case")
    facts = policy.facts_of(user)
    sites = staff_file_site_ids(concern.staff_member)
    allowed = rules.may_handle_staff_concern if write else rules.reads_staff_concern
    if not allowed(facts, concern, sites):
        raise Http404("No such case")
    concern.subject_site_ids = sites
    return concern


def staff_concerns_raised_by(*, user: User, limit: int = 10) -> list[datetime.datetime]:
    """When this person raised concerns about staff: that they were submitted, nothing more."""
    return list(
        StaffConcern.objects.filter(raised_by_id=user.pk)
        .order_by("-raised_at")
        .values_list("raised_at", flat=True)[:limit]
    )


def colleagues_for_concern(*, user: User) -> list[tuple[StaffMember, uuid.UUID]]:
    """The people a concern can be raised about: everyone on the staff of the person's
    sites, themself included (a self-referral), with the site they share."""
    facts = policy.facts_of(user)
    sites = sorted(facts.staff_site_ids)
    if not sites:
        return []
    rows = (
        Membership.objects.live()
        .filter(
            site_id__in=sites, role__in=STAFF_ROLES, user__is_active=True, user__staff_member__isnull=False
        )
        .values_list("user_id", "site_id")
        .order_by("site_id")
    )
    first_site: dict[uuid.UUID, uuid.UUID] = {}
    for user_id, site_id in rows:
        first_site.setdefault(user_id, site_id)
    members = StaffMember.objects.filter(user_id__in=list(first_site)).select_related("user")
    ordered = by_name(m.user for m in members)
    by_user = {m.user_id: m for m in members}
    return [(by_user[u.pk], first_site[u.pk]) for u in ordered]


def staff_member_get_for_concern(*, user: User, staff_member_id: uuid.UUID) -> tuple[StaffMember, uuid.UUID]:
    """A colleague at one of the person's sites (or themself), and the site they share."""
    for member, site_id in colleagues_for_concern(user=user):
        if member.pk == staff_member_id:
            return member, site_id
    raise Http404("No such colleague")


def staff_concern_links_for_child(*, user: User, child: Child) -> tuple[list[StaffConcern], int]:
    """For a child's safeguarding file: the cases about staff that involve the child that
    this person may read, and how many others there are (named to nobody who cannot read
    them; one about the person themself is not even counted). One query."""
    if not child.can_read_safeguarding:
        return [], 0
    facts = policy.facts_of(user)
    involving = StaffConcern.objects.filter(child_id=child.pk).select_related("site")
    if facts.own_staff_member_id is not None:
        involving = involving.exclude(staff_member_id=facts.own_staff_member_id)
    marked = involving.annotate(
        readable=ExpressionWrapper(rules.staff_concern_q(facts), output_field=BooleanField())
    )
    found = list(marked)
    readable: list[StaffConcern] = [c for c in found if c.readable]
    return readable, len(found) - len(readable)


def case_manager_for(*, staff_member: StaffMember, site_id: uuid.UUID) -> tuple[User | None, bool]:
    """The case manager: the site's manager, or the chair of trustees (or the proprietor)
    when the concern is about a manager of the site. (None: HR alone handles it.)"""
    live = Membership.objects.live().filter(site_id=site_id, user__is_active=True)
    managers = live.filter(role__in=rules.CASE_MANAGER_ROLES).values_list("user_id", flat=True)
    about_a_manager = staff_member.user_id in set(managers)
    if not about_a_manager:
        manager = User.objects.filter(pk__in=list(managers)).order_by("username").first()
        if manager is not None:
            return manager, False
    chairs = live.filter(role__in=rules.CHAIR_ROLES).exclude(user_id=staff_member.user_id)
    chair = User.objects.filter(pk__in=chairs.values("user_id")).order_by("username").first()
    return chair, chair is not None


def personnel_leads_for(*, staff_member: StaffMember) -> list[User]:
    """HR at the staff member's sites, never the staff member themself."""
    sites = staff_file_site_ids(staff_member)
    hr = Membership.objects.live().filter(site_id__in=list(sites), role=Role.HR).values("user_id")
    return list(User.objects.filter(is_active=True, pk__in=hr).exclude(pk=staff_member.user_id))
