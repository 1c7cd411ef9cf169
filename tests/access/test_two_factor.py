"""Two-factor: setting it up, codes at sign-in, backup codes, the step-up, resets, the admin."""

from __future__ import annotations

import datetime
import io
import re

import pytest
import time_machine
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.admin import OTPAdminSite
from django_otp.oath import totp

from access.management.demo_two_factor import demo_key_hex
from access.models import BackupCode, Role, TOTPDevice, TwoFactorReset
from access.services import two_factor
from audit.models import AuditEntry, Event
from records.models import Category, Record
from tests.factories import RecordFactory, give_roles
from tests.two_factor import code_for, device_of

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"  # every persona's (tests/factories.py)
T0 = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


def sign_in_with_password(client: Client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def events(event: str, user) -> int:
    return AuditEntry.objects.filter(event=event, object_pk=str(user.pk)).count()


# --- setting up ----------------------------------------------------------------------------


def test_staff_without_an_authenticator_set_one_up_before_anything_else(world) -> None:
    client = Client()
    response = sign_in_with_password(client, "keyworker")
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_set_up"))
    assert client.get(reverse("children"))["Location"].startswith(reverse("two_factor_set_up"))
    page = client.get(response["Location"])
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=world.keyworker, confirmed=False)
    assert "<svg" in html and 'src="http' not in html  # the QR code is drawn in the page
    assert device.base32_key[:4] in html
    done = client.post(response["Location"], {"code": code_for(device)})
    assert done.status_code == 200 and len(re.findall(r"<li><code>", done.content.decode())) == 10
    device.refresh_from_db()
    assert device.confirmed and events(Event.TWO_FACTOR_SET_UP, world.keyworker) == 2  # app, codes
    assert client.get(reverse("children")).status_code == 200


def test_a_wrong_first_code_confirms_nothing_and_says_why(world) -> None:
    client = Client()
    sign_in_with_password(client, "keyworker")
    client.get(reverse("two_factor_set_up"))
    response = client.post(reverse("two_factor_set_up"), {"code": "000000"})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.keyworker, confirmed=True).exists()
    assert not BackupCode.objects.exists()


# --- codes at sign-in ---------------------------------------------------------------------


def test_a_person_with_an_authenticator_gives_a_code_after_the_password(world) -> None:
    device = device_of(world.manager)
    client = Client()
    response = sign_in_with_password(client, "manager")
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))
    wrong = client.post(reverse("two_factor_verify"), {"code": "123456"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.content.decode()
    assert events(Event.TWO_FACTOR_FAILED, world.manager) == 1
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=2)):
        right = client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert right.status_code == 302 and right["Location"] == reverse("home")
    assert events(Event.TWO_FACTOR_VERIFIED, world.manager) == 1
    assert client.get(reverse("home")).status_code == 200


def test_a_code_is_accepted_only_once(world) -> None:
    device = device_of(world.manager)
    code = code_for(device)
    first, second = Client(), Client()
    for client in (first, second):
        sign_in_with_password(client, "manager")
    assert first.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    assert second.post(reverse("two_factor_verify"), {"code": code}).status_code == 400


def test_a_backup_code_works_once(world) -> None:
    device_of(world.keyworker)
    codes = two_factor.backup_codes_issue(user=world.keyworker, request=None)
    first, second = Client(), Client()
    sign_in_with_password(first, "keyworker")
    assert first.post(reverse("two_factor_verify"), {"code": codes[0].upper()}).status_code == 302
    sign_in_with_password(second, "keyworker")
    assert second.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 400
    assert two_factor.backup_codes_left(world.keyworker) == 9


def test_the_next_page_must_be_on_this_site(world) -> None:
    device = device_of(world.manager)
    client = Client()
    sign_in_with_password(client, "manager")
    response = client.post(
        reverse("two_factor_verify") + "?next=https://evil.example/", {"code": code_for(device)}
    )
    assert response["Location"] == reverse("home")


def test_parents_and_trustees_are_not_asked_for_a_code(world) -> None:
    for persona, page in (("parent", "portal_home"), ("trustee", "home")):
        client = Client()
        client.force_login(getattr(world, persona))
        assert client.get(reverse(page)).status_code == 200, persona


def test_two_factor_can_be_asked_of_senior_roles_only_and_managers_are_warned(
    client, world, settings
) -> None:
    settings.TWO_FACTOR_REQUIRED_FOR = "senior"
    keyworker, manager = Client(), Client()
    keyworker.force_login(world.keyworker)
    manager.force_login(world.manager)
    assert keyworker.get(reverse("home")).status_code == 200
    assert manager.get(reverse("home"))["Location"].startswith(reverse("two_factor_set_up"))
    client.force_login(world.manager)
    assert "Two-factor is off for most staff" in client.get(reverse("home")).content.decode()
    settings.TWO_FACTOR_REQUIRED_FOR = "all"
    assert "Two-factor is off" not in client.get(reverse("home")).content.decode()


# --- the step-up ------------------------------------------------------------------------------


def test_the_safeguarding_tier_needs_a_code_within_fifteen_minutes(client, world) -> None:
    url = reverse("child_file", args=[world.ava.pk])
    with time_machine.travel(T0, tick=False) as clock:
        client.force_login(world.dsl)
        assert client.get(url).status_code == 200
        clock.shift(datetime.timedelta(minutes=16))
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('two_factor_verify')}?next=%2Fchildren%2F{world.ava.pk}%2F"
        page = client.get(response["Location"]).content.decode()
        assert "Confirm it’s you" in page
        old_session = client.session.session_key
        back = client.post(response["Location"], {"code": code_for(device_of(world.dsl))})
        assert back.status_code == 302 and back["Location"] == url
        assert client.session.session_key != old_session  # cycled on step-up
        assert client.get(url).status_code == 200


def test_people_who_read_only_the_general_file_are_not_stepped_up(client, world) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        client.force_login(world.keyworker2)
        clock.shift(datetime.timedelta(minutes=20))
        assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 200


@pytest.mark.parametrize(
    ("persona", "page"),
    [
        ("hr", "staff_file"),
        ("dsl", "safeguarding_record"),
        ("hr", "personnel_record"),
        ("manager", "audit_export"),
        ("dsl", "chronology"),
    ],
)
def test_sensitive_pages_need_a_fresh_code(client, world, persona, page) -> None:
    url = {
        "staff_file": reverse("staff_file", args=[world.staff_files["keyworker2"].pk]),
        "safeguarding_record": reverse("record_detail", args=[world.ava_concern.pk]),
        "personnel_record": reverse("record_detail", args=[world.contract.pk]),
        "audit_export": reverse("audit_export"),
        "chronology": reverse("child_chronology", args=[world.ava.pk]),
    }[page]
    with time_machine.travel(T0, tick=False) as clock:
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 200
        clock.shift(datetime.timedelta(minutes=16))
        assert client.get(url)["Location"].startswith(reverse("two_factor_verify"))


def test_signing_off_needs_a_fresh_code_and_signs_nothing_without_one(client, world) -> None:
    record = RecordFactory(
        child=world.ava, author=world.keyworker, category=Category.FAMILY_INFORMATION,
        status=Record.Status.AWAITING_SIGN_OFF,
    )  # fmt: skip
    with time_machine.travel(T0, tick=False) as clock:
        client.force_login(world.senior)
        clock.shift(datetime.timedelta(minutes=16))
        response = client.post(reverse("record_sign_off", args=[record.pk]), {"sign-password": PASSWORD})
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert "next=%2Frecords%2F" in response["Location"]
    record.refresh_from_db()
    assert record.status == Record.Status.AWAITING_SIGN_OFF


# --- at rest ---------------------------------------------------------------------------------


def test_the_key_and_backup_codes_are_not_in_the_database_in_clear(world) -> None:
    device = device_of(world.keyworker)
    codes = two_factor.backup_codes_issue(user=world.keyworker, request=None)
    secrets = [device.key, device.base32_key, *codes, *(c.replace("-", "") for c in codes)]
    for table in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            text = "\n".join("|".join(str(v) for v in row) for row in cursor.fetchall()).lower()
        assert [s for s in secrets if s.lower() in text] == [], table
    assert TOTPDevice.objects.get(pk=device.pk).key == device.key  # and it opens again


# --- resets of a lost device ------------------------------------------------------------------


def test_a_reset_needs_a_second_person_and_is_audited(client, world) -> None:
    device_of(world.keyworker)
    give_roles(world.trustee, world.site, Role.CHAIR)  # a small setting: the chair confirms
    client.force_login(world.keyworker)
    assert client.get(reverse("two_factor_reset_new", args=[world.keyworker.pk])).status_code == 404
    client.force_login(world.manager)
    empty = client.post(reverse("two_factor_reset_new", args=[world.keyworker.pk]), {"reason": ""})
    assert empty.status_code == 400 and not TwoFactorReset.objects.exists()
    client.post(
        reverse("two_factor_reset_new", args=[world.keyworker.pk]), {"reason": "Lost phone, seen in person"}
    )
    reset = TwoFactorReset.objects.get()
    confirm = reverse("two_factor_reset_confirm", args=[reset.pk])
    assert client.post(confirm).status_code == 404  # not by the one who asked
    for persona in ("keyworker", "outside_manager", "senior"):
        client.force_login(getattr(world, persona))
        assert client.post(confirm).status_code == 404, persona
    assert TOTPDevice.objects.filter(user=world.keyworker).exists()
    client.force_login(world.trustee)
    assert client.post(confirm).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.keyworker).exists()
    entries = AuditEntry.objects.filter(event=Event.TWO_FACTOR_RESET, object_pk=str(world.keyworker.pk))
    assert [e.actor for e in entries.order_by("id")] == [world.manager, world.trustee]
    again = Client()
    assert sign_in_with_password(again, "keyworker")["Location"].startswith(reverse("two_factor_set_up"))


# --- the admin -------------------------------------------------------------------------------


def test_the_admin_refuses_staff_without_a_verified_device(client, world) -> None:
    plain = Client()
    plain.force_login(world.superuser)  # signed in, no code given
    response = plain.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_set_up"))
    client.force_login(world.superuser)  # with a code (tests/two_factor.py)
    assert client.get("/admin/").status_code == 200
    # Behind our middleware, the admin site itself asks for a verified device too.
    assert isinstance(admin.site, OTPAdminSite)
    request = RequestFactory().get("/admin/")
    request.user = world.superuser
    request.user.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    request.user.is_verified = lambda: True
    assert admin.site.has_permission(request)


# --- the demo's codes ------------------------------------------------------------------------


def test_totp_code_prints_a_demo_accounts_code_and_refuses_anything_else(world, settings) -> None:
    settings.DEBUG = True
    TOTPDevice.objects.create(user=world.manager, name="Demo", key=demo_key_hex("manager"), confirmed=True)
    out = io.StringIO()
    call_command("totp_code", "manager", stdout=out)
    assert out.getvalue().strip() == f"{totp(bytes.fromhex(demo_key_hex('manager')), step=30, digits=6):06d}"
    device_of(world.keyworker)  # a key of its own, not the demo's
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("totp_code", "keyworker", stdout=io.StringIO())
    settings.DEBUG, settings.LOCAL = False, False
    with pytest.raises(CommandError, match="for the demo only"):
        call_command("totp_code", "manager", stdout=io.StringIO())
