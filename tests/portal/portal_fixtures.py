"""
The parent portal's people and data, on top of the `world` personas.

Amy (`parent`) is Ava's mother. Here she is also the mother of Leo, at
Riverside (so she sees children at two settings); a court order restricts her
contact with Mia, at Oakfield; and she is Zoe's step-mother, without parental
responsibility. Dev (`father`) is Ava's father: separated, with parental
responsibility and his own portal login, living elsewhere.

Of Ava's file, Amy sees the general records whose category parents see by
default, except the behaviour record staff withheld (with a reason), plus the
agency report staff chose to share, and what she sent herself. Safeguarding and
personnel records are marked as shared too (as a faulty import might leave
them), and must stay out of sight all the same.

`family.seen` and `family.seen_files` are what Amy may open; everything else
in the database is not for her.
"""

from __future__ import annotations

import base64
import datetime
import re
import zlib
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from access.models import User
from portal import services as portal_services
from records import services
from records.categories import spec_for
from records.models import Attachment, Carer, Category, Child, ChildCarer, Record, Tier
from tests.factories import CarerFactory, ChildCarerFactory, ChildFactory, RecordFactory, UserFactory
from tests.personas import World

WHEN = datetime.datetime(2026, 9, 2, 10, tzinfo=datetime.UTC)
WITHHELD_REASON = "It mentions another child's injury and that family's name"
# Children Amy must never see, and words that would give them away.
OTHER_CHILDREN = ("Noah Khan", "Mia Okafor", "Zoe Brennan")
OTHER_CHILD_WORDS = ("Noah", "Khan", "Mia", "Okafor", "Zoe", "Brennan")
FATHER_PRIVATE = ("9 Quarry Lane", "07700 900555", "dev@example.org")
MOTHER_PRIVATE = ("07700 900111", "amy.smith@example.org", "Flat 2, Ivy Court")


@dataclass
class Family:
    world: World
    mother: Carer
    father: Carer
    father_user: User
    leo: Child
    mia: Child
    zoe: Child
    withheld: Record
    agency_shared: Record
    medical_old: Record
    medical_new: Record
    awaiting: Record
    sent_by_mother: Record
    sent_by_father: Record
    leo_shared: Record
    leo_concern: Record
    seen: set = field(default_factory=set)
    seen_files: set = field(default_factory=set)
    files: dict[str, Attachment] = field(default_factory=dict)

    @property
    def ava(self) -> Child:
        return self.world.ava

    @property
    def own_children(self) -> list[Child]:
        return [self.world.ava, self.leo]

    @property
    def other_children(self) -> list[Child]:
        return [self.world.other_child, self.mia, self.zoe]

    def hidden_records(self) -> list[Record]:
        return list(Record.objects.exclude(pk__in=self.seen))


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def shared_record(child: Child, author: User, title: str, **fields: object) -> Record:
    fields.setdefault("visible_to_parents", True)
    return RecordFactory(
        child=child, author=author, title=title, body=f"{title}: the details.", occurred_at=WHEN, **fields
    )


@pytest.fixture
def family(world: World) -> Family:
    keyworker = world.keyworker
    mother = Carer.objects.get(user=world.parent)
    mother.phone, mother.email, mother.address = "07700 900111", "amy.smith@example.org", "Flat 2, Ivy Court"
    mother.save()
    cara = Carer.objects.get(user=world.carer_staff)
    cara.phone, cara.email, cara.address = "07700 900777", "cara@example.org", "3 Aunt's Row"
    cara.save()
    father_user = UserFactory(username="father", first_name="", last_name="", is_portal_user=True)
    father = CarerFactory(
        user=father_user,
        first_name="Dev",
        last_name="Patel",
        address="9 Quarry Lane",
        phone="07700 900555",
        email="dev@example.org",
    )
    ChildCarerFactory(
        child=world.ava, carer=father, relationship=ChildCarer.Relationship.FATHER, lives_with_child=False
    )

    leo = ChildFactory(site=world.other_site, first_name="Leo", last_name="Smith", allergies="Kiwi")
    ChildCarerFactory(child=leo, carer=mother)
    mia = ChildFactory(site=world.site, first_name="Mia", last_name="Okafor", allergies="Sesame")
    ChildCarerFactory(
        child=mia, carer=mother, restricted_contact=True, restriction_note="Supervised contact only"
    )
    zoe = ChildFactory(site=world.site, first_name="Zoe", last_name="Brennan", allergies="Milk")
    ChildCarerFactory(
        child=zoe,
        carer=mother,
        relationship=ChildCarer.Relationship.STEP_PARENT,
        parental_responsibility=False,
    )

    # Ava's general file as staff would have written it: shared unless the
    # category says otherwise; the behaviour record withheld, the agency report shared.
    seen: set = set()
    for category, record in world.ava_general.items():
        record.visible_to_parents = spec_for(category).parents_see
        if category == Category.BEHAVIOUR:
            record.visible_to_parents, record.withheld_reason = False, WITHHELD_REASON
        if category == Category.AGENCY_REPORT:
            record.visible_to_parents = True
        record.save()
        if record.visible_to_parents:
            seen.add(record.pk)
    withheld = world.ava_general[Category.BEHAVIOUR]
    agency_shared = world.ava_general[Category.AGENCY_REPORT]
    Record.objects.filter(
        pk__in=[world.ava_concern.pk, world.ava_about_accused.pk, world.contract.pk, world.allegation.pk]
    ).update(visible_to_parents=True)

    medical_old = world.ava_general[Category.MEDICAL]
    medical_new = services.record_amend(
        actor=keyworker,
        record=medical_old,
        title="Medicine update for Ava",
        body="Inhaler before outdoor play.",
        reason="Dose changed",
    )
    medical_old.refresh_from_db()
    seen.discard(medical_old.pk)
    seen.add(medical_new.pk)
    awaiting = shared_record(
        world.ava,
        keyworker,
        "Grandad moved in",
        category=Category.FAMILY_INFORMATION,
        status=Record.Status.AWAITING_SIGN_OFF,
    )
    sent_by_mother = portal_services.portal_send_information(
        actor=world.parent, child=world.ava, title="New baby sister", body="Due in March."
    )
    sent_by_father = portal_services.portal_send_information(
        actor=father_user, child=world.ava, title="Dad's new flat", body="Weekends at the flat."
    )
    seen.add(sent_by_mother.pk)

    leo_shared = shared_record(leo, world.outside_manager, "Leo's first week")
    leo_concern = RecordFactory(
        child=leo,
        author=world.outside_manager,
        category=Category.SAFEGUARDING_CONCERN,
        tier=Tier.SAFEGUARDING,
        title="Leo's worrying mark",
        body="A mark on Leo.",
        occurred_at=WHEN,
        visible_to_parents=True,
    )
    leo_withheld = shared_record(
        leo,
        world.outside_manager,
        "Leo and the other boy",
        visible_to_parents=False,
        withheld_reason="About another child",
    )
    seen.add(leo_shared.pk)
    mia_shared = shared_record(mia, keyworker, "Mia's settling in")
    zoe_shared = shared_record(zoe, keyworker, "Zoe's painting")
    noah_shared = shared_record(world.other_child, world.outside_manager, "Noah's trip")

    files = dict(world.attachments)  # general (on Ava's progress), safeguarding, personnel
    for name, record in [
        ("withheld", withheld),
        ("agency", agency_shared),
        ("leo", leo_shared),
        ("leo_concern", leo_concern),
        ("leo_withheld", leo_withheld),
        ("mia", mia_shared),
        ("zoe", zoe_shared),
        ("noah", noah_shared),
        ("awaiting", awaiting),
        ("sent_by_father", sent_by_father),
    ]:
        author = keyworker if record.child.site == world.site else world.outside_manager
        files[name] = services.attachment_create(
            actor=author, record=record, uploaded=upload(f"{name}.txt", f"About {name}")
        )
    seen_files = {files[name].pk for name in ("general", "agency", "leo")}
    return Family(
        world=world,
        mother=mother,
        father=father,
        father_user=father_user,
        leo=leo,
        mia=mia,
        zoe=zoe,
        withheld=withheld,
        agency_shared=agency_shared,
        medical_old=medical_old,
        medical_new=medical_new,
        awaiting=awaiting,
        sent_by_mother=sent_by_mother,
        sent_by_father=sent_by_father,
        leo_shared=leo_shared,
        leo_concern=leo_concern,
        seen=seen,
        seen_files=seen_files,
        files=files,
    )


# --- reading responses --------------------------------------------------------------


def body_of(response) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def pdf_text(data: bytes) -> str:
    """The text drawn in a PDF made by reportlab: its content streams, decoded
    (ASCII85 and Flate, as reportlab compresses them), with string escapes undone."""
    assert data.startswith(b"%PDF"), data[:20]
    parts = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        header = data[data.rfind(b" obj", 0, match.start()) : match.start()]
        stream = match.group(1)
        if b"ASCII85Decode" in header:
            stream = base64.a85decode(stream.strip(), adobe=True)
        if b"FlateDecode" in header:
            stream = zlib.decompress(stream)
        parts.append(stream.decode("latin-1"))
    text = "\n".join(parts)
    return text.replace("\\(", "(").replace("\\)", ")").replace("\\\\", "\\")


def names_other_children(text: str) -> list[str]:
    return [word for word in OTHER_CHILD_WORDS if re.search(rf"\b{word}\b", text)]
