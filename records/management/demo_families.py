"""The demo's children, their carers and the records in their files (``seed_demo``)."""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Iterator
from typing import Any

from tqdm import tqdm

from access.models import User
from records.categories import SPECS
from records.management.demo_data import (
    ADULT_FIRST,
    ALLERGIES,
    BASE_TIME,
    BATCH,
    CHILD_CATEGORIES,
    CONDITIONS,
    FIRST_NAMES,
    LANGUAGES,
    LAST_NAMES,
    PARENTS,
    RECORD_TEXT,
    ROOMS,
    demo_details,
)
from records.management.demo_rows import RowWriter
from records.models import (
    Carer,
    Category,
    Child,
    ChildCarer,
    Record,
    Room,
    Site,
    Source,
    StaffMember,
    Tier,
)


class DemoFamilies:
    """Children, carers and child records, made the way the command makes everything:
    deterministic ids from ``self.uuid()``, random choices from ``self.rng``."""

    rng: random.Random
    rooms: dict[tuple[uuid.UUID, str], Room]

    def uuid(self) -> uuid.UUID:
        raise NotImplementedError

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
        writer = RowWriter([Child, Carer, ChildCarer, Record])
        try:
            for start in range(0, len(plan), BATCH):
                children: list[Child] = []
                carers: dict[uuid.UUID, Carer] = {}  # new in this batch
                links: list[ChildCarer] = []
                records: list[Record] = []
                for offset, spec in enumerate(plan[start : start + BATCH]):
                    index = start + offset
                    child = self.child(index, spec, sites)
                    children.append(child)
                    carer_records = self.carers_for(child, spec, parents, carers_by_user)
                    for carer, link in carer_records:
                        if carer._state.adding:
                            carers.setdefault(carer.pk, carer)
                        links.append(link)
                    main_carer = carer_records[0][0].full_name
                    count = max(per_child, len(CHILD_CATEGORIES)) if index == 0 else per_child
                    for n in range(count):
                        category = CHILD_CATEGORIES[(index + n) % len(CHILD_CATEGORIES)]
                        records.append(self.child_record(child, category, main_carer, authors, n, staff))
                new_carers = list(carers.values())
                writer.write([(Child, children), (Carer, new_carers), (ChildCarer, links), (Record, records)])
                progress.update(len(children))
            writer.close()
        except BaseException:
            writer.abandon()
            raise
        finally:
            progress.close()

    def child(self, index: int, spec: dict[str, Any], sites: list[Site]) -> Child:
        return Child(
            id=self.uuid(),
            site=sites[spec["site"]],
            room=self.rooms[(sites[spec["site"]].pk, ROOMS[index % len(ROOMS)])],
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
        sources: dict[str, Source] = {
            Category.AGENCY_REPORT: Source.AGENCY,
            Category.SOCIAL_CARE_REPORT: Source.AGENCY,
            Category.THERAPY_REPORT: Source.AGENCY,
            Category.PARENT_CONVERSATION: Source.PARENT,
            Category.FAMILY_INFORMATION: Source.PARENT,
            Category.PARENT_CONTACT: Source.PARENT,
        }
        source = sources.get(category, Source.STAFF)
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
