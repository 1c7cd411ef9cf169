"""Signing in: the password, the code or security key (or "Confirm it's you" for a
step-up), setting up an authenticator, backup codes, and the lockout page
(docs/security.md). The security keys' own views are in access/views/security_keys.py."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from access.forms import CodeForm, SetUpCodeForm, SignInForm
from access.http import AuthenticatedHttpRequest
from access.models import TOTPDevice, User
from access.selectors import signin as selectors
from access.services import lockout, two_factor
from access.views.step_up import require_step_up


def safe_next(request: HttpRequest) -> str:
    """Where to go afterwards: the `next` asked for, if it is a page of this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and allowed else reverse(settings.LOGIN_REDIRECT_URL)


def _to(page: str, then: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(page)}?{urlencode({'next': then})}")


def webauthn_config(request: HttpRequest) -> dict[str, Any]:
    """What django-otp-webauthn's script reads from the page (a JSON data block, not code):
    where to ask, and the CSRF token to ask with (access/views/security_keys.py answers)."""
    return {
        "autocompleteLoginFieldSelector": None,  # no sign-in without the password
        "nextFieldSelector": "input[name='next']",
        "csrfToken": get_token(request),
        "beginRegistrationUrl": reverse("security_key_add_begin"),
        "completeRegistrationUrl": reverse("security_key_add_complete"),
        "beginAuthenticationUrl": reverse("security_key_verify_begin"),
        "completeAuthenticationUrl": reverse("security_key_verify_complete"),
    }


class SignInView(LoginView):
    """The password. Then a code for a person with an authenticator, setting one up for a
    person who must have one; otherwise in, and this browser is remembered."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user: User = form.get_user()
        if two_factor.has_device(user):
            return _to("two_factor_verify", self.get_success_url())
        if two_factor.is_required(user):
            return _to("two_factor_set_up", self.get_success_url())
        lockout.trust_browser(self.request, response, user)
        return response


def locked_out(
    request: HttpRequest, response: HttpResponse | None, credentials: dict[str, Any] | None
) -> Any:
    """AXES_LOCKOUT_CALLABLE. The sign-in page, saying until when; a signed-in person
    (whose sign-off password was refused) sees the page they were on, which says so."""
    if request.user.is_authenticated and response is not None:
        return response
    until = lockout.locked_until(request, credentials)
    form = SignInForm(request, initial={"username": lockout.typed_username(request, credentials)})
    when = f"after {timezone.localtime(until):%H:%M}" if until else "later"
    locked = (
        f"Too many failed attempts to sign in to this account from here. Try again {when}, "
        "or ask your manager to unlock it. Others can still sign in from this computer."
    )
    context = {"form": form, "next": safe_next(request), "locked": locked}
    return render(request, "registration/login.html", context, status=429)


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The code after the password, and "Confirm it's you" before a sensitive page."""
    user, then = request.user, safe_next(request)
    if not two_factor.has_device(user):
        return _to("two_factor_set_up", then)
    stepping_up = two_factor.is_verified(request.session)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        purpose = "Confirming it was them" if stepping_up else "Signing in"
        device = two_factor.code_verify(
            user=user, code=form.cleaned_data["code"], request=request, purpose=purpose
        )
        if device is not None:
            two_factor.mark_verified(request, device)
            response = HttpResponseRedirect(then)
            lockout.trust_browser(request, response, user)
            return response
        form.add_error("code", _refused(user))
    context = {
        "form": form,
        "next": then,
        "stepping_up": stepping_up,
        "minutes": settings.TWO_FACTOR_STEP_UP_MINUTES,
        "has_app": two_factor.has_app(user),
        "has_key": two_factor.has_security_key(user),
        "webauthn": webauthn_config(request),
    }
    return render(
        request, "access/signin/two_factor_verify.html", context, status=400 if form.errors else 200
    )


def _refused(user: User) -> str:
    if two_factor.is_throttled(user):
        return "That code is not right. After several wrong codes there is a wait: try again in a minute."
    return "That code is not right. Type the 6 digits the app shows now, or an unused backup code."


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_set_up(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A QR code (drawn here, as SVG: nothing is fetched from elsewhere) and the key to
    type, then a first code to confirm it. Works on any browser, the staff room's too.
    Replacing an authenticator one already has needs a fresh code first."""
    user, then = request.user, safe_next(request)
    if two_factor.has_device(user):
        require_step_up(request)
    device = two_factor.totp_enrol_start(user=user)
    form = SetUpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.totp_enrol_confirm(
                user=user, device=device, code=form.cleaned_data["code"], request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            two_factor.mark_verified(request, device)
            response = render(
                request, "access/signin/backup_codes.html", {"codes": codes, "next": then, "new": True}
            )
            lockout.trust_browser(request, response, user)
            return response
    context = {"form": form, "next": then, "webauthn": webauthn_config(request), **_qr(device)}
    return render(
        request, "access/signin/two_factor_set_up.html", context, status=400 if form.errors else 200
    )


def _qr(device: TOTPDevice) -> dict[str, str]:
    key = device.base32_key
    svg = segno.make(device.config_url(settings.TWO_FACTOR_ISSUER), error="m").svg_inline(
        scale=5, dark="#000", light="#fff", omitsize=False
    )
    return {"qr_svg": svg, "key_groups": " ".join(key[i : i + 4] for i in range(0, len(key), 4))}


@require_http_methods(["GET", "POST"])
@login_required
def backup_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """How many backup codes are left, and a new set (after a fresh code): shown once, to print."""
    require_step_up(request)
    if request.method == "POST":
        codes = two_factor.backup_codes_issue(user=request.user, request=request)
        return render(request, "access/signin/backup_codes.html", {"codes": codes, "next": reverse("home")})
    context = {
        "left": two_factor.backup_codes_left(request.user),
        "device": two_factor.totp_device_of(request.user),
        "keys": selectors.security_keys_of(request.user),
        "webauthn": webauthn_config(request),
    }
    return render(request, "access/signin/backup_codes.html", context)


@require_POST
@login_required
def forget_browser(request: AuthenticatedHttpRequest) -> HttpResponse:
    """On a shared computer: stop remembering it for this person."""
    response = redirect("two_factor_backup_codes")
    response.delete_cookie(lockout.cookie_name(request.user))
    return response
