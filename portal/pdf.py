"""The whole of a child's file as a parent may see it, as one PDF (a
subject-access style copy). Built in memory: the plaintext never touches disk."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from records.models import Addendum, Child, Record


def _text(value: object) -> str:
    return escape(str(value)).replace("\n", "<br/>")


def child_file_pdf(
    *, child: Child, carer_name: str, records: Iterable[Record], comments: dict[uuid.UUID, list[Addendum]]
) -> bytes:
    buffer = io.BytesIO()
    prepared = timezone.localtime()
    footer = f"Prepared for {carer_name} on {prepared:%-d %B %Y at %H:%M}. Confidential."

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"File of {child.full_name}",
        author=child.site.name,
        subject="Copy of a child's file",
    )
    styles = getSampleStyleSheet()
    story: list[Any] = [
        Paragraph(_text(f"{child.full_name}: file"), styles["Title"]),
        Paragraph(_text(f"{child.site.name}. {footer}"), styles["Normal"]),
        Spacer(1, 6 * mm),
        Paragraph("Details", styles["Heading2"]),
    ]
    details = [
        ("Full name", child.full_name),
        ("Known as", child.preferred_name),
        ("Date of birth", f"{child.date_of_birth:%-d %B %Y}"),
        ("Setting", child.site.name),
        ("Room", child.room),
        ("Address", child.address),
        ("Phone", child.phone),
        ("Allergies", child.allergies),
        ("Medical conditions", child.medical_conditions),
        ("Medication", child.medication),
        ("Dietary needs", child.dietary_needs),
        ("GP", child.gp_details),
    ]
    table = Table(
        [
            [Paragraph(_text(k), styles["Normal"]), Paragraph(_text(v or "—"), styles["Normal"])]
            for k, v in details
        ],
        colWidths=[45 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey)]
        )
    )
    story += [table, Spacer(1, 6 * mm), Paragraph("Records", styles["Heading2"])]
    count = 0
    for record in records:
        count += 1
        when = timezone.localtime(record.occurred_at)
        story.append(Paragraph(_text(record.title), styles["Heading3"]))
        story.append(
            Paragraph(_text(f"{when:%-d %B %Y, %H:%M} · {record.get_category_display()}"), styles["Italic"])
        )
        for label, answer in record.detail_items:
            story.append(Paragraph(f"<b>{_text(label)}:</b> {_text(answer)}", styles["Normal"]))
        if record.body:
            story.append(Paragraph(_text(record.body), styles["Normal"]))
        names = [a.original_filename for a in record.attachments.all()]
        if names:
            story.append(Paragraph(_text("Attached: " + ", ".join(names)), styles["Normal"]))
        for comment in comments.get(record.pk, []):
            said = timezone.localtime(comment.created_at)
            story.append(
                Paragraph(
                    _text(f"Comment from a parent or carer, {said:%-d %B %Y}: {comment.text}"),
                    styles["Normal"],
                )
            )
        story.append(Spacer(1, 4 * mm))
    if not count:
        story.append(Paragraph("No records have been shared with parents yet.", styles["Normal"]))
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
