import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from records.attachments import ACCEPTED_SUMMARY, CheckedUpload, check_upload
from records.categories import Question, Spec, spec_for
from records.models import NEVER_TO_PARENTS, Addendum, Child, CorrectionRequest, Source


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


def not_in_future(value: datetime.datetime) -> None:
    if value > timezone.now() + datetime.timedelta(minutes=5):
        raise forms.ValidationError("That time is in the future. When did it happen?")


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


DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


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
        answers = {}
        for question in self.spec.questions:
            value = self.cleaned_data.get(question.name)
            if value in (None, ""):
                continue
            answers[question.name] = value.isoformat() if isinstance(value, datetime.date) else value
        return answers


class RecordForm(CategoryQuestionsMixin, forms.Form):
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
    file = forms.FileField(label="Attach a file", required=False, help_text=attachment_help)
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

    def __init__(self, *args: Any, category: str, in_staff_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category = category
        self.add_questions(category)
        if self.spec.source or self.spec.source_question:
            # The category says where the information came from.
            del self.fields["source"], self.fields["source_name"]
        if in_staff_file or category in NEVER_TO_PARENTS:
            sharing: tuple[str, ...] = ()
        elif self.spec.parents_see:
            sharing = ("withhold_from_parents", "withheld_reason")
        else:
            sharing = ("share_with_parents",)
        for name in ("withhold_from_parents", "withheld_reason", "share_with_parents"):
            field = self.fields.pop(name)
            if name in sharing:
                self.fields[name] = field
        # The file goes last, after the category's questions.
        self.fields["file"] = self.fields.pop("file")

    def clean_occurred_at(self) -> datetime.datetime:
        value = self.cleaned_data["occurred_at"]
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
        return cleaned

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


class AmendForm(CategoryQuestionsMixin, forms.Form):
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

    def amendment(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "reason": data["reason"],
            "details": self.details(),
        }


class ConcernForm(forms.Form):
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
        value = self.cleaned_data["occurred_at"]
        not_in_future(value)
        return value


class ChildFilterForm(forms.Form):
    """Narrowing the child list. Nothing here is personal, so it travels in the URL."""

    STATUS_CHOICES = [("", "Current (not left)"), *Child.Status.choices, ("all", "Any status")]

    site = forms.ChoiceField(label="Setting", required=False)
    room = forms.ChoiceField(label="Room or group", required=False)
    key_worker = forms.ChoiceField(label="Key person", required=False)
    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES, required=False)

    def __init__(
        self, *args: Any, sites: list[Any], rooms: list[str], key_workers: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [("", "All settings"), *((str(s.pk), s.name) for s in sites)]
        self.fields["room"].choices = [("", "All rooms"), *((r, r) for r in rooms)]
        self.fields["key_worker"].choices = [
            ("", "Anyone"),
            ("me", "Me"),
            *((str(u.pk), u.get_full_name() or u.username) for u in key_workers),
        ]


class SignOffForm(forms.Form):
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

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password. The record is not signed.")
        return password


class ReturnForm(forms.Form):
    prefix = "return"

    reason = forms.CharField(
        label="What needs correcting?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The author is told, and the reason is kept with the record.",
        error_messages={"required": "Say what needs correcting."},
    )


class AddendumForm(forms.Form):
    prefix = "addendum"

    text = forms.CharField(
        label="Add to this record",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The record itself is not changed; this is added below it with your name and the time.",
        error_messages={"required": "Write what you want to add."},
    )


CONCERN_ACTIONS = [
    (Addendum.Kind.DECISION.value, "A decision"),
    (Addendum.Kind.ACTION.value, "An action taken"),
    (Addendum.Kind.REFERRAL.value, "A referral to another agency"),
    (Addendum.Kind.NO_REFERRAL.value, "A decision not to refer"),
    (Addendum.Kind.NOTE.value, "A note"),
]


class ConcernActionForm(forms.Form):
    prefix = "action"

    kind = forms.ChoiceField(
        label="What are you recording?",
        choices=[("", "Choose…"), *CONCERN_ACTIONS],
        error_messages={"required": "Choose what you are recording."},
    )
    agency = forms.CharField(
        label="Referred to",
        max_length=200,
        required=False,
        help_text="For a referral: the agency or team, for example children's social care.",
    )
    text = forms.CharField(
        label="Details and reasons",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For a decision not to refer, the reason is required.",
        error_messages={"required": "Write the details and your reasons."},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("kind") == Addendum.Kind.REFERRAL and not (cleaned.get("agency") or "").strip():
            self.add_error("agency", "Say which agency or team the concern was referred to.")
        return cleaned


class ConcernLinkForm(forms.Form):
    prefix = "link"

    other = forms.ChoiceField(
        label="Link to another concern about this child",
        error_messages={"required": "Choose the concern to link to."},
    )
    text = forms.CharField(
        label="Why they are linked", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, others: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [
            ("", "Choose…"),
            *((str(r.pk), f"{timezone.localtime(r.occurred_at):%-d %b %Y %H:%M}: {r.title}") for r in others),
        ]


class ConcernCloseForm(forms.Form):
    prefix = "close"

    outcome = forms.CharField(
        label="Outcome",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was decided and done, and why the concern can be closed.",
        error_messages={"required": "Record the outcome before closing the concern."},
    )


# --- the parent portal ----------------------------------------------------------


class PortalSendForm(forms.Form):
    title = forms.CharField(
        label="What is it about?",
        max_length=200,
        help_text="A few words, for example “Change of address” or “Grandad is unwell”.",
        error_messages={"required": "Say in a few words what it is about."},
    )
    body = forms.CharField(
        label="What would you like to tell us?",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Senior staff read it and share it with your child's key person.",
        error_messages={"required": "Write what you would like to tell us."},
    )


class PortalCommentForm(forms.Form):
    text = forms.CharField(
        label="Your comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="It is added to the record, with your name and the date.",
        error_messages={"required": "Write your comment."},
    )


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(
        label="What needs correcting?",
        choices=[("", "Choose…"), *CorrectionRequest.Field.choices],
        error_messages={"required": "Choose what needs correcting."},
    )
    proposed = forms.CharField(
        label="The correct information",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the correct information."},
    )
    note = forms.CharField(
        label="Anything staff should know",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        field, value = cleaned.get("field"), (cleaned.get("proposed") or "").strip()
        if field == CorrectionRequest.Field.CARER_EMAIL and value:
            try:
                validate_email(value)
            except ValidationError:
                self.add_error("proposed", "Enter an email address, for example name@example.com.")
        phones = (CorrectionRequest.Field.CHILD_PHONE, CorrectionRequest.Field.CARER_PHONE)
        if field in phones and len(value) > 40:
            self.add_error("proposed", "A phone number has at most 40 characters.")
        return cleaned


class CorrectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("", "Choose…"), ("approve", "Correct the details"), ("decline", "Do not change them")],
        error_messages={"required": "Choose whether to correct the details."},
    )
    note = forms.CharField(
        label="Note for the parent",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when the details are not changed.",
    )


class WelcomeForm(forms.Form):
    """Setting up a portal account from an invitation."""

    username = forms.CharField(
        label="Choose a username",
        max_length=150,
        help_text="Letters, digits and @ . + - _ only. You sign in with it.",
        validators=[UnicodeUsernameValidator()],
        error_messages={"required": "Choose a username."},
    )
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Choose a password."},
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again."},
    )

    def __init__(self, *args: Any, has_username: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_username:
            del self.fields["username"]
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords are different.")
        elif first:
            try:
                password_validation.validate_password(
                    first, get_user_model()(username=cleaned.get("username", ""))
                )
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned
