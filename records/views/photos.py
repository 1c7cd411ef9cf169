"""A child's photo: taken in or removed by the key person or the setting's management."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from access import policy
from access import selectors as access_selectors
from access.http import AuthenticatedHttpRequest
from audit.models import Event, Tier
from audit.services import audit_event
from crypto.attachments import CheckedUpload, check_upload
from records import selectors
from records.forms.common import Form
from records.models import Child
from records.services import photos as services


class PhotoForm(Form):
    photo = forms.FileField(label="The photo", help_text="A JPEG or PNG picture of the child's face.")

    def clean_photo(self) -> CheckedUpload:
        try:
            return check_upload(self.cleaned_data["photo"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


def _child_for_user(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> Child:
    child = access_selectors.child_get_for_user(user=request.user, child_id=child_id)
    if not child.can_read_general or not policy.may_add_record(policy.standing_of(request.user), child):
        raise Http404
    return child


@require_http_methods(["GET", "POST"])
@login_required
def child_photo(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = _child_for_user(request, child_id)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_photo_set(actor=request.user, child=child, upload=form.cleaned_data["photo"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The photo is saved.")
            return redirect("child_file", child_id=child.pk)
    photo = selectors.photo_of(child)
    audit_event(
        actor=request.user, event=Event.VIEWED, obj=child, request=request, child_id=child.pk,
        tier=Tier.GENERAL, reason="Photo page",
    )  # fmt: skip
    context = {"child": child, "form": form, "photo": photo}
    return render(request, "records/child_photo.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def child_photo_remove(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = _child_for_user(request, child_id)
    services.child_photo_remove(actor=request.user, child=child)
    messages.success(request, "The photo is removed.")
    return redirect("child_file", child_id=child.pk)
