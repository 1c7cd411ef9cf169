"""`submitted_once`: the view decorator that saves a form once (submissions/__init__.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect

from submissions import tokens
from submissions.models import Submission

View = TypeVar("View", bound=Callable[..., HttpResponseBase])
ALREADY_SAVED = "That was already saved, so it has not been saved again. Here it is."


def submitted_once(view: View) -> View:
    """On POST with a valid token: claim it, run the view, and remember where it
    sent the person. A token already claimed sends them there instead. A form
    that was not saved (shown again with its errors) releases its token.
    Without a valid token (none sent, or a form left open for days) the view
    runs as it would without this decorator. Goes inside login_required."""

    @functools.wraps(view)
    def once(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if request.method != "POST" or not user.is_authenticated:
            return view(request, *args, **kwargs)
        key = tokens.key_of(request.POST.get(tokens.FIELD, ""), user)
        if key is None:
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic():
                claim = Submission.objects.create(key=key, user=user)
        except IntegrityError:
            return _already_saved(request, key, user)
        response = view(request, *args, **kwargs)
        if response.status_code in (301, 302, 303) and response.get("Location"):
            claim.result_url = response["Location"][:500]
            claim.save(update_fields=["result_url"])
        else:
            claim.delete()
        return response

    return once  # type: ignore[return-value]


def _already_saved(request: HttpRequest, key: str, user: AbstractBaseUser) -> HttpResponse:
    earlier = Submission.objects.filter(key=key, user_id=user.pk).first()
    messages.info(request, ALREADY_SAVED)
    if earlier is not None and earlier.result_url:
        return redirect(earlier.result_url)
    return redirect("portal_home" if getattr(user, "is_portal_user", False) else "home")
