"""The parent portal's forms."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from records.forms.common import Form
from records.models import CorrectionRequest


class PortalSendForm(Form):
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


class PortalCommentForm(Form):
    text = forms.CharField(
        label="Your comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="It is added to the record, with your name and the date.",
        error_messages={"required": "Write your comment."},
    )


class CorrectionForm(Form):
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


class WelcomeForm(Form):
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
