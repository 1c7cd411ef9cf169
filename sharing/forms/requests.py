"""Logging a request for information, and deciding it."""

from __future__ import annotations

from typing import Any

from django import forms

from crypto.attachments import CheckedUpload
from records.forms.common import (
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    WHEN_INVALID,
    DateTimeLocalInput,
    Form,
)
from sharing.forms.fields import RecipientChoiceField, checked_upload
from sharing.models import DecisionOutcome, Recipient, RequestAuthority


class RequestForm(Form):
    def __init__(self, *args: Any, recipients: list[Recipient], dsl: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {
            "authority": forms.ChoiceField(
                label="On what authority",
                choices=[("", "Choose…"), *RequestAuthority.choices],
                help_text="Police requests have no automatic right to information: the setting decides.",
                error_messages={"required": "Say on what authority they ask."},
            ),
            "requester_name": forms.CharField(
                label="Who asked", max_length=200, error_messages={"required": "Say who asked."}
            ),
            "requester_organisation": forms.CharField(
                label="Their organisation", max_length=200, required=False
            ),
            "recipient": RecipientChoiceField(
                label="Their directory entry, if they have one",
                queryset=Recipient.objects.filter(pk__in=[r.pk for r in recipients]),
                required=False,
                empty_label="Not in the directory",
            ),
            "reference": forms.CharField(label="Their reference", max_length=100, required=False),
            "asked_for": forms.CharField(
                label="What they asked for",
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": "Say what they asked for."},
            ),
            "received_at": forms.DateTimeField(
                label="When it arrived",
                input_formats=DATETIME_INPUT_FORMATS,
                widget=DateTimeLocalInput(),
                error_messages={"required": "Say when the request arrived.", "invalid": WHEN_INVALID},
            ),
            "respond_by": forms.DateField(
                label="Answer by",
                required=False,
                input_formats=DATE_INPUT_FORMATS,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={"invalid": "Enter a date, for example 30/11/2026."},
            ),
            "request_form": forms.FileField(
                label="The request form",
                required=False,
                help_text="Kept in the child's file as correspondence (for the police, the signed form).",
            ),
        }
        if dsl:
            fields["safeguarding"] = forms.BooleanField(
                label="Keep it in the safeguarding file", required=False, help_text="Seen only by the DSL."
            )
        self.fields = fields

    def clean_request_form(self) -> CheckedUpload | None:
        return checked_upload(self.cleaned_data.get("request_form"))


class DecideForm(Form):
    prefix = "decide"
    outcome = forms.ChoiceField(
        label="The decision",
        choices=DecisionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision."},
    )
    reason = forms.CharField(
        label="The reason",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Always recorded, whatever the decision.",
        error_messages={"required": "Give the reason for the decision. It is kept with it."},
    )
