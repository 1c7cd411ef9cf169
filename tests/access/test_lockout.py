"""Lockout after failed sign-ins, without locking out a whole nursery (docs/security.md)."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from access.models import TrustedBrowser
from access.services import lockout
from audit.models import AuditEntry, Event
from records.models import Category, Record
from tests.factories import RecordFactory
from tests.two_factor import code_for, device_of

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"  # every persona's (tests/factories.py)
NURSERY = "198.51.100.7"  # the setting's one broadband address
ELSEWHERE = "203.0.113.9"
T0 = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


def attempt(client: Client, username: str, password: str, address: str = NURSERY, **extra: str):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def known_browser(world, address: str = NURSERY) -> Client:
    """keyworker2's own browser: it signed in (password and code) before, and signed out."""
    browser = Client()
    device = device_of(world.keyworker2)
    attempt(browser, "keyworker2", PASSWORD, address)
    browser.post(reverse("two_factor_verify"), {"code": code_for(device)}, REMOTE_ADDR=address)
    assert any(name.startswith(lockout.COOKIE_PREFIX) for name in browser.cookies)
    browser.post(reverse("logout"), REMOTE_ADDR=address)
    assert not signed_in(browser)
    return browser


def test_after_five_failures_even_the_right_password_is_refused(world) -> None:
    client = Client()
    for _ in range(4):
        assert attempt(client, "keyworker2", "wrong password").status_code == 200
    assert attempt(client, "keyworker2", "wrong password").status_code == 429  # the fifth locks
    response = attempt(client, "keyworker2", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert not signed_in(client)
    locks = AuditEntry.objects.filter(event=Event.LOCKED_OUT, object_pk=str(world.keyworker2.pk))
    assert locks.count() == 1 and locks.get().remote_addr == NURSERY
    assert (
        AuditEntry.objects.filter(event=Event.LOGIN_FAILED, object_pk=str(world.keyworker2.pk)).count() == 6
    )


def test_a_colleague_at_the_same_address_still_signs_in(world) -> None:
    attacker = Client()
    for _ in range(6):
        attempt(attacker, "keyworker2", "wrong password")
    colleague = Client()
    assert attempt(colleague, "keyworker", PASSWORD).status_code == 302
    assert signed_in(colleague)


def test_fifty_attempts_from_elsewhere_leave_keyworker2s_known_browser_signing_in(world) -> None:
    browser = known_browser(world)
    attacker = Client()
    answers = [attempt(attacker, "keyworker2", f"guess {n}", ELSEWHERE).status_code for n in range(50)]
    assert answers[:4] == [200] * 4 and set(answers[4:]) == {429}
    assert attempt(Client(), "keyworker2", PASSWORD, ELSEWHERE).status_code == 429  # the attacker's address
    assert attempt(browser, "keyworker2", PASSWORD).status_code == 302
    assert signed_in(browser)


def test_the_known_browser_signs_in_while_an_attacker_at_its_own_address_is_locked_out(world) -> None:
    browser = known_browser(world)
    attacker = Client()
    for n in range(50):
        attempt(attacker, "keyworker2", f"guess {n}")
    assert attempt(Client(), "keyworker2", PASSWORD).status_code == 429  # any other browser there
    assert attempt(browser, "keyworker2", PASSWORD).status_code == 302
    assert signed_in(browser)


def test_a_known_browser_has_its_own_limit_so_it_cannot_be_used_to_guess(world) -> None:
    browser = known_browser(world)
    for n in range(5):
        attempt(Client(), "keyworker2", f"guess {n}")
    for n in range(5):
        attempt(browser, "keyworker2", f"guess {n}")
    assert TrustedBrowser.objects.get(user=world.keyworker2).is_exhausted
    assert attempt(browser, "keyworker2", PASSWORD).status_code == 429
    assert not signed_in(browser)


def test_a_spoofed_forwarded_for_from_a_direct_client_is_ignored(world, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client()
    for n in range(5):
        attempt(client, "keyworker2", "wrong", NURSERY, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {NURSERY}
    assert (
        attempt(client, "keyworker2", PASSWORD, NURSERY, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
    )


def test_behind_a_trusted_proxy_the_address_it_saw_is_used(world, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()
    attempt(client, "keyworker2", "wrong", "10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.1, {ELSEWHERE}")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ELSEWHERE]


def test_failures_during_a_lock_do_not_extend_it_and_it_ends(world) -> None:
    client = Client()
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(5):
            attempt(client, "keyworker2", "wrong")
        clock.shift(datetime.timedelta(minutes=10))
        assert attempt(client, "keyworker2", "wrong again").status_code == 429
        clock.shift(datetime.timedelta(minutes=6))  # 16 minutes after the lock
        assert attempt(client, "keyworker2", PASSWORD).status_code == 302


def test_each_repeated_lock_lasts_twice_as_long(world) -> None:
    client = Client()
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(5):
            attempt(client, "keyworker2", "wrong")
        clock.shift(datetime.timedelta(minutes=16))
        answers = [attempt(client, "keyworker2", "wrong").status_code for _ in range(5)]
        assert answers == [200, 200, 200, 200, 429]
        clock.shift(datetime.timedelta(minutes=16))
        assert attempt(client, "keyworker2", PASSWORD).status_code == 429  # 30 minutes, this time
        clock.shift(datetime.timedelta(minutes=15))
        assert attempt(client, "keyworker2", PASSWORD).status_code == 302


def test_signing_in_clears_the_failures(world) -> None:
    client = Client()
    for _ in range(4):
        attempt(client, "keyworker2", "wrong")
    assert attempt(client, "keyworker2", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()


def test_what_was_typed_as_a_username_never_reaches_the_database(world) -> None:
    sentinel = "Sentinel-Hunter2-Password"
    for _ in range(6):
        attempt(Client(), sentinel, "also typed")
    stored = AccessAttempt.objects.get()
    assert stored.username == lockout.hash_username(sentinel)
    assert stored.post_data.strip("-\n") == stored.get_data.strip("-\n") == ""  # axes' separators only
    for table in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            text = "\n".join("|".join(str(v) for v in row) for row in cursor.fetchall())
        assert sentinel.lower() not in text.lower(), table
        assert "also typed" not in text, table


def test_a_manager_unlocks_someone_and_it_is_audited(client, world) -> None:
    for _ in range(5):
        attempt(Client(), "keyworker2", "wrong")
    client.force_login(world.manager)
    page = client.get(reverse("sign_in_help")).content.decode()
    assert "Locked out" in page
    response = client.post(reverse("sign_in_unlock", args=[world.keyworker2.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    entry = AuditEntry.objects.get(event=Event.UNLOCKED)
    assert entry.actor == world.manager and entry.object_pk == str(world.keyworker2.pk)
    assert attempt(Client(), "keyworker2", PASSWORD).status_code == 302


def test_only_a_manager_at_their_site_may_unlock_someone(client, world) -> None:
    for persona in ("outside_manager", "keyworker", "keyworker2"):
        client.force_login(getattr(world, persona))
        assert client.post(reverse("sign_in_unlock", args=[world.keyworker2.pk])).status_code == 404
    assert not AuditEntry.objects.filter(event=Event.UNLOCKED).exists()


def test_the_technical_admin_unlocks_at_the_command_line(world) -> None:
    for _ in range(5):
        attempt(Client(), "keyworker2", "wrong")
    out = io.StringIO()
    call_command("unlock_sign_in", "keyworker2", stdout=out)
    assert "unlocked" in out.getvalue()
    entry = AuditEntry.objects.get(event=Event.UNLOCKED)
    assert entry.actor is None and entry.reason == "Unlocked at the command line"
    assert attempt(Client(), "keyworker2", PASSWORD).status_code == 302


def test_old_attempts_are_purged(world) -> None:
    with time_machine.travel(T0, tick=False):
        attempt(Client(), "keyworker2", "wrong")
    with time_machine.travel(T0 + datetime.timedelta(days=2), tick=False):
        assert lockout.purge_attempts() == 1
    assert not AccessAttempt.objects.exists()


# --- the sign-off password box counts on the same counter -------------------------------------


@pytest.fixture
def waiting(world) -> Record:
    return RecordFactory(
        child=world.ava,
        author=world.keyworker,
        category=Category.FAMILY_INFORMATION,
        status=Record.Status.AWAITING_SIGN_OFF,
        title="Dad's new shifts",
    )


def sign(client: Client, record: Record, password: str):
    return client.post(
        reverse("record_sign_off", args=[record.pk]),
        {"sign-password": password, "sign-comment": "Seen with mum"},
        REMOTE_ADDR=NURSERY,
    )


def test_wrong_sign_off_passwords_are_audited_and_lock_like_sign_in(client, world, waiting) -> None:
    client.force_login(world.senior)
    for _ in range(5):
        response = sign(client, waiting, "not my password")
        assert response.status_code == 400
    assert "locked" in response.content.decode()
    assert AuditEntry.objects.filter(event=Event.LOGIN_FAILED, object_pk=str(world.senior.pk)).count() == 5
    assert AuditEntry.objects.filter(event=Event.LOCKED_OUT, object_pk=str(world.senior.pk)).count() == 1
    response = sign(client, waiting, PASSWORD)
    assert response.status_code == 400 and "locked" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Record.Status.AWAITING_SIGN_OFF
    assert attempt(Client(), "senior", PASSWORD).status_code == 429  # the same counter
    assert "Seen with mum" not in "".join(AccessAttempt.objects.values_list("post_data", flat=True))
