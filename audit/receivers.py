"""Sign-in events. Django's auth signals are the one hook that also sees the
admin's sign-in form, so the trail misses no attempt."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from audit.models import Event
from audit.services import audit_event


@receiver(user_logged_in, dispatch_uid="audit_login")
def record_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_event(actor=user, event=Event.LOGIN, obj=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def record_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_event(actor=user, event=Event.LOGOUT, obj=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def record_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                        **kwargs: Any) -> None:
    # Django has already masked the password in `credentials`; only the username is kept.
    audit_event(
        actor=None, event=Event.LOGIN_FAILED, obj=get_user_model(), request=request,
        additional_data={"username": str(credentials.get("username", ""))[:150]},
    )
