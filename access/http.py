"""The request a signed-in person's page receives: its ``user`` is our User."""

from __future__ import annotations

from django.http import HttpRequest

from access.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """For views behind ``login_required``. Only a type: Django's request is passed."""

    user: User
