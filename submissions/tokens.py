"""One-time form tokens: "<user id>:<random>", signed and dated with Django's signer."""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing

SALT = "confide.submissions"
FIELD = "submission"
# A form left open longer than this is saved without the double-submit check.
MAX_AGE = datetime.timedelta(days=1)


def issue(user: AbstractBaseUser) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{user.pk}:{secrets.token_hex(16)}")


def key_of(token: str, user: AbstractBaseUser) -> str | None:
    """The token's random part if it is genuine, recent and this person's; else None."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    owner, _, key = value.rpartition(":")
    return key if owner == str(user.pk) and len(key) == 32 else None
