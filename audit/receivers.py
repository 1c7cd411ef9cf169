"""Sign-in events. Django's auth signals are the one hook that also sees the
admin's sign-in form, so the trail misses no attempt."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from audit.models import Event, Tier
from audit.services import audit_event


@receiver(user_logged_in, dispatch_uid="audit_login")
def record_login(sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any) -> None:
    audit_event(actor=user, event=Event.LOGIN, obj=user, request=request, tier=Tier.NONE)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def record_logout(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser | None, **kwargs: Any
) -> None:
    if user is not None:
        audit_event(actor=user, event=Event.LOGOUT, obj=user, request=request, tier=Tier.NONE)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def record_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """The account tried, if the username names one. Anything else typed there
    (a password in the wrong box, a child's name) is never stored: only a keyed
    fingerprint, so that repeated attempts with the same text can be grouped."""
    typed = str(credentials.get("username", ""))[:150]
    user = get_user_model().objects.filter(username=typed).first() if typed else None
    if user is not None:
        member = getattr(user, "staff_member", None)
        audit_event(
            actor=None,
            event=Event.LOGIN_FAILED,
            obj=user,
            request=request,
            tier=Tier.NONE,
            staff_member_id=member.pk if member else None,
            additional_data={"username": user.get_username()},
        )
        return
    fingerprint = salted_hmac("audit.unknown-username", typed).hexdigest()[:16]
    audit_event(
        actor=None,
        event=Event.LOGIN_FAILED,
        obj=get_user_model(),
        request=request,
        tier=Tier.NONE,
        additional_data={"unknown_username": fingerprint},
    )
