"""The demo's people, names and texts (``manage.py seed_demo``). Made up: any
likeness to real people is chance."""

from __future__ import annotations

import datetime

from access.models import Role
from records.models import Category

DEMO_PASSWORD = "confide-demo-2026"  # noqa: S105 - printed for the demo, refused in production
SEED = 20260901
BASE_TIME = datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC)
BATCH = 500

SITES = [
    ("Oakfield Children's Centre", "12 Oakfield Road, Leeds LS6 2AB", "0113 496 0000"),
    ("Riverside Nursery", "3 Mill Lane, Leeds LS10 1QR", "0113 496 0999"),
]
# username, first, last, roles, site indexes, job title
STAFF = [
    ("manager", "Maria", "Lopez", [Role.MANAGER], [0], "Centre manager"),
    ("senior", "Sunita", "Shah", [Role.SENIOR], [0], "Deputy manager"),
    ("keyworker", "Kim", "Patel", [Role.PRACTITIONER], [0], "Early years practitioner"),
    ("keyworker2", "Sam", "Jones", [Role.PRACTITIONER], [0], "Early years practitioner"),
    ("dsl", "Dee", "Okafor", [Role.DSL, Role.SENIOR], [0, 1], "Designated safeguarding lead"),
    ("hr", "Harriet", "Reed", [Role.HR], [0, 1], "HR officer"),
    ("student", "Stu", "Green", [Role.STUDENT], [0], "Student on placement"),
    ("volunteer", "Val", "Brown", [Role.VOLUNTEER], [0], "Volunteer"),
    ("manager2", "Owen", "Price", [Role.MANAGER], [1], "Nursery manager"),
]
TRUSTEE = ("trustee", "Tom", "Hughes")
PARENTS = [("parent", "Amy", "Smith"), ("parent2", "Ben", "Carter")]

FIRST_NAMES = [
    "Oliver",
    "Amelia",
    "Noah",
    "Isla",
    "Muhammad",
    "Olivia",
    "George",
    "Lily",
    "Leo",
    "Freya",
    "Arthur",
    "Ivy",
    "Oscar",
    "Florence",
    "Theo",
    "Willow",
    "Harry",
    "Sophia",
    "Jack",
    "Mia",
    "Zainab",
    "Kofi",
    "Aoife",
    "Chloé",
    "Mateusz",
    "Priya",
    "Yusuf",
    "Niamh",
    "Rory",
    "Esmé",
]
LAST_NAMES = [
    "Taylor",
    "Brown",
    "Wilson",
    "Evans",
    "Thomas",
    "Roberts",
    "Khan",
    "Walker",
    "Wright",
    "Hughes",
    "Ahmed",
    "Nowak",
    "O'Neill",
    "Mensah",
    "Begum",
    "Murphy",
    "Davies",
    "Clarke",
    "Green",
    "Ali",
]
ADULT_FIRST = ["Sarah", "James", "Aisha", "Tom", "Grace", "Kwame", "Laura", "Imran", "Ewa", "Dan"]
ROOMS = ["Acorns", "Saplings", "Oaks"]
ALLERGIES = ["", "", "", "Peanuts", "Eggs", "Cow's milk protein", "Penicillin"]
CONDITIONS = ["", "", "", "Asthma (blue inhaler)", "Eczema", "Type 1 diabetes"]
LANGUAGES = ["English", "English, Urdu", "English, Polish", "English, Twi", "English, Irish"]
CHILD_CATEGORIES = [c for c in Category if c != Category.STAFF_RECORD]

RECORD_TEXT: dict[str, tuple[str, str]] = {
    Category.REGISTRATION: (
        "Registration form received",
        "Registration and admission form completed with {carer}.",
    ),
    Category.SIGNED_CONSENT: (
        "Consent for photographs",
        "{carer} signed consent for photographs in the learning journal only.",
    ),
    Category.CORRESPONDENCE: (
        "Letter about session times",
        "Letter sent to {carer} confirming {name}'s sessions.",
    ),
    Category.AGENCY_REPORT: (
        "Health visitor report",
        "Two-year check report from the health visitor for {name}.",
    ),
    Category.MEETING_MINUTES: (
        "Team around the family meeting",
        "Minutes: {carer}, key person and family support worker met about {name}.",
    ),
    Category.PARENT_CONTACT: (
        "Phone call with {carer}",
        "{carer} rang to say {name} had a poor night; agreed to offer a rest after lunch.",
    ),
    Category.PARENT_CONVERSATION: (
        "Conversation at collection",
        "{carer} shared that {name}'s grandparent is unwell and {name} is unsettled.",
    ),
    Category.FAMILY_INFORMATION: (
        "Change in family circumstances",
        "{carer} told us the family is moving house next month.",
    ),
    Category.PROGRESS: ("Progress check", "{name} is using two-word phrases and enjoys mark making."),
    Category.BEHAVIOUR: (
        "Biting incident",
        "{name} bit another child during free play; comforted and redirected.",
    ),
    Category.MEDICAL: (
        "Inhaler given",
        "{name} was given two puffs of the blue inhaler at 10:15 after running outside.",
    ),
    Category.SOCIAL_CARE_REPORT: (
        "Child in need plan",
        "Social care child in need plan for {name} received.",
    ),
    Category.THERAPY_REPORT: (
        "Speech and language therapy report",
        "SLT assessment of {name}: expressive language delay; targets attached.",
    ),
    Category.SAFEGUARDING_CONCERN: (
        "Bruise noticed on arrival",
        '{name} arrived with a bruise on the upper arm and said "Daddy was cross".',
    ),
    Category.OTHER: ("Note", "General note about {name}."),
}

MINIMAL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def minimal_pdf(text: str) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
        + f"4 0 obj<</Length {len(text) + 20}>>stream\n".encode()
        + f"BT /F1 12 Tf ({text}) Tj ET\nendstream endobj\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def demo_details(category: str, carer: str, received: datetime.date) -> dict[str, str]:
    """The answers a category's form asks for (records/categories.py), as staff would give them."""
    answers: dict[str, dict[str, str]] = {
        Category.PARENT_CONTACT: {
            "who": f"{carer} (parent)",
            "method": "phone",
            "agreed_actions": "Key person to offer a rest after lunch and tell parent at pick-up.",
        },
        Category.PARENT_CONVERSATION: {"who": f"{carer} (parent)", "method": "in_person"},
        Category.FAMILY_INFORMATION: {
            "who": f"{carer} (parent)",
            "affects_planning": "Settling-in support during the move.",
        },
        Category.AGENCY_REPORT: {"agency": "Health visiting team", "date_received": received.isoformat()},
        Category.SOCIAL_CARE_REPORT: {
            "agency": "Children's social care",
            "date_received": received.isoformat(),
        },
        Category.THERAPY_REPORT: {
            "agency": "Speech and language therapy",
            "date_received": received.isoformat(),
        },
        Category.MEETING_MINUTES: {"attendees": f"{carer}, key person, family support worker"},
        Category.CORRESPONDENCE: {"direction": "sent", "correspondent": carer},
        Category.SIGNED_CONSENT: {
            "consent_for": "Photographs in the learning journal",
            "signed_by": carer,
            "date_signed": received.isoformat(),
        },
        Category.REGISTRATION: {"date_received": received.isoformat()},
        Category.PROGRESS: {"next_steps": "Offer more mark-making outdoors."},
    }
    return answers.get(category, {})
