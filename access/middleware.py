from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.defaults import page_not_found


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
