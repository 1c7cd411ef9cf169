"""Every page that shows personal data writes exactly one audit entry (invariant 2).

The URL conf is walked: a URL that is in none of the tables below fails the
test, so a new view has to be classified (and audited) before it can land.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from access.models import AccessRequest
from access.services import access_request_create, conflict_record
from audit.models import AuditEntry, Event
from records.models import Conversation, UnidentifiedConcern
from tests.governance.objects import governance_ids, governance_objects
from tests.personas import World, described_concern, parent_message
from tests.sharing.helpers import make_sharing_objects

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Page:
    persona: str
    event: str
    target: str = ""  # which object the URL names: child, record, attachment, staff, conflict


PERSONAL = {
    "home": Page("keyworker", Event.LISTED),
    "children": Page("manager", Event.LISTED),
    "child_chronology": Page("keyworker", Event.VIEWED, "child"),
    "sign_off_queue": Page("senior", Event.LISTED),
    "concern_queue": Page("dsl", Event.LISTED),
    "staff_record_add": Page("hr", Event.VIEWED, "staff"),
    "correction_queue": Page("manager", Event.LISTED),
    "access_request_start": Page("colleague", Event.LISTED),
    "access_request_new": Page("colleague", Event.VIEWED, "child"),
    "access_request_decide": Page("manager", Event.VIEWED, "access_request"),
    "child_file": Page("manager", Event.VIEWED, "child"),
    "record_add": Page("keyworker", Event.VIEWED, "child"),
    "child_access": Page("manager", Event.VIEWED, "child"),
    "access_history": Page("manager", Event.VIEWED, "child"),
    "grant_child_file": Page("manager", Event.VIEWED, "child"),
    "grant_safeguarding_file": Page("dsl", Event.VIEWED, "child"),
    "conflict_clear": Page("manager", Event.VIEWED, "conflict"),
    "record_detail": Page("keyworker", Event.VIEWED, "record"),
    "record_amend": Page("keyworker", Event.VIEWED, "record"),
    "attachment_download": Page("keyworker", Event.DOWNLOADED, "attachment"),
    "concern_start": Page("colleague", Event.LISTED),
    "concern_raise": Page("colleague", Event.VIEWED, "child"),
    "staff_list": Page("hr", Event.LISTED),
    "staff_file": Page("hr", Event.VIEWED, "staff"),
    "grant_staff_file": Page("hr", Event.VIEWED, "staff"),
    "audit_log": Page("manager", Event.LISTED),
    "audit_export": Page("manager", Event.EXPORTED),
    "my_activity": Page("keyworker", Event.LISTED),
    "sign_in_help": Page("manager", Event.LISTED),
    "unidentified_concern": Page("dsl", Event.VIEWED, "unidentified_concern"),
    "where_and_when": Page("manager", Event.VIEWED, "site"),
    "people": Page("manager", Event.LISTED),
    "person_roles": Page("manager", Event.VIEWED, "person"),
    "child_photo": Page("keyworker", Event.VIEWED, "child"),
    "child_messages": Page("keyworker", Event.LISTED, "child"),
    "conversation": Page("keyworker", Event.VIEWED, "conversation"),
    "two_factor_reset_new": Page("manager", Event.VIEWED, "person"),
    "emergency_cards": Page("student", Event.LISTED),
    "emergency_card": Page("student", Event.VIEWED, "child"),
    "kitchen_list": Page("kitchen", Event.LISTED),
    "break_glass_start": Page("colleague", Event.LISTED),
    "break_glass_new": Page("colleague", Event.VIEWED, "child"),
    "break_glass_mine": Page("colleague", Event.LISTED),
    "break_glass_queue": Page("dsl", Event.LISTED),
    "break_glass_review": Page("dsl", Event.VIEWED, "break_glass"),
    "staff_concern_start": Page("colleague", Event.LISTED),
    "staff_concern_new": Page("colleague", Event.VIEWED, "staff"),
    "staff_concern_queue": Page("hr", Event.LISTED),
    "staff_concern_detail": Page("hr", Event.VIEWED, "staff_concern"),
    "policy_detail": Page("manager", Event.LISTED, "policy"),
    "induction": Page("manager", Event.VIEWED, "staff"),
    "rooms_today": Page("manager", Event.LISTED),
    "sharing_log": Page("manager", Event.LISTED),
    "sharing_log_csv": Page("manager", Event.EXPORTED),
    "bulk_export": Page("manager", Event.LISTED),
    "recipient_list": Page("manager", Event.LISTED),
    "recipient_detail": Page("manager", Event.VIEWED, "recipient"),
    "child_sharing": Page("keyworker", Event.VIEWED, "child"),
    "child_sharing_csv": Page("manager", Event.EXPORTED, "child"),
    "disclosure_start": Page("keyworker", Event.VIEWED, "child"),
    "consent_add": Page("keyworker", Event.VIEWED, "child"),
    "request_add": Page("manager", Event.VIEWED, "child"),
    "concern_refer": Page("dsl", Event.VIEWED, "concern"),
    "consent_detail": Page("manager", Event.VIEWED, "consent"),
    "disclosure_detail": Page("keyworker", Event.VIEWED, "disclosure"),
    "disclosure_bundle": Page("keyworker", Event.EXPORTED, "disclosure"),
    "request_detail": Page("manager", Event.VIEWED, "information_request"),
}
# Pages that show nobody's personal data.
NOT_PERSONAL = {
    "login",
    "notifications",
    "screen_hidden",
    "health",
    "favicon",
    # A blank form, and the page where someone chooses their own password.
    "person_new",
    "set_password",
    # Shown without a search it holds nothing; a search is audited (tests/records/test_find.py).
    "child_find",
    # The person's own second factor: nobody else's data.
    "two_factor_verify",
    "two_factor_set_up",
    "two_factor_backup_codes",
    "security_key_name",
    # A form about a child the person cannot name: it shows nothing but what they type.
    "unidentified_concern_raise",
    # Shown only while the person's site keeps its files closed: a form, nothing else.
    "files_open",
    # The setting's policies: nobody's data (acknowledging one is audited).
    "policies",
    "policies_to_read",
    "policy_new",
    "version_new",
    "policy_read",
    "version_adopt",
    "policy_file",
    # The form to add to the sharing directory: nobody's data but what is typed.
    "recipient_add",
}
# Actions that only accept POST: their services write their own entries.
POST_ONLY = {
    "logout",
    "key_worker_add",
    "key_worker_end",
    "grant_revoke",
    "conflict_add",
    "notification_open",
    "record_addendum",
    "record_sign_off",
    "record_return",
    "concern_action",
    "concern_link",
    "concern_close",
    "discreet_mode",
    "portal_invite",
    "portal_disable",
    "correction_decide",
    "forget_browser",
    "sign_in_unlock",
    "two_factor_reset_confirm",
    "two_factor_reset_cancel",
    # Passkeys and security keys: the script's questions (JSON) and removing one; their
    # services audit every key added, accepted, refused and removed.
    "security_key_add_begin",
    "security_key_add_complete",
    "security_key_verify_begin",
    "security_key_verify_complete",
    "security_key_remove",
    "unidentified_concern_link",
    "site_device_add",
    "site_device_revoke",
    "child_photo_remove",
    "notification_mail",
    "message_concern",
    "membership_confirm",
    "membership_end",
    "break_glass_end",
    "staff_concern_update",
    "staff_concern_note",
    "staff_concern_refer",
    "staff_concern_close",
    "staff_concern_remove",
    "policy_remind",
    "induction_tick",
    "training_add",
    "room_assign",
    "room_assignment_end",
    "recipient_approve",
    "recipient_retire",
    "consent_confirm",
    "consent_withdraw",
    "disclosure_approve",
    "disclosure_sent",
    "disclosure_release",
    "request_decide",
}
# The parent portal's pages are walked with a parent in tests/portal/test_audit.py.
PORTAL = {
    "portal_home",
    "portal_child",
    "portal_send",
    "portal_correction",
    "portal_history",
    "portal_file_pdf",
    "portal_record",
    "portal_record_comment",
    "portal_attachment",
    "portal_welcome",
    "portal_messages",
    "portal_policies",
    "portal_sharing",
    "portal_consent_give",
    "portal_consent",
    "portal_consent_withdraw",
    "portal_consent_pdf",
}


def named_patterns(resolver: URLResolver | None = None) -> list[URLPattern]:
    found: list[URLPattern] = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if getattr(entry, "app_name", None) != "admin":
                found += named_patterns(entry)
        elif isinstance(entry, URLPattern):
            found.append(entry)
    return found


def url_for(world: World, name: str, page: Page, conflict_id) -> str:
    ids = {
        "child": world.ava.pk,
        "record": world.ava_progress.pk,
        "attachment": world.attachments["general"].pk,
        "staff": world.staff_files["keyworker2"].pk,
        "conflict": conflict_id,
        "access_request": AccessRequest.objects.values_list("pk", flat=True).first(),
        "person": world.keyworker2.pk,
        "unidentified_concern": UnidentifiedConcern.objects.values_list("pk", flat=True).first(),
        "site": world.site.pk,
        "conversation": Conversation.objects.values_list("pk", flat=True).first(),
        **governance_ids(),
        "concern": world.ava_concern.pk,
    }
    if page.target in ("recipient", "consent", "disclosure", "information_request"):
        sharing = sharing_of(world)
        ids |= {
            "recipient": sharing.health_visitor.pk,
            "consent": sharing.consent.pk,
            "disclosure": sharing.bundle.pk,
            "information_request": sharing.request.pk,
        }
    pattern = next(p for p in named_patterns() if p.name == name)
    kwargs = {param: ids[page.target] for param in pattern.pattern.converters}
    return reverse(name, kwargs=kwargs)


def sharing_of(world: World):
    """One of each sharing object about Ava (made once per test)."""
    if "sharing" not in world.__dict__:
        world.sharing = make_sharing_objects(world)
    return world.sharing


@pytest.fixture(autouse=True)
def sharing_objects(request):
    """Made before the test counts its entries, for the tests that have the world."""
    if "world" in request.fixturenames:
        sharing_of(request.getfixturevalue("world"))


@pytest.fixture
def conflict_id(world):
    # (and an access request, for the manager's page that decides it)
    access_request_create(actor=world.colleague, child=world.ava, reason="Covering Kim's group")
    described_concern(world)
    parent_message(world)
    governance_objects(world)  # and a policy, an emergency access and a concern about staff
    return conflict_record(actor=world.manager, child=world.ava, user=world.volunteer, reason="Neighbour").pk


def test_every_url_is_classified() -> None:
    names = {p.name for p in named_patterns()}
    unclassified = names - set(PERSONAL) - NOT_PERSONAL - POST_ONLY - PORTAL
    assert unclassified == set(), f"classify these in {__file__}: {sorted(unclassified)}"
    known = set(PERSONAL) | NOT_PERSONAL | POST_ONLY | PORTAL
    assert known <= names, "a table names a URL that no longer exists"


@pytest.mark.parametrize("name", sorted(PERSONAL))
def test_each_page_with_personal_data_writes_exactly_one_entry(client, world, conflict_id, name) -> None:
    page = PERSONAL[name]
    person = world.people[page.persona]
    client.force_login(person)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    response = client.get(url_for(world, name, page, conflict_id))
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    assert response.status_code == 200
    written = list(AuditEntry.objects.exclude(pk__in=before))
    assert len(written) == 1, [(e.event, e.object_repr) for e in written]
    entry = written[0]
    assert entry.actor == person and entry.event == page.event
    assert entry.content_type_id and entry.object_repr
    assert entry.request_id is not None
    if page.target:
        assert entry.object_pk
    if page.target in {"child", "record", "attachment", "conflict", "access_request"}:
        assert entry.child_id == world.ava.pk
    if page.target == "staff":
        assert entry.staff_member_id == world.staff_files["keyworker2"].pk


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_actions_refuse_get(client, world, conflict_id, name) -> None:
    client.force_login(world.manager)
    pattern = next(p for p in named_patterns() if p.name == name)
    if pattern.pattern.converters:
        # Any id will do: the method is refused before anything is looked up.
        url = reverse(name, kwargs={param: world.ava.pk for param in pattern.pattern.converters})
    else:
        url = reverse(name)
    assert client.get(url).status_code == 405


@pytest.mark.parametrize("name", sorted(PERSONAL))
def test_if_the_audit_write_fails_the_page_fails_and_shows_nothing(client, world, conflict_id, name) -> None:
    page = PERSONAL[name]
    url = url_for(world, name, page, conflict_id)
    client.force_login(world.people[page.persona])
    client.raise_request_exception = False
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditentry RENAME TO audit_unavailable")
    response = client.get(url)
    assert response.status_code == 500
    streamed = hasattr(response, "streaming_content")
    body = b"".join(response.streaming_content) if streamed else response.content
    assert b"<h1>Something went wrong</h1>" in body, name  # the error page, not the page asked for
    for private in [b"Ava", b"Smith", b"Peanuts", b"painting", b"Contract", b"Harriet", b"Kim Tester"]:
        assert private not in body, (name, private)


def test_the_trail_holds_no_names_dates_of_birth_bodies_or_filenames(client, world, conflict_id) -> None:
    for name, page in PERSONAL.items():
        client.force_login(world.people[page.persona])
        client.get(url_for(world, name, page, conflict_id))
    client.force_login(world.keyworker)
    client.post(
        reverse("record_amend", args=[world.ava_progress.pk]),
        {"title": "Progress for Ava, amended", "body": "Ava counts to ten.", "reason": "Typo"},
    )
    client.force_login(world.colleague)
    client.post(
        reverse("concern_raise", args=[world.ava.pk]),
        {"what_happened": "Ava was hungry again", "occurred_at": "2026-11-20T09:15"},
    )
    with connection.cursor() as cursor:  # the table's bytes, not what the ORM makes of them
        cursor.execute("SELECT * FROM audit_auditentry")
        trail = "\n".join("|".join(str(value) for value in row) for row in cursor.fetchall())
    assert AuditEntry.objects.count() > 40
    for private in [
        "Ava",
        "Smith",
        "2022-03-14",
        "Peanuts",
        "Asthma",
        "Park Terrace",
        "counts to ten",
        "hungry",
        "painting.txt",
        "body-map",
        "contract.txt",
        "Neighbour",
        "Shadowing Kim",
    ]:
        assert private not in trail, private
    assert AuditEntry.objects.filter(event=Event.UPDATED).exists()
