from __future__ import annotations

from typing import Any

from django import forms

from audit.models import Event


class AuditFilterForm(forms.Form):
    person = forms.ModelChoiceField(queryset=None, required=False, empty_label="Anyone")
    event = forms.ChoiceField(choices=[("", "Anything"), *Event.choices], required=False, label="What")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    child = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        return data
