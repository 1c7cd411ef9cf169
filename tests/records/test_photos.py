"""A child's photo: sealed, small, stripped of metadata, shown on the file (not in discreet
mode), taken in by the key person or management only."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from PIL import Image

from audit.models import AuditEntry, Event
from records.models import ChildPhoto
from records.services import attachment_create

pytestmark = pytest.mark.django_db


def jpeg_with_location(size: tuple[int, int] = (1200, 900)) -> SimpleUploadedFile:
    picture = Image.new("RGB", size, (200, 120, 90))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("ava.jpg", out.getvalue(), content_type="image/jpeg")


def test_the_key_person_adds_a_photo_small_sealed_and_without_its_metadata(client, world) -> None:
    client.force_login(world.keyworker)
    response = client.post(reverse("child_photo", args=[world.ava.pk]), {"photo": jpeg_with_location()})
    assert response.status_code == 302
    photo = ChildPhoto.objects.get(child=world.ava)
    data = base64.b64decode(photo.image)
    with Image.open(io.BytesIO(data)) as stored:
        assert max(stored.size) == 320 and stored.format == "JPEG"
        assert not stored.getexif()
    assert b"CameraMaker" not in data
    with connection.cursor() as cursor:
        cursor.execute("SELECT image FROM records_childphoto")
        assert cursor.fetchone()[0].startswith("cf1$")
    page = client.get(reverse("child_file", args=[world.ava.pk])).content.decode()
    assert 'src="data:image/jpeg;base64,' in page and 'alt="Photo of Ava Smith"' in page


def test_discreet_mode_shows_initials_not_the_photo(client, world) -> None:
    client.force_login(world.keyworker)
    client.post(reverse("child_photo", args=[world.ava.pk]), {"photo": jpeg_with_location()})
    world.keyworker.discreet_mode = True
    world.keyworker.save()
    page = client.get(reverse("child_file", args=[world.ava.pk])).content.decode()
    assert "data:image/jpeg" not in page and ">AS</span>" in page


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_saved(client, world) -> None:
    client.force_login(world.keyworker)
    notes = SimpleUploadedFile("notes.txt", b"Not a picture", content_type="text/plain")
    response = client.post(reverse("child_photo", args=[world.ava.pk]), {"photo": notes})
    assert (
        response.status_code == 400 and "A photo must be a JPEG or PNG picture." in response.content.decode()
    )
    assert not ChildPhoto.objects.exists()


@pytest.mark.parametrize("persona", ["colleague", "outsider", "student", "parent", "dsl_only"])
def test_only_those_who_add_to_the_file_take_a_photo(client, world, persona) -> None:
    person = world.named if persona == "dsl_only" else world.people[persona]
    client.force_login(person)
    assert client.get(reverse("child_photo", args=[world.ava.pk])).status_code == 404
    assert (
        client.post(reverse("child_photo", args=[world.ava.pk]), {"photo": jpeg_with_location()}).status_code
        == 404
    )
    assert client.post(reverse("child_photo_remove", args=[world.ava.pk])).status_code == 404
    assert not ChildPhoto.objects.exists()


def test_the_manager_removes_a_photo(client, world) -> None:
    client.force_login(world.manager)
    client.post(reverse("child_photo", args=[world.ava.pk]), {"photo": jpeg_with_location((300, 300))})
    assert ChildPhoto.objects.exists()
    client.post(reverse("child_photo_remove", args=[world.ava.pk]))
    assert not ChildPhoto.objects.exists()


def png(name: str = "painting.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 30)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def test_pictures_and_pdfs_open_in_the_browser_and_each_viewing_is_audited(client, world) -> None:
    picture = attachment_create(actor=world.keyworker, record=world.ava_progress, uploaded=png())
    letter = attachment_create(
        actor=world.keyworker,
        record=world.ava_progress,
        uploaded=SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    )
    client.force_login(world.keyworker)
    page = client.get(reverse("record_detail", args=[world.ava_progress.pk])).content.decode()
    view = reverse("attachment_download", args=[picture.pk]) + "?view=1"
    assert f'<img class="attachment-preview" src="{view}"' in page
    response = client.get(view)
    assert response["Content-Disposition"].startswith("inline") and response["Cache-Control"].count(
        "no-store"
    )
    assert AuditEntry.objects.filter(event=Event.VIEWED, object_pk=str(picture.pk)).count() == 1
    pdf = client.get(reverse("attachment_download", args=[letter.pk]) + "?view=1")
    assert pdf["Content-Disposition"].startswith("inline")
    assert pdf["Content-Security-Policy"] == "default-src 'none'; object-src 'self'"
    # A text file is never shown inline: it downloads.
    text = client.get(reverse("attachment_download", args=[world.attachments["general"].pk]) + "?view=1")
    assert text["Content-Disposition"].startswith("attachment")
    client.force_login(world.colleague)
    assert client.get(view).status_code == 404
