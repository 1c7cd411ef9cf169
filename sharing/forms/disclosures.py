"""Making a share: the basis first, then the purpose, how, what (nothing chosen
for you), redaction and the parents; approving one; recording it sent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from records.forms.common import DATETIME_INPUT_FORMATS, WHEN_INVALID, DateTimeLocalInput, Form
from sharing.forms.fields import RecipientChoiceField
from sharing.models import (
    Basis,
    Channel,
    Condition,
    ConsentPosition,
    ParentsTold,
    Purpose,
    Recipient,
    SecureChannel,
)
from sharing.selectors import Shareable
from sharing.services.redaction import CHILD_DETAILS

REFERRAL_PURPOSE = Purpose.SAFEGUARDING


def _record_group(item: Shareable) -> tuple[str, list[tuple[str, str]]]:
    record = item.record
    when = timezone.localtime(record.occurred_at)
    label = f"{when:%-d %b %Y}: {record.title} ({record.get_category_display()})"
    if record.tier == "safeguarding":
        label += " [safeguarding]"
    if item.from_another_agency:
        label += " [from another agency: not shared onward without the originator's consent]"
    return label, [(f"{record.pk}:{code}", part) for code, part in item.parts]


class DisclosureForm(Form):
    """Every share's form. For a referral of a concern the concern itself is
    included, the purpose is safeguarding and the basis is never consent."""

    def __init__(
        self,
        *args: Any,
        recipients: list[Recipient],
        shareable: list[Shareable],
        dsl: bool,
        referral: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        bases = [c for c in Basis.choices if not (referral and c[0] == Basis.CONSENT)]
        self.groups = [_record_group(s) for s in shareable]
        onward = dsl and any(s.from_another_agency for s in shareable)
        fields: dict[str, forms.Field] = {
            "recipient": RecipientChoiceField(
                label="Who it goes to",
                queryset=Recipient.objects.filter(pk__in=[r.pk for r in recipients]),
                empty_label="Choose from the directory…",
                help_text="Only entries of the directory: there is no free-text recipient.",
                error_messages={"required": "Choose who the information goes to, from the directory."},
            ),
            "basis": forms.ChoiceField(
                label="Lawful basis",
                choices=bases,
                widget=forms.RadioSelect,
                help_text="First: on what basis is it shared? Consent is one basis among several.",
                error_messages={"required": "Choose the lawful basis for this share first."},
            ),
            "basis_reason": forms.CharField(
                label="Why this basis applies",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Needed for every basis but consent.",
            ),
            "legal_reference": forms.CharField(
                label="Court order or legal reference", required=False, max_length=200
            ),
            "consent_position": forms.ChoiceField(
                label="What happened about consent",
                choices=[("", "Choose…"), *ConsentPosition.choices],
                required=False,
                help_text="For every basis but consent: a fact, recorded; never a step to get past.",
            ),
        }
        if not referral:
            fields["condition"] = forms.ChoiceField(
                label="Condition for health or safeguarding information",
                choices=Condition.choices,
                required=False,
                help_text="Needed when health or safeguarding information is shared on a basis other than "
                "consent (Article 9, DPA 2018 Schedule 1).",
            )
            fields["purpose"] = forms.ChoiceField(
                label="What it is for",
                choices=[("", "Choose…"), *Purpose.choices],
                error_messages={"required": "Say what the information is for."},
            )
        fields |= {
            "purpose_detail": forms.CharField(
                label="The purpose, in words",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            ),
            "channel": forms.ChoiceField(
                label="How it is shared",
                choices=Channel.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Say how the information is shared."},
            ),
            "summary": forms.CharField(
                label="What was said or shown",
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text="For a call, meeting or letter: no file is made, so write down what was shared.",
            ),
            "occurred_at": forms.DateTimeField(
                label="When (for a call, meeting or letter)",
                required=False,
                input_formats=DATETIME_INPUT_FORMATS,
                widget=DateTimeLocalInput(),
                error_messages={"invalid": WHEN_INVALID},
                help_text="Leave empty for now.",
            ),
            "items": forms.MultipleChoiceField(
                label="The records and parts to share" + (", besides the concern" if referral else ""),
                choices=self.groups,
                widget=forms.CheckboxSelectMultiple,
                required=not referral,
                help_text="Share only what the recipient needs: nothing is chosen for you.",
                error_messages={
                    "required": "Choose at least one record to share. Nothing is shared unless chosen."
                },
            ),
            "child_details": forms.MultipleChoiceField(
                label="The child's details to share",
                choices=[(code, label) for code, label, _category in CHILD_DETAILS],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            ),
            "redact_third_parties": forms.BooleanField(
                label="Redact the informant and other third parties",
                required=False,
                initial=True,
                help_text="Their names and details are replaced by [redacted] in what is sent.",
            ),
            "redact_passages": forms.CharField(
                label="Passages to redact",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Text that identifies someone from its context: copy each passage, one per line.",
            ),
        }
        if dsl:
            fields["include_scans"] = forms.BooleanField(
                label="I have reviewed the scans and images by hand",
                required=False,
                help_text="Scans and images cannot be redacted as text: they go only if you tick this.",
            )
        if onward:
            fields["onward_confirmed"] = forms.BooleanField(
                label="The originator agreed to onward sharing, or I am sharing to safeguard the child",
                required=False,
            )
        fields |= {
            "parents_told": forms.ChoiceField(
                label="Were the parents told about this share?",
                choices=ParentsTold.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Say whether the parents were told about this share."},
            ),
            "parents_not_told_reason": forms.CharField(
                label="If not, why not",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="For example: telling them could put the child at risk.",
            ),
            "social_care_consulted": forms.BooleanField(
                label="Social care was consulted before deciding not to tell the parents", required=False
            ),
        }
        self.fields = fields

    def item_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The records offered, each with the checkboxes of its parts."""
        options = iter(self["items"].subwidgets)
        return [(label, [next(options) for _ in parts]) for label, parts in self.groups]  # type: ignore[misc]

    @property
    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The form in the order a person decides: basis, purpose, how, what, parents."""
        groups = [
            ("Recipient", ["recipient"]),
            ("Lawful basis", ["basis", "basis_reason", "legal_reference", "consent_position", "condition"]),
            ("Purpose", ["purpose", "purpose_detail"]),
            ("How", ["channel", "summary", "occurred_at"]),
            ("What is shared", ["items", "child_details", "include_scans", "onward_confirmed"]),
            ("Redaction", ["redact_third_parties", "redact_passages"]),
            ("The parents", ["parents_told", "parents_not_told_reason", "social_care_consulted"]),
        ]
        return [(title, [self[n] for n in names if n in self.fields]) for title, names in groups]


class ApproveForm(Form):
    prefix = "approve"
    approved = forms.TypedChoiceField(
        label="Your decision",
        choices=[("yes", "Approve it"), ("no", "Do not approve it")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve it."},
    )
    note = forms.CharField(
        label="Notes (why not, if not approved)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SentForm(Form):
    prefix = "sent"
    sent_at = forms.DateTimeField(
        label="When it was sent or made",
        required=False,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=DateTimeLocalInput(),
        error_messages={"invalid": WHEN_INVALID},
        help_text="Leave empty for now.",
    )

    def __init__(self, *args: Any, bundle: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if bundle:
            self.fields["sent_how"] = forms.ChoiceField(
                label="How it was sent",
                choices=[
                    ("", "Choose…"),
                    *[c for c in SecureChannel.choices if c[0] not in ("none", "phone")],
                ],
                error_messages={"required": "Say how the bundle was sent."},
            )
