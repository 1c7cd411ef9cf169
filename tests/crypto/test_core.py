"""
Field and file encryption (crypto/core.py, crypto/fields.py).

What is checked is what someone holding a copy of the database, or a user of
the application, would notice: values come back exactly, the columns and files
hold no plaintext, and anything that was moved, tampered with or sealed under
another key refuses to open instead of coming back wrong.
"""

from __future__ import annotations

import base64
import datetime
import io
import os
import secrets
import uuid
from unittest import mock

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.db.models import Model, Value

from crypto import core as crypto
from crypto.fields import Sealed
from records.models import Carer, Child
from tests.factories import CarerFactory, ChildFactory, SiteFactory

UNICODE_NAME = "Zoë Ó'Brien 王小明 🙂"
CHUNK = crypto.CHUNK_SIZE
FILE_LABEL = "records.attachment.content"
MARKER = b"CONFIDENTIAL: Ava Smith, safeguarding concern. "


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def use_keys(settings, *key_ids: str, keys: dict[str, str] | None = None) -> dict[str, str]:
    """Set FIELD_ENCRYPTION_KEYS to the given ids (first encrypts); returns id -> key."""
    keys = dict(keys or {})
    for key_id in key_ids:
        keys.setdefault(key_id, new_key())
    settings.FIELD_ENCRYPTION_KEYS = ",".join(f"{key_id}:{keys[key_id]}" for key_id in key_ids)
    return keys


def _execute(instance: Model, sql: str, column: str, *params: object) -> tuple | None:
    """Run raw SQL on one row of the instance's table, naming one column."""
    table, column = (connection.ops.quote_name(n) for n in (instance._meta.db_table, column))
    pk = instance._meta.pk.get_db_prep_value(instance.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table, column=column), [*params, pk])
        return cursor.fetchone() if cursor.description else None


def raw_column(instance: Model, column: str) -> str | None:
    return _execute(instance, "SELECT {column} FROM {table} WHERE id = %s", column)[0]


def write_raw(instance: Model, column: str, value: str) -> None:
    _execute(instance, "UPDATE {table} SET {column} = %s WHERE id = %s", column, value)


def tamper(token: str) -> str:
    """Change one base64 character in the middle of a token's body (all six bits count there)."""
    head, body = token.rsplit("$", 1)
    i = len(body) // 2
    return f"{head}${body[:i]}{'B' if body[i] == 'A' else 'A'}{body[i + 1 :]}"


# --- 1, 2. round trip through the database; the column holds only a token ----


ROUND_TRIPS = [
    (ChildFactory, Child, "first_name", "Ava"),
    (ChildFactory, Child, "first_name", UNICODE_NAME),
    (ChildFactory, Child, "preferred_name", ""),
    (ChildFactory, Child, "address", "Flat 2\n14 Chapel Street\r\nLeeds  LS6 3AA\n"),
    (ChildFactory, Child, "address", f"{UNICODE_NAME}\n\tc/o 王先生"),
    (ChildFactory, Child, "date_of_birth", datetime.date(2021, 2, 28)),
    (CarerFactory, Carer, "email", "amy.o'brien+nursery@example.org"),
    (CarerFactory, Carer, "email", ""),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("factory", "model", "field", "value"), ROUND_TRIPS)
def test_every_encrypted_field_type_comes_back_exactly(factory, model, field, value):
    saved = factory(**{field: value})
    loaded = model.objects.get(pk=saved.pk)
    assert getattr(loaded, field) == value
    assert type(getattr(loaded, field)) is type(value)

    setattr(saved, field, "changed in memory" if isinstance(value, str) else datetime.date(2000, 1, 1))
    saved.refresh_from_db()
    assert getattr(saved, field) == value
    assert type(getattr(saved, field)) is type(value)


@pytest.mark.django_db
@pytest.mark.parametrize(("factory", "model", "field", "value"), ROUND_TRIPS)
def test_the_column_holds_a_token_and_never_the_plaintext(factory, model, field, value):
    saved = factory(**{field: value})
    raw = raw_column(saved, model._meta.get_field(field).column)
    assert raw.startswith("cf1$")
    plain = value.isoformat() if isinstance(value, datetime.date) else value
    for piece in [plain, *plain.split()]:
        assert len(piece) < 4 or piece not in raw


@pytest.mark.django_db
def test_the_same_name_saved_again_in_the_same_row_is_sealed_afresh():
    child = ChildFactory(first_name="Ava")
    first = raw_column(child, "first_name")
    child.save()
    assert raw_column(child, "first_name") != first


@pytest.mark.django_db
def test_none_is_never_sealed_as_the_word_none():
    field = Child._meta.get_field("address")
    child = ChildFactory()
    child.address = None
    assert field.pre_save(child, add=False) is None
    assert field.get_db_prep_value(None, connection) is None
    assert field.from_db_value(None, None, connection) is None
    # No encrypted column is nullable: None is refused by the database, not stored as "None".
    with pytest.raises(IntegrityError), transaction.atomic():
        child.save()
    assert Child.objects.get(pk=child.pk).address == "1 Park Terrace, Leeds"


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", [lambda u: u.hex, lambda u: str(u).upper()], ids=["hex", "upper case"])
def test_a_row_created_with_its_primary_key_spelt_as_text_still_opens(spelling):
    # A UUID given as text (an import with upper-case GUIDs, a hex id) is a valid
    # primary key; the row must open once it is read back as a UUID.
    child = ChildFactory(id=spelling(uuid.uuid4()), first_name="Ava")
    assert Child.objects.get(pk=child.pk).first_name == "Ava"


# --- 3. a ciphertext does not open anywhere but where it was sealed ----------


@pytest.mark.django_db
def test_it_refuses_a_ciphertext_copied_into_another_row():
    ava, eva = ChildFactory(first_name="Ava"), ChildFactory(first_name="Eva")
    write_raw(eva, "first_name", raw_column(ava, "first_name"))
    eva_loaded = Child.objects.get(pk=eva.pk)  # a row loads; a value opens only when read
    with pytest.raises(crypto.DecryptionError):
        eva_loaded.first_name  # noqa: B018
    assert Child.objects.get(pk=ava.pk).first_name == "Ava"


@pytest.mark.django_db
def test_it_refuses_a_ciphertext_copied_into_another_field_of_the_same_row():
    child = ChildFactory(first_name="Ava", last_name="Smith")
    write_raw(child, "last_name", raw_column(child, "first_name"))
    with pytest.raises(crypto.DecryptionError):
        Child.objects.get(pk=child.pk).last_name  # noqa: B018


@pytest.mark.django_db
def test_it_refuses_a_ciphertext_copied_into_another_model():
    child, carer = ChildFactory(address="1 Park Terrace"), CarerFactory(address="9 Elm Road")
    write_raw(carer, "address", raw_column(child, "address"))
    with pytest.raises(crypto.DecryptionError):
        Carer.objects.get(pk=carer.pk).address  # noqa: B018


# --- 4. wrong key, missing key, tampering, not a token -----------------------
# A row loads; each value is opened (and checked against its row) when first read.


@pytest.mark.django_db
@pytest.mark.parametrize("other_ring", [("k9",), ("k1",)], ids=["key id missing", "same id, other key"])
def test_a_value_sealed_under_another_key_raises_and_never_returns_ciphertext(settings, other_ring):
    use_keys(settings, "k1")
    child = ChildFactory(first_name="Ava")
    token = raw_column(child, "first_name")
    use_keys(settings, *other_ring)
    with pytest.raises(crypto.DecryptionError) as caught:
        Child.objects.get(pk=child.pk).first_name  # noqa: B018
    assert token.split("$")[-1] not in str(caught.value)


@pytest.mark.django_db
def test_a_tampered_token_in_the_database_raises():
    child = ChildFactory(first_name="Ava")
    write_raw(child, "first_name", tamper(raw_column(child, "first_name")))
    with pytest.raises(crypto.DecryptionError):
        Child.objects.get(pk=child.pk).first_name  # noqa: B018


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["Ava", "", "cf1$dev1$", "cf2$dev1$QUJD", "cf1$dev1$@@@@", "cf1$$QUJD"])
def test_a_column_that_does_not_hold_a_token_raises_when_read(raw):
    child = ChildFactory()
    write_raw(child, "first_name", raw)
    with pytest.raises(crypto.DecryptionError):
        Child.objects.get(pk=child.pk).first_name  # noqa: B018


def test_text_tokens_refuse_a_wrong_key_id_tampering_and_a_wrong_row(settings):
    use_keys(settings, "k1", "k2")
    pk = uuid.uuid4()
    token = crypto.encrypt_text("Ava", label="records.child.first_name", pk=pk)
    assert crypto.decrypt_text(token, label="records.child.first_name", pk=pk) == "Ava"
    for bad, row in [
        (token.replace("$k1$", "$k2$"), pk),
        (token.replace("$k1$", "$nokey$"), pk),
        (tamper(token), pk),
        (token, uuid.uuid4()),
        ("Ava", pk),
    ]:
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt_text(bad, label="records.child.first_name", pk=row)


# --- 5. the keyring ----------------------------------------------------------


@pytest.mark.django_db
def test_the_first_key_encrypts_and_old_keys_still_decrypt_after_rotation(settings):
    keys = use_keys(settings, "old")
    child = ChildFactory(first_name="Ava")
    assert crypto.key_id_of(raw_column(child, "first_name")) == "old"

    keys = use_keys(settings, "new", "old", keys=keys)
    loaded = Child.objects.get(pk=child.pk)
    assert loaded.first_name == "Ava"
    loaded.save()
    assert raw_column(child, "first_name").startswith("cf1$new$")

    use_keys(settings, "new", keys=keys)
    assert Child.objects.get(pk=child.pk).first_name == "Ava"
    assert Child.objects.values_list("first_name", flat=True).get(pk=child.pk).key_id == "new"


@pytest.mark.parametrize(
    "spec",
    [
        "",
        " , ",
        "k1:abc",
        "k1:%%%%",
        "k1:é",
        f"k1:{base64.urlsafe_b64encode(secrets.token_bytes(16)).decode()}",
        f"k1:{base64.urlsafe_b64encode(secrets.token_bytes(33)).decode()}",
        f"k1:{new_key()},k1:{new_key()}",
        new_key(),
        f"bad id:{new_key()}",
    ],
    ids=[
        "empty",
        "only commas",
        "bad base64",
        "no base64 at all",
        "not ascii",
        "16-byte key",
        "33-byte key",
        "duplicate id",
        "no id",
        "space in id",
    ],
)
def test_a_malformed_keyring_is_refused_naming_the_setting(settings, spec):
    settings.FIELD_ENCRYPTION_KEYS = spec
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
        crypto.encrypt_text("Ava", label="records.child.first_name", pk=uuid.uuid4())


# --- 6. writes that bypass save() fail closed --------------------------------


MANAGERS = pytest.mark.parametrize("manager", ["objects", "_base_manager"])


@pytest.mark.django_db
@MANAGERS
def test_queryset_update_of_an_encrypted_field_is_refused(manager):
    child = ChildFactory(first_name="Ava")
    with pytest.raises(TypeError), transaction.atomic():
        getattr(Child, manager).filter(pk=child.pk).update(first_name="x")
    assert Child.objects.get(pk=child.pk).first_name == "Ava"


@pytest.mark.django_db
@MANAGERS
def test_queryset_update_with_an_expression_does_not_write_plaintext(manager):
    child = ChildFactory(first_name="Ava")
    try:
        with transaction.atomic():
            getattr(Child, manager).filter(pk=child.pk).update(first_name=Value("Written in clear"))
    except TypeError:
        pass
    assert "Written in clear" not in raw_column(child, "first_name")


@pytest.mark.django_db
def test_a_blind_index_cannot_be_pointed_at_another_name_by_update():
    ava, eva = ChildFactory(first_name="Ava"), ChildFactory(first_name="Eva")
    with pytest.raises(TypeError), transaction.atomic():
        Child.objects.filter(pk=ava.pk).update(first_name_bidx=eva.first_name_bidx)
    assert list(Child.objects.filter(first_name_bidx=eva.first_name_bidx)) == [eva]


@pytest.mark.django_db
@MANAGERS
def test_bulk_update_of_an_encrypted_field_is_refused(manager):
    child = ChildFactory(first_name="Ava")
    child.first_name = "Eva"
    with pytest.raises(TypeError), transaction.atomic():
        getattr(Child, manager).bulk_update([child], ["first_name"])
    assert Child.objects.get(pk=child.pk).first_name == "Ava"


@pytest.mark.django_db
def test_bulk_create_seals_like_save():
    child = ChildFactory.build(site=SiteFactory(), first_name="Ava")
    Child.objects.bulk_create([child])
    assert raw_column(child, "first_name").startswith("cf1$")
    assert Child.objects.get(pk=child.pk).first_name == "Ava"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lookup",
    ["first_name", "first_name__iexact", "first_name__startswith", "first_name__in", "date_of_birth__year"],
)
def test_searching_an_encrypted_field_is_refused(lookup):
    ChildFactory(first_name="Ava")
    value = ["Ava"] if lookup.endswith("__in") else 2022 if lookup.endswith("year") else "Ava"
    with pytest.raises(FieldError):
        list(Child.objects.filter(**{lookup: value}))


@pytest.mark.django_db
def test_isnull_is_the_one_lookup_allowed():
    child = ChildFactory()
    assert list(Child.objects.filter(first_name__isnull=False)) == [child]


@pytest.mark.django_db
def test_a_sealed_value_never_prints():
    ChildFactory(first_name="Ava")
    sealed = Child.objects.values_list("first_name", flat=True).get()
    assert isinstance(sealed, Sealed)
    assert "cf1" not in repr(sealed)
    with pytest.raises(crypto.DecryptionError):
        str(sealed)
    with pytest.raises(crypto.DecryptionError):
        f"{sealed}"  # noqa: B018


# --- 7. the blind index --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  ÁVA   smith ", "ava smith"),
        ("Zoë\tÓ'Brien\n", "zoe o'brien"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        (datetime.date(2022, 3, 14), "2022-03-14"),
    ],
)
def test_normalise_for_index_folds_case_accents_and_whitespace(value, expected):
    assert crypto.normalise_for_index(value) == expected


@pytest.mark.django_db
def test_the_first_name_index_matches_spellings_of_a_name_but_not_another_name():
    digests = {name: ChildFactory(first_name=name).first_name_bidx for name in ["Ava", "ava", " ÁVA ", "Eva"]}
    assert digests["Ava"] == digests["ava"] == digests[" ÁVA "]
    assert digests["Ava"] != digests["Eva"]
    assert [c.first_name for c in Child.objects.filter(first_name_bidx=digests["Eva"])] == ["Eva"]


@pytest.mark.django_db
def test_index_digests_are_separated_per_field():
    child = ChildFactory(first_name="Smith", last_name="Smith")
    carer = CarerFactory(last_name="Smith")
    assert len({child.first_name_bidx, child.last_name_bidx, carer.last_name_bidx}) == 3


@pytest.mark.django_db
def test_another_blind_index_key_gives_other_digests(settings):
    before = ChildFactory(first_name="Ava", date_of_birth=datetime.date(2022, 3, 14))
    settings.BLIND_INDEX_KEY = f"k2:{new_key()}"
    after = ChildFactory(first_name="Ava", date_of_birth=datetime.date(2022, 3, 14))
    assert before.first_name_bidx != after.first_name_bidx
    assert before.date_of_birth_bidx != after.date_of_birth_bidx


@pytest.mark.django_db
def test_the_index_columns_hold_no_plaintext():
    child = ChildFactory(first_name="Ava", last_name="Smith", date_of_birth=datetime.date(2022, 3, 14))
    for column in ["first_name_bidx", "last_name_bidx", "date_of_birth_bidx"]:
        raw = raw_column(child, column)
        assert len(raw) == 64 and set(raw) <= set("0123456789abcdef")
        for plain in ["ava", "smith", "2022", "03-14"]:
            assert plain not in raw.lower()


@pytest.mark.django_db
def test_the_index_follows_a_name_saved_with_update_fields():
    child = ChildFactory(first_name="Ava")
    child.first_name = "Eva"
    child.save(update_fields=["first_name"])
    eva = crypto.blind_index("Eva", label="records.child.first_name")
    assert list(Child.objects.filter(first_name_bidx=eva)) == [child]


# --- 8. files ------------------------------------------------------------------


def seal(data: bytes, *, label: str = FILE_LABEL, pk: object, piece: int = 1000) -> bytes:
    source = io.BytesIO(data)
    return b"".join(crypto.encrypt_stream(iter(lambda: source.read(piece), b""), label=label, pk=pk))


def unseal(sealed: bytes, *, label: str = FILE_LABEL, pk: object) -> bytes:
    return b"".join(crypto.decrypt_stream(io.BytesIO(sealed), label=label, pk=pk))


def split_chunks(sealed: bytes, key_id: str) -> tuple[bytes, list[bytes]]:
    start = len(crypto.FILE_MAGIC) + 1 + len(key_id) + crypto.FILE_NONCE_PREFIX_SIZE
    step = CHUNK + crypto.TAG_SIZE
    return sealed[:start], [sealed[i : i + step] for i in range(start, len(sealed), step)]


@pytest.fixture
def file_pk(settings) -> uuid.UUID:
    use_keys(settings, "f1")
    return uuid.uuid4()


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK])
def test_a_file_of_any_size_comes_back_exactly(file_pk, size):
    data = os.urandom(size)
    sealed = seal(data, pk=file_pk)
    assert crypto.read_file_key_id(io.BytesIO(sealed)) == "f1"
    assert unseal(sealed, pk=file_pk) == data
    assert unseal(seal(data, pk=file_pk, piece=size + 1), pk=file_pk) == data


def test_a_sealed_file_holds_no_recognisable_plaintext(file_pk):
    sealed = seal(MARKER * (3 * CHUNK // len(MARKER)), pk=file_pk)
    for needle in [MARKER, b"Ava Smith", b"safeguarding", b"CONFIDENTIAL"]:
        assert needle not in sealed


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


DAMAGE = {
    "drop last chunk": lambda h, c: h + b"".join(c[:-1]),
    "drop every chunk": lambda h, c: h,
    "drop last byte": lambda h, c: (h + b"".join(c))[:-1],
    "drop last 17 bytes": lambda h, c: (h + b"".join(c))[: -(crypto.TAG_SIZE + 1)],
    "swap chunks": lambda h, c: h + c[1] + c[0] + b"".join(c[2:]),
    "flip a byte": lambda h, c: h + c[0] + _flip(c[1], len(c[1]) // 2) + b"".join(c[2:]),
    "flip a nonce byte": lambda h, c: _flip(h, len(h) - 1) + b"".join(c),
    "append a byte": lambda h, c: h + b"".join(c) + b"\x00",
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
@pytest.mark.parametrize("size", [2 * CHUNK, 3 * CHUNK + 5])
def test_a_damaged_file_refuses_to_open(file_pk, damage, size):
    header, chunks = split_chunks(seal(os.urandom(size), pk=file_pk), "f1")
    with pytest.raises(crypto.DecryptionError):
        unseal(damage(header, chunks), pk=file_pk)


@pytest.mark.parametrize("sealed", [b"", b"hello", b"CFA1\x02f1abc"])
def test_bytes_that_are_not_a_sealed_file_refuse_to_open(file_pk, sealed):
    with pytest.raises(crypto.DecryptionError):
        unseal(sealed, pk=file_pk)


def test_a_file_opens_only_for_its_own_row_label_and_key(settings, file_pk):
    sealed = seal(MARKER * 10, pk=file_pk)
    with pytest.raises(crypto.DecryptionError):
        unseal(sealed, pk=uuid.uuid4())
    with pytest.raises(crypto.DecryptionError):
        unseal(sealed, label="records.attachment.other", pk=file_pk)
    use_keys(settings, "f2")
    with pytest.raises(crypto.DecryptionError):
        unseal(sealed, pk=file_pk)


@pytest.mark.django_db
def test_a_value_is_opened_only_when_read_and_only_once():
    child = ChildFactory(first_name="Ava", allergies="Peanuts")
    with mock.patch.object(crypto, "decrypt_text", wraps=crypto.decrypt_text) as opened:
        loaded = Child.objects.get(pk=child.pk)
        assert opened.call_count == 0
        assert loaded.first_name == "Ava" and loaded.first_name == "Ava"
        assert [c.kwargs["label"] for c in opened.call_args_list] == ["records.child.first_name"]
