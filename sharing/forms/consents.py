"""Recording, confirming and withdrawing a consent (staff), and giving or
withdrawing one in the portal (parents)."""

from __future__ import annotations

from typing import Any

from django import forms

from access.models import User
from crypto.attachments import CheckedUpload
from records.categories import CHILD_CATEGORIES
from records.forms.common import (
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    WHEN_INVALID,
    DateTimeLocalInput,
    Form,
)
from records.models import Category, ChildCarer
from sharing.forms.fields import CarerChoiceField, RecipientsField, checked_upload
from sharing.models import CONSENT_PURPOSES, ConsentMethod, Recipient, RecipientKind

CATEGORY_CHOICES = [(c.value, Category(c).label) for c in CHILD_CATEGORIES]
PURPOSE_CHOICES = [(p.value, p.label) for p in CONSENT_PURPOSES]
Checkboxes = forms.CheckboxSelectMultiple


class ScopeFields(Form):
    """What a consent covers: asked the same way of staff and parents."""

    purposes = forms.MultipleChoiceField(
        label="What it is for",
        choices=PURPOSE_CHOICES,
        widget=Checkboxes,
        error_messages={"required": "Choose what the consent is for."},
    )
    purpose_detail = forms.CharField(
        label="In words", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    categories = forms.MultipleChoiceField(
        label="Which information may be shared",
        choices=CATEGORY_CHOICES,
        widget=Checkboxes,
        error_messages={"required": "Choose which information may be shared."},
    )
    recipient_kinds = forms.MultipleChoiceField(
        label="With whom",
        choices=RecipientKind.choices,
        widget=Checkboxes,
        required=False,
        help_text="Kinds of recipient; or name them below.",
    )


class ConsentForm(ScopeFields):
    field_order = ["given_by", "method", "witness", "signed_form", "given_at"]

    def __init__(
        self,
        *args: Any,
        links: list[ChildCarer],
        recipients: list[Recipient],
        witnesses: list[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_by"] = CarerChoiceField(
            label="Who gave it",
            queryset=ChildCarer.objects.filter(pk__in=[link.pk for link in links]),
            empty_label="Choose…",
            help_text="A parent or carer with parental responsibility, not under a court restriction.",
            error_messages={"required": "Choose who gave the consent."},
        )
        self.fields["recipients"] = RecipientsField(
            label="Named recipients",
            queryset=Recipient.objects.filter(pk__in=[r.pk for r in recipients]),
            required=False,
        )
        self.fields["method"] = forms.ChoiceField(
            label="How it was given",
            choices=[("", "Choose…"), *[c for c in ConsentMethod.choices if c[0] != ConsentMethod.PORTAL]],
            error_messages={"required": "Say how the consent was given."},
        )
        self.fields["witness"] = forms.ModelChoiceField(
            label="Witness (for a verbal consent)",
            queryset=User.objects.filter(pk__in=[w.pk for w in witnesses]),
            required=False,
            empty_label="Choose…",
        )
        self.fields["signed_form"] = forms.FileField(
            label="The signed form (for a signed form)", required=False
        )
        self.fields["given_at"] = forms.DateTimeField(
            label="When it was given",
            input_formats=DATETIME_INPUT_FORMATS,
            widget=DateTimeLocalInput(),
            error_messages={"required": "Say when the consent was given.", "invalid": WHEN_INVALID},
        )
        self.fields["told"] = forms.CharField(
            label="What they were told",
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="What sharing means for them, and that they can withdraw at any time.",
            error_messages={"required": "Write what the parent was told."},
        )
        self.fields["form_version"] = forms.CharField(
            label="Consent form and version",
            max_length=100,
            error_messages={"required": "Name the form and its version, for example Sharing consent v3."},
        )
        self.fields["expires_on"] = forms.DateField(
            label="Review or expiry date",
            required=False,
            input_formats=DATE_INPUT_FORMATS,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            help_text="Leave empty for a year after it was given.",
            error_messages={"invalid": "Enter a date, for example 31/08/2027."},
        )
        self.order_fields(
            [
                "given_by",
                "purposes",
                "purpose_detail",
                "categories",
                "recipient_kinds",
                "recipients",
                "method",
                "witness",
                "signed_form",
                "given_at",
                "told",
                "form_version",
                "expires_on",
            ]
        )

    def clean_signed_form(self) -> CheckedUpload | None:
        return checked_upload(self.cleaned_data.get("signed_form"))


class ConfirmConsentForm(Form):
    prefix = "confirm"
    confirmed = forms.TypedChoiceField(
        label="Your decision",
        choices=[("yes", "Confirm it: it is in force"), ("no", "Do not confirm it")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to confirm it."},
    )
    note = forms.CharField(
        label="Why not (if not confirmed)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class WithdrawConsentForm(Form):
    """Staff record a withdrawal a parent told them about."""

    prefix = "withdraw"

    def __init__(self, *args: Any, links: list[ChildCarer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_by"] = CarerChoiceField(
            label="Who withdrew it",
            queryset=ChildCarer.objects.filter(pk__in=[link.pk for link in links]),
            empty_label="Choose…",
            help_text="Any one parent or carer with parental responsibility can withdraw it.",
            error_messages={"required": "Choose who withdrew the consent."},
        )
        self.fields["note"] = forms.CharField(
            label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
        )


class PortalConsentForm(ScopeFields):
    prefix = "give"
    understood = forms.BooleanField(
        label="I have read what this consent means",
        error_messages={"required": "Tick to say you have read what this consent means."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient_kinds"].required = True
        self.fields["recipient_kinds"].error_messages["required"] = "Choose who it may be shared with."
        self.fields["recipient_kinds"].help_text = ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned.pop("understood", None)
        return cleaned


class PortalWithdrawForm(Form):
    prefix = "withdraw"
    sure = forms.BooleanField(
        label="I want to withdraw this consent",
        help_text="It stops at once: nothing more is shared on it.",
        error_messages={"required": "Tick to say you want to withdraw this consent."},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned.pop("sure", None)
        return cleaned
