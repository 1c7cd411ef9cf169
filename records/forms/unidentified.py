"""A concern about a child the person cannot identify fully, and the DSL's filing of it."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from records.forms.common import Form
from records.forms.concerns import ConcernForm
from records.models import Site


class UnidentifiedConcernForm(ConcernForm):
    """The concern form, with a description of the child in place of their name."""

    description = forms.CharField(
        label="Which child? Describe them",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A name you heard, their age, which room or group, what they look like, who brings "
        "or collects them. The safeguarding lead will find the child.",
        error_messages={
            "required": "Describe the child: a name you heard, their age, room, who they were with."
        },
    )
    site = forms.ModelChoiceField(
        label="At which setting?",
        queryset=Site.objects.none(),
        error_messages={"required": "Choose the setting.", "invalid_choice": "Choose one of your settings."},
    )

    field_order = ["site", "description"]

    def __init__(self, *args: Any, sites: list[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Site]", self.fields["site"])
        field.queryset = Site.objects.filter(pk__in=[s.pk for s in sites])
        self.only_site = sites[0] if len(sites) == 1 else None
        if self.only_site is not None:  # nothing to choose
            field.required, field.widget = False, forms.HiddenInput()
        self.order_fields(self.field_order)

    def clean_site(self) -> Site | None:
        site: Site | None = self.cleaned_data.get("site")
        return site or self.only_site


class UnidentifiedLinkForm(Form):
    """The child the safeguarding lead found (its id, chosen from the search)."""

    child = forms.UUIDField(widget=forms.HiddenInput, error_messages={"required": "Choose the child."})
