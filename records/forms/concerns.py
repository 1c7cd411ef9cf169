"""Raising a concern, and the DSL's handling of it."""

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone

from records.forms.common import (
    DATETIME_INPUT_FORMATS,
    WHEN_INVALID,
    DateTimeLocalInput,
    Form,
    not_in_future,
)
from records.models import Addendum, Record


class ConcernForm(Form):
    what_happened = forms.CharField(
        label="What did you see or hear?",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Facts, as you saw or heard them. Do not investigate or ask leading questions.",
        error_messages={"required": "Describe what you saw or heard."},
    )
    childs_words = forms.CharField(
        label="What did the child say, in their own words?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    occurred_at = forms.DateTimeField(
        label="When",
        input_formats=DATETIME_INPUT_FORMATS,
        widget=DateTimeLocalInput(),
        error_messages={"required": "Say when it happened.", "invalid": WHEN_INVALID},
    )
    where = forms.CharField(label="Where", max_length=200, required=False)
    who_present = forms.CharField(label="Who else was present", max_length=300, required=False)
    body_map_note = forms.CharField(
        label="Marks or injuries (body map note)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where on the body, size, colour, shape. Do not photograph.",
    )
    actions_taken = forms.CharField(
        label="What have you done so far?", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_occurred_at(self) -> datetime.datetime:
        value: datetime.datetime = self.cleaned_data["occurred_at"]
        not_in_future(value)
        return value


CONCERN_ACTIONS = [
    (Addendum.Kind.DECISION.value, "A decision"),
    (Addendum.Kind.ACTION.value, "An action taken"),
    (Addendum.Kind.NO_REFERRAL.value, "A decision not to refer"),
    (Addendum.Kind.NOTE.value, "A note"),
]


class ConcernActionForm(Form):
    """A decision, action, decision not to refer or note. A referral to another
    agency has its own page (sharing: the concern's "Refer" button)."""

    prefix = "action"

    kind = forms.ChoiceField(
        label="What are you recording?",
        choices=[("", "Choose…"), *CONCERN_ACTIONS],
        error_messages={"required": "Choose what you are recording."},
    )
    text = forms.CharField(
        label="Details and reasons",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For a decision not to refer, the reason is required.",
        error_messages={"required": "Write the details and your reasons."},
    )


class ConcernLinkForm(Form):
    prefix = "link"

    other = forms.ChoiceField(
        label="Link to another concern about this child",
        error_messages={"required": "Choose the concern to link to."},
    )
    text = forms.CharField(
        label="Why they are linked", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, others: list[Record], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["other"]).choices = [
            ("", "Choose…"),
            *((str(r.pk), f"{timezone.localtime(r.occurred_at):%-d %b %Y %H:%M}: {r.title}") for r in others),
        ]


class ConcernCloseForm(Form):
    prefix = "close"

    outcome = forms.CharField(
        label="Outcome",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was decided and done, and why the concern can be closed.",
        error_messages={"required": "Record the outcome before closing the concern."},
    )
