"""Where and when (an option per site): staff read children's files only within the
setting's hours, and if it asks, only on its registered devices and from its networks.
Raising a concern and the home page are never closed; managers and safeguarding leads
open files by saying why (audited)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from access.models import FilesOpened, SiteDevice, WhereAndWhen
from access.services.where_and_when import DEVICE_COOKIE
from audit.models import AuditEntry, Event

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
WEDNESDAY_NIGHT = datetime.datetime(2026, 12, 2, 23, 0, tzinfo=LONDON)
WEDNESDAY_MORNING = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=LONDON)
RULES = {
    "open_days": ["1", "2", "3", "4", "5"],
    "opens_at": "07:30",
    "closes_at": "18:30",
    "margin_minutes": "60",
    "allowed_networks": "",
}


def guard(world, **rules) -> WhereAndWhen:
    values = {"guard_files": True, "margin_minutes": 60, **rules}
    return WhereAndWhen.objects.update_or_create(site=world.site, defaults=values)[0]


def status(client, person, url: str, **extra) -> int:
    client.force_login(person)
    return client.get(url, **extra).status_code


def test_it_is_off_by_default_and_files_open_at_any_hour(client, world) -> None:
    with time_machine.travel(WEDNESDAY_NIGHT, tick=False):
        assert status(client, world.keyworker, reverse("child_file", args=[world.ava.pk])) == 200


def test_outside_the_hours_staff_see_their_home_and_can_raise_a_concern_but_open_no_file(
    client, world
) -> None:
    guard(world)
    file_pages = [
        reverse("child_file", args=[world.ava.pk]),
        reverse("record_detail", args=[world.ava_progress.pk]),
        reverse("child_chronology", args=[world.ava.pk]),
        reverse("attachment_download", args=[world.attachments["general"].pk]),
    ]
    with time_machine.travel(WEDNESDAY_NIGHT, tick=False):
        for person in (world.keyworker, world.manager, world.dsl, world.granted_student):
            for url in file_pages:
                assert status(client, person, url) == 404, (person.username, url)
        client.force_login(world.keyworker)
        home = client.get(reverse("home"))
        assert home.status_code == 200
        assert "Children's files are closed here and now" in home.content.decode()
        assert "Smith, Ava" not in client.get(reverse("children")).content.decode()
        assert status(client, world.keyworker, reverse("concern_raise", args=[world.ava.pk])) == 200
        assert status(client, world.keyworker, reverse("notifications")) == 200
        # Riverside guards nothing: Pat, who manages it, still reads its children's files.
        assert status(client, world.two_sites, reverse("child_file", args=[world.other_child.pk])) == 200
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        assert status(client, world.keyworker, file_pages[0]) == 200


@pytest.mark.parametrize(
    ("at", "opens"),
    [
        (datetime.datetime(2026, 12, 2, 6, 31, tzinfo=LONDON), True),  # within the hour's margin
        (datetime.datetime(2026, 12, 2, 6, 29, tzinfo=LONDON), False),
        (datetime.datetime(2026, 12, 2, 19, 29, tzinfo=LONDON), True),
        (datetime.datetime(2026, 12, 2, 19, 31, tzinfo=LONDON), False),
        (datetime.datetime(2026, 12, 5, 10, 0, tzinfo=LONDON), False),  # a Saturday
    ],
)
def test_files_open_within_the_hours_and_the_margin_on_open_days(client, world, at, opens) -> None:
    guard(world)
    with time_machine.travel(at, tick=False):
        assert (status(client, world.keyworker, reverse("child_file", args=[world.ava.pk])) == 200) is opens


def test_only_the_settings_registered_devices_open_files_when_it_asks(client, world) -> None:
    guard(world)
    url = reverse("child_file", args=[world.ava.pk])
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        client.force_login(world.manager)
        response = client.post(reverse("site_device_add", args=[world.site.pk]), {"device-name": "Office"})
        assert response.status_code == 302
        cookie = response.cookies[DEVICE_COOKIE]
        assert cookie["httponly"] and SiteDevice.objects.get().name == "Office"
        assert str(SiteDevice.objects.get().secret_hash) not in cookie.value  # only its hash is kept
        guard(world, require_device=True)
        # Kim on the office computer (its cookie) reads the file; on another browser she does not.
        assert status(client, world.keyworker, url) == 200
        client.cookies.pop(DEVICE_COOKIE)
        assert status(client, world.keyworker, url) == 404
        client.cookies[DEVICE_COOKIE] = "made-up"
        assert status(client, world.keyworker, url) == 404
        client.cookies[DEVICE_COOKIE] = cookie.value
        client.force_login(world.manager)
        client.post(reverse("site_device_revoke", args=[SiteDevice.objects.get().pk]))
        assert status(client, world.keyworker, url) == 404


def test_turning_devices_on_with_none_registered_is_refused(client, world) -> None:
    client.force_login(world.manager)
    response = client.post(
        reverse("where_and_when", args=[world.site.pk]),
        {**RULES, "guard_files": "on", "require_device": "on"},
    )
    assert response.status_code == 400
    assert "Register at least one of the setting&#x27;s devices first" in response.content.decode()
    assert not WhereAndWhen.objects.exists()


def test_only_the_settings_networks_open_files_and_a_forged_forwarded_for_is_ignored(client, world) -> None:
    guard(world, allowed_networks="203.0.113.0/24\n2001:db8::/32")
    url = reverse("child_file", args=[world.ava.pk])
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        assert status(client, world.keyworker, url, REMOTE_ADDR="203.0.113.9") == 200
        assert status(client, world.keyworker, url, REMOTE_ADDR="2001:db8::5") == 200
        assert status(client, world.keyworker, url, REMOTE_ADDR="198.51.100.4") == 404
        forged = {"REMOTE_ADDR": "198.51.100.4", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
        assert status(client, world.keyworker, url, **forged) == 404


def test_a_manager_opens_the_files_for_an_hour_saying_why_and_it_is_audited(client, world) -> None:
    guard(world)
    url = reverse("child_file", args=[world.ava.pk])
    open_url = reverse("files_open", args=[world.site.pk])
    with time_machine.travel(WEDNESDAY_NIGHT, tick=False) as traveller:
        assert status(client, world.keyworker, open_url) == 404  # not a manager or safeguarding lead
        client.force_login(world.manager)
        assert (
            "Open the files of Oakfield Children&#x27;s Centre, saying why"
            in client.get(reverse("home")).content.decode()
        )
        missing = client.post(open_url, {"reason": "  "})
        assert missing.status_code == 400 and "Say why you need the files now" in missing.content.decode()
        assert not FilesOpened.objects.exists()
        client.post(open_url, {"reason": "Police at the door asking about Ava's collection tonight"})
        assert client.get(url).status_code == 200
        opened = FilesOpened.objects.get()
        assert opened.user == world.manager and "Police" in opened.reason
        entry = AuditEntry.objects.get(event=Event.FILES_OPENED)
        assert entry.object_pk == str(opened.pk) and "Police" not in entry.reason  # the reason stays sealed
        assert status(client, world.keyworker, url) == 404  # for the manager only
        traveller.shift(datetime.timedelta(minutes=61))
        assert status(client, world.manager, url) == 404


def test_the_rules_are_the_sites_managers_to_set_and_bad_input_saves_nothing(client, world) -> None:
    url = reverse("where_and_when", args=[world.site.pk])
    for person in (world.keyworker, world.dsl, world.hr, world.outside_manager, world.trustee, world.parent):
        assert status(client, person, url) == 404, person.username
        assert client.post(url, {**RULES, "guard_files": "on"}).status_code == 404
    client.force_login(world.manager)
    assert client.get(url).status_code == 200
    late = client.post(url, {**RULES, "opens_at": "18:00", "closes_at": "08:00"})
    assert late.status_code == 400 and "The setting closes after it opens" in late.content.decode()
    bad = client.post(url, {**RULES, "allowed_networks": "the office wifi"})
    assert bad.status_code == 400 and "is not a network address range" in bad.content.decode()
    assert not WhereAndWhen.objects.exists()
    saved = client.post(url, {**RULES, "guard_files": "on"})
    assert saved.status_code == 302
    rules = WhereAndWhen.objects.get()
    assert rules.guard_files and rules.open_days == "12345" and rules.updated_by == world.manager
    assert AuditEntry.objects.filter(event=Event.UPDATED, object_pk=str(rules.pk)).exists()
