"""A child's photo: a small JPEG, sealed like every other personal field (so key rotation
re-seals it too), with its metadata (camera, place) stripped when it was taken in."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from crypto.fields import EncryptedModel, EncryptedTextField
from records.models.people import Child, file_context


class ChildPhoto(EncryptedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="photo")
    # The JPEG, base64-encoded: a few tens of kilobytes at most (records/services/photos.py).
    image = EncryptedTextField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "child's photo"

    def __str__(self) -> str:
        return f"Child's photo {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return file_context(self.child_id, None, "general")

    @property
    def data_uri(self) -> str:
        return f"data:image/jpeg;base64,{self.image}"
