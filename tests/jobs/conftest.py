from __future__ import annotations

from collections.abc import Iterator

import pytest

from jobs import registry


@pytest.fixture
def job_registry() -> Iterator[None]:
    """Jobs a test registers are gone after it; the apps' own jobs stay."""
    saved = dict(registry._registry)
    yield
    registry._registry.clear()
    registry._registry.update(saved)
