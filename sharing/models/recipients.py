"""The recipients directory: the agencies and professionals a setting shares with."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from crypto.fields import EncryptedCharField, EncryptedEmailField, EncryptedModel, EncryptedTextField
from records.models import Site
from sharing.models.choices import Basis, RecipientKind, SecureChannel
from sharing.models.media import media_match


class Recipient(EncryptedModel):
    """An entry in a site's directory. A share always goes to one of these:
    there is no free-text recipient. Kept by the site's managers; an entry of
    kind "other" counts only once a second person approves it."""

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", "Waiting for a second approver"
        ACTIVE = "active", "In use"
        RETIRED = "retired", "No longer used"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="recipients")
    kind = models.CharField(max_length=20, choices=RecipientKind.choices)
    # The names and contact details of professionals are personal data: encrypted.
    name = EncryptedCharField(
        "organisation or team", max_length=200, help_text="For example Leeds Health Visiting Team (North)."
    )
    contact_name = EncryptedCharField("named contact", max_length=200, blank=True, default="")
    address = EncryptedTextField(blank=True, default="")
    phone = EncryptedCharField(max_length=40, blank=True, default="")
    email = EncryptedEmailField("e-mail", blank=True, default="")
    secure_email = EncryptedEmailField(
        "secure e-mail", blank=True, default="", help_text="The address to send bundles to, if there is one."
    )
    secure_channel = models.CharField(
        "how information is sent securely", max_length=20, choices=SecureChannel.choices
    )
    agreement_reference = EncryptedCharField(
        "data-sharing agreement reference", max_length=100, blank=True, default=""
    )
    agreement_review_on = models.DateField("agreement review date", null=True, blank=True)
    default_basis = models.CharField(
        "usual lawful basis", max_length=24, choices=Basis.choices, blank=True, default=""
    )
    notes = EncryptedTextField(blank=True, default="")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "created_at"]
        constraints = [
            # The database itself refuses any kind not in the list (there is no media kind).
            models.CheckConstraint(condition=Q(kind__in=RecipientKind.values), name="recipient_kind_known"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True, approved_at__isnull=True)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="recipient_approval_has_who_and_when",
            ),
        ]
        indexes = [models.Index(fields=["site", "status"], name="recipient_site_status")]

    def __str__(self) -> str:
        return f"Recipient {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"tier": ""}

    def clean(self) -> None:
        """Never the media: by name or e-mail domain (sharing/models/media.py)."""
        super().clean()
        outlet = media_match(
            names=[self.name or "", self.contact_name or ""],
            addresses=[self.email or "", self.secure_email or ""],
        )
        if outlet is not None:
            raise ValidationError(
                {
                    "name": f"This looks like a media organisation ({outlet}). Under no circumstances is "
                    "information about children passed to any branch of the media, so it cannot be "
                    "added to the directory."
                }
            )

    @property
    def label(self) -> str:
        """How the entry is named in lists: the team, and the contact if there is one."""
        return f"{self.name} ({self.contact_name})" if self.contact_name else str(self.name)

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.ACTIVE
