"""Writing in a file: a record with its category's questions, amending, adding to it, signing it off."""

import datetime
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import lazy

from access.models import User
from access.services import lockout
from crypto.attachments import ACCEPTED_SUMMARY, CheckedUpload, check_upload
from records.categories import Question, Spec, spec_for
from records.forms.common import (
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    WHEN_INVALID,
    DateTimeLocalInput,
    Form,
    not_in_future,
)
from records.models import NEVER_TO_PARENTS, Source


def attachment_help() -> str:
    return f"{ACCEPTED_SUMMARY}, up to {filesizeformat(settings.ATTACHMENT_MAX_BYTES)}."


# Read when the form is shown, so it follows the setting (tests change it).
ATTACHMENT_HELP = lazy(attachment_help, str)()


class AttachmentForm(Form):
    file = forms.FileField(label="Attach a file", help_text=ATTACHMENT_HELP)

    def clean_file(self) -> CheckedUpload:
        try:
            return check_upload(self.cleaned_data["file"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


def question_field(question: Question) -> forms.Field:
    required = {"required": f"Answer “{question.label}”."}
    if question.kind == "choice":
        return forms.ChoiceField(
            label=question.label,
            choices=[("", "Choose…"), *question.choices],
            required=question.required,
            help_text=question.help_text,
            error_messages={"required": f"Choose “{question.label}”."},
        )
    if question.kind == "date":
        return forms.DateField(
            label=question.label,
            required=question.required,
            help_text=question.help_text,
            input_formats=DATE_INPUT_FORMATS,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={**required, "invalid": "Enter a date, for example 20/11/2026."},
        )
    widget = forms.Textarea(attrs={"rows": 3}) if question.kind == "textarea" else forms.TextInput()
    return forms.CharField(
        label=question.label,
        required=question.required,
        help_text=question.help_text,
        max_length=5000 if question.kind == "textarea" else 300,
        widget=widget,
        error_messages=required,
    )


class CategoryQuestionsMixin:
    """Adds a category's own questions (records/categories.py) to a form, and
    gathers the answers as ``details``."""

    spec: Spec
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_questions(self, category: str) -> None:
        self.spec = spec_for(category)
        body = self.fields["body"]
        body.label, body.required, body.help_text = (
            self.spec.body_label,
            self.spec.body_required,
            self.spec.body_help,
        )
        body.error_messages["required"] = f"Fill in “{self.spec.body_label}”."
        for question in self.spec.questions:
            self.fields[question.name] = question_field(question)

    def clean_questions(self) -> None:
        for question in self.spec.questions:
            value = self.cleaned_data.get(question.name)
            if question.kind == "date" and value and value > timezone.localdate():
                self.add_error(question.name, "That date is in the future.")  # type: ignore[attr-defined]

    def details(self) -> dict[str, str]:
        answers: dict[str, str] = {}
        for question in self.spec.questions:
            value = self.cleaned_data.get(question.name)
            if value is None or value == "":
                continue
            answers[question.name] = value.isoformat() if isinstance(value, datetime.date) else value
        return answers


STAFF_FILE_SOURCES = [
    (Source.STAFF, "Staff (the member of staff, a manager or HR)"),
    (Source.AGENCY, "Another organisation (a referee, occupational health, a training provider)"),
    (Source.OTHER, "Other"),
]


class RecordForm(CategoryQuestionsMixin, Form):
    """Adding a record: the category is chosen first, and the form asks what it needs."""

    title = forms.CharField(
        max_length=200,
        help_text="A short summary, for the list of records.",
        error_messages={"required": "Give the record a short title."},
    )
    body = forms.CharField(label="Record", widget=forms.Textarea(attrs={"rows": 8}), required=False)
    occurred_at = forms.DateTimeField(
        label="When it happened",
        input_formats=DATETIME_INPUT_FORMATS,
        widget=DateTimeLocalInput(),
        error_messages={"required": "Say when it happened.", "invalid": WHEN_INVALID},
    )
    source = forms.ChoiceField(
        label="Who provided the information",
        choices=Source.choices,
        initial=Source.STAFF,
        error_messages={"required": "Say who provided the information."},
    )
    source_name = forms.CharField(
        label="Their name or organisation",
        max_length=200,
        required=False,
        help_text="For example the parent's name or the agency.",
    )
    file = forms.FileField(label="Attach a file", required=False, help_text=ATTACHMENT_HELP)
    # The category says whether parents see such a record (records/categories.py):
    # staff withhold one that parents would see, or share one they would not.
    withhold_from_parents = forms.BooleanField(
        label="Withhold this record from parents",
        required=False,
        help_text="Parents and carers with parental responsibility see this kind of record in the portal, "
        "unless you withhold it.",
    )
    withheld_reason = forms.CharField(
        label="Why parents should not see it",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when withholding; for example: it includes information about another person. "
        "Management can read this reason; parents never see it.",
    )
    share_with_parents = forms.BooleanField(
        label="Share this record with parents in the portal",
        required=False,
        help_text="Parents do not see this kind of record unless you share it.",
    )
    # A report or letter from another agency is theirs to share: asked before parents see it.
    originator_agrees = forms.BooleanField(
        label="The agency that wrote it agrees to parents seeing it",
        required=False,
        help_text="Check with them first. Without it, parents will not see this record.",
    )

    def __init__(self, *args: Any, category: str, in_staff_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category = category
        self.add_questions(category)
        if self.spec.source or self.spec.source_question:
            # The category says where the information came from.
            del self.fields["source"], self.fields["source_name"]
        elif in_staff_file:
            # Nothing in a staff file comes from a parent or a child.
            cast(forms.ChoiceField, self.fields["source"]).choices = STAFF_FILE_SOURCES
            self.fields["source_name"].help_text = "For example the person's name, or the organisation."
        if in_staff_file or category in NEVER_TO_PARENTS:
            sharing: tuple[str, ...] = ()
        elif self.spec.parents_see:
            sharing = ("withhold_from_parents", "withheld_reason")
        else:
            sharing = ("share_with_parents",)
        if sharing and self.spec.source == Source.AGENCY:
            sharing = (*sharing, "originator_agrees")
        for name in ("withhold_from_parents", "withheld_reason", "share_with_parents", "originator_agrees"):
            field = self.fields.pop(name)
            if name in sharing:
                self.fields[name] = field
        # The file goes last, after the category's questions.
        self.fields["file"] = self.fields.pop("file")

    def clean_occurred_at(self) -> datetime.datetime:
        value: datetime.datetime = self.cleaned_data["occurred_at"]
        not_in_future(value)
        return value

    def clean_file(self) -> CheckedUpload | None:
        uploaded = self.cleaned_data.get("file")
        if not uploaded:
            return None
        try:
            return check_upload(uploaded)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.clean_questions()
        if cleaned.get("withhold_from_parents") and not (cleaned.get("withheld_reason") or "").strip():
            self.add_error("withheld_reason", "Say why parents should not see this record.")
        if (
            "originator_agrees" in self.fields
            and self.shown_to_parents()
            and not cleaned.get("originator_agrees")
        ):
            self.add_error(
                "originator_agrees",
                "This came from another agency: check they agree to parents seeing it, "
                "or withhold it from parents.",
            )
        return cleaned

    def shown_to_parents(self) -> bool:
        data = self.cleaned_data
        if "withhold_from_parents" in self.fields:
            return not data.get("withhold_from_parents")
        return bool(data.get("share_with_parents"))

    def record_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        source = self.spec.source or data.get("source") or Source.STAFF
        if self.spec.source_question:
            source_name = data.get(self.spec.source_question) or ""
            if self.spec.source is None:
                source = Source.OTHER
        else:
            source_name = data.get("source_name", "")
        fields = {
            "category": self.category,
            "title": data["title"],
            "body": data["body"],
            "occurred_at": data["occurred_at"],
            "source": source,
            "source_name": source_name,
            "details": self.details(),
        }
        if "withhold_from_parents" in self.fields:
            withheld = bool(data.get("withhold_from_parents"))
            fields["visible_to_parents"] = not withheld
            fields["withheld_reason"] = (data.get("withheld_reason") or "").strip() if withheld else ""
        elif "share_with_parents" in self.fields:
            fields["visible_to_parents"] = bool(data.get("share_with_parents"))
        return fields

    def service_arguments(self) -> dict[str, Any]:
        """The keyword arguments of the service that adds the record."""
        return {**self.record_fields(), "upload": self.cleaned_data["file"]}


class AmendForm(CategoryQuestionsMixin, Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Give the record a short title."})
    body = forms.CharField(label="Record", widget=forms.Textarea(attrs={"rows": 8}), required=False)
    reason = forms.CharField(
        label="Why are you amending it?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The original is kept; your amendment and this reason are added to its history.",
        error_messages={"required": "Say why you are amending the record."},
    )

    def __init__(self, *args: Any, category: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_questions(category)
        self.fields["reason"] = self.fields.pop("reason")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.clean_questions()
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """The keyword arguments of the service that amends the record."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "reason": data["reason"],
            "details": self.details(),
        }


class SignOffForm(Form):
    prefix = "sign"

    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Added to the record with your signature.",
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Signing is done by you in person: type your password to sign.",
        error_messages={"required": "Type your password to sign."},
    )

    def __init__(self, *args: Any, user: User, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self) -> str:
        """Checked on the sign-in counter: refused while locked out, each failure audited."""
        password: str = self.cleaned_data["password"]
        try:
            lockout.password_recheck(request=self.request, user=self.user, password=password)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return password


class ReturnForm(Form):
    prefix = "return"

    reason = forms.CharField(
        label="What needs correcting?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The author is told, and the reason is kept with the record.",
        error_messages={"required": "Say what needs correcting."},
    )


class AddendumForm(Form):
    prefix = "addendum"

    text = forms.CharField(
        label="Add to this record",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The record itself is not changed; this is added below it with your name and the time.",
        error_messages={"required": "Write what you want to add."},
    )
