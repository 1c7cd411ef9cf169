"""Filtering the sharing log, and a bulk export's form."""

from __future__ import annotations

from typing import Any

from django import forms

from records.forms.common import DATE_INPUT_FORMATS, Form
from records.models import Child, Site
from sharing.models import Basis, ExportTier, RecipientKind
from sharing.selectors import LogFilters

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LogFilterForm(Form):
    kind = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "Disclosures and decisions"),
            ("disclosures", "Disclosures"),
            ("decisions", "Decisions"),
        ],
    )
    recipient_kind = forms.ChoiceField(
        label="Recipient", required=False, choices=[("", "Any kind"), *RecipientKind.choices]
    )
    basis = forms.ChoiceField(label="Basis", required=False, choices=[("", "Any basis"), *Basis.choices])
    date_from = forms.DateField(
        label="From", required=False, input_formats=DATE_INPUT_FORMATS, widget=DATE_WIDGET
    )
    date_to = forms.DateField(
        label="To", required=False, input_formats=DATE_INPUT_FORMATS, widget=DATE_WIDGET
    )

    def filters(self) -> LogFilters:
        """What was asked for (nothing, when the form is not valid)."""
        if not self.is_bound or not self.is_valid():
            return LogFilters()
        return LogFilters(**self.cleaned_data)


class ExportForm(Form):
    def __init__(
        self, *args: Any, sites: list[Site], children: list[Child], tier: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"] = forms.ModelChoiceField(
            label="Setting",
            queryset=Site.objects.filter(pk__in=[s.pk for s in sites]),
            initial=sites[0].pk if len(sites) == 1 else None,
            error_messages={"required": "Choose the setting."},
        )
        if tier != ExportTier.PERSONNEL:
            self.fields["child"] = forms.ModelChoiceField(
                label="One child only",
                queryset=Child.objects.filter(pk__in=[c.pk for c in children]),
                required=False,
                empty_label="Every child of the setting",
            )
        self.fields["reason"] = forms.CharField(
            label="Why",
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text="For example: an Ofsted inspection on 12 March, or the child's move to a new school.",
            error_messages={"required": "Say why the files are exported: for an inspection, a transfer…"},
        )
