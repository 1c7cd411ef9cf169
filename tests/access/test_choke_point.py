"""Invariant 1: every path from a URL to a child's data goes through access.

The URL conf is walked, so a new view cannot be missed: every URL that takes
an object id answers 404 to people who may not see the object, exactly as for
an id that does not exist.
"""

from __future__ import annotations

import ast
import itertools
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from access.models import Grant, KeyWorkerAssignment, Membership, SecurityKey, SiteDevice
from access.services import access_request_create, conflict_record
from access.services.two_factor_resets import two_factor_reset_request
from records.models import CorrectionRequest, Message, Notification
from tests.governance.objects import governance_objects
from tests.personas import described_concern, parent_message
from tests.sharing.helpers import make_sharing_objects

ROOT = Path(__file__).resolve().parents[2]
# Which model each id in a URL names. A URL with an id not listed here fails
# the test until someone decides who may see that kind of object.
ID_KINDS = {
    "child_id": "child",
    "attachment_id": "attachment",
    "record_id": "record",
    "staff_member_id": "staff_member",
    "grant_id": "grant",
    "assignment_id": "assignment",
    "conflict_id": "conflict",
    "notification_id": "notification",
    "link_id": "carer_link",
    "correction_id": "correction",
    "request_id": "access_request",
    "user_id": "person",
    "reset_id": "two_factor_reset",
    "unidentified_id": "unidentified_concern",
    "site_id": "site",
    "device_id": "site_device",
    "conversation_id": "conversation",
    "message_id": "message",
    "policy_id": "policy",
    "version_id": "policy_version",
    "file_id": "policy_file",
    "break_glass_id": "break_glass",
    "concern_id": "staff_concern",
    "room_id": "room",
    "room_assignment_id": "room_assignment",
    "key_id": "security_key",
    "person_id": "person",
    "membership_id": "membership",
    "recipient_id": "recipient",
    "consent_id": "consent",
    "disclosure_id": "disclosure",
    "information_request_id": "information_request",
}
# The organisation's policies are every site's: staff elsewhere and trustees read
# them (tests/governance test who may not).
ORGANISATION_WIDE = {"policy", "policy_version", "policy_file"}
# Route parameters that are secrets, not ids of things someone may or may not
# see: an invitation token (tests/portal/test_invitations.py).
SECRETS = {"token", "uidb64"}
# Every model of ours: a view that reads any of them directly bypasses access.
OUR_APPS = ("records", "access", "audit", "portal", "sharing", "governance")


def patterns_with_ids(
    resolver: URLResolver | None = None, prefix: str = ""
) -> list[tuple[str, str, list[str]]]:
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if getattr(entry, "app_name", None) == "admin":
                continue  # the admin has its own guard: files are not registered there
            found += patterns_with_ids(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.pattern.converters:
            found.append((entry.name or "", prefix + str(entry.pattern), list(entry.pattern.converters)))
    return found


@pytest.fixture
def objects(world) -> dict[str, list[uuid.UUID]]:
    conflict = conflict_record(
        actor=world.manager, child=world.ava, user=world.volunteer, reason="Family friend"
    )
    note = Notification.objects.create(recipient=world.dsl, message="A concern was raised.")
    link = world.ava.carer_links.first()
    sharing = make_sharing_objects(world)
    correction = CorrectionRequest.objects.create(
        child=world.ava,
        carer=link.carer,
        field=CorrectionRequest.Field.CHILD_PHONE,
        proposed="07700 900123",
        requested_by=world.parent,
    )
    return {
        "child": [world.ava.pk],
        "record": [world.ava_progress.pk, world.ava_concern.pk, world.contract.pk],
        "attachment": [a.pk for a in world.attachments.values()],
        "staff_member": [world.staff_files["keyworker2"].pk],
        "grant": list(Grant.objects.values_list("pk", flat=True)),
        "assignment": list(KeyWorkerAssignment.objects.values_list("pk", flat=True)),
        "conflict": [conflict.pk],
        "notification": [note.pk],
        "carer_link": list(world.ava.carer_links.values_list("pk", flat=True)),
        "correction": [correction.pk],
        "access_request": [
            access_request_create(actor=world.colleague, child=world.ava, reason="Covering Kim's group").pk
        ],
        "person": [world.keyworker.pk],
        "membership": list(Membership.objects.filter(site=world.site).values_list("pk", flat=True)[:3]),
        "unidentified_concern": [described_concern(world).pk],
        "site": [world.site.pk],
        "conversation": [parent_message(world).conversation_id],
        "message": list(Message.objects.values_list("pk", flat=True)),
        "site_device": [
            SiteDevice.objects.create(
                site=world.site, name="Office computer", secret_hash="0" * 64, registered_by=world.manager
            ).pk
        ],
        "two_factor_reset": [
            two_factor_reset_request(actor=world.manager, user=world.keyworker, reason="Lost phone").pk
        ],
        **governance_objects(world),
        # Kim's: one just added (to be named) and one that works (to be removed).
        "security_key": [security_key(world, confirmed=False).pk, security_key(world, confirmed=True).pk],
        "recipient": [sharing.health_visitor.pk, sharing.other.pk],
        "consent": [sharing.consent.pk],
        "disclosure": [sharing.bundle.pk, sharing.awaiting_manager.pk, sharing.referral.pk],
        "information_request": [sharing.request.pk],
    }


def security_key(world, *, confirmed: bool) -> SecurityKey:
    credential_id = uuid.uuid4().bytes
    return SecurityKey.objects.create(
        user=world.keyworker,
        name="Kim's key",
        credential_id=credential_id,
        public_key=b"not a real key",
        credential_id_sha256=SecurityKey.get_credential_id_sha256(credential_id),
        aaguid=str(uuid.UUID(int=0)),
        confirmed=confirmed,
    )


def test_every_url_with_an_id_is_known_to_this_test() -> None:
    for _name, route, params in patterns_with_ids():
        assert set(params) <= set(ID_KINDS) | SECRETS, f"{route} takes {params}: add them to ID_KINDS"
    assert patterns_with_ids(), "the walk found no URLs with ids"


# People with no standing at Oakfield, where all these objects are. (The
# access matrix covers the people who work there.)
@pytest.mark.parametrize("persona", ["outsider", "outside_manager", "other_parent", "superuser", "trustee"])
def test_every_object_url_is_404_for_people_who_may_not_see_it(client, world, objects, persona) -> None:
    # (Ava's own mother is tested in tests/portal/test_idor.py: she may see some of it.)
    client.force_login(getattr(world, persona))
    checked = 0
    for name, _route, params in patterns_with_ids():
        if set(params) & SECRETS or {ID_KINDS[p] for p in params} & ORGANISATION_WIDE:
            continue
        for ids in itertools.product(*(objects[ID_KINDS[p]] for p in params)):
            url = reverse(name, kwargs=dict(zip(params, ids, strict=True)))
            response = client.get(url)
            if response.status_code == 405:  # a POST-only action
                response = client.post(url, {})
            assert response.status_code == 404, (persona, url, response.status_code)
            checked += 1
    assert checked >= 20


def views_modules() -> list[Path]:
    """Every module of every app's views (a module or a package)."""
    found = []
    for app in OUR_APPS:
        found += [ROOT / app / "views.py"] if (ROOT / app / "views.py").exists() else []
        found += sorted((ROOT / app / "views").rglob("*.py"))
    return found


def our_models() -> set[str]:
    return {m.__name__ for app in OUR_APPS for m in apps.get_app_config(app).get_models()}


def test_the_guard_reads_every_views_module_and_knows_every_model() -> None:
    read = {str(p.relative_to(ROOT)) for p in views_modules()}
    assert {"portal/views/pages.py", "records/views/entries.py", "access/views/access_tab.py"} <= read
    assert {
        "Addendum",
        "CorrectionRequest",
        "Grant",
        "AccessRequest",
        "Notification",
        "Child",
        "SecurityKey",
    } <= our_models()


def test_views_never_query_the_files_directly() -> None:
    """Views ask access for objects; `Child.objects…` in a view is a bypass."""
    models = our_models()
    offenders = []
    for path in views_modules():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"objects", "_default_manager", "_base_manager"}
                and isinstance(node.value, ast.Name)
                and node.value.id in models
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.{node.attr}")
    assert offenders == []
