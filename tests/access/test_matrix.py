"""
The access matrix: who may do what to which part of a file, through the pages.

Each row is an object and an action; each column a persona (tests/personas.py).
"Y" means the page answers 200 (or, for "list", the child is listed and found by
search); "." means 404 (or not listed, not found); "-" means the case does not
exist (no staff file of one's own). Any other answer is a failure: in particular
a "." that answers 200 is a leak.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from records.models import Category
from tests.access.matrix_governance import EMERGENCY_AND_CASES
from tests.personas import GENERAL_CATEGORIES, World
from tests.sharing.helpers import make_sharing_objects

PERSONAS = {
    "kw": "keyworker",
    "kw2": "keyworker2",
    "col": "colleague",
    "out": "outsider",
    "omg": "outside_manager",
    "mgr": "manager",
    "sen": "senior",
    "dsl": "dsl",
    "hr": "hr",
    "stu": "student",
    "gst": "granted_student",
    "vol": "volunteer",
    "tru": "trustee",
    "su": "superuser",
    "car": "carer_staff",
    "acc": "accused",
    "nam": "named",
    "par": "parent",
    "kit": "kitchen",
    "two": "two_sites",
    "chr": "chair",
    "dpl": "dpl",
}

MATRIX = """
object                      action     kw kw2 col out omg mgr sen dsl hr stu gst vol tru su car acc nam par kit two chr dpl
child                       list       Y  Y   .   .   .   Y   Y   Y   .  .   Y   .   .   .  .   Y   Y   .   .   .   .   .
child                       view       Y  Y   .   .   .   Y   Y   Y   .  .   Y   .   .   .  .   Y   Y   .   .   .   .   .
riverside-child             view       .  .   .   .   Y   .   .   .   .  .   .   .   .   .  .   .   .   .   .   Y   .   .
general-record              view       Y  Y   .   .   .   Y   Y   Y   .  .   Y   .   .   .  .   Y   .   .   .   .   .   .
general-record              edit       Y  .   .   .   .   Y   Y   .   .  .   .   .   .   .  .   .   .   .   .   .   .   .
general-attachment          download   Y  Y   .   .   .   Y   Y   Y   .  .   Y   .   .   .  .   Y   .   .   .   .   .   .
safeguarding-concern        view       .  .   .   .   .   .   .   Y   .  .   .   .   .   .  .   Y   Y   .   .   .   .   .
safeguarding-concern        edit       .  .   .   .   .   .   .   .   .  .   .   .   .   .  .   .   .   .   .   .   .   .
safeguarding-about-accused  view       .  .   .   .   .   .   .   Y   .  .   .   .   .   .  .   .   Y   .   .   .   .   .
safeguarding-attachment     download   .  .   .   .   .   .   .   Y   .  .   .   .   .   .  .   Y   Y   .   .   .   .   .
personnel-record            view       .  Y   .   .   .   .   .   .   Y  .   .   .   .   .  .   .   .   .   .   .   .   .
personnel-record            edit       .  .   .   .   .   .   .   .   Y  .   .   .   .   .  .   .   .   .   .   .   .   .
personnel-attachment        download   .  Y   .   .   .   .   .   .   Y  .   .   .   .   .  .   .   .   .   .   .   .   .
allegation-about-accused    view       .  .   .   .   .   .   .   .   Y  .   .   .   .   .  .   .   .   .   .   .   .   .
staff-file-of-kw2           view       .  Y   .   .   .   .   .   .   Y  .   .   .   .   .  .   .   .   .   .   .   .   .
own-staff-file              view       Y  Y   Y   Y   Y   Y   Y   Y   Y  Y   Y   Y   -   -  Y   Y   Y   -   Y   Y   -   -
child-file                  grant      .  .   .   .   .   Y   .   .   .  .   .   .   .   .  .   .   .   .   .   .   .   .
safeguarding-file           grant      .  .   .   .   .   .   .   Y   .  .   .   .   .   .  .   Y   .   .   .   .   .   .
staff-file-of-kw2           grant      .  .   .   .   .   .   .   .   Y  .   .   .   .   .  .   .   .   .   .   .   .   .
child                       raise      Y  Y   Y   .   .   Y   Y   Y   Y  Y   Y   Y   .   .  Y   Y   Y   .   Y   Y   .   .
emergency-card              view       .  .   .   .   .   .   .   .   .  Y   .   .   .   .  .   .   .   .   Y   .   .   .
child                       break-glass .  .   Y   .   .   .   .   .   Y  .   .   .   .   .  .   .   Y   .   Y   Y   .   .
break-glass-use             review     .  .   .   .   .   .   .   Y   .  .   .   .   .   .  .   Y   .   .   .   .   .   .
allegation-case             view       .  .   .   .   .   Y   .   .   Y  .   .   .   .   .  .   .   .   .   .   .   .   .
allegation-case             handle     .  .   .   .   .   Y   .   .   Y  .   .   .   .   .  .   .   .   .   .   .   .   .
case-about-manager          view       .  .   .   .   .   .   .   .   Y  .   .   .   .   .  .   .   .   .   .   .   Y   .
child-sharing               view       Y  Y   .   .   .   Y   Y   Y   .  .   Y   .   .   .  .   Y   Y   .   .   .   .   .
disclosure                  start      Y  Y   .   .   .   Y   Y   Y   .  .   .   .   .   .  .   Y   .   .   .   .   .   .
disclosure                  view       Y  Y   .   .   .   Y   Y   Y   .  .   Y   .   .   .  .   Y   .   .   .   .   .   .
disclosure                  approve    .  .   .   .   .   Y   .   .   .  .   .   .   .   .  .   .   .   .   .   .   .   .
disclosure                  export     Y  .   .   .   .   Y   .   Y   .  .   .   .   .   .  .   Y   .   .   .   .   .   .
safeguarding-disclosure     view       .  .   .   .   .   .   .   Y   .  .   .   .   .   .  .   Y   Y   .   .   .   .   .
safeguarding-disclosure     approve    .  .   .   .   .   .   .   Y   .  .   .   .   .   .  .   Y   .   .   .   .   .   .
sharing-log                 export     .  .   .   .   .   Y   .   Y   .  .   .   .   .   .  .   Y   .   .   .   .   .   .
general-files               export     .  .   .   .   Y   Y   .   .   .  .   .   .   .   .  .   .   .   .   .   Y   .   .
safeguarding-files          export     .  .   .   .   .   .   .   Y   .  .   .   .   .   .  .   Y   .   .   .   .   .   .
staff-files                 export     .  .   .   .   .   .   .   .   Y  .   .   .   .   .  .   .   .   .   .   .   .   .
directory                   view       Y  Y   Y   Y   Y   Y   Y   Y   .  .   .   .   .   .  Y   Y   Y   .   .   Y   Y   Y
directory-entry             approve    .  .   .   .   .   .   .   .   .  .   .   .   .   .  .   .   .   .   .   .   Y   Y
"""


def parse_matrix() -> list[tuple[str, str, str, str]]:
    """(object, action, persona, expected) for every cell of the table."""
    lines = [line.split() for line in MATRIX.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    columns = header[2:]
    assert set(columns) == set(PERSONAS), "every persona has a column"
    cases = []
    for row in rows:
        assert len(row) == len(header), row
        for column, expected in zip(columns, row[2:], strict=True):
            cases.append((row[0], row[1], PERSONAS[column], expected))
    return cases


CASES = parse_matrix()


def get(client: Client, url: str) -> int:
    return client.get(url).status_code


def listed(client: Client, world: World) -> str:
    link = reverse("child_file", args=[world.ava.pk])
    in_list = link in client.get(reverse("children")).content.decode()
    in_search = link in client.post(reverse("children"), {"query": "ava smith"}).content.decode()
    assert in_list == in_search, "the list and search disagree"
    return "Y" if in_list else "."


def offers(client: Client, url: str, form: str) -> str:
    """Y if the page offers the form (the person may act), "." if not, or if it is not found."""
    response = client.get(url)
    if response.status_code == 404:
        return "."
    assert response.status_code == 200, (url, response.status_code)
    return "Y" if f'action="{form}"' in response.content.decode() else "."


@pytest.fixture(autouse=True)
def sharing_objects(world) -> None:
    """Sharing about Ava: a consent-based bundle, shares waiting for a manager and for the
    DSL, the DSL's referral, a directory entry waiting for a second approver."""
    world.sharing = make_sharing_objects(world)


def status(code: int) -> str:
    return {200: "Y", 404: "."}.get(code, f"HTTP {code}")


def expand(world: World, obj: str, action: str, persona: str) -> list[tuple[str, Callable[[Client], str]]]:
    """The concrete requests one cell stands for (a row of records expands to one per category)."""
    person_file = world.staff_files.get(persona)
    page = {
        ("child", "view"): [reverse("child_file", args=[world.ava.pk])],
        ("riverside-child", "view"): [reverse("child_file", args=[world.other_child.pk])],
        ("general-record", "view"): [
            reverse("record_detail", args=[world.ava_general[c].pk]) for c in GENERAL_CATEGORIES
        ],
        ("general-record", "edit"): [
            reverse("record_amend", args=[world.ava_general[c].pk]) for c in GENERAL_CATEGORIES
        ],
        ("general-attachment", "download"): [
            reverse("attachment_download", args=[world.attachments["general"].pk])
        ],
        ("safeguarding-concern", "view"): [reverse("record_detail", args=[world.ava_concern.pk])],
        ("safeguarding-concern", "edit"): [reverse("record_amend", args=[world.ava_concern.pk])],
        ("safeguarding-about-accused", "view"): [reverse("record_detail", args=[world.ava_about_accused.pk])],
        ("safeguarding-attachment", "download"): [
            reverse("attachment_download", args=[world.attachments["safeguarding"].pk])
        ],
        ("personnel-record", "view"): [reverse("record_detail", args=[world.contract.pk])],
        ("personnel-record", "edit"): [reverse("record_amend", args=[world.contract.pk])],
        ("personnel-attachment", "download"): [
            reverse("attachment_download", args=[world.attachments["personnel"].pk])
        ],
        ("allegation-about-accused", "view"): [reverse("record_detail", args=[world.allegation.pk])],
        ("staff-file-of-kw2", "view"): [reverse("staff_file", args=[world.staff_files["keyworker2"].pk])],
        ("own-staff-file", "view"): [reverse("staff_file", args=[person_file.pk])] if person_file else [],
        ("child-file", "grant"): [reverse("grant_child_file", args=[world.ava.pk])],
        ("safeguarding-file", "grant"): [reverse("grant_safeguarding_file", args=[world.ava.pk])],
        ("staff-file-of-kw2", "grant"): [
            reverse("grant_staff_file", args=[world.staff_files["keyworker2"].pk])
        ],
        ("child", "raise"): [reverse("concern_raise", args=[world.ava.pk])],
    }
    if (obj, action) == ("child", "list"):
        return [("list and search", lambda client: listed(client, world))]
    if (obj, action) in EMERGENCY_AND_CASES:
        return EMERGENCY_AND_CASES[(obj, action)](world)
    sharing = world.sharing
    approvals = {
        ("disclosure", "approve"): (
            reverse("disclosure_detail", args=[sharing.awaiting_manager.pk]),
            reverse("disclosure_approve", args=[sharing.awaiting_manager.pk]),
        ),
        ("safeguarding-disclosure", "approve"): (
            reverse("disclosure_detail", args=[sharing.awaiting_dsl.pk]),
            reverse("disclosure_approve", args=[sharing.awaiting_dsl.pk]),
        ),
        ("directory-entry", "approve"): (
            reverse("recipient_detail", args=[sharing.other.pk]),
            reverse("recipient_approve", args=[sharing.other.pk]),
        ),
    }
    if (obj, action) in approvals:
        shown, form = approvals[(obj, action)]
        return [(shown, lambda client: offers(client, shown, form))]
    page |= {
        ("child-sharing", "view"): [reverse("child_sharing", args=[world.ava.pk])],
        ("disclosure", "start"): [reverse("disclosure_start", args=[world.ava.pk])],
        ("disclosure", "view"): [reverse("disclosure_detail", args=[sharing.bundle.pk])],
        ("disclosure", "export"): [reverse("disclosure_bundle", args=[sharing.bundle.pk])],
        ("safeguarding-disclosure", "view"): [reverse("disclosure_detail", args=[sharing.referral.pk])],
        ("sharing-log", "export"): [reverse("child_sharing_csv", args=[world.ava.pk])],
        ("general-files", "export"): [reverse("bulk_export") + "?tier=general"],
        ("safeguarding-files", "export"): [reverse("bulk_export") + "?tier=safeguarding"],
        ("staff-files", "export"): [reverse("bulk_export") + "?tier=personnel"],
        ("directory", "view"): [reverse("recipient_list")],
    }
    return [(url, lambda client, url=url: status(get(client, url))) for url in page[(obj, action)]]


def test_the_matrix_has_more_than_three_hundred_cases(world) -> None:
    total = sum(
        len(expand(world, obj, action, persona))
        for obj, action, persona, expected in CASES
        if expected != "-"
    )
    assert total >= 300, total


@pytest.mark.parametrize("persona", sorted(PERSONAS.values()))
def test_each_person_sees_and_does_exactly_what_the_matrix_says(client, world, persona) -> None:
    client.force_login(world.people[persona])
    wrong = []
    checked = 0
    for obj, action, who, expected in CASES:
        if who != persona:
            continue
        requests = expand(world, obj, action, persona)
        if expected == "-":
            assert requests == [], (obj, action)
            continue
        for label, request in requests:
            checked += 1
            answer = request(client)
            if answer != expected:
                kind = "LEAK" if expected == "." else "refused"
                wrong.append(f"{kind}: {obj} {action} {label}: expected {expected}, got {answer}")
    assert checked > 0
    assert wrong == [], "\n".join(wrong)


def test_the_general_records_cover_every_category_a_childs_file_can_hold() -> None:
    assert set(GENERAL_CATEGORIES) | {Category.SAFEGUARDING_CONCERN, Category.STAFF_RECORD} == set(Category)
