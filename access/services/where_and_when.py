"""Where and when staff read a site's files (access/models/where_and_when.py): the rules a
site's manager sets, the devices the site registers, and opening files with a reason.

A registered device carries a signed, HttpOnly cookie holding the device's secrets (one
per site that registered the browser); the database keeps only their hashes. What a
request's circumstances are is worked out here, once, by AccessFactsMiddleware; which
sites are closed is decided in access.policy.circumstances, only for people with a role
at a guarded site."""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from access import policy
from access.models import MANAGERS, FilesOpened, SiteDevice, User, WhereAndWhen
from access.policy.circumstances import OPENERS, Circumstances, device_hash
from audit.middleware import client_ip
from audit.models import Event
from audit.models import Tier as AuditTier
from audit.services import audit_event
from records.models import Site

DEVICE_COOKIE = "confide_site_device"
DEVICE_SALT = "confide.site-device"
DEVICE_COOKIE_DAYS = 400  # browsers keep a cookie at most about this long
# Opening a closed site's files with a reason lasts this long (or until signing out).
OPENED_FOR = datetime.timedelta(hours=1)
OPENED_KEY = "files_opened_until"


# --- a request's circumstances --------------------------------------------------------


def device_secrets(request: HttpRequest) -> tuple[str, ...]:
    try:
        found = signing.loads(request.COOKIES.get(DEVICE_COOKIE, ""), salt=DEVICE_SALT)
    except signing.BadSignature:
        return ()
    return tuple(str(s) for s in found if isinstance(s, str))[:20] if isinstance(found, list) else ()


def opened_until(request: HttpRequest) -> dict[uuid.UUID, datetime.datetime]:
    session = getattr(request, "session", None)
    kept = session.get(OPENED_KEY, {}) if session is not None else {}
    found = {}
    for site, until in kept.items() if isinstance(kept, dict) else ():
        when = parse_datetime(str(until))
        if when is not None:
            found[uuid.UUID(site)] = when
    return found


def circumstances_of(request: HttpRequest) -> Circumstances:
    return Circumstances(
        address=client_ip(request), device_secrets=device_secrets(request), opened_until=opened_until(request)
    )


# --- the rules ----------------------------------------------------------------------


def rules_for(site: Site) -> WhereAndWhen:
    """The site's rules, or the defaults (nothing guarded) if none were saved yet."""
    return WhereAndWhen.objects.filter(site=site).first() or WhereAndWhen(site=site)


def _require_manager(actor: User, site: Site) -> None:
    if not policy.standing_of(actor).has_any(MANAGERS, site.pk):
        raise PermissionDenied


@transaction.atomic
def where_and_when_update(
    *,
    actor: User,
    site: Site,
    open_days: list[str],
    opens_at: datetime.time,
    closes_at: datetime.time,
    margin_minutes: int,
    guard_files: bool,
    require_device: bool,
    allowed_networks: str,
) -> WhereAndWhen:
    _require_manager(actor, site)
    rules = WhereAndWhen.objects.select_for_update().filter(site=site).first() or WhereAndWhen(site=site)
    rules.open_days = "".join(sorted(set(open_days)))
    rules.opens_at, rules.closes_at, rules.margin_minutes = opens_at, closes_at, margin_minutes
    rules.guard_files, rules.require_device = guard_files, require_device
    rules.allowed_networks = allowed_networks.strip()
    rules.updated_by, rules.updated_at = actor, timezone.now()
    if require_device and guard_files and not SiteDevice.objects.filter(site=site, revoked_at=None).exists():
        raise ValidationError(
            {
                "require_device": "Register at least one of the setting's devices first, "
                "or nobody could read files."
            }
        )
    rules.full_clean()
    rules.save()
    policy.forget_facts()
    audit_event(
        actor=actor,
        event=Event.UPDATED,
        obj=rules,
        tier=AuditTier.ACCESS,
        reason="Where and when files are read: "
        + ("guarded" if guard_files else "not guarded")
        + (", registered devices only" if guard_files and require_device else "")
        + (", listed networks only" if guard_files and rules.allowed_networks else ""),
    )
    return rules


# --- registered devices ---------------------------------------------------------------


@transaction.atomic
def site_device_register(
    *, actor: User, site: Site, name: str, request: HttpRequest, response: HttpResponse
) -> SiteDevice:
    """Register the browser the manager is using as one of the site's devices."""
    _require_manager(actor, site)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the device, for example “Baby room tablet”."})
    secret = secrets.token_urlsafe(32)
    device = SiteDevice(site=site, name=name, secret_hash=device_hash(secret), registered_by=actor)
    device.full_clean()
    device.save()
    audit_event(
        actor=actor, event=Event.GRANTED, obj=device, tier=AuditTier.ACCESS, reason="Device registered"
    )
    kept = [
        s for s in device_secrets(request) if SiteDevice.objects.filter(secret_hash=device_hash(s)).exists()
    ]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps([*kept, secret], salt=DEVICE_SALT),
        max_age=DEVICE_COOKIE_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    policy.forget_facts()
    return device


@transaction.atomic
def site_device_revoke(*, actor: User, device: SiteDevice) -> None:
    device = SiteDevice.objects.select_for_update().select_related("site").get(pk=device.pk)
    _require_manager(actor, device.site)
    if device.revoked_at is not None:
        return
    device.revoked_by, device.revoked_at = actor, timezone.now()
    device.save(update_fields=["revoked_by", "revoked_at"])
    audit_event(actor=actor, event=Event.REVOKED, obj=device, tier=AuditTier.ACCESS, reason="Device removed")
    policy.forget_facts()


# --- opening a closed site's files, with a reason --------------------------------------


def may_open_files(actor: User, site_id: uuid.UUID) -> bool:
    return policy.standing_of(actor).has_any(OPENERS, site_id)


@transaction.atomic
def files_open_with_reason(
    *, actor: User, site: Site, reason: str, request: HttpRequest
) -> datetime.datetime:
    """A manager or safeguarding lead opens a closed site's files, saying why; for an hour."""
    if not may_open_files(actor, site.pk):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Say why you need the files now. The reason is kept in the audit log."}
        )
    until = timezone.now() + OPENED_FOR
    opening = FilesOpened(site=site, user=actor, reason=reason, until=until)
    opening.full_clean()
    opening.save()
    audit_event(
        actor=actor,
        event=Event.FILES_OPENED,
        obj=opening,
        request=request,
        tier=AuditTier.ACCESS,
        reason=f"Files opened outside the setting's hours or devices until {timezone.localtime(until):%H:%M}",
    )
    kept = {str(k): v.isoformat() for k, v in opened_until(request).items() if v > timezone.now()}
    request.session[OPENED_KEY] = {**kept, str(site.pk): until.isoformat()}
    policy.forget_facts()
    return until
