"""What every form shares: a service's errors shown where they belong, and
dates and times as people in the UK type them."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y"]
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
WHEN_INVALID = "Enter a date and time, for example 20/11/2026 09:15."


class Form(forms.Form):
    """The base of every form: a service's ``ValidationError`` is added whole
    (``form.add_error(None, error)``), each message next to its field, and
    messages about fields this form does not have at the top."""

    def clean(self) -> dict[str, Any]:
        # Django's returns the cleaned data; its type allows None, which an override may return.
        cleaned = super().clean()
        return self.cleaned_data if cleaned is None else cleaned

    def add_error(self, field: str | None, error: Any) -> None:
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                super().add_error(name if name in self.fields else None, errors)
            return
        super().add_error(field, error)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def not_in_future(value: datetime.datetime) -> None:
    if value > timezone.now() + datetime.timedelta(minutes=5):
        raise forms.ValidationError("That time is in the future. When did it happen?")
