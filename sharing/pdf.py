"""The documents that leave the setting: a disclosure's bundle, a bulk export and a
parent's copy of a consent. Built in memory (the plaintext never touches disk);
every page carries the watermark and "page N of M"; the document's metadata
(title, author, subject, creator, producer, dates) is left empty.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from access.models import User
from crypto import attachments
from records.models import Attachment
from sharing.models import Consent, Disclosure, DisclosureItem

IMAGE_TYPES = ("image/png", "image/jpeg")
STYLES = getSampleStyleSheet()
Lines = Sequence[tuple[str, str]]


def _text(value: object) -> str:
    return escape(str(value)).replace("\n", "<br/>")


def _person(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


@dataclass(frozen=True)
class Marks:
    """What every page says: the watermark across it, a header and a footer."""

    watermark: str
    header: str
    footer: str


def _canvas_for(marks: Marks) -> Callable[..., Canvas]:
    class MarkedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
        """Keeps each page until the end, so each can say how many there are."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._kept: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._kept.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._kept)
            for number, state in enumerate(self._kept, start=1):
                self.__dict__ = {**self.__dict__, **state}
                self._mark(number, total)
                super().showPage()
            super().save()

        def _mark(self, number: int, total: int) -> None:
            width, height = A4
            self.saveState()
            self.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.12))
            self.setFont("Helvetica-Bold", 30)
            self.translate(width / 2, height / 2)
            self.rotate(35)
            self.drawCentredString(0, 0, marks.watermark)
            self.restoreState()
            self.saveState()
            self.setFont("Helvetica", 8)
            self.setFillColor(colors.darkgrey)
            self.drawString(18 * mm, height - 11 * mm, marks.header)
            self.drawString(18 * mm, 10 * mm, marks.footer)
            self.drawRightString(width - 18 * mm, 10 * mm, f"Page {number} of {total}")
            self.restoreState()

    return MarkedCanvas


def marked_pdf(story: list[Flowable], marks: Marks) -> bytes:
    """A document whose every page carries `marks` and "page N of M", with no metadata."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        # No metadata: a bundle's properties say nothing of whom it is about.
        title="",
        author="",
        subject="",
        creator="",
        producer="",
        keywords=[],
        invariant=1,
    )
    doc.build(story, canvasmaker=_canvas_for(marks))
    return buffer.getvalue()


def _table(lines: Lines) -> Table:
    rows = [
        [Paragraph(_text(k), STYLES["Normal"]), Paragraph(_text(v or "—"), STYLES["Normal"])]
        for k, v in lines
    ]
    table = Table(rows, colWidths=[48 * mm, None])
    table.setStyle(
        TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey)]
        )
    )
    return table


def _image(attachment: Attachment) -> Flowable | None:
    if attachment.content_type not in IMAGE_TYPES:
        return None
    data = b"".join(
        attachments.open_plaintext(attachment_id=attachment.pk, stored_name=attachment.stored_name)
    )
    picture = Image(io.BytesIO(data))
    scale = min(1.0, (A4[0] - 36 * mm) / picture.imageWidth, (A4[1] / 2) / picture.imageHeight)
    picture.drawWidth, picture.drawHeight = picture.imageWidth * scale, picture.imageHeight * scale
    return picture


# --- a disclosure's bundle -------------------------------------------------------------------


def disclosure_bundle_pdf(
    *, disclosure: Disclosure, items: Iterable[DisclosureItem], produced_by: User
) -> bytes:
    now = timezone.localtime()
    recipient = disclosure.recipient.label
    marks = Marks(
        watermark=f"CONFIDENTIAL · {recipient} · {disclosure.reference}",
        header=f"Disclosure {disclosure.reference} to {recipient}. Confidential: do not share onward.",
        footer=f"Produced by {_person(produced_by)} on {now:%-d %B %Y at %H:%M}.",
    )
    about = dict(disclosure.details_shared).get("Full name")
    story: list[Flowable] = [
        Paragraph(_text(f"Information shared by {disclosure.child.site.name}"), STYLES["Title"]),
        _table(_bundle_header(disclosure, recipient, about)),
        Spacer(1, 5 * mm),
    ]
    if disclosure.details_shared:
        story += [Paragraph("About the child", STYLES["Heading2"]), _table(disclosure.details_shared)]
    story.append(Paragraph("Records", STYLES["Heading2"]))
    for item in items:
        story += [_table(item.lines), Spacer(1, 4 * mm)]
        for attachment in item.attachments.all():
            picture = _image(attachment)
            caption = (
                f"Enclosed ({'below' if picture else 'sent separately'}): {attachment.original_filename}"
            )
            story.append(Paragraph(_text(caption), STYLES["Italic"]))
            if picture is not None:
                story.append(picture)
    return marked_pdf(story, marks)


def _bundle_header(disclosure: Disclosure, recipient: str, about: str | None) -> list[tuple[str, str]]:
    consent = disclosure.consent
    lines = [
        ("Reference", disclosure.reference),
        ("To", recipient),
        ("About", about or f"The child named in the covering message (reference {disclosure.reference})"),
        (
            "Purpose",
            disclosure.get_purpose_display()
            + (f": {disclosure.purpose_detail}" if disclosure.purpose_detail else ""),
        ),
        ("Lawful basis", disclosure.get_basis_display()),
    ]
    if disclosure.condition:
        lines.append(("Condition", disclosure.get_condition_display()))
    if consent is not None:
        lines.append(("Consent", f"Given on {timezone.localtime(consent.given_at):%-d %B %Y}"))
    lines += [
        ("Shared by", _person(disclosure.created_by)),
        ("Approved by", _person(disclosure.approved_by) or "No approval needed"),
    ]
    if disclosure.redact_third_parties or disclosure.passages:
        lines.append(
            ("Redaction", "Details of the informant and other third parties are replaced by [redacted].")
        )
    return lines


# --- a bulk export -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportSection:
    heading: str
    details: Lines
    records: Sequence[tuple[str, Lines]]


def bulk_export_pdf(
    *, title: str, reason: str, sections: Iterable[ExportSection], exported_by: User
) -> bytes:
    now = timezone.localtime()
    who = _person(exported_by)
    marks = Marks(
        watermark=f"CONFIDENTIAL · exported by {who} · {now:%-d %b %Y %H:%M}",
        header=f"{title}. Confidential.",
        footer=f"Exported by {who} on {now:%-d %B %Y at %H:%M}. Reason: {reason[:80]}",
    )
    story: list[Flowable] = [
        Paragraph(_text(title), STYLES["Title"]),
        Paragraph(_text(f"Reason: {reason}"), STYLES["Normal"]),
    ]
    for section in sections:
        story += [Paragraph(_text(section.heading), STYLES["Heading2"])]
        if section.details:
            story.append(_table(section.details))
        for record_title, lines in section.records:
            story += [Paragraph(_text(record_title), STYLES["Heading3"]), _table(lines), Spacer(1, 3 * mm)]
        if not section.records:
            story.append(Paragraph("No records.", STYLES["Normal"]))
    return marked_pdf(story, marks)


# --- a parent's copy of a consent ------------------------------------------------------------------


def consent_copy_pdf(*, consent: Consent, lines: Lines, for_whom: str) -> bytes:
    now = timezone.localtime()
    marks = Marks(
        watermark="COPY · CONSENT",
        header=f"{consent.child.site.name}: copy of a consent.",
        footer=f"Copy for {for_whom}, made on {now:%-d %B %Y at %H:%M}.",
    )
    story: list[Flowable] = [
        Paragraph("Your consent to share information", STYLES["Title"]),
        _table(lines),
        Spacer(1, 5 * mm),
        Paragraph(_text(f"What you were told: {consent.told}"), STYLES["Normal"]),
    ]
    return marked_pdf(story, marks)
