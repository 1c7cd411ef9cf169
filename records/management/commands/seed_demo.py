"""
Demo data: two settings, their staff, children, carers and records of every kind.

Deterministic (the same data every time, down to the ids) and idempotent (a
second run changes nothing). Every personal value is encrypted exactly as the
application encrypts it; bulk inserts go through the same field code.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Iterator
from typing import Any

from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from access import services as access_services
from access.models import KeyWorkerAssignment, Role, Scope, User
from audit.models import Event
from audit.models import Tier as AuditTier
from audit.services import audit_event
from records import attachments
from records.categories import SPECS
from records.models import (
    Attachment,
    Carer,
    Category,
    Child,
    ChildCarer,
    Record,
    Site,
    Source,
    StaffMember,
    Tier,
)

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
        + f"4 0 obj<</Length {len(text) + 20}>>stream\nBT /F1 12 Tf ({text}) Tj ET\nendstream endobj\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def demo_details(category: str, carer: str, received: datetime.date) -> dict[str, str]:
    """The answers a category's form asks for (records/categories.py), as staff would give them."""
    return {
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
    }.get(category, {})


class Command(BaseCommand):
    help = "Load deterministic demo data (two settings, staff, ~40 children). Safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=40, help="How many children (default 40).")
        parser.add_argument(
            "--records-per-child", type=int, default=6, help="Records in each child's file (default 6)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on live data)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into an empty database (used by `make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like a production system, so demo data was not loaded. "
                "Use --force only on a disposable database."
            )
        if options["children"] < 1 or options["records_per_child"] < 0:
            raise CommandError("--children must be at least 1 and --records-per-child at least 0.")
        self.rng = random.Random(SEED)
        site_ids = [self.uuid() for _ in SITES]
        if Site.objects.filter(pk=site_ids[0]).exists():
            self.stdout.write("Demo data is already loaded; nothing changed.")
        elif options["if_empty"] and Site.objects.exists():
            self.stdout.write("The database already holds settings; demo data was not loaded.")
            return
        else:
            # One summary entry for the whole load, not one per row or role.
            with transaction.atomic(), disable_auditlog():
                self.load(site_ids, options["children"], options["records_per_child"])
        self.print_logins()

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def print_logins(self) -> None:
        usernames = [s[0] for s in STAFF] + [TRUSTEE[0]] + [p[0] for p in PARENTS]
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        self.stdout.write("  " + ", ".join(usernames))

    def load(self, site_ids: list[uuid.UUID], n_children: int, per_child: int) -> None:
        sites = [
            Site.objects.create(id=site_ids[i], name=name, address=address, phone=phone)
            for i, (name, address, phone) in enumerate(SITES)
        ]
        groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role}
        password = make_password(DEMO_PASSWORD)
        staff: dict[str, StaffMember] = {}
        for username, first, last, roles, site_indexes, job in STAFF:
            user = User.objects.create(
                id=self.uuid(),
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                password=password,
            )
            user.groups.set([groups[r] for r in roles])
            member = StaffMember.objects.create(
                id=self.uuid(),
                user=user,
                job_title=job,
                start_date=datetime.date(2020, 9, 1),
                phone="07700 900" + f"{len(staff):03d}",
                address=f"{len(staff) + 1} Staff Street, Leeds",
            )
            member.sites.set([sites[i] for i in site_indexes])
            staff[username] = member
        trustee = User.objects.create(
            id=self.uuid(),
            username=TRUSTEE[0],
            first_name=TRUSTEE[1],
            last_name=TRUSTEE[2],
            email="trustee@example.org",
            password=password,
        )
        trustee.groups.set([groups[Role.TRUSTEE]])
        # Portal logins carry no names or e-mail: those are personal data of a
        # family, kept encrypted on the Carer. The login is only a username.
        parents = [
            User.objects.create(id=self.uuid(), username=u, password=password, is_portal_user=True)
            for u, _f, _l in PARENTS
        ]
        authors = [staff["keyworker"].user, staff["keyworker2"].user, staff["senior"].user]
        self.load_children(sites, parents, authors, staff, n_children, per_child)
        self.load_staff_records(staff)
        self.attach_files(staff["keyworker"].user)
        self.load_access(staff)
        audit_event(
            actor=None,
            event=Event.MAINTENANCE,
            obj=sites[0],
            tier=AuditTier.NONE,
            reason=f"Demo data loaded: {n_children} children, {per_child} records each.",
        )

    def children_plan(self, n_children: int) -> Iterator[dict[str, Any]]:
        # The first children are the named personas' children; the rest are generated.
        yield {
            "first": "Ava",
            "last": "Smith",
            "dob": datetime.date(2022, 3, 14),
            "site": 0,
            "allergies": "Peanuts (anaphylaxis): adrenaline pen in the office",
            "conditions": "Asthma (blue inhaler)",
            "parent": 0,
        }
        yield {
            "first": "Leo",
            "last": "Carter",
            "dob": datetime.date(2021, 11, 2),
            "site": 1,
            "allergies": "",
            "conditions": "",
            "parent": 1,
        }
        yield {
            "first": "Mia",
            "last": "Carter",
            "dob": datetime.date(2023, 6, 20),
            "site": 0,
            "allergies": "Eggs",
            "conditions": "",
            "parent": 1,
        }
        for i in range(3, n_children):
            yield {
                "first": self.rng.choice(FIRST_NAMES),
                "last": self.rng.choice(LAST_NAMES),
                "dob": datetime.date(2021, 1, 1) + datetime.timedelta(days=self.rng.randrange(1400)),
                "site": i % 2,
                "allergies": self.rng.choice(ALLERGIES),
                "conditions": self.rng.choice(CONDITIONS),
                "parent": None,
            }

    def load_children(
        self,
        sites: list[Site],
        parents: list[User],
        authors: list[User],
        staff: dict[str, StaffMember],
        n_children: int,
        per_child: int,
    ) -> None:
        plan = list(self.children_plan(n_children))[:n_children]
        carers_by_user: dict[int, Carer] = {}
        progress = tqdm(total=len(plan), desc="Children", unit="child", disable=len(plan) < 1000)
        for start in range(0, len(plan), BATCH):
            children, carers, links, records = [], [], [], []
            for offset, spec in enumerate(plan[start : start + BATCH]):
                index = start + offset
                child = Child(
                    id=self.uuid(),
                    site=sites[spec["site"]],
                    room=ROOMS[index % len(ROOMS)],
                    status=Child.Status.ENROLLED,
                    enrolment_start=datetime.date(2024, 9, 2),
                    first_name=spec["first"],
                    last_name=spec["last"],
                    date_of_birth=spec["dob"],
                    address=f"{index + 1} Park Terrace, Leeds LS{index % 28 + 1} 4QT",
                    phone=f"0113 496 {index:04d}"[:40],
                    medical_conditions=spec["conditions"],
                    allergies=spec["allergies"],
                    medication="",
                    gp_details="Park Lane Surgery, Dr Rahman",
                    dietary_needs="Halal" if index % 7 == 0 else "",
                    languages=self.rng.choice(LANGUAGES),
                )
                children.append(child)
                carer_records = self.carers_for(child, spec, parents, carers_by_user)
                for carer, link in carer_records:
                    if carer._state.adding and carer not in carers:
                        carers.append(carer)
                    links.append(link)
                main_carer = carer_records[0][0].full_name
                count = max(per_child, len(CHILD_CATEGORIES)) if index == 0 else per_child
                for n in range(count):
                    category = CHILD_CATEGORIES[(index + n) % len(CHILD_CATEGORIES)]
                    records.append(self.child_record(child, category, main_carer, authors, n, staff))
            Child.objects.bulk_create(children)
            Carer.objects.bulk_create(carers)
            for carer in carers:
                carer._state.adding = False
            ChildCarer.objects.bulk_create(links)
            Record.objects.bulk_create(records)
            progress.update(len(children))
        progress.close()

    def carers_for(
        self, child: Child, spec: dict[str, Any], parents: list[User], carers_by_user: dict[int, Carer]
    ) -> list[tuple[Carer, ChildCarer]]:
        result = []
        if spec["parent"] is not None:
            user = parents[spec["parent"]]
            carer = carers_by_user.get(spec["parent"])
            if carer is None:
                _username, first, last = PARENTS[spec["parent"]]
                carer = Carer(
                    id=self.uuid(),
                    user=user,
                    first_name=first,
                    last_name=last,
                    address=f"{spec['parent'] + 1} Elm Grove, Leeds LS7 3PJ",
                    phone="07700 900123",
                    email=f"{first.lower()}.{last.lower()}@example.org",
                )
                carers_by_user[spec["parent"]] = carer
            relationship = (
                ChildCarer.Relationship.MOTHER if spec["parent"] == 0 else ChildCarer.Relationship.FATHER
            )
            result.append((carer, self.link(child, carer, relationship, main=True)))
        else:
            carer = self.new_carer(child.last_name)
            result.append((carer, self.link(child, carer, ChildCarer.Relationship.MOTHER, main=True)))
        if child.first_name == "Ava":
            # A separated parent under a court order: recorded, never allowed to collect.
            father = Carer(
                id=self.uuid(),
                first_name="Daniel",
                last_name="Smith",
                address="40 Harbour View, Hull HU1 2AA",
                phone="07700 900456",
                email="",
            )
            link = self.link(child, father, ChildCarer.Relationship.FATHER, main=False)
            link.restricted_contact = True
            link.may_collect = False
            link.lives_with_child = False
            link.restriction_note = "Prohibited steps order: no contact, no collection. Copy on file."
            result.append((father, link))
        elif self.rng.random() < 0.5:
            carer = self.new_carer(child.last_name)
            result.append((carer, self.link(child, carer, ChildCarer.Relationship.FATHER, main=False)))
        return result

    def new_carer(self, last_name: str) -> Carer:
        first = self.rng.choice(ADULT_FIRST)
        return Carer(
            id=self.uuid(),
            first_name=first,
            last_name=last_name,
            address=f"{self.rng.randrange(1, 200)} Victoria Road, Leeds",
            phone=f"07700 9{self.rng.randrange(10**5):05d}",
            email=f"{first.lower()}@example.net",
        )

    def link(self, child: Child, carer: Carer, relationship: str, *, main: bool) -> ChildCarer:
        return ChildCarer(
            id=self.uuid(),
            child=child,
            carer=carer,
            relationship=relationship,
            parental_responsibility=True,
            lives_with_child=main,
            emergency_contact=main,
            may_collect=True,
        )

    def child_record(
        self,
        child: Child,
        category: str,
        carer: str,
        authors: list[User],
        n: int,
        staff: dict[str, StaffMember],
    ) -> Record:
        title, body = RECORD_TEXT[category]
        is_concern = category == Category.SAFEGUARDING_CONCERN
        source = {
            Category.AGENCY_REPORT: Source.AGENCY,
            Category.SOCIAL_CARE_REPORT: Source.AGENCY,
            Category.THERAPY_REPORT: Source.AGENCY,
            Category.PARENT_CONVERSATION: Source.PARENT,
            Category.FAMILY_INFORMATION: Source.PARENT,
            Category.PARENT_CONTACT: Source.PARENT,
        }.get(category, Source.STAFF)
        awaiting = category in (Category.PARENT_CONVERSATION, Category.FAMILY_INFORMATION)
        return Record(
            id=self.uuid(),
            child=child,
            category=category,
            tier=Tier.SAFEGUARDING if is_concern or category == Category.SOCIAL_CARE_REPORT else Tier.GENERAL,
            title=title.format(name=child.first_name, carer=carer),
            body=body.format(name=child.first_name, carer=carer),
            occurred_at=BASE_TIME
            - datetime.timedelta(days=3 * n + self.rng.randrange(3), hours=self.rng.randrange(8)),
            author=staff["dsl"].user if is_concern else authors[n % len(authors)],
            source=source,
            source_name=carer if source == Source.PARENT else "",
            status=Record.Status.AWAITING_SIGN_OFF if awaiting and n == 0 else Record.Status.ACTIVE,
            details=demo_details(category, carer, BASE_TIME.date() - datetime.timedelta(days=3 * n + 1))
            or None,
            visible_to_parents=not is_concern
            and category != Category.SOCIAL_CARE_REPORT
            and SPECS[category].parents_see,
        )

    def load_staff_records(self, staff: dict[str, StaffMember]) -> None:
        records = [
            Record(
                id=self.uuid(),
                staff_member=member,
                category=Category.STAFF_RECORD,
                tier=Tier.PERSONNEL,
                title="Contract of employment",
                body=f"Permanent contract for {member.user.get_full_name()}, 37.5 hours a week.",
                occurred_at=BASE_TIME - datetime.timedelta(days=700),
                author=staff["hr"].user,
            )
            for member in staff.values()
        ]
        records.append(
            Record(
                id=self.uuid(),
                staff_member=staff["keyworker2"],
                category=Category.STAFF_RECORD,
                tier=Tier.PERSONNEL,
                title="Allegation against a member of staff",
                body="A parent alleged rough handling at nappy change; LADO consulted.",
                occurred_at=BASE_TIME - datetime.timedelta(days=20),
                author=staff["hr"].user,
                subject_staff_member=staff["keyworker2"],
                is_allegation=True,
            )
        )
        Record.objects.bulk_create(records)

    def load_access(self, staff: dict[str, StaffMember]) -> None:
        """Key people for Oakfield's children, a grant, a named safeguarding reader and a conflict."""
        manager, dsl = staff["manager"].user, staff["dsl"].user
        kim, sam = staff["keyworker"].user, staff["keyworker2"].user
        oakfield = Child.objects.filter(site=staff["manager"].sites.get()).order_by("pk")
        ava = Child.objects.get(first_name_bidx=Child._meta.get_field("first_name_bidx").digest("Ava"))
        assignments = [
            KeyWorkerAssignment(child=ava, user=kim, assigned_by=manager, assigned_at=BASE_TIME),
            KeyWorkerAssignment(child=ava, user=sam, assigned_by=manager, assigned_at=BASE_TIME),
        ]
        for index, child_id in enumerate(oakfield.exclude(pk=ava.pk).values_list("pk", flat=True)):
            assignments.append(
                KeyWorkerAssignment(
                    child_id=child_id,
                    user=kim if index % 2 == 0 else sam,
                    assigned_by=manager,
                    assigned_at=BASE_TIME,
                )
            )
        KeyWorkerAssignment.objects.bulk_create(assignments, batch_size=BATCH)
        access_services.grant_child_access(
            actor=manager,
            child=ava,
            grantee=staff["senior"].user,
            scope=Scope.CHILD_FILE,
            reason="Covering Ava's transition to the Oaks room",
        )
        access_services.grant_child_access(
            actor=dsl,
            child=ava,
            grantee=kim,
            scope=Scope.SAFEGUARDING_FILE,
            reason="Kim is Ava's key person and attends the core group meetings",
        )
        conflicted = oakfield.exclude(pk=ava.pk).first()
        if conflicted is not None:
            access_services.conflict_record(
                actor=manager,
                child=conflicted,
                user=staff["volunteer"].user,
                reason="Val is the child's grandmother",
            )

    def attach_files(self, uploader: User) -> None:
        ava_records = list(
            Record.objects.filter(
                child__first_name_bidx=Child._meta.get_field("first_name_bidx").digest("Ava")
            )
            .filter(category__in=[Category.AGENCY_REPORT, Category.PROGRESS, Category.SIGNED_CONSENT])
            .only("id", "category")
        )
        files = {
            Category.AGENCY_REPORT: (
                "health-visitor-2yr-check.pdf",
                minimal_pdf("Two year check: Ava Smith"),
            ),
            Category.PROGRESS: ("ava-painting.png", MINIMAL_PNG),
            Category.SIGNED_CONSENT: ("photo-consent.txt", b"Photo consent signed by Amy Smith.\n"),
        }
        for record in ava_records:
            name, data = files[Category(record.category)]
            attachment = Attachment(
                id=self.uuid(),
                record=record,
                original_filename=name,
                content_type=attachments.sniff_content_type(data) or "",
                size=len(data),
                uploaded_by=uploader,
            )
            stored, key_id, digest = attachments.seal_and_store(attachment_id=attachment.pk, data=data)
            attachment.stored_name, attachment.key_id, attachment.sha256 = stored, key_id, digest
            attachment.save()
