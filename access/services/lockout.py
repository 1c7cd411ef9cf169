"""
Lockout after failed sign-ins: django-axes, set up for a nursery (config/settings.py).

- What axes stores of a typed username is a keyed hash (``username_key``): people type
  passwords into the username box.
- A lock is of one account from one address, for ``cool_off``: 15 minutes (a setting),
  doubling with each earlier lock of that account from that address in the past day.
- A browser the person signed in with before carries a signed cookie and is exempt
  (``is_trusted_browser``) until its own failure counter reaches the limit.
- Nothing that was typed or posted is kept (``LockoutHandler``); every failure is in our
  audit trail (audit/receivers.py), and so is every lock, unlock and exhausted browser.
- The sign-off password box counts on the same counter (``password_recheck``).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import uuid
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.crypto import salted_hmac

from access import policy
from access.models import MANAGERS, Role, TrustedBrowser, User
from audit.middleware import client_ip
from audit.models import AuditEntry, Event, Tier
from audit.services import audit_event

# Earlier locks of the same account from the same address count for this long.
LOCK_MEMORY = datetime.timedelta(days=1)
COOKIE_PREFIX = "confide_browser_"
COOKIE_SALT = "confide.trusted-browser"
# Who may unlock someone: a manager or the technical admin at one of their sites.
UNLOCKERS = (*MANAGERS, Role.ADMIN)


# --- what axes is told ------------------------------------------------------------------


def hash_username(typed: str) -> str:
    key = (settings.SIGNIN_USERNAME_KEY or settings.SECRET_KEY).encode()
    return hmac.new(key, typed.encode(), hashlib.sha256).hexdigest()


def typed_username(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str:
    """The username given: in the credentials, or the sign-in form's box."""
    typed = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if typed is None and request is not None:
        typed = getattr(request, "confide_typed_username", None) or request.POST.get(
            settings.AXES_USERNAME_FORM_FIELD
        )
    return str(typed or "")[:150]


def username_key(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: what axes stores instead of the typed text."""
    typed = typed_username(request, credentials)
    return hash_username(typed) if typed else None


def signin_user(request: HttpRequest, credentials: dict[str, Any] | None = None) -> User | None:
    """The account the typed username names, if any (looked up once per request)."""
    typed = typed_username(request, credentials)
    cache: dict[str, User | None] = request.__dict__.setdefault("_confide_signin_users", {})
    if typed not in cache:
        cache[typed] = User.objects.filter(username=typed).first() if typed else None
    return cache[typed]


def longest_cool_off() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.SIGNIN_COOL_OFF_MAX_MINUTES)


def cool_off_for(user: User | None, address: str | None) -> datetime.timedelta:
    """15 minutes (SIGNIN_COOL_OFF_MINUTES), doubled for each earlier lock of this account
    from this address in the past day, up to SIGNIN_COOL_OFF_MAX_MINUTES."""
    base = datetime.timedelta(minutes=settings.SIGNIN_COOL_OFF_MINUTES)
    if user is None or not address:
        return min(base, longest_cool_off())
    locks = AuditEntry.objects.filter(
        event=Event.LOCKED_OUT,
        object_pk=str(user.pk),
        remote_addr=address,
        timestamp__gte=timezone.now() - LOCK_MEMORY,
    ).count()
    return min(base * (1 << min(max(locks - 1, 0), 16)), longest_cool_off())


def cool_off(request: HttpRequest | None) -> datetime.timedelta:
    """AXES_COOLOFF_TIME: how long this request's account is locked at its address."""
    if request is None:
        return datetime.timedelta(minutes=settings.SIGNIN_COOL_OFF_MINUTES)
    if "_confide_cool_off" not in request.__dict__:
        request.__dict__["_confide_cool_off"] = cool_off_for(signin_user(request), client_ip(request))
    value = request.__dict__["_confide_cool_off"]
    assert isinstance(value, datetime.timedelta)  # noqa: S101 - set just above
    return value


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check before the password is tried. Without a request it is not a sign-in
    from a browser (a test client's login, the shell): there is nothing to count."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kw: Any
    ) -> Any:
        if request is None:
            return None
        request.__dict__["confide_typed_username"] = username
        return super().authenticate(request, username, password, **kw)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, keeping nothing that was typed or posted (it would store
    the request's GET and POST data: a comment, a password in the wrong box), and
    letting each lock last its own length."""

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return
        request.__dict__["confide_typed_username"] = typed_username(request, credentials)
        kept = request.GET, request.POST
        request.GET = request.POST = QueryDict()
        try:
            super().user_login_failed(sender, credentials, request, **kwargs)
        finally:
            request.GET, request.POST = kept

    def clean_expired_user_attempts(
        self, request: HttpRequest | None = None, credentials: dict[str, Any] | None = None
    ) -> int:
        """Axes removes every attempt older than this request's cool-off, which would
        cut short a longer lock of someone else. Here: everyone's attempts once older
        than the longest lock, and this account's at this address once its own is over."""
        removed, _ = AccessAttempt.objects.filter(
            attempt_time__lte=timezone.now() - longest_cool_off()
        ).delete()
        if request is not None:
            threshold = get_cool_off_threshold(request)
            for attempts in self.filter_user_attempts(request, credentials):
                count, _ = attempts.filter(attempt_time__lte=threshold).delete()
                removed += count
        return removed


def locked_until(request: HttpRequest, credentials: dict[str, Any] | None = None) -> datetime.datetime | None:
    """When the lock on this account at this address ends (None if there is none)."""
    key = username_key(request, credentials)
    last = (
        AccessAttempt.objects.filter(username=key, ip_address=client_ip(request))
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return None if last is None else last + cool_off(request)


# --- the browser a person signed in with before -----------------------------------------


def cookie_name(user: User) -> str:
    """One cookie per person (a staff-room computer is shared); its name gives no name away."""
    return COOKIE_PREFIX + salted_hmac("confide.trusted-browser.name", str(user.pk)).hexdigest()[:16]


def trusted_browser_for(request: HttpRequest, user: User) -> TrustedBrowser | None:
    """The browser this request's cookie vouches for, for this person (once per request)."""
    cache: dict[Any, TrustedBrowser | None] = request.__dict__.setdefault("_confide_browsers", {})
    if user.pk not in cache:
        cache[user.pk] = _browser_from_cookie(request.COOKIES.get(cookie_name(user), ""), user)
    return cache[user.pk]


def _browser_from_cookie(value: str, user: User) -> TrustedBrowser | None:
    if not value:
        return None
    try:
        data = signing.loads(
            value, salt=COOKIE_SALT, max_age=datetime.timedelta(days=settings.SIGNIN_TRUSTED_BROWSER_DAYS)
        )
        browser_id = uuid.UUID(str(data["b"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if data.get("u") != str(user.pk):
        return None
    return TrustedBrowser.objects.filter(pk=browser_id, user=user).first()


def is_trusted_browser(request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
    """AXES_WHITELIST_CALLABLE: a browser this person signed in with before, whose own
    failures are below the limit, is not held back by a lock at its address."""
    user = signin_user(request, credentials)
    browser = trusted_browser_for(request, user) if user is not None else None
    return browser is not None and not browser.is_exhausted


def trust_browser(request: HttpRequest, response: HttpResponse, user: User) -> None:
    """After a complete sign-in: remember this browser for this person (a long-lived,
    signed, HttpOnly cookie), its failure counter back to nought."""
    browser = trusted_browser_for(request, user)
    if browser is None:
        browser = TrustedBrowser.objects.create(user=user)
    else:
        browser.failures, browser.last_used_at = 0, timezone.now()
        browser.save(update_fields=["failures", "last_used_at"])
    value = signing.dumps({"u": str(user.pk), "b": str(browser.pk)}, salt=COOKIE_SALT)
    response.set_cookie(
        cookie_name(user),
        value,
        max_age=settings.SIGNIN_TRUSTED_BROWSER_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- the sign-off password box ------------------------------------------------------------


def password_recheck(*, request: HttpRequest | None, user: User, password: str) -> None:
    """Check a signed-in person's password again (signing off), on the sign-in counter:
    refused while their account is locked at this address, each failure audited and
    counted. Raises ValidationError with a message for the page."""
    if request is None:
        if not user.check_password(password):
            raise ValidationError("That is not your password. The record is not signed.")
        return
    credentials = {settings.AXES_USERNAME_FORM_FIELD: user.get_username()}
    request.__dict__["confide_typed_username"] = user.get_username()
    if not AxesProxyHandler.is_allowed(request, credentials):
        raise ValidationError(_locked_message(request, credentials))
    if not user.check_password(password):
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            raise ValidationError(_locked_message(request, credentials))
        raise ValidationError("That is not your password. The record is not signed.")
    if settings.AXES_RESET_ON_SUCCESS:
        AxesProxyHandler.get_implementation().reset_user_attempts(request, credentials)


def _locked_message(request: HttpRequest, credentials: dict[str, Any]) -> str:
    until = locked_until(request, credentials)
    when = f" until {timezone.localtime(until):%H:%M}" if until else ""
    return f"Too many wrong passwords: signing with your password is locked{when}. The record is not signed."


# --- unlocking, and forgetting old attempts ---------------------------------------------


def may_unlock(actor: User, user: User) -> bool:
    facts = policy.facts_of(actor)
    sites = set(user.memberships.live().values_list("site_id", flat=True))
    return actor.pk != user.pk and bool(sites & facts.sites_with(*UNLOCKERS))


def locked_addresses(user: User) -> int:
    """At how many addresses this account is locked now."""
    limit = settings.AXES_FAILURE_LIMIT
    rows = AccessAttempt.objects.filter(username=hash_username(user.get_username())).values_list(
        "ip_address", "attempt_time", "failures_since_start"
    )
    totals: dict[str | None, tuple[int, datetime.datetime]] = {}
    for address, at, failures in rows:
        count, latest = totals.get(address, (0, at))
        totals[address] = (count + failures, max(latest, at))
    now = timezone.now()
    return sum(
        1
        for address, (failures, latest) in totals.items()
        if failures >= limit and latest + cool_off_for(user, address) > now
    )


@transaction.atomic
def sign_in_unlock(*, actor: User | None, user: User, request: HttpRequest | None = None) -> int:
    """Clear an account's failed attempts everywhere (and its browsers' counters).
    `actor` None: the technical admin at the server's command line."""
    if actor is not None and not may_unlock(actor, user):
        raise PermissionDenied
    removed, _ = AccessAttempt.objects.filter(username=hash_username(user.get_username())).delete()
    TrustedBrowser.objects.filter(user=user).update(failures=0)
    audit_event(
        actor=actor,
        event=Event.UNLOCKED,
        obj=user,
        request=request,
        tier=Tier.NONE,
        reason="Unlocked by a manager" if actor is not None else "Unlocked at the command line",
        additional_data={"username": user.get_username()},
    )
    return removed


def purge_attempts() -> int:
    """Failed attempts older than the longest lock count for nothing: remove them."""
    removed, _ = AccessAttempt.objects.filter(attempt_time__lte=timezone.now() - longest_cool_off()).delete()
    return removed


def purge_browsers() -> int:
    """Browsers whose cookie has expired are forgotten."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.SIGNIN_TRUSTED_BROWSER_DAYS)
    removed, _ = TrustedBrowser.objects.filter(last_used_at__lte=cutoff).delete()
    return removed


# --- what happens at each attempt (signal wiring: access/apps.py) -------------------------


@receiver(user_locked_out, dispatch_uid="confide_record_lockout")
def record_lockout(sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any) -> None:
    """A new lock (not a further attempt during one, which axes reports too): audited."""
    failures = getattr(request, "axes_failures_since_start", None)
    if request is None or failures is None:
        return
    user = signin_user(request)
    audit_event(
        actor=None,
        event=Event.LOCKED_OUT,
        obj=user if user is not None else User,
        request=request,
        tier=Tier.NONE,
        reason=f"{failures} failed attempts from one address",
        additional_data={"username": user.get_username()} if user is not None else None,
    )
    request.__dict__.pop("_confide_cool_off", None)  # the new lock counts from now on


@receiver(user_login_failed, dispatch_uid="confide_count_trusted_browser_failure")
def count_trusted_browser_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A trusted browser's own counter: at the limit it is held back like any other."""
    user = signin_user(request, credentials) if request is not None else None
    browser = trusted_browser_for(request, user) if request is not None and user is not None else None
    if browser is None or browser.is_exhausted:
        return
    TrustedBrowser.objects.filter(pk=browser.pk).update(failures=F("failures") + 1)
    browser.failures += 1
    if browser.failures >= settings.SIGNIN_TRUSTED_BROWSER_FAILURE_LIMIT:
        audit_event(
            actor=None,
            event=Event.LOCKED_OUT,
            obj=user or User,
            request=request,
            tier=Tier.NONE,
            reason="A trusted browser reached its own limit of failed attempts",
        )


@receiver(user_logged_in, dispatch_uid="confide_trusted_browser_signed_in")
def reset_trusted_browser(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    browser = trusted_browser_for(request, user) if request is not None and isinstance(user, User) else None
    if browser is not None and browser.failures:
        TrustedBrowser.objects.filter(pk=browser.pk).update(failures=0)
        browser.failures = 0


def locked_people(people: list[User]) -> set[Any]:
    """Which of these people are locked out at some address now (one query, then each
    locked one's cool-off)."""
    by_hash = {hash_username(p.get_username()): p for p in people}
    limit = settings.AXES_FAILURE_LIMIT
    rows = AccessAttempt.objects.filter(
        username__in=list(by_hash),
        failures_since_start__gte=1,
        attempt_time__gte=timezone.now() - longest_cool_off(),
    ).values_list("username", flat=True)
    suspects = {by_hash[h] for h in rows if h in by_hash}
    return {p.pk for p in suspects if locked_addresses(p) > 0 and limit > 0}
