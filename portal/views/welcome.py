"""Setting up a portal account from the e-mailed invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portal import services
from portal.forms import WelcomeForm


@require_http_methods(["GET", "POST"])
def portal_welcome(request: HttpRequest, token: str) -> HttpResponse:
    """Setting up a portal account from the e-mailed link: once, within 7 days."""
    try:
        invitation = services.portal_invitation_check(token)
    except services.InvitationError as error:
        return render(request, "portal/welcome_refused.html", {"message": str(error)}, status=410)
    existing = invitation.carer.user.username if invitation.carer.user else ""
    form = WelcomeForm(request.POST or None, has_username=existing)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.portal_invitation_accept(
                token=token,
                username=existing or form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationError as error:
            return render(request, "portal/welcome_refused.html", {"message": str(error)}, status=410)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Your account is ready. Welcome.")
            return redirect("portal_home")
    context = {"form": form, "username": existing}
    return render(request, "portal/welcome.html", context, status=400 if form.errors else 200)
