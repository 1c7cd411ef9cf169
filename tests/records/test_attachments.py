from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from crypto import attachments
from records.forms import AttachmentForm
from records.models import Attachment
from records.services import attachment_create

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\nAva Smith health visitor letter"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 40
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX_BYTES = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT_BYTES = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def signed_in(request):
    request.user = SimpleNamespace(is_authenticated=True)
    return request


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("letter.pdf", PDF_BYTES, attachments.PDF),
        ("painting.png", PNG_BYTES, attachments.PNG),
        ("photo.JPG", JPEG_BYTES, attachments.JPEG),
        ("photo.jpeg", JPEG_BYTES, attachments.JPEG),
        ("plan.docx", DOCX_BYTES, attachments.DOCX),
        ("plan.odt", ODT_BYTES, attachments.ODT),
        ("note.txt", "Zoë's note: café at 10:00\n".encode(), attachments.TXT),
    ],
)
def test_it_accepts_each_allowed_type_by_its_content(name: str, data: bytes, expected: str) -> None:
    checked = attachments.check_upload(upload(name, data))
    assert checked.content_type == expected
    assert checked.data == data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("setup.exe", EXE_BYTES, "is not a type of file Confide accepts"),
        ("letter.pdf", EXE_BYTES, "is not a type of file Confide accepts"),
        ("photo.png", PDF_BYTES, "is really a PDF document, but its name says otherwise"),
        ("report.pdf", PNG_BYTES, "is really a PNG image"),
        ("notes.docx", zip_bytes({"readme.txt": b"hello"}), "is not a type of file Confide accepts"),
        ("page.txt", b"text with a \x00 null", "is not a type of file Confide accepts"),
        ("script.html", b"<script>alert(1)</script>", "is really a plain text file"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_it_refuses_a_file_whose_content_is_not_allowed_or_not_what_its_name_says(
    name: str, data: bytes, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        attachments.check_upload(upload(name, data))
    assert message in error.value.messages[0]
    assert name in error.value.messages[0]


@pytest.mark.django_db
def test_a_refused_upload_leaves_nothing_on_disk_and_no_row(world, media_root: Path) -> None:
    files_before, rows_before = files_under(media_root), Attachment.objects.count()
    for name, data in [("photo.png", PDF_BYTES), ("virus.pdf", EXE_BYTES)]:
        with pytest.raises(ValidationError):
            attachment_create(actor=world.keyworker, record=world.ava_progress, uploaded=upload(name, data))
    assert files_under(media_root) == files_before
    assert Attachment.objects.count() == rows_before


@pytest.mark.django_db
def test_a_too_big_upload_is_refused_with_the_limit_in_the_message(world, settings, media_root) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024
    files_before, rows_before = files_under(media_root), Attachment.objects.count()
    with pytest.raises(ValidationError) as error:
        attachment_create(
            actor=world.keyworker,
            record=world.ava_progress,
            uploaded=upload("big.pdf", PDF_BYTES + b"x" * 2000),
        )
    assert "the largest file Confide accepts is 1.0\xa0KB" in error.value.messages[0]
    assert files_under(media_root) == files_before
    assert Attachment.objects.count() == rows_before


def test_uploads_are_held_in_memory_and_never_spooled_to_disk(settings, tmp_path, monkeypatch) -> None:
    """Django's default handler writes uploads over 2.5 MB to a temporary file in
    plaintext; ours must not, and a file over the limit arrives marked as such."""
    settings.ATTACHMENT_MAX_BYTES = 4 * 1024 * 1024
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)

    secret = b"Ava Smith safeguarding letter " * 110_000  # about 3.3 MB
    request = signed_in(RequestFactory().post("/", {"file": upload("letter.txt", secret)}))
    assert request.FILES["file"].read() == secret
    assert list(spool.iterdir()) == []

    huge = signed_in(RequestFactory().post("/", {"file": upload("huge.txt", b"y" * (5 * 1024 * 1024))}))
    form = AttachmentForm(files=huge.FILES)
    assert not form.is_valid()
    assert "“huge.txt” is 5.0\xa0MB; the largest file Confide accepts is 4.0\xa0MB." in form.errors["file"]
    assert list(spool.iterdir()) == []


def test_memory_is_bounded_per_request_and_nothing_is_held_for_visitors(settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    piece = b"z" * (700 * 1024)
    two = signed_in(RequestFactory().post("/", {"a": upload("a.txt", piece), "b": upload("b.txt", piece)}))
    assert two.FILES["a"].read() == piece
    assert getattr(two.FILES["b"], "exceeded_limit", False)  # the second would pass the request's budget
    anonymous = RequestFactory().post("/", {"a": upload("a.txt", b"hello")})
    anonymous.user = AnonymousUser()
    assert getattr(anonymous.FILES["a"], "exceeded_limit", False)


def test_damaged_documents_are_refused_with_a_message_not_an_error() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text" * 2)
        archive.writestr("content.xml", b"<x/>")
    damaged = bytearray(buffer.getvalue())
    damaged[38:50] = b"\xff" * 12  # the compressed data of "mimetype": zlib cannot read it
    with pytest.raises(ValidationError):
        attachments.check_upload(upload("plan.odt", bytes(damaged)))
    with pytest.raises(ValidationError, match="needs a name"):
        attachments.check_upload(upload(".pdf", PDF_BYTES))


@pytest.mark.parametrize(
    "text",
    ["Zoë said\u00a0hello\r\n".encode(), "Line\u2028break".encode(), "Caf\xe9 menu".encode("cp1252")],
)
def test_ordinary_text_files_are_accepted(text: bytes) -> None:
    assert attachments.check_upload(upload("note.txt", text)).content_type == attachments.TXT


def test_the_form_shows_the_reason_next_to_the_field() -> None:
    form = AttachmentForm(files={"file": upload("photo.png", PDF_BYTES)})
    assert not form.is_valid()
    assert "is really a PDF document" in form.errors["file"][0]


@pytest.mark.django_db
def test_a_stored_attachment_is_sealed_on_disk_and_described_by_its_plaintext(world, media_root) -> None:
    before = set(files_under(media_root))
    attachment = attachment_create(
        actor=world.keyworker, record=world.ava_progress, uploaded=upload("letter.pdf", PDF_BYTES)
    )
    stored = sorted(set(files_under(media_root)) - before)
    assert len(stored) == 1
    sealed = stored[0].read_bytes()
    assert sealed.startswith(b"CFA1")
    assert b"%PDF" not in sealed and b"Ava Smith" not in sealed
    assert "letter" not in stored[0].name

    attachment = Attachment.objects.get(pk=attachment.pk)
    assert attachment.original_filename == "letter.pdf"
    assert attachment.content_type == attachments.PDF
    assert attachment.size == len(PDF_BYTES)
    assert attachment.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    opened = b"".join(
        attachments.open_plaintext(attachment_id=attachment.pk, stored_name=attachment.stored_name)
    )
    assert opened == PDF_BYTES


@pytest.mark.django_db
def test_sealed_content_moved_to_another_attachment_does_not_open(world, media_root) -> None:
    first = attachment_create(
        actor=world.keyworker, record=world.ava_progress, uploaded=upload("a.pdf", PDF_BYTES)
    )
    second = attachment_create(
        actor=world.keyworker, record=world.ava_progress, uploaded=upload("b.png", PNG_BYTES)
    )
    from crypto.core import DecryptionError

    with pytest.raises(DecryptionError):
        attachments.open_plaintext(attachment_id=second.pk, stored_name=first.stored_name)
