"""
App servers keep no files of their own: attachments go only through Django's
storage API (default_storage), so any storage (S3-compatible object storage
on several hosts) holds them, sealed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from records.services import attachment_create
from tests.test_architecture import APPS, ROOT, modules
from tests.two_factor import VerifiedClient

PLAINTEXT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\nAva Smith, letter from the health visitor"


@pytest.fixture
def storage_elsewhere(settings) -> None:
    """Attachments in another storage than MEDIA_ROOT's folder (as S3 would be)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.mark.django_db
def test_attachments_are_stored_and_served_through_the_storage_api_only(
    world, storage_elsewhere: None, media_root: Path
) -> None:
    before = files_under(media_root)
    attachment = attachment_create(
        actor=world.keyworker,
        record=world.ava_progress,
        uploaded=SimpleUploadedFile("letter.pdf", PLAINTEXT, content_type="application/pdf"),
    )
    assert files_under(media_root) == before  # nothing written beside the storage

    with default_storage.open(attachment.stored_name, "rb") as stored:
        sealed = stored.read()
    assert b"%PDF" not in sealed and b"Ava Smith" not in sealed  # the store holds only ciphertext

    client = VerifiedClient()  # signed in with two-factor, as people are (tests/two_factor.py)
    client.force_login(world.keyworker)
    response = client.get(reverse("attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PLAINTEXT


def test_no_module_of_ours_reaches_for_media_root_itself() -> None:
    """Only the settings name MEDIA_ROOT or the filesystem storage: everything else uses default_storage."""
    reaching = []
    for module, path in modules(ROOT, APPS).items():
        if module == "config.settings" or ".migrations." in module:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = {getattr(node, "attr", None), getattr(node, "id", None)}
            if names & {"MEDIA_ROOT", "FileSystemStorage"}:
                reaching.append(f"{path.relative_to(ROOT)}:{node.lineno}")  # type: ignore[attr-defined]
    assert reaching == []
