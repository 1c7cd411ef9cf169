"""A person's own things: notifications, hiding the screen, discreet mode."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from access import services as access_services
from access.http import AuthenticatedHttpRequest
from access.models import User
from audit.models import Event, Tier
from audit.services import audit_event
from records import selectors, services
from records.models import Child


def _same_site(request: HttpRequest, url: str) -> str:
    """The address to go back to, if it is on this site; home otherwise."""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")


@require_GET
@login_required
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    notes = selectors.notifications_for(user=request.user)
    if any(getattr(note, "child_name", "") not in ("", "A child") for note in notes):
        # Children are named: an entry, as for any list of children.
        audit_event(
            actor=request.user, event=Event.LISTED, obj=Child, request=request, tier=Tier.NONE,
            reason="Notifications",
        )  # fmt: skip
    context = {"notes": notes, "mail_choices": User.Mail.choices}
    return render(request, "records/notifications.html", context)


@require_POST
@login_required
def notification_open(request: AuthenticatedHttpRequest, notification_id: uuid.UUID) -> HttpResponse:
    note = selectors.notification_get_for_user(user=request.user, notification_id=notification_id)
    if note is None:
        raise Http404
    services.notification_mark_read(actor=request.user, notification_id=note.pk)
    return redirect(note.url or "notifications")


@require_GET
def screen_hidden(request: HttpRequest) -> HttpResponse:
    """The hide-screen button without JavaScript: a page with nothing on it,
    and a way back to where the person was (the page that linked here, so no
    address is written into every page)."""
    back = _same_site(request, request.GET.get("next") or request.headers.get("referer", ""))
    return render(request, "records/screen_hidden.html", {"back": back})


@require_POST
@login_required
def discreet_mode(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Initials instead of names in lists, for screens in shared rooms."""
    access_services.discreet_mode_set(actor=request.user, on=request.POST.get("on") == "1")
    return redirect(_same_site(request, request.headers.get("referer", "")))


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and tools that ask for /favicon.ico without reading the page's icon link."""
    return redirect(static("favicon.ico"), permanent=True)


@require_POST
@login_required
def notification_mail(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        services.notification_mail_set(actor=request.user, choice=request.POST.get("notification_mail", ""))
    except ValidationError:
        messages.error(request, "Choose how you want to be e-mailed.")
    else:
        messages.success(request, "Saved. E-mails never name a child.")
    return redirect("notifications")
