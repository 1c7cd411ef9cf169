"""The directory entry form (managers)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from records.forms.common import DATE_INPUT_FORMATS, Form
from records.models import Site
from sharing.models import Basis, RecipientKind, SecureChannel


class RecipientForm(Form):
    site = forms.ModelChoiceField(
        label="Setting", queryset=Site.objects.none(), error_messages={"required": "Choose the setting."}
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("", "Choose…"), *RecipientKind.choices],
        help_text="There is no kind for the media: nothing about a child is ever passed to the media. "
        "An entry of kind “other” needs a second approver before it can be used.",
        error_messages={"required": "Choose what kind of recipient it is."},
    )
    name = forms.CharField(
        label="Organisation or team",
        max_length=200,
        help_text="For example Leeds Health Visiting Team (North).",
        error_messages={"required": "Give the organisation or team's name."},
    )
    contact_name = forms.CharField(label="Named contact", max_length=200, required=False)
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    email = forms.EmailField(label="E-mail", required=False)
    secure_email = forms.EmailField(
        label="Secure e-mail", required=False, help_text="Where bundles are sent, if there is one."
    )
    address = forms.CharField(label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    secure_channel = forms.ChoiceField(
        label="How information is sent securely",
        choices=[("", "Choose…"), *SecureChannel.choices],
        error_messages={"required": "Say how information is sent to them securely."},
    )
    agreement_reference = forms.CharField(
        label="Data-sharing agreement reference", max_length=100, required=False
    )
    agreement_review_on = forms.DateField(
        label="Agreement review date",
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date, for example 31/08/2027."},
    )
    default_basis = forms.ChoiceField(
        label="Usual lawful basis",
        choices=[("", "None: decided each time"), *Basis.choices],
        required=False,
        help_text="Offered first when sharing with them; the person sharing still decides.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, sites: list[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[Site], self.fields["site"])
        field.queryset = Site.objects.filter(pk__in=[s.pk for s in sites])
        if len(sites) == 1:
            field.initial = sites[0].pk
