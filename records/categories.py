"""
What each category of record asks for.

A record always has a title, a body and a time; a category may ask for more
(for contact with parents: who, how, what was said and what was agreed; for a
report from an agency: the agency and the date it arrived). Those answers are
kept together, sealed, in ``Record.details``. This table is the one place that
says which questions a category asks, how the body is labelled, and where the
information came from.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from records.choices import Category, Source


@dataclass(frozen=True)
class Question:
    name: str
    label: str
    kind: str = "text"  # text, textarea, date (not in the future), choice
    required: bool = False
    help_text: str = ""
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Spec:
    hint: str
    body_label: str = "Record"
    body_required: bool = False
    body_help: str = ""
    questions: tuple[Question, ...] = ()
    # Where the information came from, when the category says so; the name of
    # the question whose answer names the source.
    source: str | None = None
    source_question: str | None = None
    title_help: str = "A short summary, for the list of records."
    # Whether parents see such a record in the portal unless staff withhold it
    # (docs/portal.md lists the defaults).
    parents_see: bool = True
    # The hint in a staff file, where a category's words about a child do not fit.
    staff_hint: str = ""

    def hint_for(self, *, in_staff_file: bool) -> str:
        return (self.staff_hint or self.hint) if in_staff_file else self.hint


CONTACT_METHODS = (
    ("in_person", "In person"),
    ("phone", "Phone call"),
    ("video", "Video call"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("message", "Text or app message"),
)
WHO_PARENT = Question(
    "who",
    "Who was it with?",
    required=True,
    help_text="The parent or carer's name and relationship, for example Amy Smith (mother).",
)
DATE_RECEIVED = Question("date_received", "Date received", kind="date", required=True)
AGENCY = Question(
    "agency",
    "Agency or professional",
    required=True,
    help_text="For example the health visiting team, or the speech and language therapist.",
)

SPECS: dict[str, Spec] = {
    Category.PARENT_CONTACT: Spec(
        hint="A meeting, call or message with a parent or carer.",
        body_label="What was said",
        body_required=True,
        questions=(
            WHO_PARENT,
            Question("method", "How", kind="choice", required=True, choices=CONTACT_METHODS),
            Question(
                "agreed_actions",
                "Agreed actions",
                kind="textarea",
                help_text="Who will do what, and by when.",
            ),
        ),
        source=Source.PARENT,
        source_question="who",
    ),
    Category.PARENT_CONVERSATION: Spec(
        parents_see=False,
        hint="Something a parent or carer told you. Senior staff sign it off, then the key person is told.",
        body_label="What the parent or carer told you",
        body_required=True,
        body_help="In their words where you can.",
        questions=(
            WHO_PARENT,
            Question("method", "How", kind="choice", required=True, choices=CONTACT_METHODS),
            Question("agreed_actions", "Agreed actions", kind="textarea"),
        ),
        source=Source.PARENT,
        source_question="who",
    ),
    Category.FAMILY_INFORMATION: Spec(
        parents_see=False,
        hint="Information about the family that affects planning for the child. Senior staff sign it off.",
        body_label="The information",
        body_required=True,
        questions=(
            Question(
                "who", "Who shared it?", required=True, help_text="Their name and relationship to the child."
            ),
            Question("affects_planning", "How it affects planning for the child", kind="textarea"),
        ),
        source=Source.PARENT,
        source_question="who",
    ),
    Category.AGENCY_REPORT: Spec(
        parents_see=False,
        hint="A report sent by another agency. Attach the scanned report.",
        body_label="Summary of the report",
        questions=(AGENCY, DATE_RECEIVED),
        source=Source.AGENCY,
        source_question="agency",
    ),
    Category.SOCIAL_CARE_REPORT: Spec(
        parents_see=False,
        hint="A report from children's social care. Attach the scanned report.",
        body_label="Summary of the report",
        questions=(AGENCY, DATE_RECEIVED),
        source=Source.AGENCY,
        source_question="agency",
    ),
    Category.THERAPY_REPORT: Spec(
        hint="A report from a therapist (speech and language, occupational, physiotherapy…).",
        body_label="Summary of the report",
        questions=(AGENCY, DATE_RECEIVED),
        source=Source.AGENCY,
        source_question="agency",
    ),
    Category.MEETING_MINUTES: Spec(
        parents_see=False,
        hint="Minutes of a meeting about the child. Attach them if they are a document.",
        staff_hint="Minutes of a meeting about this member of staff: supervision, an appraisal, a "
        "return-to-work meeting. Attach them if they are a document.",
        body_label="Minutes",
        questions=(
            Question("attendees", "Who attended", kind="textarea", required=True),
            Question(
                "next_meeting", "Date of the next meeting", kind="text", help_text="If one was arranged."
            ),
        ),
    ),
    Category.CORRESPONDENCE: Spec(
        hint="A letter or email sent or received.",
        body_label="Summary",
        questions=(
            Question(
                "direction",
                "Sent or received",
                kind="choice",
                required=True,
                choices=(("received", "Received"), ("sent", "Sent")),
            ),
            Question("correspondent", "From or to whom", required=True),
        ),
        source_question="correspondent",
    ),
    Category.SIGNED_CONSENT: Spec(
        hint="A consent form signed by a parent or carer. Attach the scanned form.",
        staff_hint="A form the member of staff signed: a declaration, a policy, a consent. "
        "Attach the scanned form.",
        body_label="Notes",
        questions=(
            Question(
                "consent_for",
                "What the consent covers",
                required=True,
                help_text="For example outings, photographs, sharing with the health visitor.",
            ),
            Question("signed_by", "Signed by", required=True),
            Question("date_signed", "Date signed", kind="date", required=True),
        ),
        source=Source.PARENT,
        source_question="signed_by",
    ),
    Category.REGISTRATION: Spec(
        hint="The registration and admission form. Attach the scanned form.",
        body_label="Notes",
        questions=(DATE_RECEIVED,),
        source=Source.PARENT,
    ),
    Category.PROGRESS: Spec(
        hint="An observation or a note of the child's progress.",
        body_label="What you observed",
        body_required=True,
        questions=(Question("next_steps", "Next steps", kind="textarea"),),
    ),
    Category.BEHAVIOUR: Spec(
        hint="Behaviour you noticed, what led up to it and what helped.",
        body_label="What happened",
        body_required=True,
        questions=(Question("response", "How staff responded", kind="textarea"),),
    ),
    Category.MEDICAL: Spec(
        hint="Medical information: an illness, an accident, medication given.",
        staff_hint="Health information the member of staff shared: a fit note, occupational health "
        "advice, adjustments agreed.",
        body_label="Details",
        body_required=True,
    ),
    Category.OTHER: Spec(hint="Anything that fits no other category.", body_required=True, parents_see=False),
    Category.STAFF_RECORD: Spec(
        parents_see=False,
        hint="Employment: supervision, absence, training, conduct.",
        body_label="Record",
        body_required=True,
    ),
}

# The categories of a child's general file, and of a staff file.
CHILD_CATEGORIES = tuple(
    c for c in Category if c not in (Category.SAFEGUARDING_CONCERN, Category.STAFF_RECORD)
)
STAFF_CATEGORIES = (
    Category.STAFF_RECORD,
    Category.CORRESPONDENCE,
    Category.MEETING_MINUTES,
    Category.SIGNED_CONSENT,
    Category.MEDICAL,
    Category.OTHER,
)


def spec_for(category: str) -> Spec:
    return SPECS[Category(category)]


def detail_items(category: str, details: dict[str, str]) -> list[tuple[str, str]]:
    spec = SPECS.get(category)
    if spec is None or not details:
        return []
    items = []
    for question in spec.questions:
        value = details.get(question.name)
        if value is None or value == "":
            continue
        if question.kind == "choice":
            value = dict(question.choices).get(value, value)
        elif question.kind == "date":
            value = datetime.date.fromisoformat(value).strftime("%-d %B %Y")
        items.append((question.label, str(value)))
    return items


def as_label(question: str) -> str:
    """A question or label followed by its answer on one line: "Who was it with?"
    takes no colon after it, "Agency" does."""
    return question if question.rstrip().endswith(("?", ":", "!", ".")) else f"{question}:"
