"""The whole of a child's file as a parent may see it, as one PDF (a
subject-access style copy). Built in memory: the plaintext never touches disk.
Every page names whom it was prepared for and says "page N of M"
(sharing.pdf's marked pages)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from records.categories import as_label
from records.models import Addendum, Carer, Child, ChildCarer, Record
from sharing.pdf import Marks, marked_pdf


def _text(value: object) -> str:
    return escape(str(value)).replace("\n", "<br/>")


def _table(rows: Sequence[tuple[str, str]], styles: Any) -> Table:
    table = Table(
        [
            [Paragraph(_text(k), styles["Normal"]), Paragraph(_text(v or "—"), styles["Normal"])]
            for k, v in rows
        ],
        colWidths=[45 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey)]
        )
    )
    return table


def _carer_rows(carer: Carer, links: Iterable[ChildCarer]) -> list[tuple[str, str]]:
    """The reader's own details in full; other carers by name and relationship only,
    as on the portal's page (a separated parent's address is not the other's to read)."""
    rows = []
    for link in links:
        relationship = link.get_relationship_display()
        rights = "parental responsibility" if link.parental_responsibility else "no parental responsibility"
        if link.carer_id == carer.pk:
            contact = ", ".join(part for part in (carer.phone, carer.email, carer.address) if part)
            rows.append((f"You ({relationship.lower()})", f"{carer.full_name}; {rights}. {contact}".strip()))
        else:
            rows.append((relationship, f"{link.carer.full_name}; {rights}"))
    return rows


def child_file_pdf(
    *,
    child: Child,
    carer: Carer,
    links: Iterable[ChildCarer],
    records: Iterable[Record],
    comments: dict[uuid.UUID, list[Addendum]],
) -> bytes:
    prepared = timezone.localtime()
    footer = f"Prepared for {carer.full_name} on {prepared:%-d %B %Y at %H:%M}. Confidential."
    marks = Marks(
        watermark="CONFIDENTIAL", header=f"{child.full_name}: file · {child.site.name}", footer=footer
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
    story += [_table(details, styles), Spacer(1, 6 * mm), Paragraph("Parents and carers", styles["Heading2"])]
    story += [_table(_carer_rows(carer, links), styles), Spacer(1, 6 * mm)]
    story.append(Paragraph("Records", styles["Heading2"]))
    count = 0
    for record in records:
        count += 1
        when = timezone.localtime(record.occurred_at)
        story.append(Paragraph(_text(record.title), styles["Heading3"]))
        story.append(
            Paragraph(_text(f"{when:%-d %B %Y, %H:%M} · {record.get_category_display()}"), styles["Italic"])
        )
        for question, answer in record.detail_items:
            story.append(Paragraph(f"<b>{_text(as_label(question))}</b> {_text(answer)}", styles["Normal"]))
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
    return marked_pdf(story, marks)
