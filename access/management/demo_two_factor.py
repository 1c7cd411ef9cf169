"""The demo's two-factor (``manage.py seed_demo``): every member of staff in the demo has
an authenticator with a fixed, published key (README.md), so that anyone trying the demo
can add it to an app, or ask ``manage.py totp_code USER`` for the code. Never on real
accounts: the keys are public."""

from __future__ import annotations

import hashlib
from base64 import b32decode
from collections.abc import Iterable

from access.models import TOTPDevice, User

# "CONFIDEDEMO" and the username, filled up with A to 32 base32 characters (20 bytes).
DEMO_TOTP_SECRETS = {
    username: f"CONFIDEDEMO{username.upper()}".ljust(32, "A")
    for username in (
        "manager",
        "senior",
        "keyworker",
        "keyworker2",
        "dsl",
        "hr",
        "student",
        "volunteer",
        "manager2",
        "kitchen",
        "newstudent",
    )
}


def demo_key_hex(username: str) -> str | None:
    secret = DEMO_TOTP_SECRETS.get(username)
    return None if secret is None else b32decode(secret).hex()


def load(users: Iterable[User]) -> None:
    """An authenticator with the published key for each demo account that has one."""
    for user in users:
        key = demo_key_hex(user.get_username())
        if key is None:
            continue
        # A fixed id (not from the demo's random sequence, which gives every other id).
        digest = hashlib.sha256(f"confide-demo-totp|{user.get_username()}".encode()).digest()
        TOTPDevice.objects.create(
            id=int.from_bytes(digest[:7], "big") + 1,
            user=user,
            name="Demo authenticator",
            key=key,
            confirmed=True,
        )
