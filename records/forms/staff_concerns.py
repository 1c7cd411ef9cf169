"""Raising a concern about a member of staff, and the case manager's and HR's handling of it."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms

from records.forms.common import (
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    WHEN_INVALID,
    DateTimeLocalInput,
    Form,
    not_in_future,
)
from records.models import Child, StaffConcern


class StaffConcernForm(Form):
    kind = forms.ChoiceField(
        label="What kind of concern is it?",
        choices=[
            (
                StaffConcern.Kind.LOW_LEVEL.value,
                "A low-level concern: behaviour that does not meet the harm threshold",
            ),
            (
                StaffConcern.Kind.ALLEGATION.value,
                "An allegation: they may have harmed a child, or could pose a risk",
            ),
        ],
        widget=forms.RadioSelect,
        required=False,
        help_text="If you are not sure, choose low-level: the case manager decides.",
    )
    what_happened = forms.CharField(
        label="What did you see, hear or were told?",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Facts, as you saw or heard them. Do not investigate, and do not tell the person.",
        error_messages={"required": "Describe what you saw, heard or were told."},
    )
    occurred_at = forms.DateTimeField(
        label="When",
        input_formats=DATETIME_INPUT_FORMATS,
        widget=DateTimeLocalInput(),
        error_messages={"required": "Say when it happened.", "invalid": WHEN_INVALID},
    )
    child = forms.ChoiceField(label="A child involved", required=False)

    def __init__(self, *args: Any, children: list[Child], self_referral: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["child"]).choices = [
            ("", "No child, or I do not know"),
            *((str(c.pk), f"{c.last_name}, {c.first_name}") for c in children),
        ]
        if self_referral:
            del self.fields["kind"]

    def clean_occurred_at(self) -> datetime.datetime:
        value: datetime.datetime = self.cleaned_data["occurred_at"]
        not_in_future(value)
        return value


class CaseRecordForm(Form):
    """The allegation's record: LADO, Ofsted, suspension or risk assessment, police, DBS."""

    prefix = "record"

    lado_contacted_at = forms.DateTimeField(
        label="LADO contacted at",
        required=False,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=DateTimeLocalInput(),
        help_text="Within 24 hours of the allegation.",
        error_messages={"invalid": WHEN_INVALID},
    )
    lado_officer = forms.CharField(label="LADO's name", max_length=200, required=False)
    lado_reference = forms.CharField(label="LADO's reference", max_length=100, required=False)
    lado_advice = forms.CharField(
        label="Advice given", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    ofsted_notified_on = forms.DateField(
        label="Ofsted told on",
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Within 14 days (EYFS: failing to is an offence).",
    )
    ofsted_reference = forms.CharField(label="Ofsted's reference", max_length=100, required=False)
    suspension = forms.ChoiceField(
        label="Suspension or risk assessment", choices=StaffConcern.Suspension.choices, required=False
    )
    suspension_note = forms.CharField(
        label="Suspension or risk assessment: details",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    police = forms.ChoiceField(label="Police", choices=StaffConcern.Police.choices, required=False)
    police_note = forms.CharField(
        label="Police: details", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    dbs = forms.ChoiceField(label="DBS referral", choices=StaffConcern.Dbs.choices, required=False)
    dbs_note = forms.CharField(
        label="DBS referral: reasons", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def changes(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class CaseNoteForm(Form):
    prefix = "note"

    text = forms.CharField(
        label="Note",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the note."},
    )


class CaseReferForm(Form):
    prefix = "refer"

    reason = forms.CharField(
        label="Why it meets the harm threshold",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why it meets the harm threshold."},
    )


class CaseCloseForm(Form):
    prefix = "close"

    outcome = forms.ChoiceField(
        label="Outcome", error_messages={"required": "Choose an outcome from the list."}
    )
    note = forms.CharField(
        label="What was decided, and why",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what was decided and why."},
    )

    def __init__(self, *args: Any, outcomes: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["outcome"]).choices = [
            ("", "Choose…"),
            *((o, StaffConcern.Outcome(o).label) for o in outcomes),
        ]
