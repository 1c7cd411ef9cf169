"""No plaintext personal data at rest: not in the tables, not on disk (DESIGN.md invariant 3)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from access.management.demo_two_factor import DEMO_TOTP_SECRETS, demo_key_hex
from access.models import SecurityKey, User
from access.services.security_keys import security_key_confirm
from access.services.two_factor import backup_codes_issue
from governance.models import PolicyVersion
from records.models import Attachment, Carer, Child, ChildCarer, Record, StaffConcern, StaffMember
from sharing.models import Consent, Disclosure, DisclosureItem, InformationRequest, Recipient, SharingDecision
from tests.webauthn import SoftKey

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"cf1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_=-]+")
DIGEST = re.compile(r"\b[0-9a-f]{64}\b")
# A password hash's random salt can spell anything ("Leo", one run in a few hundred).
PASSWORD_HASH = re.compile(r"\b(?:md5|argon2|pbkdf2_sha256|pbkdf2_sha1|scrypt|bcrypt_sha256)\$[^\s']+")

# Values the demo writes: names, dates of birth, medical notes, record bodies, carers.
SEEDED_PLAINTEXT = [
    "Ava",
    "Smith",
    "Leo",
    "Carter",
    "Mia",
    "Amy",
    "Daniel",
    "2022-03-14",
    "2022/03/14",
    "Peanuts",
    "anaphylaxis",
    "Asthma",
    "Park Lane Surgery",
    "Park Terrace",
    "Elm Grove",
    "Harbour View",
    "07700 900123",
    "Prohibited steps order",
    "Daddy was cross",
    "amy.smith",
    "two-word phrases",
    "Two-year check",
    "grandparent is unwell",
    "moving house",
    "health-visitor-2yr-check.pdf",
    "ava-painting.png",
    "photo-consent.txt",
    "Permanent contract",
    "rough handling",
    "Staff Street",
    # Staff and trustees' names and e-mail addresses, on their accounts (and so never in
    # the audit trail's change records either).
    "Lopez",
    "Okafor",
    "Harriet",
    "Hughes",
    "maria",
    "@example.org",
    # Governance (governance/management/demo_governance.py): a policy's text, a concern about staff.
    "in her absence",
    "naughty girl",
    "positive language",
    # Sharing: the directory, consents, disclosures, requests and decisions.
    "Hana Kowalski",
    "lch.hv.headingley",
    "Joy Owusu",
    "Front Door",
    "Cafcass",
    "Oakfield sharing consent",
    "withdraw it at any time",
    "two-word phrases now",
    "visual timetable",
    "Priya Shah",
    "13/88172/26",
    "collection password",
    "Not signed by an Inspector",
]
TABLES = [
    Child,
    Carer,
    ChildCarer,
    StaffMember,
    Record,
    Attachment,
    User,
    StaffConcern,
    PolicyVersion,
    Recipient,
    Consent,
    Disclosure,
    DisclosureItem,
    InformationRequest,
    SharingDecision,
]


def raw_table_text(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        rows = cursor.fetchall()
    return "\n".join("|".join("" if v is None else str(v) for v in row) for row in rows)


@pytest.fixture
def demo(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def test_no_table_in_the_database_holds_plaintext_personal_data(demo) -> None:
    """Every table, not only the files': users, audit entries, sessions, grants."""
    tables = connection.introspection.table_names()
    assert len(tables) > 20
    for table in tables:
        text = raw_table_text(table)
        # What is left once sealed tokens and blind-index digests are removed
        # is the plaintext columns: ids, dates of enrolment, categories, sizes.
        rest = PASSWORD_HASH.sub("", DIGEST.sub("", TOKEN.sub("", text)))
        found = [value for value in SEEDED_PLAINTEXT if value.lower() in rest.lower()]
        assert found == [], f"{table} holds plaintext: {found}"


def test_the_files_are_sealed(demo) -> None:
    for model in TABLES:
        assert TOKEN.search(raw_table_text(model._meta.db_table)), f"{model.__name__} holds no sealed values"


def test_every_encrypted_column_holds_only_sealed_tokens(demo) -> None:
    for model in TABLES:
        columns = [f.column for f in model.encrypted_fields()]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {model._meta.db_table}"  # noqa: S608
            )
            for row in cursor.fetchall():
                for value in row:
                    assert value is None or TOKEN.fullmatch(value), (model.__name__, value[:20])


def test_attachments_on_disk_are_sealed(demo, media_root: Path) -> None:
    stored = [p for p in media_root.rglob("*") if p.is_file()]
    assert len(stored) == Attachment.objects.count() == 3
    for path in stored:
        data = path.read_bytes()
        assert data.startswith(b"CFA1")
        for marker in [b"%PDF", b"IHDR", b"Photo consent", b"Ava Smith", b"Two year check"]:
            assert marker not in data, (path.name, marker)


# Sign-in: the demo's authenticator keys (as typed, base32, and as stored, hex), backup
# codes, and text typed into the username box at a failed sign-in.
TWO_FACTOR_SECRETS = [*DEMO_TOTP_SECRETS.values(), *(demo_key_hex(u) or "" for u in DEMO_TOTP_SECRETS)]
TYPED_AT_SIGN_IN = "Sentinel-typed-in-the-username-box"


def test_two_factor_secrets_and_typed_usernames_are_not_at_rest(demo) -> None:
    codes = backup_codes_issue(user=User.objects.get(username="keyworker"), request=None)
    for _ in range(6):  # failed, then locked out
        Client().post(reverse("login"), {"username": TYPED_AT_SIGN_IN, "password": "typed"})
    secrets = [*TWO_FACTOR_SECRETS, *codes, *(c.replace("-", "") for c in codes), TYPED_AT_SIGN_IN]
    for table in connection.introspection.table_names():
        text = raw_table_text(table).lower()
        assert [s for s in secrets if s.lower() in text] == [], table


# The name someone gives their security key or passkey is free text they typed.
KEY_NAME = "Sentinel-key-on-my-lanyard"


def test_the_name_of_a_security_key_is_not_at_rest(demo) -> None:
    user = User.objects.get(username="keyworker")
    key = SoftKey().saved_for(user, "Security key")
    key.confirmed = False
    key.save()
    request = RequestFactory().post("/")
    request.user = user
    security_key_confirm(actor=user, key=key, name=KEY_NAME, request=request)
    assert SecurityKey.objects.get(pk=key.pk).name == KEY_NAME  # and it opens again
    for table in connection.introspection.table_names():
        assert KEY_NAME.lower() not in raw_table_text(table).lower(), table
