"""A parent tries every id in the database in every URL (invariant 1, from the portal side).

The URL conf is walked, staff and portal URLs alike, with every child, record,
attachment and other object there is. Amy gets a page only for her own
children (Ava, and Leo at the other setting) and for the records and files of
theirs she may see; everything else answers 404, exactly as for an id that
does not exist, and no response names another child.
"""

from __future__ import annotations

import itertools
import uuid

import pytest
from django.apps import apps
from django.db.models import Model
from django.urls import reverse

from access.models import (
    BreakGlass,
    Conflict,
    Grant,
    KeyWorkerAssignment,
    Membership,
    RoomAssignment,
    SecurityKey,
    SiteDevice,
    User,
)
from access.services import access_request_create, conflict_record
from governance.models import Policy, PolicyFile, PolicyVersion
from portal import services as portal_services
from records.models import (
    Attachment,
    Category,
    Child,
    ChildCarer,
    Conversation,
    CorrectionRequest,
    Message,
    Notification,
    Record,
    Room,
    Site,
    StaffConcern,
    StaffMember,
    UnidentifiedConcern,
)
from sharing.models import Consent, Disclosure, InformationRequest, Recipient
from tests.access.test_choke_point import ID_KINDS, SECRETS, patterns_with_ids
from tests.governance.objects import governance_objects
from tests.portal import portal_fixtures
from tests.portal.portal_fixtures import (
    OTHER_CHILDREN,
    Family,
    body_of,
    names_other_children,
    pdf_text,
)
from tests.sharing.helpers import consent_for, make_sharing_objects

pytestmark = pytest.mark.django_db
family = portal_fixtures.family  # the fixture

# Portal URLs and the kind of object that opens them for Amy. Every other URL
# answers 404 to her, whatever the id.
PORTAL_PAGES = {
    "portal_child": "child",
    "portal_send": "child",
    "portal_correction": "child",
    "portal_history": "child",
    "portal_messages": "child",
    "portal_file_pdf": "child",
    "portal_record": "record",
    "portal_record_comment": "record",
    "portal_attachment": "attachment",
    "portal_sharing": "child",
    "portal_consent_give": "child",
    "portal_consent": "consent",
    "portal_consent_withdraw": "consent",
    "portal_consent_pdf": "consent",
}


@pytest.fixture
def everything(family: Family) -> dict[str, list[uuid.UUID]]:
    """Every object of every kind a URL can name, Amy's and everyone else's."""
    world = family.world
    conflict_record(actor=world.manager, child=world.ava, user=world.volunteer, reason="Family friend")
    Notification.objects.create(recipient=world.parent, message="Something happened.", url="/portal/")
    Notification.objects.create(recipient=world.dsl, message="A concern was raised.")
    portal_services.correction_request(
        actor=world.parent,
        child=world.ava,
        field=CorrectionRequest.Field.CHILD_PHONE,
        proposed="07700 900222",
    )
    portal_services.correction_request(
        actor=world.other_parent,
        child=world.other_child,
        field=CorrectionRequest.Field.CHILD_ALLERGIES,
        proposed="Eggs and milk",
    )
    access_request_create(actor=world.colleague, child=world.ava, reason="Covering Kim's group")
    governance_objects(world)
    make_sharing_objects(world)  # Ava's consent and disclosures, hidden and not
    consent_for(world, family.leo, family.mother)
    consent_for(world, world.other_child, None)  # Noah's: Otto's, never Amy's
    found = {}
    for kind in set(ID_KINDS.values()):
        pks = list(model_for(kind).objects.values_list("pk", flat=True))
        found[kind] = pks or [uuid.uuid4()]  # none made here: an id that does not exist, then
    return found


MODELS = {
    "child": Child,
    "record": Record,
    "attachment": Attachment,
    "staff_member": StaffMember,
    "grant": Grant,
    "assignment": KeyWorkerAssignment,
    "conflict": Conflict,
    "notification": Notification,
    "carer_link": ChildCarer,
    "correction": CorrectionRequest,
    "person": User,
    "unidentified_concern": UnidentifiedConcern,
    "site": Site,
    "site_device": SiteDevice,
    "conversation": Conversation,
    "message": Message,
    "policy": Policy,
    "policy_version": PolicyVersion,
    "policy_file": PolicyFile,
    "break_glass": BreakGlass,
    "staff_concern": StaffConcern,
    "room": Room,
    "room_assignment": RoomAssignment,
    "security_key": SecurityKey,
    "membership": Membership,
    "recipient": Recipient,
    "consent": Consent,
    "disclosure": Disclosure,
    "information_request": InformationRequest,
}


def model_for(kind: str) -> type[Model]:
    """The model an id in a URL names (tests/access/test_choke_point.py's ID_KINDS):
    listed above, or the model whose name is the kind's ("access_request": AccessRequest)."""
    if kind in MODELS:
        return MODELS[kind]
    wanted = kind.replace("_", "")
    for model in apps.get_models():
        if model.__name__.lower() == wanted:
            return model
    raise AssertionError(f"which model does a URL's {kind} id name? Add it to MODELS in {__file__}")


def opens_for_amy(family: Family, name: str, ids: dict[str, uuid.UUID]) -> bool:
    kind = PORTAL_PAGES.get(name)
    if kind == "child":
        return ids["child_id"] in {c.pk for c in family.own_children}
    if kind == "record":
        return ids["record_id"] in family.seen
    if kind == "attachment":
        return ids["attachment_id"] in family.seen_files
    if kind == "consent":
        return Consent.objects.filter(pk=ids["consent_id"], child__in=family.own_children).exists()
    return False


def test_the_walk_reaches_every_portal_url_with_an_id() -> None:
    walked = {name for name, _route, params in patterns_with_ids() if not set(params) & SECRETS}
    portal = {name for name in walked if name.startswith("portal_")}
    assert portal == set(PORTAL_PAGES) | {"portal_invite", "portal_disable"}


def test_the_data_has_what_the_walk_needs(family, everything) -> None:
    """Shared records of other children exist, so a 404 for them means something."""
    for child in family.other_children:
        assert Record.objects.filter(child=child, visible_to_parents=True).exists()
        assert Attachment.objects.filter(record__child=child, record__visible_to_parents=True).exists()
    assert family.medical_old.status == Record.Status.SUPERSEDED and family.medical_old.visible_to_parents
    assert Record.objects.filter(category=Category.SAFEGUARDING_CONCERN, visible_to_parents=True).exists()
    assert len(everything["record"]) > len(family.seen) + 10


def test_amy_gets_a_page_only_for_her_own_childrens_visible_items(client, family, everything) -> None:
    world = family.world
    client.force_login(world.parent)
    opened, refused = set(), 0
    for name, route, params in patterns_with_ids():
        if set(params) & SECRETS:
            continue
        for ids in itertools.product(*(everything[ID_KINDS[p]] for p in params)):
            kwargs = dict(zip(params, ids, strict=True))
            url = reverse(name, kwargs=kwargs)
            response = client.get(url)
            if response.status_code == 405:  # a POST-only action: an empty form, or 404
                response = client.post(url, {})
            body = body_of(response)
            text = pdf_text(body) if body.startswith(b"%PDF") else body.decode("utf-8", "replace")
            assert names_other_children(text) == [], (url, names_other_children(text))
            if opens_for_amy(family, name, kwargs):
                expected = (400,) if response.request["REQUEST_METHOD"] == "POST" else (200,)
                assert response.status_code in expected, (name, url, response.status_code)
                opened.add((name, *ids))
            else:
                assert response.status_code == 404, (name, route, kwargs, response.status_code)
                refused += 1
    assert {n for n, *_ in opened} == set(PORTAL_PAGES)
    seen_records = {ids[0] for n, *ids in opened if n == "portal_record"}
    assert seen_records == family.seen
    assert {ids[0] for n, *ids in opened if n == "portal_attachment"} == family.seen_files
    assert refused > 400


def test_a_parent_with_one_child_gets_404_for_all_of_amys(client, family, everything) -> None:
    """Otto, Noah's father at Riverside, may open nothing of Amy's children,
    not even Leo, who is at Noah's setting."""
    client.force_login(family.world.other_parent)
    for name, kind in PORTAL_PAGES.items():
        ids = {
            "child": [c.pk for c in family.own_children],
            "record": sorted(family.seen),
            "attachment": sorted(family.seen_files),
            "consent": sorted(
                Consent.objects.filter(child__in=family.own_children).values_list("pk", flat=True)
            ),
        }[kind]
        param = {
            "child": "child_id",
            "record": "record_id",
            "attachment": "attachment_id",
            "consent": "consent_id",
        }[kind]
        for pk in ids:
            url = reverse(name, kwargs={param: pk})
            response = client.get(url)
            if response.status_code == 405:
                response = client.post(
                    url,
                    {
                        "title": "Hello",
                        "body": "Hello",
                        "text": "Hello",
                        "field": "child.phone",
                        "proposed": "1",
                    },
                )
            assert response.status_code == 404, (name, url, response.status_code)
    assert not Record.objects.filter(author=family.world.other_parent).exists()
    assert not CorrectionRequest.objects.filter(
        requested_by=family.world.other_parent, child__in=family.own_children
    ).exists()


def test_writing_through_the_portal_to_another_childs_things_changes_nothing(client, family) -> None:
    world = family.world
    client.force_login(world.parent)
    records, corrections = Record.objects.count(), CorrectionRequest.objects.count()
    addenda = sum(r.addenda.count() for r in Record.objects.all())
    for child in family.other_children:
        assert (
            client.post(
                reverse("portal_send", args=[child.pk]), {"title": "Hello", "body": "A message"}
            ).status_code
            == 404
        )
        assert (
            client.post(
                reverse("portal_correction", args=[child.pk]),
                {"field": "child.allergies", "proposed": "None"},
            ).status_code
            == 404
        )
    for record in family.hidden_records():
        assert (
            client.post(
                reverse("portal_record_comment", args=[record.pk]), {"text": "My comment"}
            ).status_code
            == 404
        )
    assert Record.objects.count() == records and CorrectionRequest.objects.count() == corrections
    assert sum(r.addenda.count() for r in Record.objects.all()) == addenda
    for child in family.other_children:
        child.refresh_from_db()
        assert child.allergies != "None"


def test_other_childrens_names_are_really_in_the_database(family) -> None:
    """The name check above would pass trivially if the names were wrong."""
    names = {c.full_name for c in Child.objects.all()}
    assert set(OTHER_CHILDREN) <= names
