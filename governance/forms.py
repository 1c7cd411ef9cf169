"""The governance pages' forms: policies, versions, adoption, acknowledgement, induction and training."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from access.models import STAFF_ROLES, Role
from crypto import attachments
from governance.models import PolicyKind, TrainingKind
from records.forms.common import DATE_INPUT_FORMATS, Form

ACKNOWLEDGING_ROLES = [
    (r.value, r.label) for r in Role if r in STAFF_ROLES or r in (Role.TRUSTEE, Role.CHAIR)
]


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=help_text,
        error_messages={"invalid": "Enter a date, for example 20/11/2026."},
    )


def _checked(upload: Any) -> attachments.CheckedUpload | None:
    """An uploaded PDF, read and checked (a message next to the field if it is not one)."""
    if not upload:
        return None
    checked = attachments.check_upload(upload)
    if checked.content_type != attachments.PDF:
        raise forms.ValidationError("Upload a PDF.")
    return checked


class PolicyForm(Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Give the policy a title."}
    )
    kind = forms.ChoiceField(label="Kind of policy", choices=PolicyKind.choices)
    published_to_parents = forms.BooleanField(
        label="Published to parents",
        required=False,
        help_text="Parents see it in the portal, and are asked to read it when it changes.",
    )


class VersionForm(Form):
    version = forms.CharField(
        label="Version",
        max_length=20,
        help_text="For example 3, or 2026.",
        error_messages={"required": "Give the version a number or name, for example 3 or 2026."},
    )
    text = forms.CharField(
        label="The policy",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Plain text with simple formatting: a line starting with ## is a heading, - starts a list.",
    )
    document = forms.FileField(label="Or the policy as a PDF", required=False)
    summary_of_changes = forms.CharField(
        label="What changed", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    roles = forms.MultipleChoiceField(
        label="Who must read and acknowledge it",
        choices=ACKNOWLEDGING_ROLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    review_by = date_field("To be reviewed by")
    grace_days = forms.IntegerField(
        label="Days to read it",
        min_value=0,
        max_value=60,
        initial=settings.GOVERNANCE_GRACE_DAYS,
        help_text="After adoption, people are reminded for this many days; then files close to anyone who "
        "has not read it.",
    )

    def clean_document(self) -> attachments.CheckedUpload | None:
        return _checked(self.cleaned_data.get("document"))


class SignForm(Form):
    meeting_on = date_field("Date of the meeting that adopted it")
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Entering it signs the policy on behalf of the trustees.",
        error_messages={"required": "Enter your password to sign."},
    )


class SignedCopyForm(Form):
    prefix = "copy"

    meeting_on = date_field("Date of the meeting that adopted it")
    chair_name = forms.CharField(label="The chair's name", max_length=200, required=False)
    signed_copy = forms.FileField(label="The signed copy (PDF)", required=False)

    def clean_signed_copy(self) -> attachments.CheckedUpload | None:
        return _checked(self.cleaned_data.get("signed_copy"))


class AcknowledgeForm(Form):
    confirmed = forms.BooleanField(
        label="I have read this policy and I will follow it",
        error_messages={"required": "Tick the box to say you have read the policy and will follow it."},
    )


class InductionTickForm(Form):
    done_on = date_field("Done on")


class TrainingForm(Form):
    prefix = "training"

    kind = forms.ChoiceField(label="Training", choices=[("", "Choose…"), *TrainingKind.choices])
    completed_on = date_field("Completed on")
