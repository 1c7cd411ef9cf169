from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet

from access.models import BreakGlass, User, parse_networks
from access.models.security_keys import NAME_MAX_LENGTH
from access.models.where_and_when import WEEKDAYS
from access.selectors import ChildIdentity, by_name
from audit.models import Event
from records.forms.common import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS, DateTimeLocalInput, Form


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That username and password do not match. Check them and try again.",
        "inactive": "This account is disabled. Ask your manager.",
    }


def staff_label(user: User) -> str:
    return user.get_full_name() or user.username


class StaffChoiceField(forms.ModelChoiceField[User]):
    """Any active member of staff is accepted (so a wrong choice gets a clear
    message from the service); the list offered is the people who fit."""

    def __init__(self, *, offered: list[User], **kwargs: Any) -> None:
        super().__init__(queryset=User.objects.filter(staff_member__isnull=False, is_active=True), **kwargs)
        self.widget.choices = [("", "Choose a person…")] + [(u.pk, staff_label(u)) for u in offered]

    def label_from_instance(self, obj: User) -> str:
        return staff_label(obj)


class GrantForm(Form):
    reason = forms.CharField(
        label="Why do they need to know?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the grant and shown to managers. Be specific.",
        error_messages={"required": "Say why this person needs to know."},
    )
    expires_at = forms.DateTimeField(
        label="Access ends",
        required=False,
        input_formats=DATETIME_INPUT_FORMATS,
        error_messages={"invalid": "Enter the date and time access ends, for example 30/11/2026 17:00."},
        widget=DateTimeLocalInput(),
        help_text="Leave empty for access until it is revoked. It stops at exactly this time.",
    )

    def __init__(self, *args: Any, offered: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {
            "grantee": StaffChoiceField(
                offered=offered, label="Who", error_messages={"required": "Choose who needs access."}
            ),
            **self.fields,
        }


class KeyWorkerForm(Form):
    def __init__(self, *args: Any, offered: list[User], **kwargs: Any) -> None:
        # Its own ids: it shares the Access tab with the conflict form, which also asks who.
        kwargs.setdefault("auto_id", "key-person-%s")
        super().__init__(*args, **kwargs)
        self.fields["user"] = StaffChoiceField(
            offered=offered, label="Add a key person", error_messages={"required": "Choose a key person."}
        )


class ConflictForm(Form):
    reason = forms.CharField(
        label="What is the conflict?",
        max_length=500,
        help_text="For example: a relative of the child.",
        error_messages={"required": "Say what the conflict of interest is."},
    )

    def __init__(self, *args: Any, offered: list[User], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "conflict-%s")
        super().__init__(*args, **kwargs)
        self.fields = {
            "user": StaffChoiceField(
                offered=offered, label="Who", error_messages={"required": "Choose who has the conflict."}
            ),
            **self.fields,
        }


class ClearConflictForm(Form):
    reason = forms.CharField(
        label="Why does it no longer apply?",
        max_length=500,
        error_messages={"required": "Say why the conflict no longer applies."},
    )


class AccessRequestForm(Form):
    reason = forms.CharField(
        label="Why do you need to read this child's file?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: covering Kim's key children this week. The manager sees this reason.",
        error_messages={"required": "Say why you need to know."},
    )


class AccessDecisionForm(Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("", "Choose…"), ("grant", "Give access"), ("decline", "Decline")],
        error_messages={"required": "Choose whether to give access."},
    )
    expires_at = forms.DateTimeField(
        label="Access ends",
        required=False,
        input_formats=DATETIME_INPUT_FORMATS,
        error_messages={"invalid": "Enter the date and time access ends, for example 30/11/2026 17:00."},
        widget=DateTimeLocalInput(),
        help_text="Leave empty for access until it is revoked. It stops at exactly this time.",
    )
    note = forms.CharField(
        label="Note for the person asking",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when declining.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "decision" in cleaned:
            cleaned["approve"] = cleaned.pop("decision") == "grant"
        return cleaned


class PersonChoiceField(forms.ModelChoiceField[User]):
    """A person, named as on staff pages; the people offered are set by the form."""

    def label_from_instance(self, obj: User) -> str:
        return staff_label(obj)


class AuditFilterForm(Form):
    person = PersonChoiceField(queryset=None, required=False, empty_label="Anyone")
    event = forms.ChoiceField(choices=[("", "Anything"), *Event.choices], required=False, label="What")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    child = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(PersonChoiceField, self.fields["person"])
        field.queryset = people
        # Names are sealed, so the database cannot sort them: offered in name order once opened.
        field.widget.choices = [("", "Anyone")] + [(u.pk, staff_label(u)) for u in by_name(people)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        return data


# --- signing in: codes and resets (access/views/signin.py, access/views/sign_in_help.py) ---


class CodeForm(Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        strip=True,
        help_text="The 6 digits your authenticator app shows for Confide, or one of your backup codes.",
        error_messages={"required": "Type the code from your authenticator app, or a backup code."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}
        ),
    )


class SecurityKeyNameForm(Form):
    name = forms.CharField(
        label="Name it",
        max_length=NAME_MAX_LENGTH,
        strip=True,
        help_text="So that you can tell your keys apart: for example “Blue key on my lanyard” or “My phone”.",
        error_messages={
            "required": "Give the key a name, so that you can tell it from others.",
            "max_length": f"Keep the name to {NAME_MAX_LENGTH} characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class SetUpCodeForm(Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=10,
        strip=True,
        help_text="Once the app shows Confide, type the 6 digits it shows.",
        error_messages={"required": "Type the 6 digits the app shows, to check it is set up."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TwoFactorResetForm(Form):
    reason = forms.CharField(
        label="Why does their two-factor need resetting?",
        max_length=500,
        help_text="For example: lost phone, reported in person. A second person confirms the reset.",
        error_messages={"required": "Say why their two-factor needs resetting."},
    )


class ChildIdentityForm(Form):
    """Finding a child by who they are: all three, exactly as on the register."""

    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    date_of_birth = forms.DateField(
        label="Date of birth",
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date of birth, for example 14/03/2022."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = (
                "To find a child, give their first name, last name and date of birth, as on the register."
            )

    def identity(self) -> ChildIdentity:
        data = self.cleaned_data
        return ChildIdentity(data["first_name"], data["last_name"], data["date_of_birth"])


class WhereAndWhenForm(Form):
    guard_files = forms.BooleanField(
        label="Read children's files only within these hours", required=False,
        help_text="Off by default. Outside them staff see their home and notifications, and can always "
        "raise a concern; managers and safeguarding leads can open files by saying why.",
    )  # fmt: skip
    open_days = forms.MultipleChoiceField(
        label="Open on", choices=[(str(n), day) for n, day in WEEKDAYS], widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the days the setting is open."},
    )  # fmt: skip
    opens_at = forms.TimeField(label="Opens at", widget=forms.TimeInput(attrs={"type": "time"}))
    closes_at = forms.TimeField(label="Closes at", widget=forms.TimeInput(attrs={"type": "time"}))
    margin_minutes = forms.IntegerField(
        label="Margin before opening and after closing (minutes)", min_value=0, max_value=240,
    )  # fmt: skip
    require_device = forms.BooleanField(
        label="Only on the setting's registered devices", required=False,
        help_text="Register each device below, in its own browser, before turning this on.",
    )  # fmt: skip
    allowed_networks = forms.CharField(
        label="Only from these networks", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional. Address ranges, one per line (for example 203.0.113.0/24). Home broadband "
        "often changes address: prefer registered devices.",
    )  # fmt: skip

    def clean_allowed_networks(self) -> str:
        text: str = self.cleaned_data.get("allowed_networks") or ""
        parse_networks(text)
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "The setting closes after it opens.")
        return data


class SiteDeviceForm(Form):
    prefix = "device"

    name = forms.CharField(
        label="Name this device", max_length=100, help_text="For example “Baby room tablet”.",
        error_messages={"required": "Name the device, for example “Baby room tablet”."},
    )  # fmt: skip


class FilesOpenForm(Form):
    reason = forms.CharField(
        label="Why do you need the files now?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the audit log. The files open for an hour.",
        error_messages={"required": "Say why you need the files now."},
    )


# --- emergency access ---------------------------------------------------------------------


class BreakGlassForm(Form):
    reason_kind = forms.ChoiceField(
        label="What is happening?",
        choices=[("", "Choose…"), *BreakGlass.Reason.choices],
        error_messages={"required": "Choose what is happening."},
    )
    reason = forms.CharField(
        label="Why do you need the file, not only the emergency card?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the emergency is and why the card is not enough."},
    )
    # Emergency access opens the general file only; asking for more is refused with a message.
    scope = forms.CharField(widget=forms.HiddenInput, initial="child_file", required=False)


class BreakGlassReviewForm(Form):
    justified = forms.TypedChoiceField(
        label="Was the emergency access justified?",
        choices=[("yes", "Justified"), ("no", "Not justified")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the use was justified."},
    )
    comment = forms.CharField(
        label="Comment",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person who used it reads this.",
        error_messages={"required": "Write a comment: the person who used it will read it."},
    )


class RoomAssignForm(Form):
    user = StaffChoiceField(label="Who", offered=[], error_messages={"required": "Choose a person."})
    today_only = forms.BooleanField(label="Today only (cover)", required=False, initial=True)

    def __init__(self, *args: Any, offered: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"] = StaffChoiceField(label="Who", offered=offered)
