from __future__ import annotations

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR; or, behind N trusted proxies, the address the outermost of them saw.

    Each proxy appends the address it received the request from, so with N
    proxies the client is the N-th address from the right. Anything further
    left was written by the client and proves nothing.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    remote: str | None = request.META.get("REMOTE_ADDR")
    return remote or None


class AuditContextMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware (the actor for model changes), with our client address."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> int | None:
        return None
