"""What a share may include, and the text that goes, redacted.

A record is shared part by part (minimum necessary: nothing is chosen for the
person). With redaction on (the default), the informant's and other third
parties' details are replaced, not hidden: the text sent holds a marker where
they were, wherever else in the shared text their names appear too. Passages
of free text that identify someone from context can be marked, and are
replaced the same way. Scans and images are never text-redacted, so they go
only when the DSL has reviewed them by hand (docs/sharing.md).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from access.services.common import person_name
from records.categories import SPECS
from records.models import Category, Child, ChildCarer, Record, Source
from sharing.models import AGENCY_CATEGORIES

INFORMANT = "[redacted: informant]"
THIRD_PARTY = "[redacted: third party]"
# Questions whose answers name people other than the child.
THIRD_PARTY_QUESTIONS = frozenset({"who", "attendees", "correspondent", "signed_by"})
# Sections of a concern's text that name other people (records/services/concerns.py).
THIRD_PARTY_SECTIONS = ("Who was present",)
FILES = "files"

# The child's details that may be shared, and the category of information each is.
CHILD_DETAILS = (
    ("name", "Full name", Category.REGISTRATION),
    ("date_of_birth", "Date of birth", Category.REGISTRATION),
    ("address", "Address", Category.REGISTRATION),
    ("phone", "Phone", Category.REGISTRATION),
    ("languages", "Languages spoken", Category.REGISTRATION),
    ("carers", "Parents and carers", Category.REGISTRATION),
    ("gp", "GP", Category.MEDICAL),
    ("allergies", "Allergies", Category.MEDICAL),
    ("medical", "Medical conditions and medication", Category.MEDICAL),
    ("dietary", "Dietary needs", Category.MEDICAL),
)
DETAIL_CATEGORY = {code: category for code, _label, category in CHILD_DETAILS}
# Who the child is: needed by any recipient, covered by any consent.
IDENTITY = frozenset({"name", "date_of_birth"})


def record_parts(record: Record, *, attachment_count: int = 0) -> list[tuple[str, str]]:
    """The parts of a record a share may include: (code, label)."""
    spec = SPECS.get(record.category)
    parts = [("title", "Title, date and category"), ("body", spec.body_label if spec else "Text")]
    parts += [(f"d:{q.name}", q.label) for q in (spec.questions if spec else ())]
    if record.source_name:
        parts.append(("source", "Who provided it"))
    parts.append(("author", "Who recorded it"))
    if attachment_count:
        parts.append((FILES, "Scans and images (only after the DSL has reviewed them by hand)"))
    return parts


def is_from_another_agency(record: Record) -> bool:
    """Another agency's document: not shared onward without the originator's consent."""
    return record.category in AGENCY_CATEGORIES or record.source == Source.AGENCY


@dataclass
class Redactor:
    """Collects what must not go, then replaces it in every text that does."""

    on: bool
    passages: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # a redacted value -> its marker

    def withhold(self, value: str, marker: str) -> str:
        value = (value or "").strip()
        if not self.on or not value:
            return value
        self.names.setdefault(value, marker)
        return marker

    def clean(self, text: str) -> str:
        for value, marker in sorted(self.names.items(), key=lambda item: -len(item[0])):
            if len(value) >= 3:
                text = re.sub(re.escape(value), marker, text, flags=re.IGNORECASE)
        for passage in self.passages:
            text = re.sub(re.escape(passage), THIRD_PARTY, text, flags=re.IGNORECASE)
        return text


def _concern_sections(body: str, redactor: Redactor) -> str:
    """A concern's text with its sections naming other people withheld."""
    blocks = []
    for block in body.split("\n\n"):
        heading, _, text = block.partition(":\n")
        if heading in THIRD_PARTY_SECTIONS and text:
            blocks.append(f"{heading}:\n{redactor.withhold(text, THIRD_PARTY)}")
        else:
            blocks.append(block)
    return "\n\n".join(blocks)


def record_lines(record: Record, parts: Collection[str], redactor: Redactor) -> list[tuple[str, str]]:
    """The chosen parts of a record as (label, text), third parties withheld (not yet
    replaced inside other text: see Redactor.clean)."""
    spec = SPECS.get(record.category)
    lines: list[tuple[str, str]] = []
    if "title" in parts:
        when = timezone.localtime(record.occurred_at)
        lines += [
            ("Title", record.title),
            ("When", f"{when:%-d %B %Y, %H:%M}"),
            ("Category", record.get_category_display()),
        ]
    if "body" in parts:
        body = record.body or ""
        if record.is_concern:
            body = _concern_sections(body, redactor)
        lines.append((spec.body_label if spec else "Text", body))
    answers = dict(record.detail_items)
    for question in spec.questions if spec else ():
        if f"d:{question.name}" in parts:
            answer = answers.get(question.label, "")
            if question.name in THIRD_PARTY_QUESTIONS:
                answer = redactor.withhold(answer, THIRD_PARTY)
            lines.append((question.label, answer))
    if "source" in parts:
        lines.append(("Who provided it", redactor.withhold(record.source_name, INFORMANT)))
    if "author" in parts:
        author = person_name(record.author)
        # Whoever raised a concern is its informant.
        lines.append(("Recorded by", redactor.withhold(author, INFORMANT) if record.is_concern else author))
    return lines


def child_lines(child: Child, details: Collection[str]) -> list[tuple[str, str]]:
    values = {
        "name": child.full_name,
        "date_of_birth": f"{child.date_of_birth:%-d %B %Y}",
        "address": child.address,
        "phone": ", ".join(p for p in (child.phone, child.other_phone) if p),
        "languages": child.languages,
        "gp": child.gp_details,
        "allergies": child.allergies,
        "medical": "; ".join(v for v in (child.medical_conditions, child.medication) if v),
        "dietary": child.dietary_needs,
        "carers": "\n".join(_carer_line(link) for link in child.carer_links.select_related("carer")),
    }
    return [(label, values[code] or "Not recorded") for code, label, _c in CHILD_DETAILS if code in details]


def _carer_line(link: ChildCarer) -> str:
    carer, relation = link.carer, link.get_relationship_display()
    if link.restricted_contact:
        return f"{carer.full_name} ({relation}): restricted contact (court order)"
    rights = "parental responsibility" if link.parental_responsibility else "no parental responsibility"
    return f"{carer.full_name} ({relation}, {rights}) {carer.phone}".strip()


def texts_of(lines: Iterable[tuple[str, str]]) -> str:
    return "\n".join(text for _label, text in lines)
