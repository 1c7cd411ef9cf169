"""Where and when a request comes from, for the sites that guard their children's files
by it (access/models/where_and_when.py): read by access.policy.facts only for a person
with a role at such a site, so nobody else pays for it."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from access.models import MANAGERS, SAFEGUARDING_LEADS, SiteDevice, WhereAndWhen

# Who may open a closed site's files by stating a reason (access/services/where_and_when.py).
OPENERS = (*MANAGERS, *SAFEGUARDING_LEADS)


@dataclass(frozen=True)
class Circumstances:
    """The client's address (by the audit trail's rule: TRUSTED_PROXY_COUNT), the site
    devices the browser's signed cookie names (secrets, checked against their hashes),
    and the sites whose files the person opened with a reason in this session, and until
    when."""

    address: str | None = None
    device_secrets: tuple[str, ...] = ()
    opened_until: Mapping[uuid.UUID, datetime.datetime] = field(default_factory=dict)


def device_hash(secret: str) -> str:
    return hashlib.sha256(f"confide.site-device|{secret}".encode()).hexdigest()


def closed_sites(
    guarded: frozenset[uuid.UUID],
    roles_at: Mapping[uuid.UUID, frozenset[str]],
    circumstances: Circumstances,
    now: datetime.datetime,
) -> frozenset[uuid.UUID]:
    """The guarded sites whose files are closed to this person, here and now (one query for
    the rules, one for the devices if any site asks for them)."""
    rules = list(WhereAndWhen.objects.filter(site_id__in=list(guarded), guard_files=True))
    devices: dict[uuid.UUID, set[uuid.UUID]] = {}
    if any(rule.require_device for rule in rules) and circumstances.device_secrets:
        hashes = [device_hash(secret) for secret in circumstances.device_secrets]
        for device_id, site_id in SiteDevice.objects.filter(
            secret_hash__in=hashes, revoked_at__isnull=True
        ).values_list("pk", "site_id"):
            devices.setdefault(site_id, set()).add(device_id)
    closed = set()
    for rule in rules:
        opened = circumstances.opened_until.get(rule.site_id)
        if opened is not None and opened > now and roles_at.get(rule.site_id, frozenset()) & set(OPENERS):
            continue
        here = devices.get(rule.site_id, set())
        if not rule.allows(at=now, address=circumstances.address, devices=here):
            closed.add(rule.site_id)
    return frozenset(closed)
