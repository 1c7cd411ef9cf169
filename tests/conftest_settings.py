"""Settings every test runs with (and the shared world is built with)."""

from typing import Any

TEST_SETTINGS: dict[str, Any] = {
    # Tests hash passwords quickly.
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    # Seal on every commit, so tests see it at once.
    "AUDIT_SEAL_INTERVAL_SECONDS": 0,
}
