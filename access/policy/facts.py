"""
Who a person is to the data, read once per request: their sites and roles
there, their key children, their live grants, whom they are kept away from,
and whose parent they are.

Every rule in access.policy is decided from these facts, in SQL (as plain
``IN`` conditions) or in Python (for one object already fetched). They are
read in one round trip, kept for the request only, and never past the moment
the earliest of the person's grants expires. A change to anyone's access
during a request (a grant, a key person, a role) forgets them at once, so a
grant or revocation takes effect on the next query.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connections, router
from django.db.models import CharField, DateTimeField, F, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from access.models import (
    KEY_WORKER_ROLES,
    SCOPE_PERMISSION,
    STAFF_ROLES,
    ChildUserObjectPermission,
    Conflict,
    KeyWorkerAssignment,
    Membership,
    Scope,
    StaffMemberUserObjectPermission,
    User,
    WhereAndWhen,
)
from access.policy.circumstances import Circumstances, closed_sites
from governance.models import PolicyVersion
from records.models import ChildCarer, StaffMember

Person = AbstractBaseUser | AnonymousUser | None


def is_signed_in_person(user: Person) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@dataclass(frozen=True)
class Facts:
    """A person's standing, for decisions in SQL and in Python."""

    user_id: uuid.UUID | None = None
    roles_at: Mapping[uuid.UUID, frozenset[str]] = field(default_factory=dict)
    # Ids as 32 hex digits (uuid.hex): cheap to read, and `id.hex in` asks them.
    key_children: frozenset[str] = frozenset()
    child_grants: frozenset[str] = frozenset()
    safeguarding_grants: frozenset[str] = frozenset()
    staff_grants: frozenset[str] = frozenset()
    # Children whose file the person is kept out of: a declared conflict, or
    # they are a carer or relative of the child.
    conflicted: frozenset[str] = frozenset()
    # Children whose portal file they see: parental responsibility, no court restriction.
    portal_children: frozenset[str] = frozenset()
    own_staff_member_id: uuid.UUID | None = None
    # Current policy versions the person's roles must read and they have not
    # acknowledged: past their grace period (they open no file: the gate), and
    # still within it (they are reminded).
    policies_unread: frozenset[str] = frozenset()
    policies_due: frozenset[str] = frozenset()
    # When the earliest grant or membership ends, or a membership begins: the
    # facts are not used after it.
    valid_until: datetime.datetime | None = None
    # Sites of the person's that guard their files by where and when
    # (access/models/where_and_when.py), and of those, the ones whose children's
    # files are closed to them for this request (outside the hours, away from the
    # site's devices or networks, and not opened with a reason).
    guarded_sites: frozenset[uuid.UUID] = frozenset()
    closed_sites: frozenset[uuid.UUID] = frozenset()

    @property
    def gated(self) -> bool:
        """A policy to acknowledge, past its grace period: no file opens (access/policy/gate.py)."""
        return bool(self.policies_unread)

    @property
    def site_ids(self) -> frozenset[uuid.UUID]:
        """The sites where the person holds any role."""
        return frozenset(self.roles_at)

    @property
    def roles(self) -> frozenset[str]:
        """Every role the person holds, at any site."""
        return frozenset(role for roles in self.roles_at.values() for role in roles)

    def has(self, role: str, site_id: uuid.UUID | None) -> bool:
        return site_id is not None and role in self.roles_at.get(site_id, ())

    def has_any(self, roles: tuple[str, ...], site_id: uuid.UUID | None) -> bool:
        return site_id is not None and bool(self.roles_at.get(site_id, frozenset()).intersection(roles))

    def is_staff_at(self, site_id: uuid.UUID | None) -> bool:
        """Works with the children there (not only governs or advises)."""
        return self.has_any(tuple(STAFF_ROLES), site_id)

    @property
    def staff_site_ids(self) -> frozenset[uuid.UUID]:
        """The sites where the person works with the children."""
        return frozenset(site for site in self.roles_at if self.is_staff_at(site))

    def sites_with(self, *roles: str) -> frozenset[uuid.UUID]:
        """The sites where the person holds one of these roles."""
        return frozenset(site for site, held in self.roles_at.items() if held.intersection(roles))


NOBODY = Facts()


# --- reading them: one round trip ---------------------------------------------------

_GRANT_KINDS = {SCOPE_PERMISSION[scope]: scope for scope in Scope}


Row = tuple[str, str, str, datetime.datetime | None]


def _rows(
    queryset: QuerySet[Any], kind: str, ref: str, extra: str = "", until: str = ""
) -> QuerySet[Any, Row]:
    """One part of the union: (kind, id as text, extra as text, a time or NULL)."""
    return queryset.order_by().values_list(
        Value(kind, output_field=CharField()),
        Cast(F(ref), CharField()),
        Cast(F(extra), CharField()) if extra else Value("", output_field=CharField()),
        F(until) if until else Cast(Value(None), output_field=DateTimeField()),
    )


def _live(prefix: str, now: datetime.datetime) -> Q:
    return Q(**{f"{prefix}revoked_at__isnull": True}) & (
        Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now})
    )


# The sources of the facts, as querysets. load_facts reads them all at once;
# the rules use them as subqueries when a set is too long to list. A key person
# or a grant counts only while the person holds a role at the child's site (at
# one of the staff member's sites, for a staff file): it ends with the role.


def staff_sites_source(
    user_id: uuid.UUID, now: datetime.datetime, roles: frozenset[str] = STAFF_ROLES
) -> Any:
    return Membership.objects.live(now).filter(user_id=user_id, role__in=roles).values("site_id")


def key_children_source(user_id: uuid.UUID, now: datetime.datetime) -> QuerySet[KeyWorkerAssignment]:
    return KeyWorkerAssignment.objects.filter(
        user_id=user_id,
        ended_at__isnull=True,
        child__site_id__in=staff_sites_source(user_id, now, frozenset(KEY_WORKER_ROLES)),
    )


def child_grants_source(user_id: uuid.UUID, now: datetime.datetime) -> QuerySet[ChildUserObjectPermission]:
    mine = Q(user_id=user_id, grant__grantee_id=user_id)
    at_site = Q(content_object__site_id__in=staff_sites_source(user_id, now))
    return ChildUserObjectPermission.objects.filter(_live("grant__", now), mine, at_site)


def staff_grants_source(
    user_id: uuid.UUID, now: datetime.datetime
) -> QuerySet[StaffMemberUserObjectPermission]:
    mine = Q(user_id=user_id, grant__grantee_id=user_id)
    files_there = Membership.objects.filter(site_id__in=staff_sites_source(user_id, now)).values("user_id")
    at_site = Q(content_object__user_id__in=files_there)
    return StaffMemberUserObjectPermission.objects.filter(_live("grant__", now), mine, at_site)


def conflicts_source(user_id: uuid.UUID) -> QuerySet[Conflict]:
    return Conflict.objects.filter(user_id=user_id, cleared_at__isnull=True)


def carer_links_source(user_id: uuid.UUID) -> QuerySet[ChildCarer]:
    return ChildCarer.objects.filter(carer__user_id=user_id)


def portal_children_source(user_id: uuid.UUID) -> QuerySet[ChildCarer]:
    return carer_links_source(user_id).filter(parental_responsibility=True, restricted_contact=False)


def guarded_sites_source(user_id: uuid.UUID, now: datetime.datetime) -> QuerySet[WhereAndWhen]:
    return WhereAndWhen.objects.filter(guard_files=True, site_id__in=staff_sites_source(user_id, now))


def policies_unread_source(user_id: uuid.UUID, now: datetime.datetime) -> QuerySet[PolicyVersion]:
    """Current versions one of the person's roles must read, not acknowledged by them."""
    roles = Membership.objects.live(now).filter(user_id=user_id).values("role")
    return PolicyVersion.objects.filter(
        status=PolicyVersion.Status.CURRENT, requirements__role__in=roles
    ).exclude(acknowledgements__user_id=user_id)


def _union(me: uuid.UUID, now: datetime.datetime) -> QuerySet[Any, Row]:
    """Every fact about one person, as rows (kind, id, extra, a time or NULL)."""
    grant = ("content_object_id", "permission__codename", "grant__expires_at")
    memberships = Membership.objects.filter(user_id=me)
    parts = [
        _rows(memberships.live(now), "role", "site_id", "role", "ends_at"),
        _rows(memberships.filter(starts_at__gt=now), "later", "site_id", "role", "starts_at"),
        _rows(StaffMember.objects.filter(user_id=me), "me", "pk"),
        _rows(key_children_source(me, now), "key", "child_id"),
        _rows(child_grants_source(me, now), "grant", *grant),
        _rows(staff_grants_source(me, now), "grant", *grant),
        _rows(conflicts_source(me), "conflict", "child_id"),
        _rows(portal_children_source(me), "parent", "child_id"),
        _rows(carer_links_source(me), "conflict", "child_id"),
        _rows(guarded_sites_source(me, now), "guarded", "site_id"),
        _rows(policies_unread_source(me, now).filter(acknowledge_by__lte=now), "unread", "pk"),
        _rows(
            policies_unread_source(me, now).filter(acknowledge_by__gt=now),
            "due",
            "pk",
            until="acknowledge_by",
        ),
    ]
    first, *rest = parts
    return first.union(*rest, all=True)


# The union is the same query for everyone but for who and when: it is compiled
# once per database, with markers for the person and the moment, and then only
# its parameters change (building it with the ORM costs several milliseconds).
_SOMEONE = uuid.UUID("6f0c4f3e-27d5-4cde-9a77-93b3f0e1c0de")
_SOMETIME = datetime.datetime(1999, 12, 31, 23, 59, 58, 123457, tzinfo=datetime.UTC)


Slot = tuple[str, object]  # how to fill one parameter: ("const", value) or (form of person / moment, None)


@functools.cache
def _compiled(alias: str) -> tuple[str, tuple[Slot, ...]]:
    connection = connections[alias]
    sql, params = _union(_SOMEONE, _SOMETIME).query.get_compiler(alias).as_sql()
    forms = {
        _SOMEONE: "person",
        _SOMEONE.hex: "person hex",
        str(_SOMEONE): "person text",
        _SOMETIME: "moment",
        connection.ops.adapt_datetimefield_value(_SOMETIME): "moment for the database",
    }
    slots: list[Slot] = []
    for value in params:
        form = forms.get(value) if isinstance(value, uuid.UUID | str | datetime.datetime) else None
        slots.append((form, None) if form else ("const", value))
    return sql, tuple(slots)


def _fill(slots: tuple[Slot, ...], me: uuid.UUID, now: datetime.datetime, alias: str) -> list[Any]:
    adapt = connections[alias].ops.adapt_datetimefield_value
    values = {
        "person": me,
        "person hex": me.hex,
        "person text": str(me),
        "moment": now,
        "moment for the database": adapt(now),
    }
    return [value if form == "const" else values[form] for form, value in slots]


def load_facts(user: User) -> Facts:
    """Read the person's facts from the database (one query)."""
    now = timezone.now()
    alias = router.db_for_read(Membership)
    sql, slots = _compiled(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, _fill(slots, user.pk, now, alias))
        rows = cursor.fetchall()
    return _assemble(user, rows, now)


def _hex(text: str) -> str:
    """An id as 32 hex digits, however the database wrote it (PostgreSQL with dashes)."""
    return text.replace("-", "")


def _moment(value: datetime.datetime | str | None) -> datetime.datetime | None:
    """A time read through a raw cursor: SQLite hands back text, or a time without
    its zone (stored in UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def _assemble(user: User, rows: list[Row], now: datetime.datetime) -> Facts:
    found: dict[str, set[str]] = {}
    roles_at: dict[uuid.UUID, set[str]] = {}
    own: uuid.UUID | None = None
    changes: list[datetime.datetime] = []
    for kind, ref, extra, until in rows:
        when = _moment(until)
        if when is not None:
            changes.append(when)  # a grant or role ends, or a role begins
        if kind == "role":
            roles_at.setdefault(uuid.UUID(ref), set()).add(extra)
        elif kind == "me":
            own = uuid.UUID(ref)
        elif kind == "grant":
            scope = _GRANT_KINDS.get(extra)
            if scope is not None:
                found.setdefault(scope, set()).add(_hex(ref))
        elif kind != "later":
            found.setdefault(kind, set()).add(_hex(ref))
    return Facts(
        user_id=user.pk,
        roles_at={site: frozenset(roles) for site, roles in roles_at.items()},
        key_children=frozenset(found.get("key", ())),
        child_grants=frozenset(found.get(Scope.CHILD_FILE, ())),
        safeguarding_grants=frozenset(found.get(Scope.SAFEGUARDING_FILE, ())),
        staff_grants=frozenset(found.get(Scope.STAFF_FILE, ())),
        conflicted=frozenset(found.get("conflict", ())),
        portal_children=frozenset(found.get("parent", ())),
        own_staff_member_id=own,
        policies_unread=frozenset(found.get("unread", ())),
        policies_due=frozenset(found.get("due", ())),
        valid_until=min(changes, default=None),
        guarded_sites=frozenset(uuid.UUID(ref) for ref in found.get("guarded", ())),
    )


# --- keeping them for one request ---------------------------------------------------

_cache: ContextVar[dict[uuid.UUID, Facts] | None] = ContextVar("access_facts", default=None)
_circumstances: ContextVar[Circumstances | None] = ContextVar("access_circumstances", default=None)


@contextmanager
def facts_kept_for_request(circumstances: Circumstances | None = None) -> Iterator[None]:
    """While a request is served, a person's facts are read once."""
    token = _cache.set({})
    where = _circumstances.set(circumstances)
    try:
        yield
    finally:
        _circumstances.reset(where)
        _cache.reset(token)


def forget_facts() -> None:
    """Someone's access changed: read everyone's facts again."""
    kept = _cache.get()
    if kept is not None:
        kept.clear()


def facts_if_read(user: Person) -> Facts | None:
    """The person's facts if this request has read them already (a page that only
    mentions them, such as a banner, costs no query)."""
    kept = _cache.get()
    found = kept.get(user.pk) if kept is not None and isinstance(user, User) else None
    if found is None or (found.valid_until is not None and found.valid_until <= timezone.now()):
        return None
    return found


def facts_of(user: Person) -> Facts:
    """The person's facts: from this request's memory if still good, else from the database."""
    if not is_signed_in_person(user) or not isinstance(user, User):
        return NOBODY
    kept = _cache.get()
    facts = kept.get(user.pk) if kept is not None else None
    if facts is None or (facts.valid_until is not None and facts.valid_until <= timezone.now()):
        facts = with_closed_sites(load_facts(user), _circumstances.get())
        if kept is not None:
            kept[user.pk] = facts
    return facts


def with_closed_sites(facts: Facts, circumstances: Circumstances | None) -> Facts:
    """The facts, with the guarded sites whose files are closed to the person now. Outside
    a request (commands, jobs) nothing is closed: the rule is about people at browsers."""
    if not facts.guarded_sites or circumstances is None:
        return facts
    closed = closed_sites(facts.guarded_sites, facts.roles_at, circumstances, timezone.now())
    return dataclasses.replace(facts, closed_sites=closed) if closed else facts
