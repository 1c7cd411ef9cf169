from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _fast_hashing_and_private_media(settings, tmp_path: Path) -> Path:
    """Tests hash passwords quickly and store attachments in their own folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AUDIT_SEAL_INTERVAL_SECONDS = 0  # seal on every commit, so tests see it at once
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    return media


@pytest.fixture
def media_root(settings) -> Path:
    return Path(settings.MEDIA_ROOT)


from tests.personas import world  # noqa: E402,F401 - a fixture for every test module
