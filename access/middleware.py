from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers


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


class PortalSeparationMiddleware:
    """A parent or carer signed in to the portal gets "not found" for every
    staff page, as for a page that does not exist; "/" takes them to the portal."""

    ALLOWED = ("/portal/", "/accounts/", "/static/")

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
