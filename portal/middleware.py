from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect


class PortalSeparationMiddleware:
    """A parent or carer signed in to the portal gets "not found" for every
    staff page, as for a page that does not exist; "/" takes them to the portal."""

    ALLOWED = ("/portal/", "/accounts/", "/static/", "/favicon.ico")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_portal_user:
            if request.path == "/":
                return redirect("portal_home")
            if not request.path.startswith(self.ALLOWED):
                raise Http404("Not a portal page")
        return self.get_response(request)
