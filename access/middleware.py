import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.defaults import page_not_found

from access import policy
from access.models import User
from access.services import two_factor, where_and_when
from access.views.step_up import StepUpRequired, confirm_redirect


class NoStoreForSignedInMiddleware:
    """Every page Django renders is `Cache-Control: no-store`: none may linger in a cache.

    Pages for signed-in people carry personal data; the sign-in page carries a
    CSRF token. Static files are served before this runs and stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class NotAllowedIsNotFoundMiddleware:
    """A service that refuses a change (``PermissionDenied``) answers "not
    found", exactly as for what does not exist (invariant 1). Views check first
    and raise 404 themselves; this covers the re-check a service makes inside
    its transaction (which the refusal rolls back)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PermissionDenied):
            return page_not_found(request, Http404())
        return None


class AccessFactsMiddleware:
    """Who each person is to the data is read once per request (access/policy/facts.py),
    with where and when the request comes from (for sites that guard their files by it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with policy.facts_kept_for_request(where_and_when.circumstances_of(request)):
            return self.get_response(request)


class SessionRefreshMiddleware:
    """Sessions end after SESSION_COOKIE_AGE without a request (30 minutes).
    Rather than saving the session on every request, it is saved when its last
    refresh is more than a minute old: the idle timeout still holds, a minute
    early at worst, and most requests write nothing. Place after SessionMiddleware."""

    REFRESH_SECONDS = 60
    KEY = "_refreshed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) > self.REFRESH_SECONDS:
                session[self.KEY] = now
        return response


class TwoFactorMiddleware:
    """Two-factor before anything else: a signed-in person who has an authenticator gives
    a code; one who must have one and has none sets one up (access/services/two_factor.py
    says who). The sign-in pages (/accounts/) and static files are open. Also turns a
    step-up (access/views/step_up.py) into "Confirm it's you", and tells django-otp's
    admin site whether the session is verified. Place after AuthenticationMiddleware."""

    OPEN = ("/accounts/", "/static/", "/favicon.ico")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and user.is_authenticated:
            standing = two_factor.session_standing(request, user)
            user.is_verified = lambda: standing == "verified"  # type: ignore[attr-defined]
            if standing in ("code", "set_up") and not request.path.startswith(self.OPEN):
                page = "two_factor_verify" if standing == "code" else "two_factor_set_up"
                return HttpResponseRedirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, StepUpRequired):
            return confirm_redirect(exception.then)
        return None
