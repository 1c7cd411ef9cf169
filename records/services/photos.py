"""A child's photo: taken in by the key person or the setting's management."""

from __future__ import annotations

import base64
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from access import policy
from access.models import User
from audit.models import Event, Tier
from audit.services import audit_event
from crypto.attachments import CheckedUpload
from records.models import Child, ChildPhoto

# Big enough for a face on the file and the emergency card, small enough to seal and show inline.
LONGEST_SIDE = 320
PHOTO_TYPES = ("image/jpeg", "image/png")


def photo_jpeg(data: bytes) -> bytes:
    """The picture, turned upright, made small, saved as JPEG with none of the original's
    metadata (camera, time, and the place it was taken)."""
    try:
        with Image.open(io.BytesIO(data)) as original:
            picture = ImageOps.exif_transpose(original).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError({"photo": "That picture cannot be read. Take a JPEG or PNG photo."}) from None
    picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue()


@transaction.atomic
def child_photo_set(*, actor: User, child: Child, upload: CheckedUpload) -> ChildPhoto:
    if not policy.may_add_record(policy.standing_of(actor), child):
        raise PermissionDenied
    if upload.content_type not in PHOTO_TYPES:
        raise ValidationError({"photo": "A photo must be a JPEG or PNG picture."})
    image = base64.b64encode(photo_jpeg(upload.data)).decode()
    photo = ChildPhoto.objects.select_for_update().filter(child=child).first() or ChildPhoto(child=child)
    photo.image, photo.uploaded_by, photo.uploaded_at = image, actor, timezone.now()
    photo.full_clean()
    photo.save()
    audit_event(
        actor=actor, event=Event.UPDATED, obj=photo, child_id=child.pk, tier=Tier.GENERAL, reason="Photo"
    )
    return photo


@transaction.atomic
def child_photo_remove(*, actor: User, child: Child) -> None:
    if not policy.may_add_record(policy.standing_of(actor), child):
        raise PermissionDenied
    for photo in ChildPhoto.objects.select_for_update().filter(child=child):
        audit_event(
            actor=actor, event=Event.DELETED, obj=photo, child_id=child.pk, tier=Tier.GENERAL, reason="Photo"
        )
        photo.delete()
