"""Every portal page that shows personal data writes exactly one audit entry,
naming the child; if the entry cannot be written, the page fails and shows
nothing (invariant 2, as tests/audit/test_completeness.py holds it for staff).

The portal's URLs are classified here: a new portal page fails
`test_every_portal_url_is_classified` until it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.urls import reverse

from audit.models import AuditEntry, Event
from records.models import Addendum, CorrectionRequest, Record
from sharing.models import Consent
from tests.audit.test_completeness import PORTAL, named_patterns
from tests.portal import portal_fixtures
from tests.portal.portal_fixtures import Family, body_of
from tests.sharing.helpers import consent_for

pytestmark = pytest.mark.django_db
family = portal_fixtures.family  # the fixture


@dataclass(frozen=True)
class Page:
    event: str
    target: str = ""  # which object the URL names: child, record, attachment


# GET pages that show personal data.
PERSONAL = {
    "portal_home": Page(Event.LISTED),
    "portal_child": Page(Event.VIEWED, "child"),
    "portal_history": Page(Event.VIEWED, "child"),
    "portal_messages": Page(Event.VIEWED, "child"),
    "portal_file_pdf": Page(Event.EXPORTED, "child"),
    "portal_record": Page(Event.VIEWED, "record"),
    "portal_attachment": Page(Event.DOWNLOADED, "attachment"),
    "portal_sharing": Page(Event.VIEWED, "child"),
    "portal_consent": Page(Event.VIEWED, "consent"),
    "portal_consent_pdf": Page(Event.EXPORTED, "consent"),
}
# POST-only: shown again with errors they are the child's (or record's) page,
# so they write that page's entry; accepted, their services write their own.
FORMS = {
    "portal_send": Page(Event.VIEWED, "child"),
    "portal_correction": Page(Event.VIEWED, "child"),
    "portal_record_comment": Page(Event.VIEWED, "record"),
    "portal_consent_give": Page(Event.VIEWED, "child"),
    "portal_consent_withdraw": Page(Event.VIEWED, "consent"),
}
# The invitation link's page shows a username at most; accepting is audited
# (tests/portal/test_invitations.py).
NOT_PERSONAL = {"portal_welcome"}
# The setting's privacy notice and policies: nobody's personal data (being shown them is audited).
NOT_PERSONAL |= {"portal_policies"}


def url_for(family: Family, name: str, target: str) -> str:
    ids = {
        "child": family.ava.pk,
        "record": family.world.ava_progress.pk,
        "attachment": family.files["general"].pk,
        "consent": Consent.objects.filter(child=family.ava).values_list("pk", flat=True).first(),
    }
    pattern = next(p for p in named_patterns() if p.name == name)
    return reverse(name, kwargs={param: ids[target] for param in pattern.pattern.converters})


@pytest.fixture(autouse=True)
def amys_consent(request):
    """A consent Amy gave for Ava, for the consent pages (with the family fixture)."""
    if "family" in request.fixturenames:
        consent_for(request.getfixturevalue("family").world, None, None)


def new_entries(before: set) -> list[AuditEntry]:
    return list(AuditEntry.objects.exclude(pk__in=before).order_by("id"))


def test_every_portal_url_is_classified() -> None:
    portal = {p.name for p in named_patterns() if p.name and p.name.startswith("portal_")} - {
        "portal_invite",
        "portal_disable",
    }  # staff actions, in tests/audit/test_completeness.py
    assert portal == set(PERSONAL) | set(FORMS) | NOT_PERSONAL
    assert portal == PORTAL


@pytest.mark.parametrize("name", sorted(PERSONAL))
def test_each_portal_page_writes_exactly_one_entry_naming_the_child(client, family, name) -> None:
    page = PERSONAL[name]
    parent = family.world.parent
    client.force_login(parent)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    response = client.get(url_for(family, name, page.target))
    body_of(response)
    assert response.status_code == 200
    written = new_entries(before)
    assert len(written) == 1, [(e.event, e.object_repr) for e in written]
    entry = written[0]
    assert entry.actor == parent and entry.event == page.event
    assert entry.request_id is not None and entry.content_type_id and entry.object_repr
    if page.target:
        assert entry.child_id == family.ava.pk
        assert entry.tier == "general"
    if page.target == "record":
        assert entry.object_pk == str(family.world.ava_progress.pk)
    if page.target == "attachment":
        assert entry.object_pk == str(family.files["general"].pk)


def test_the_list_of_children_names_no_single_child_and_says_nothing_when_empty(client, family) -> None:
    """Amy has two children: the entry is about the list, like the staff list of children."""
    client.force_login(family.father_user)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    client.get(reverse("portal_home"))
    [entry] = new_entries(before)
    assert entry.event == Event.LISTED and entry.object_pk == ""
    # Someone who is a carer but sees no child's file is shown nobody: no entry.
    client.force_login(family.world.carer_staff)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    assert client.get(reverse("portal_home")).status_code == 200
    assert new_entries(before) == []


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_portal_form_shown_again_with_errors_writes_its_pages_entry(client, family, name) -> None:
    page = FORMS[name]
    client.force_login(family.world.parent)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    response = client.post(url_for(family, name, page.target), {})
    assert response.status_code == 400
    [entry] = new_entries(before)
    assert entry.actor == family.world.parent and entry.event == Event.VIEWED
    assert entry.child_id == family.ava.pk


@pytest.mark.parametrize(
    "name, data, model",
    [
        ("portal_send", {"title": "Moving house", "body": "We move in December."}, Record),
        ("portal_correction", {"field": "child.phone", "proposed": "07700 900222"}, CorrectionRequest),
        ("portal_record_comment", {"text": "Thank you"}, Addendum),
    ],
)
def test_what_a_parent_sends_is_recorded_in_the_trail_with_the_child(
    client, family, name, data, model
) -> None:
    page = FORMS[name]
    client.force_login(family.world.parent)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    assert client.post(url_for(family, name, page.target), data).status_code == 302
    created = [e for e in new_entries(before) if e.content_type.model_class() is model]
    assert len(created) == 1
    assert created[0].actor == family.world.parent and created[0].child_id == family.ava.pk
    assert created[0].action == AuditEntry.Action.CREATE


@pytest.mark.parametrize("name", sorted(PERSONAL))
def test_if_the_audit_write_fails_the_portal_page_fails_and_shows_nothing(client, family, name) -> None:
    url = url_for(family, name, PERSONAL[name].target)
    client.force_login(family.world.parent)
    client.raise_request_exception = False
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditentry RENAME TO audit_unavailable")
    response = client.get(url)
    assert response.status_code == 500
    body = body_of(response)
    assert b"<h1>Something went wrong</h1>" in body, name  # the error page, not the page asked for
    for private in [
        b"Ava",
        b"Smith",
        b"Peanuts",
        b"painting",
        b"Progress",
        b"Riverside",
        b"%PDF",
        b"07700",
        b"Leo",
    ]:
        assert private not in body, (name, private)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_if_the_audit_write_fails_a_portal_form_fails_and_keeps_nothing(client, family, name) -> None:
    url = url_for(family, name, FORMS[name].target)
    client.force_login(family.world.parent)
    client.raise_request_exception = False
    records, corrections, addenda = (
        Record.objects.count(),
        CorrectionRequest.objects.count(),
        Addendum.objects.count(),
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditentry RENAME TO audit_unavailable")
    data = {
        "title": "Moving house",
        "body": "We move in December.",
        "field": "child.phone",
        "proposed": "07700 900222",
        "text": "Thank you",
    }
    response = client.post(url, data)
    assert response.status_code == 500
    body = body_of(response)
    assert b"<h1>Something went wrong</h1>" in body, name  # the error page, not the form again
    assert b"Ava" not in body
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_unavailable RENAME TO audit_auditentry")
    assert (Record.objects.count(), CorrectionRequest.objects.count(), Addendum.objects.count()) == (
        records,
        corrections,
        addenda,
    )
