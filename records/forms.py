import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from records.attachments import ACCEPTED_SUMMARY, CheckedUpload, check_upload
from records.models import Category, Source


class ChildSearchForm(forms.Form):
    query = forms.CharField(
        label="Find a child",
        max_length=200,
        error_messages={"required": "Type a name or a date of birth to search for."},
        help_text="A first name, a last name, a full name or a date of birth (for example 14/03/2022). "
        "Search is exact: spelling must match, capitals and accents do not matter.",
    )


def attachment_help() -> str:
    return f"{ACCEPTED_SUMMARY}, up to {filesizeformat(settings.ATTACHMENT_MAX_BYTES)}."


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Attach a file", help_text=attachment_help)

    def clean_file(self) -> CheckedUpload:
        try:
            return check_upload(self.cleaned_data["file"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y"]
WHEN_INVALID = "Enter a date and time, for example 20/11/2026 09:15."


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)  # type: ignore[arg-type]


GENERAL_CATEGORIES = [
    (c.value, c.label) for c in Category if c not in (Category.SAFEGUARDING_CONCERN, Category.STAFF_RECORD)
]


class RecordForm(forms.Form):
    category = forms.ChoiceField(choices=[("", "Choose…"), *GENERAL_CATEGORIES],
                                 error_messages={"required": "Choose what kind of record this is."})
    title = forms.CharField(max_length=200, help_text="A short summary, for the list of records.",
                            error_messages={"required": "Give the record a short title."})
    body = forms.CharField(label="Record", widget=forms.Textarea(attrs={"rows": 8}), required=False)
    occurred_at = forms.DateTimeField(
        label="When it happened", input_formats=DATETIME_INPUT_FORMATS, widget=DateTimeLocalInput(),
        error_messages={"required": "Say when it happened.", "invalid": WHEN_INVALID},
    )
    source = forms.ChoiceField(label="Who provided the information", choices=Source.choices,
                               initial=Source.STAFF)
    source_name = forms.CharField(
        label="Their name or organisation", max_length=200, required=False,
        help_text="For example the parent's name or the agency.",
    )
    file = forms.FileField(label="Attach a file", required=False, help_text=attachment_help)

    def clean_occurred_at(self) -> datetime.datetime:
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError("That time is in the future. When did it happen?")
        return value

    def clean_file(self) -> CheckedUpload | None:
        uploaded = self.cleaned_data.get("file")
        if not uploaded:
            return None
        try:
            return check_upload(uploaded)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


class AmendForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Give the record a short title."})
    body = forms.CharField(label="Record", widget=forms.Textarea(attrs={"rows": 8}), required=False)
    reason = forms.CharField(
        label="Why are you amending it?", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The original is kept; your amendment and this reason are added to its history.",
        error_messages={"required": "Say why you are amending the record."},
    )


class ConcernForm(forms.Form):
    what_happened = forms.CharField(
        label="What did you see or hear?", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Facts, as you saw or heard them. Do not investigate or ask leading questions.",
        error_messages={"required": "Describe what you saw or heard."},
    )
    childs_words = forms.CharField(
        label="What did the child say, in their own words?", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    occurred_at = forms.DateTimeField(
        label="When", input_formats=DATETIME_INPUT_FORMATS, widget=DateTimeLocalInput(),
        error_messages={"required": "Say when it happened.", "invalid": WHEN_INVALID},
    )
    where = forms.CharField(label="Where", max_length=200, required=False)
    who_present = forms.CharField(label="Who else was present", max_length=300, required=False)
    body_map_note = forms.CharField(
        label="Marks or injuries (body map note)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where on the body, size, colour, shape. Do not photograph.",
    )
    actions_taken = forms.CharField(
        label="What have you done so far?", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
