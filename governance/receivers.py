"""Signing in marks the session of someone whose files are closed until they read a
policy, so that the first page afterwards is the policies to read (governance/middleware.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest

from access import policy
from access.models import User

FIRST = "_confide_policies_first"


def mark_signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or getattr(request, "session", None) is None or not isinstance(user, User):
        return
    if policy.facts_of(user).gated:
        request.session[FIRST] = True


user_logged_in.connect(mark_signed_in, dispatch_uid="governance_policies_first")
