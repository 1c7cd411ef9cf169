from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest_settings import TEST_SETTINGS


@pytest.fixture(autouse=True)
def _fast_hashing_and_private_media(settings, tmp_path: Path) -> Path:
    """Tests hash passwords quickly and store attachments in their own folder."""
    for name, value in TEST_SETTINGS.items():
        setattr(settings, name, value)
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    return media


@pytest.fixture
def media_root(settings) -> Path:
    return Path(settings.MEDIA_ROOT)


from tests.personas import _world_once, world  # noqa: E402,F401 - fixtures for every test module
from tests.two_factor import VerifiedClient  # noqa: E402


@pytest.fixture
def client() -> VerifiedClient:
    """pytest-django's client, whose force_login also gives the session a two-factor
    code, as people have once signed in (tests/two_factor.py). The real sign-in,
    codes and step-up are tested in tests/access/test_two_factor.py."""
    return VerifiedClient()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With pytest-xdist's `--dist loadgroup`, a test module runs in one process
    (its world is built once), and the browser journeys share one process (one
    server and one browser for all of them)."""
    for item in items:
        module = item.nodeid.split("::")[0]
        group = "browser" if module.startswith("tests/browser/") else module
        item.add_marker(pytest.mark.xdist_group(group))
