"""Choice fields that name their options in plain words, and the checkbox lists
sharing asks with (rendered as a fieldset: templates/sharing/includes/field.html)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from crypto.attachments import CheckedUpload, check_upload
from records.models import ChildCarer
from sharing.models import Recipient, RecipientKind


def carer_label(link: ChildCarer) -> str:
    flags = []
    if link.restricted_contact:
        flags.append("court restriction")
    if not link.parental_responsibility:
        flags.append("no parental responsibility")
    extra = f" ({', '.join(flags)})" if flags else ""
    return f"{link.carer.full_name}, {link.get_relationship_display().lower()}{extra}"


def recipient_label(recipient: Recipient) -> str:
    return f"{recipient.label}: {RecipientKind(recipient.kind).label}"


class CarerChoiceField(forms.ModelChoiceField[ChildCarer]):
    def label_from_instance(self, obj: ChildCarer) -> str:
        return carer_label(obj)


class RecipientChoiceField(forms.ModelChoiceField[Recipient]):
    def label_from_instance(self, obj: Recipient) -> str:
        return recipient_label(obj)


class RecipientsField(forms.ModelMultipleChoiceField[Recipient]):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Recipient) -> str:
        return recipient_label(obj)


def checked_upload(uploaded: object) -> CheckedUpload | None:
    """An optional uploaded file, checked and read (its problems said next to the field)."""
    if not uploaded:
        return None
    try:
        return check_upload(uploaded)
    except ValidationError as error:
        raise forms.ValidationError(error.messages) from None
