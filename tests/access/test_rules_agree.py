"""
Each rule of access is written twice (access/policy/rules.py): as a SQL
condition for lists and in Python for one object. On randomly generated worlds
(people with roles at some sites, key children, grants live, expired and
revoked, conflicts, carers, records of every tier about and by anyone), both
forms give exactly the same answer, for every person and every object.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import uuid
from dataclasses import dataclass
from unittest import mock

import pytest
from auditlog.context import disable_auditlog
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from access import policy
from access.models import (
    SCOPE_PERMISSION,
    ChildUserObjectPermission,
    Conflict,
    Grant,
    KeyWorkerAssignment,
    Membership,
    Role,
    Scope,
    StaffMemberUserObjectPermission,
    User,
)
from access.policy import rules
from access.selectors.people import staff_file_site_ids
from governance.models import Acknowledgement, Policy, PolicyRequirement, PolicyVersion
from records.models import Carer, Category, Child, ChildCarer, Record, Site, StaffMember, Tier

PEOPLE, SITES, CHILDREN_PER_SITE = 4, 2, 2
NOW = timezone.now()
GRANT_STATES = ("live", "live_until_later", "expired", "revoked")
POLICY_STATES = ("none", "draft", "in_grace", "past_grace")


@dataclass(frozen=True)
class Spec:
    """A world, as small numbers: built into the database by `build`."""

    sites_of: list[frozenset[int]]  # per person, the sites they work at
    roles_of: list[frozenset[str]]  # per person, their roles
    ended: list[bool]  # per person, whether their roles ended an hour ago
    has_staff_file: list[bool]
    key: frozenset[tuple[int, int]]  # (person, child)
    grants: list[tuple[int, str, int, str]]  # (person, scope, child or staff file, state)
    conflicts: frozenset[tuple[int, int]]
    carers: list[tuple[int, int, bool, bool]]  # (person, child, parental responsibility, restricted)
    records: list[tuple[int, str, int | None, bool, int]]  # (file, tier, about whom, allegation, author)
    shared: list[bool]
    closed: frozenset[int] = frozenset()  # sites keeping their files closed (where and when)
    # A policy version: the roles that must read it, whether it is current and past its
    # grace period, and who acknowledged it. The gate closes every file to the others.
    policy: tuple[frozenset[str], str, frozenset[int]] = (frozenset(), "none", frozenset())


def specs() -> st.SearchStrategy[Spec]:
    person, child, n_files = st.integers(0, PEOPLE - 1), st.integers(0, SITES * CHILDREN_PER_SITE - 1), PEOPLE
    roles = st.frozensets(
        st.sampled_from(
            [
                Role.MANAGER,
                Role.DEPUTY_MANAGER,
                Role.SENIOR,
                Role.PRACTITIONER,
                Role.DSL,
                Role.DEPUTY_DSL,
                Role.HR,
                Role.STUDENT,
                Role.TRUSTEE,
            ]
        )
    )
    grant = st.tuples(person, st.sampled_from(list(Scope)), st.integers(0, 3), st.sampled_from(GRANT_STATES))
    record = st.tuples(
        st.integers(0, SITES * CHILDREN_PER_SITE + n_files - 1),
        st.sampled_from([Tier.GENERAL, Tier.SAFEGUARDING]),
        st.one_of(st.none(), person),
        st.booleans(),
        person,
    )
    return st.builds(
        Spec,
        sites_of=st.lists(st.frozensets(st.integers(0, SITES - 1)), min_size=PEOPLE, max_size=PEOPLE),
        roles_of=st.lists(roles, min_size=PEOPLE, max_size=PEOPLE),
        ended=st.lists(st.booleans(), min_size=PEOPLE, max_size=PEOPLE),
        has_staff_file=st.lists(st.booleans(), min_size=PEOPLE, max_size=PEOPLE),
        key=st.frozensets(st.tuples(person, child), max_size=4),
        grants=st.lists(grant, max_size=5),
        conflicts=st.frozensets(st.tuples(person, child), max_size=2),
        carers=st.lists(st.tuples(person, child, st.booleans(), st.booleans()), max_size=3),
        records=st.lists(record, max_size=8),
        shared=st.lists(st.booleans(), min_size=8, max_size=8),
        closed=st.frozensets(st.integers(0, SITES - 1), max_size=SITES),
        policy=st.tuples(
            st.frozensets(
                st.sampled_from([Role.PRACTITIONER, Role.MANAGER, Role.STUDENT, Role.HR]), max_size=2
            ),
            st.sampled_from(POLICY_STATES),
            st.frozensets(person, max_size=2),
        ),
    )


def build(spec: Spec) -> tuple[list[User], list[Child], list[StaffMember]]:
    sites = [Site.objects.create(name=f"Site {uuid.uuid4().hex[:8]}") for _ in range(SITES)]
    children = [
        Child.objects.create(
            site=site, first_name="C", last_name=str(i), date_of_birth=datetime.date(2022, 1, 1)
        )
        for site in sites
        for i in range(CHILDREN_PER_SITE)
    ]
    people, files = [], []
    for n in range(PEOPLE):
        user = User.objects.create(username=f"p{n}-{uuid.uuid4().hex[:6]}")
        people.append(user)
        for site in spec.sites_of[n]:
            for role in spec.roles_of[n]:
                Membership.objects.create(
                    user=user,
                    site=sites[site],
                    role=role,
                    starts_at=NOW - datetime.timedelta(days=2),
                    ends_at=NOW - datetime.timedelta(hours=1) if spec.ended[n] else None,
                    confirmed_at=NOW - datetime.timedelta(days=2),
                )
        if spec.has_staff_file[n] or spec.sites_of[n]:
            files.append(StaffMember.objects.create(user=user))
    for p, c in spec.key:
        KeyWorkerAssignment.objects.create(child=children[c], user=people[p], assigned_by=people[0])
    for p, c in spec.conflicts:
        Conflict.objects.get_or_create(
            child=children[c], user=people[p], defaults={"reason": "x", "recorded_by": people[0]}
        )
    for p, c, pr, restricted in spec.carers:
        carer = Carer.objects.get_or_create(user=people[p], defaults={"first_name": "A", "last_name": "B"})[0]
        ChildCarer.objects.get_or_create(
            child=children[c],
            carer=carer,
            defaults={
                "relationship": "other",
                "parental_responsibility": pr,
                "restricted_contact": restricted,
            },
        )
    for p, scope, target, state in spec.grants:
        add_grant(people[p], scope, children, files, target, state)
    add_policy(spec, people)
    records = [add_record(spec, r, children, files, people, i) for i, r in enumerate(spec.records)]
    return people, children, files, [r for r in records if r]  # type: ignore[return-value]


def add_grant(
    user: User, scope: str, children: list[Child], files: list[StaffMember], target: int, state: str
) -> None:
    on_child = scope != Scope.STAFF_FILE
    if not on_child and not files:
        return
    child = children[target % len(children)] if on_child else None
    member = None if on_child else files[target % len(files)]
    expires = {
        "expired": NOW - datetime.timedelta(hours=1),
        "live_until_later": NOW + datetime.timedelta(days=1),
    }
    grant = Grant.objects.create(
        scope=scope,
        child=child,
        staff_member=member,
        grantee=user,
        reason="x",
        granted_by=user,
        expires_at=expires.get(state),
        revoked_at=NOW if state == "revoked" else None,
    )
    permission = Permission.objects.get(
        codename=SCOPE_PERMISSION[Scope(scope)], content_type__app_label="records"
    )
    model = ChildUserObjectPermission if on_child else StaffMemberUserObjectPermission
    # One permission row per person, file and scope (as the services keep it): a second grant replaces it.
    model.objects.filter(user=user, permission=permission, content_object=child or member).delete()
    model.objects.create(user=user, permission=permission, content_object=child or member, grant=grant)


def add_policy(spec: Spec, people: list[User]) -> None:
    roles, state, readers = spec.policy
    if state == "none":
        return
    policy_row = Policy.objects.create(title="Confidentiality", created_by=people[0])
    ends = {"in_grace": NOW + datetime.timedelta(days=3), "past_grace": NOW - datetime.timedelta(days=3)}
    version = PolicyVersion.objects.create(
        policy=policy_row,
        version="1",
        review_by=datetime.date(2030, 1, 1),
        drafted_by=people[0],
        status=PolicyVersion.Status.DRAFT if state == "draft" else PolicyVersion.Status.CURRENT,
        adopted_at=None if state == "draft" else NOW - datetime.timedelta(days=10),
        acknowledge_by=ends.get(state),
    )
    for role in roles:
        PolicyRequirement.objects.create(version=version, role=role)
    for p in readers:
        Acknowledgement.objects.create(version=version, user=people[p])


def expected_gated(spec: Spec, n: int) -> bool:
    """Worked out from the spec alone: a current version past its grace period that one
    of the person's live roles must read, and that they did not acknowledge."""
    roles, state, readers = spec.policy
    holds = bool(spec.sites_of[n]) and not spec.ended[n] and bool(spec.roles_of[n] & roles)
    return state == "past_grace" and holds and n not in readers


def add_record(
    spec: Spec,
    r: tuple[int, str, int | None, bool, int],
    children: list[Child],
    files: list[StaffMember],
    people: list[User],
    i: int,
) -> Record | None:
    where, tier, about, allegation, author = r
    subject = StaffMember.objects.filter(user=people[about]).first() if about is not None else None
    if where < len(children):
        return Record.objects.create(
            child=children[where],
            tier=tier,
            category=Category.OTHER,
            title="t",
            occurred_at=NOW,
            author=people[author],
            subject_staff_member=subject,
            visible_to_parents=spec.shared[i % 8],
            source="parent" if spec.shared[(i + 1) % 8] else "staff",
        )
    if not files:
        return None
    return Record.objects.create(
        staff_member=files[(where - len(children)) % len(files)],
        tier=Tier.PERSONNEL,
        category=Category.STAFF_RECORD,
        title="t",
        occurred_at=NOW,
        author=people[author],
        subject_staff_member=subject,
        is_allegation=allegation,
    )


def sites_of_file(record: Record) -> frozenset[uuid.UUID]:
    return staff_file_site_ids(record.staff_member) if record.staff_member else frozenset()


def agree(
    user: User,
    children: list[Child],
    files: list[StaffMember],
    records: list[Record],
    closed: frozenset[uuid.UUID] = frozenset(),
) -> None:
    facts = dataclasses.replace(policy.load_facts(user), closed_sites=closed)
    with mock.patch.object(rules, "facts_of", lambda person: facts):
        _agree(user, facts, children, files, records)


def _agree(
    user: User, facts: policy.Facts, children: list[Child], files: list[StaffMember], records: list[Record]
) -> None:
    in_sql = set(Child.objects.filter(policy.child_filter(user)))
    in_python = {c for c in children if policy.reads_general(facts, c) or policy.reads_safeguarding(facts, c)}
    assert in_sql == in_python
    in_sql = set(Record.objects.filter(policy.record_filter(user)))
    in_python = {r for r in records if policy.reads_record(facts, r, sites_of_file(r))}
    assert in_sql == in_python
    in_sql = set(StaffMember.objects.filter(policy.staff_file_filter(user)))
    in_python = {
        m
        for m in files
        if policy.reads_own_staff_file(facts, m)
        or policy.reads_staff_file(facts, m.pk, staff_file_site_ids(m))
    }
    assert in_sql == in_python
    assert set(Child.objects.filter(policy.portal_child_filter(user))) == {
        c for c in children if policy.reads_portal_child(facts, c)
    }
    assert set(Record.objects.filter(policy.portal_record_filter(user))) == {
        r for r in records if policy.reads_portal_record(facts, r)
    }


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=specs())
def test_sql_and_python_forms_of_every_rule_agree(spec: Spec) -> None:
    with transaction.atomic():
        with disable_auditlog():  # the trail is not what is tested here
            people, children, files, records = build(spec)
        sites = [children[n * CHILDREN_PER_SITE].site_id for n in range(SITES)]
        closed = frozenset(sites[n] for n in spec.closed)
        for n, user in enumerate(people):
            assert policy.load_facts(user).gated == expected_gated(spec, n)
        for user, listed in itertools.product(people, (rules.LISTED, 0)):
            # With 0, every set of ids is asked for with a subquery rather than listed.
            with mock.patch.object(rules, "LISTED", listed):
                agree(user, children, files, records, closed)
        transaction.set_rollback(True)
