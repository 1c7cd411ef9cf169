"""
Attachment content: what types are accepted, and sealed storage.

The type is decided by the content, and the file's name must agree with it:
a PDF renamed "photo.png" is refused, and so is a program renamed "letter.pdf".
Content is sealed before it reaches storage (crypto/core.py), so nothing
under MEDIA_ROOT is ever plaintext.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import StreamingHttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header

from crypto import core

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
TXT = "text/plain"

# content type -> (name people know it by, extensions that may carry it)
ACCEPTED: dict[str, tuple[str, frozenset[str]]] = {
    PDF: ("PDF document", frozenset({".pdf"})),
    PNG: ("PNG image", frozenset({".png"})),
    JPEG: ("JPEG image", frozenset({".jpg", ".jpeg"})),
    DOCX: ("Word document (DOCX)", frozenset({".docx"})),
    ODT: ("OpenDocument text (ODT)", frozenset({".odt"})),
    TXT: ("plain text file", frozenset({".txt"})),
}
ACCEPTED_SUMMARY = "PDF, PNG, JPEG, Word (DOCX), OpenDocument text (ODT) and plain text (TXT)"
STORAGE_PREFIX = "attachments"


def sniff_content_type(data: bytes) -> str | None:
    """The accepted type this content really is, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if _is_plain_text(data):
        return TXT
    return None


def _sniff_zip(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                if archive.read("mimetype").strip() == ODT.encode():
                    return ODT
            if {"[Content_Types].xml", "word/document.xml"} <= names:
                return DOCX
    except Exception:  # noqa: BLE001 - any fault in a damaged archive means "not a document"
        return None
    return None


# Control characters no text file contains; binary data is full of them.
_CONTROL = {chr(c) for c in range(32)} - set("\t\n\r\f") | {"\x7f"}


def _is_plain_text(data: bytes) -> bool:
    """UTF-8 (with or without a byte-order mark), or Windows-1252 as older
    Windows programs save it, with no control characters."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not _CONTROL.intersection(text)
    return False


@dataclass(frozen=True)
class CheckedUpload:
    filename: str
    content_type: str
    data: bytes


def check_upload(uploaded: object) -> CheckedUpload:
    """Read and check an uploaded file; raises ValidationError with a message for people."""
    name = PurePath(getattr(uploaded, "name", "") or "file").name
    limit = settings.ATTACHMENT_MAX_BYTES
    size = getattr(uploaded, "size", 0) or 0
    if getattr(uploaded, "exceeded_limit", False) or size > limit:
        raise ValidationError(
            f"“{name}” is {filesizeformat(size)}; the largest file Confide accepts is "
            f"{filesizeformat(limit)}.",
            code="too_big",
        )
    data = uploaded.read()  # type: ignore[attr-defined]
    if len(data) > limit:
        raise ValidationError(
            f"“{name}” is larger than {filesizeformat(limit)}, the largest file Confide accepts.",
            code="too_big",
        )
    if not data:
        raise ValidationError(f"“{name}” is empty.", code="empty")

    content_type = sniff_content_type(data)
    if content_type is None:
        raise ValidationError(
            f"“{name}” is not a type of file Confide accepts. Accepted: {ACCEPTED_SUMMARY}.",
            code="type",
        )
    described, extensions = ACCEPTED[content_type]
    extension = PurePath(name).suffix.lower()
    if not PurePath(name).stem or name.startswith("."):
        raise ValidationError(f"“{name}” needs a name before its extension.", code="name")
    if extension not in extensions:
        raise ValidationError(
            f"“{name}” is really a {described}, but its name says otherwise. "
            f"Rename it to end in {sorted(extensions)[0]} and try again.",
            code="type_mismatch",
        )
    return CheckedUpload(filename=name, content_type=content_type, data=data)


def content_label() -> str:
    return "records.attachment.content"


def new_storage_name(attachment_id: object, key_id: str) -> str:
    # A fresh name for every sealing, so re-sealing never overwrites in place.
    return f"{STORAGE_PREFIX}/{attachment_id}.{key_id}.{secrets.token_hex(4)}.sealed"


def seal_and_store(*, attachment_id: object, data: bytes) -> tuple[str, str, str]:
    """Seal `data` for this attachment and store it. Returns (name, key id, sha256)."""
    key_id = core.keyring().current_id
    sealed = b"".join(core.encrypt_stream(_pieces(data), label=content_label(), pk=attachment_id))
    name = default_storage.save(new_storage_name(attachment_id, key_id), ContentFile(sealed))
    return name, key_id, hashlib.sha256(data).hexdigest()


def _pieces(data: bytes) -> Iterator[bytes]:
    for start in range(0, len(data), core.CHUNK_SIZE):
        yield data[start : start + core.CHUNK_SIZE]


def open_plaintext(*, attachment_id: object, stored_name: str) -> Iterator[bytes]:
    """Stream an attachment's plaintext. The first piece is opened before this
    returns, so a file that does not open fails before anything is sent."""
    stream = default_storage.open(stored_name, "rb")
    try:
        pieces = core.decrypt_stream(stream, label=content_label(), pk=attachment_id)
        first = next(pieces)
    except BaseException:
        stream.close()
        raise

    def generate() -> Iterator[bytes]:
        try:
            yield first
            yield from pieces
        finally:
            stream.close()

    return generate()


def delete_stored(name: str) -> None:
    default_storage.delete(name)


class SealedFile(Protocol):
    """A row of a sealed file (records.Attachment): what a download needs of it."""

    @property
    def pk(self) -> object: ...
    @property
    def stored_name(self) -> str: ...
    @property
    def content_type(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def original_filename(self) -> str: ...


# Shown in the browser rather than saved: pictures and PDFs (the browser's own viewer).
PREVIEWABLE = frozenset({"image/png", "image/jpeg", "application/pdf"})


def download_response(attachment: SealedFile, *, inline: bool = False) -> StreamingHttpResponse:
    """An attachment as a download (or, for a picture or PDF, to view in the browser),
    decrypted on the fly as it streams."""
    content = open_plaintext(attachment_id=attachment.pk, stored_name=attachment.stored_name)
    response = StreamingHttpResponse(content, content_type=attachment.content_type)
    response["Content-Length"] = str(attachment.size)
    shown = inline and attachment.content_type in PREVIEWABLE
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=not shown, filename=attachment.original_filename)
        or "attachment"
    )
    # Never sniffed into something else; a PDF may open only in the browser's own viewer.
    response["X-Content-Type-Options"] = "nosniff"
    return response
