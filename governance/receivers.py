"""Signing in marks the session, so the first page afterwards can be the policies to read
(governance/middleware.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest

FIRST = "_confide_policies_first"


def mark_signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and getattr(request, "session", None) is not None:
        request.session[FIRST] = True


user_logged_in.connect(mark_signed_in, dispatch_uid="governance_policies_first")
