"""People and their roles at sites (access/views/people.py)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from access.models import User
from records.forms.common import DATETIME_INPUT_FORMATS, DateTimeLocalInput, Form
from records.models import Site


class RoleForm(Form):
    site = forms.ModelChoiceField(label="At", queryset=Site.objects.none(), empty_label=None)
    role = forms.ChoiceField(label="Role", error_messages={"required": "Choose a role."})
    starts_at = forms.DateTimeField(
        label="From", required=False, input_formats=DATETIME_INPUT_FORMATS, widget=DateTimeLocalInput(),
        help_text="Leave empty for now.",
    )  # fmt: skip
    ends_at = forms.DateTimeField(
        label="Until", required=False, input_formats=DATETIME_INPUT_FORMATS, widget=DateTimeLocalInput(),
        help_text="Leave empty until the role is ended (a placement's end, a fixed-term contract).",
    )  # fmt: skip

    def __init__(self, *args: Any, sites: list[Site], roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Site]", self.fields["site"]).queryset = Site.objects.filter(
            pk__in=[s.pk for s in sites]
        )
        cast(forms.ChoiceField, self.fields["role"]).choices = [("", "Choose…"), *roles]


class PersonForm(RoleForm):
    username = forms.CharField(
        label="Username", max_length=150, help_text="What they type to sign in. Not their name, ideally.",
        validators=[User.username_validator],
    )  # fmt: skip
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(
        label="E-mail address", help_text="Where the link to choose a password is sent.",
        error_messages={"invalid": "Enter an e-mail address, for example name@example.org."},
    )  # fmt: skip
    job_title = forms.CharField(label="Job title", max_length=100, required=False)

    field_order = ["first_name", "last_name", "username", "email", "job_title", "site", "role", "starts_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["ends_at"]
        self.order_fields(self.field_order)
