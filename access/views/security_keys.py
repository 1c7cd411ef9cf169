"""Passkeys and security keys: the answers to django-otp-webauthn's script (adding a key,
and using one after the password or to confirm it's you), naming a key just added, and
removing one. The library's views, made to go through our two-factor: a key verifies a
session as a code does (two_factor.mark_verified: the step-up time, the session key
cycled), every answer is audited, and it is never a way in without the password."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_POST
from django_otp_webauthn import exceptions
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from access.forms import SecurityKeyNameForm
from access.http import AuthenticatedHttpRequest
from access.models import SecurityKey, User
from access.selectors import signin as selectors
from access.services import lockout, security_keys, two_factor
from access.views.signin import safe_next
from access.views.step_up import require_step_up

# Why a key's answer was refused goes to this log (the library's reasons name no one).
LOGGER = logging.getLogger("django_otp_webauthn")
STEP_UP_FIRST = (
    "It is more than a few minutes since you last confirmed it’s you. Reload this page, "
    "confirm it’s you, then add the key."
)
NO_KEY = "You have no security key or passkey here yet: type a code instead."
# The library's messages about a refused answer, in plain words (shown by its script).
IN_OUR_WORDS = {
    "credential_not_found": "That key is not one of yours here. Use the key you added, or type a code.",
    "credential_user_mismatch": "That key is not one of yours here. Use the key you added, or type a code.",
    "credential_disabled": "That key was added but never named, so it does not work yet. Type a code.",
    "invalid_state": "That took too long. Try again.",
}
CHECK_FAILED = "Confide could not check your key’s answer. Try again, or use a code."


def _in_our_words(error: exceptions.OTPWebAuthnApiError) -> exceptions.OTPWebAuthnApiError:
    if error.code not in ("user_not_verified", "passwordless_login_disabled"):
        error.detail = IN_OUR_WORDS.get(error.code, CHECK_FAILED)
    return error


def _purpose(request: Any) -> str:
    return "Confirming it was them" if two_factor.is_verified(request.session) else "Signing in"


# --- adding a key: the ceremony -----------------------------------------------------------------


class _AddingMixin:
    """Adding a key, at first sign-in (a person with no second factor yet) or, for a person
    who has one, only after a fresh code or key (the step-up)."""

    request: Any

    def user_is_mfa_enrolled(self, user: User) -> bool:
        return two_factor.has_device(user)

    def check_can_register(self) -> None:
        if two_factor.has_device(self.request.user) and not two_factor.verified_recently(self.request):
            raise exceptions.NotVerified(detail=STEP_UP_FIRST)


@method_decorator(require_POST, name="dispatch")
class SecurityKeyAddBegin(_AddingMixin, BeginCredentialRegistrationView):
    pass


@method_decorator(require_POST, name="dispatch")
class SecurityKeyAddComplete(_AddingMixin, CompleteCredentialRegistrationView):
    """Saves the key, unconfirmed: the browser then goes to name it, which confirms it. The
    session is not verified here (the library's view would): naming the key does that."""

    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        user = self.request.user
        try:
            state = self.get_state()
            with transaction.atomic(), rewrite_exceptions(logger=LOGGER):
                key = self.get_helper().register_complete(user=user, state=state, data=self.request.data)
        except exceptions.OTPWebAuthnApiError as error:
            security_keys.security_key_refused(
                user=user, request=self.request, purpose=security_keys.ADDING, why=error.code
            )
            raise _in_our_words(error) from None
        return JsonResponse({"id": str(key.pk), "redirect_url": reverse("security_key_name", args=[key.pk])})


# --- using a key: after the password, and to confirm it's you ----------------------------------


class _SecondFactorMixin:
    """Only after the password (never instead of it), and only for a person with a key."""

    request: Any

    def check_can_authenticate(self) -> None:
        user = self.request.user
        if not user.is_authenticated or not user.is_active:
            raise exceptions.PasswordlessLoginDisabled()
        if not two_factor.has_security_key(user):
            raise exceptions.CredentialNotFound(detail=NO_KEY)


@method_decorator(require_POST, name="dispatch")
class SecurityKeyVerifyBegin(_SecondFactorMixin, BeginCredentialAuthenticationView):
    pass


@method_decorator(require_POST, name="dispatch")
class SecurityKeyVerifyComplete(_SecondFactorMixin, CompleteCredentialAuthenticationView):
    """A key's answer, checked against the person's own keys: accepted, the session is
    verified as by a code (and this browser remembered); refused, nothing changes. Both audited."""

    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        request, user, purpose = self.request, self.request.user, _purpose(self.request)
        try:
            state = self.get_state()
            with transaction.atomic(), rewrite_exceptions(logger=LOGGER):
                key = self.get_helper().authenticate_complete(user=user, state=state, data=request.data)
                self.check_device_usable(key)
        except exceptions.OTPWebAuthnApiError as error:
            security_keys.security_key_refused(user=user, request=request, purpose=purpose, why=error.code)
            raise _in_our_words(error) from None
        two_factor.mark_verified(request, key)
        security_keys.security_key_accepted(user=user, key=key, request=request, purpose=purpose)
        response = JsonResponse({"id": str(key.pk), "redirect_url": safe_next(request)})
        lockout.trust_browser(request, response, user)
        return response


# --- naming and removing -------------------------------------------------------------------------


def _key_for_user(
    request: AuthenticatedHttpRequest, key_id: uuid.UUID, *, new: bool, then: str
) -> SecurityKey:
    """One of the person's own keys (404 for anyone else's): one just added, to name, or one
    that works, to remove. A person who has a second factor gives a fresh one first."""
    key = selectors.security_key_of(request.user, key_id, confirmed=not new)
    if key is None:
        raise Http404
    if two_factor.has_device(request.user):
        require_step_up(request, then=then)
    return key


@require_http_methods(["GET", "POST"])
@login_required
def security_key_name(request: AuthenticatedHttpRequest, key_id: uuid.UUID) -> HttpResponse:
    """Naming a key just added confirms it. At first sign-in the backup codes come next."""
    named = selectors.security_key_of(request.user, key_id, confirmed=True)
    if named is not None:  # the form was sent twice
        messages.info(request, f"“{named.name}” is already added.")
        return redirect("two_factor_backup_codes")
    key = _key_for_user(request, key_id, new=True, then=reverse("security_key_name", args=[key_id]))
    form = SecurityKeyNameForm(request.POST or None, initial={"name": key.name})
    if request.method == "POST" and form.is_valid():
        try:
            codes = security_keys.security_key_confirm(
                actor=request.user, key=key, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _added(request, key, codes)
    context = {"form": form, "next": safe_next(request)}
    return render(
        request, "access/signin/security_key_name.html", context, status=400 if form.errors else 200
    )


def _added(request: AuthenticatedHttpRequest, key: SecurityKey, codes: list[str]) -> HttpResponse:
    if not codes:
        messages.success(request, f"“{key.name}” is added. Use it next time you sign in.")
        return redirect("two_factor_backup_codes")
    # The person's first second factor: it verifies this session, and the backup codes are shown once.
    two_factor.mark_verified(request, key)
    context = {"codes": codes, "next": safe_next(request), "new": True}
    response = render(request, "access/signin/backup_codes.html", context)
    lockout.trust_browser(request, response, request.user)
    return response


@require_POST
@login_required
def security_key_remove(request: AuthenticatedHttpRequest, key_id: uuid.UUID) -> HttpResponse:
    key = _key_for_user(request, key_id, new=False, then=reverse("two_factor_backup_codes"))
    name = key.name
    security_keys.security_key_remove(actor=request.user, key=key, request=request)
    messages.success(request, f"“{name}” is removed: it no longer signs you in.")
    return redirect("two_factor_backup_codes")
