"""
The step-up: a fresh two-factor code before the most sensitive pages.

One line in a view (or in the helper that fetches its object)::

    require_step_up(request)                     # back to this page afterwards
    require_step_up(request, then=record_url)    # a POST: back to the page it came from

or a decorator on a whole view: ``@step_up_required``. Without a code given in this
session in the last TWO_FACTOR_STEP_UP_MINUTES, the person is taken to "Confirm it's
you" (access.views.signin.two_factor_verify) and brought back (TwoFactorMiddleware
turns the exception into that redirect; the request's transaction is rolled back, so
nothing it did is kept).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from access.services import two_factor

View = TypeVar("View", bound=Callable[..., HttpResponse])


class StepUpRequired(Exception):
    """Raised where a fresh code is needed; `then` is where to come back to."""

    def __init__(self, then: str) -> None:
        super().__init__("A fresh two-factor code is needed")
        self.then = then


def require_step_up(request: HttpRequest, *, then: str | None = None) -> None:
    if not two_factor.verified_recently(request):
        raise StepUpRequired(then or (request.get_full_path() if request.method == "GET" else "/"))


def step_up_required(view: View) -> View:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_step_up(request)
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def confirm_redirect(then: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('two_factor_verify')}?{urlencode({'next': then})}")
