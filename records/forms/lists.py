"""Finding children, and the management queues' forms."""

import uuid
from typing import Any, cast

from django import forms

from access.models import User
from records.forms.common import Form
from records.models import Child, Site


class ChildSearchForm(Form):
    query = forms.CharField(
        label="Search by name or date of birth",
        max_length=200,
        error_messages={"required": "Type a name or a date of birth to search for."},
        help_text="A first name, a last name, a full name or a date of birth (for example 14/03/2022). "
        "Search is exact: spelling must match, capitals and accents do not matter.",
    )


class ChildFindForm(Form):
    q = forms.CharField(
        label="First or last name",
        max_length=100,
        error_messages={"required": "Type two letters or more of a child's name."},
    )

    def clean_q(self) -> str:
        text: str = self.cleaned_data["q"].strip()
        if len(text.replace(" ", "")) < 2:
            raise forms.ValidationError("Type two letters or more of a child's name.")
        return text


class ChildFilterForm(Form):
    """Narrowing the child list. Nothing here is personal, so it travels in the URL."""

    STATUS_CHOICES = [("", "Current (not left)"), *Child.Status.choices, ("all", "Any status")]

    site = forms.ChoiceField(label="Setting", required=False)
    room = forms.ChoiceField(label="Room or group", required=False)
    key_worker = forms.ChoiceField(label="Key person", required=False)
    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES, required=False)

    def __init__(
        self,
        *args: Any,
        sites: list[Site],
        rooms: list[tuple[uuid.UUID, str]],
        key_workers: list[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        site, room, key_worker = (
            cast(forms.ChoiceField, self.fields[n]) for n in ("site", "room", "key_worker")
        )
        site.choices = [("", "All settings"), *((str(s.pk), s.name) for s in sites)]
        room.choices = [("", "All rooms"), *((str(pk), name) for pk, name in rooms)]
        key_worker.choices = [
            ("", "Anyone"),
            ("me", "Me"),
            *((str(u.pk), u.get_full_name() or u.username) for u in key_workers),
        ]


class CorrectionDecisionForm(Form):
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "decision" in cleaned:
            cleaned["approve"] = cleaned.pop("decision") == "approve"
        return cleaned
