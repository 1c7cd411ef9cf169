"""After signing in, someone with a policy to read past its grace period sees it first
(the session was marked at sign-in: governance/receivers.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from access.models import User
from governance.receivers import FIRST

# Never turned away from these: signing in, the policies themselves, the emergency
# card, raising a concern (about a child or a colleague), the portal.
OPEN = (
    "/accounts/",
    "/static/",
    "/portal/",
    "/policies/",
    "/emergency/",
    "/concerns/",
    "/staff-concerns/new/",
    "/notifications/",
)


class PoliciesFirstMiddleware:
    """The first page after signing in (and the code) is the policies to read, for
    someone whose files are closed until they read them. Other pages stay open to them
    afterwards (home, notifications, raising a concern, the emergency card)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if (
            session is not None
            and session.get(FIRST)
            and isinstance(user, User)
            and user.is_authenticated
            and request.method == "GET"
            and not request.path.startswith(OPEN)
        ):
            del session[FIRST]
            return HttpResponseRedirect(reverse("policies_to_read"))
        return self.get_response(request)
