"""Upload handling that never writes an uploaded file to disk in plaintext."""

from __future__ import annotations

from io import BytesIO
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers


class OversizedUpload(InMemoryUploadedFile):
    """Stands for a file that was larger than the limit; its content was dropped."""

    exceeded_limit = True


class BoundedMemoryUploadHandler(FileUploadHandler):
    """Holds every upload in memory up to ATTACHMENT_MAX_BYTES and drops the rest.

    Django's default handler spools large uploads to a temporary file in
    plaintext; this one never does. A file over the limit arrives as an
    `OversizedUpload`, so the form can say so instead of losing it silently.
    Memory is bounded per request, not per file, and a visitor who is not
    signed in gets nothing held at all.
    """

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        user = getattr(self.request, "user", None)
        self.budget = settings.ATTACHMENT_MAX_BYTES if user is not None and user.is_authenticated else 0
        self.held = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = BytesIO()
        self.received = 0
        self.oversized = False
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.oversized:
            return None
        if self.received > settings.ATTACHMENT_MAX_BYTES or self.held + len(raw_data) > self.budget:
            # Drop this file's content and give its share of the budget back.
            self.oversized = True
            self.held -= self.received - len(raw_data)
            self.file.seek(0)
            self.file.truncate()
            return None
        self.file.write(raw_data)
        self.held += len(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        self.file.seek(0)
        upload_class = OversizedUpload if self.oversized else InMemoryUploadedFile
        return upload_class(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
