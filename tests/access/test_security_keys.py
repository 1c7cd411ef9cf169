"""Passkeys and security keys: adding one (at first sign-in or on the Two-factor page, after a
fresh code), signing in and confirming it's you with one, removing one, and every place that
counts a person's second factors. A key in software answers as a real key would
(tests/webauthn.py); the browser journey uses Chromium's virtual authenticator."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from access.models import SecurityKey, SecurityKeyAttestation
from access.services import lockout, two_factor
from access.services.two_factor_resets import two_factor_reset_confirm, two_factor_reset_request
from access.views.security_keys import STEP_UP_FIRST
from audit.models import AuditEntry, Event
from config.sign_in_settings import webauthn_relying_party
from tests.access.test_two_factor import sign_in_with_password
from tests.factories import give_roles
from tests.test_templates import inline_code
from tests.two_factor import code_for, device_of
from tests.webauthn import SoftKey, add_key, post_json, use_key

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


def events(event: str, user) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=event, object_pk=str(user.pk)).order_by("id"))


# --- adding a key ---------------------------------------------------------------------------


def test_a_key_can_be_set_up_at_first_sign_in_instead_of_an_app_and_ends_with_backup_codes(world) -> None:
    client = Client()
    sign_in_with_password(client, "keyworker")
    page = client.get(reverse("two_factor_set_up")).content.decode()
    assert 'id="passkey-register-button"' in page and 'id="otp_webauthn_config"' in page
    key = SoftKey()
    options = post_json(client, "security_key_add_begin").json()
    assert options["rp"] == {"id": "localhost", "name": "Confide"}
    assert options["excludeCredentials"] == []
    added = post_json(client, "security_key_add_complete", key.create(options))
    assert added.status_code == 200
    saved = SecurityKey.objects.get(user=world.keyworker)
    assert added.json()["redirect_url"] == reverse("security_key_name", args=[saved.pk])
    assert not saved.confirmed and SecurityKeyAttestation.objects.filter(credential=saved).exists()
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_set_up"))  # not yet named

    named = client.post(saved_name_url(saved), {"name": "Blue key on my lanyard", "next": "/children/"})
    assert named.status_code == 200 and len(re.findall(r"<li><code>", named.content.decode())) == 10
    assert 'href="/children/"' in named.content.decode()
    saved.refresh_from_db()
    assert saved.confirmed and saved.name == "Blue key on my lanyard"
    assert client.session[DEVICE_ID_SESSION_KEY] == saved.persistent_id
    assert [e.reason for e in events(Event.TWO_FACTOR_SET_UP, world.keyworker)] == [
        "Security key or passkey added",
        "10 new backup codes",
    ]
    assert client.get(reverse("home")).status_code == 200


def saved_name_url(key: SecurityKey) -> str:
    return reverse("security_key_name", args=[key.pk])


def test_a_person_with_two_factor_adds_a_key_only_after_a_fresh_code(client, world) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        client.force_login(world.manager)
        clock.shift(datetime.timedelta(minutes=16))
        stale = post_json(client, "security_key_add_begin")
        assert stale.status_code == 403 and stale.json()["detail"] == STEP_UP_FIRST
        assert client.get(reverse("two_factor_backup_codes"))["Location"].startswith(
            reverse("two_factor_verify")
        )
        client.post(reverse("two_factor_verify"), {"code": code_for(device_of(world.manager))})
        added = add_key(client, SoftKey())
        assert added.status_code == 200
        key = SecurityKey.objects.get(user=world.manager)
        response = client.post(saved_name_url(key), {"name": "Office key"})
    assert response.status_code == 302 and response["Location"] == reverse("two_factor_backup_codes")
    assert two_factor.backup_codes_left(world.manager) == 0  # no new codes: they had their set-up


def test_a_password_alone_cannot_add_a_key_for_a_person_with_two_factor(world) -> None:
    device_of(world.manager)
    client = Client()
    sign_in_with_password(client, "manager")
    assert post_json(client, "security_key_add_begin").status_code == 403
    assert post_json(client, "security_key_add_complete", {"id": "x"}).status_code == 403
    assert not SecurityKey.objects.exists()


def test_a_bad_name_is_refused_next_to_the_field_and_confirms_nothing(world) -> None:
    client = Client()
    sign_in_with_password(client, "keyworker")
    add_key(client, SoftKey())
    key = SecurityKey.objects.get(user=world.keyworker)
    for name, message in (("", "Give the key a name"), ("x" * 65, "64 characters or fewer")):
        response = client.post(saved_name_url(key), {"name": name})
        assert response.status_code == 400 and message in response.content.decode()
    key.refresh_from_db()
    assert not key.confirmed and not events(Event.TWO_FACTOR_SET_UP, world.keyworker)


def test_naming_a_key_twice_says_it_is_already_added(client, world) -> None:
    client.force_login(world.manager)
    add_key(client, SoftKey())
    key = SecurityKey.objects.get(user=world.manager)
    client.post(saved_name_url(key), {"name": "Office key"})
    again = client.post(saved_name_url(key), {"name": "Office key"}, follow=True)
    assert "“Office key” is already added" in again.content.decode()
    assert len(events(Event.TWO_FACTOR_SET_UP, world.manager)) == 1


def test_a_refused_answer_when_adding_is_audited_and_saves_nothing(client, world) -> None:
    client.force_login(world.manager)
    options = post_json(client, "security_key_add_begin").json()
    answer = SoftKey().create(options)
    answer["response"]["clientDataJSON"] = SoftKey().create({**options, "challenge": "AAAA"})["response"][
        "clientDataJSON"
    ]
    response = post_json(client, "security_key_add_complete", answer)
    assert response.status_code == 422 and "could not check" in response.json()["detail"]
    assert not SecurityKey.objects.exists()
    assert [e.reason for e in events(Event.TWO_FACTOR_FAILED, world.manager)] == [
        "Adding a security key or passkey"
    ]


# --- using a key ------------------------------------------------------------------------------


def test_signing_in_takes_the_password_then_the_key_and_no_code(world) -> None:
    key = SoftKey()
    saved = key.saved_for(world.keyworker2, "Lanyard key")
    client = Client()
    response = sign_in_with_password(client, "keyworker2")
    assert response["Location"].startswith(reverse("two_factor_verify"))
    page = client.get(response["Location"]).content.decode()
    assert "Use your security key or passkey" in page and "authenticator app on your phone" not in page
    old_session = client.session.session_key
    options = post_json(client, "security_key_verify_begin").json()
    assert [c["id"] for c in options["allowCredentials"]] == [key.get(options)["id"]]
    answer = post_json(client, "security_key_verify_complete", key.get(options), "?next=/children/")
    assert answer.status_code == 200 and answer.json()["redirect_url"] == "/children/"
    assert client.session.session_key != old_session  # cycled, as for a code
    assert client.session[two_factor.VERIFIED_AT] and lockout.cookie_name(world.keyworker2) in answer.cookies
    assert [e.reason for e in events(Event.TWO_FACTOR_VERIFIED, world.keyworker2)] == [
        "Signing in, with a security key or passkey"
    ]
    saved.refresh_from_db()
    assert saved.sign_count == 2 and saved.last_used_at is not None
    assert client.get(reverse("children")).status_code == 200


def test_a_key_passes_the_step_up(client, world) -> None:
    key = SoftKey()
    key.saved_for(world.dsl)
    url = reverse("child_file", args=[world.ava.pk])
    with time_machine.travel(T0, tick=False) as clock:
        client.force_login(world.dsl)
        clock.shift(datetime.timedelta(minutes=16))
        step_up = client.get(url)["Location"]
        assert "Confirm it’s you" in client.get(step_up).content.decode()
        answer = use_key(client, key, "?" + step_up.split("?", 1)[1])
        assert answer.json()["redirect_url"] == url
        assert client.get(url).status_code == 200
    assert [e.reason for e in events(Event.TWO_FACTOR_VERIFIED, world.dsl)] == [
        "Confirming it was them, with a security key or passkey"
    ]


def test_someone_elses_key_is_refused_audited_and_verifies_nothing(world) -> None:
    theirs = SoftKey()
    theirs.saved_for(world.keyworker)
    SoftKey().saved_for(world.keyworker2)
    client = Client()
    sign_in_with_password(client, "keyworker2")
    refused = use_key(client, theirs)
    assert refused.status_code == 403 and "not one of yours" in refused.json()["detail"]
    assert [e.reason for e in events(Event.TWO_FACTOR_FAILED, world.keyworker2)] == ["Signing in"]
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))


def test_a_key_is_never_a_way_in_without_the_password(world) -> None:
    key = SoftKey()
    key.saved_for(world.keyworker)
    anonymous = Client()
    assert post_json(anonymous, "security_key_verify_begin").status_code == 403
    assert post_json(anonymous, "security_key_verify_complete", {"id": "x"}).status_code == 403
    assert post_json(anonymous, "security_key_add_begin").status_code == 403
    assert "_auth_user_id" not in anonymous.session


def test_a_person_without_a_key_is_not_offered_one(world) -> None:
    device_of(world.senior)
    client = Client()
    sign_in_with_password(client, "senior")
    assert "passkey-verification-button" not in client.get(reverse("two_factor_verify")).content.decode()
    assert post_json(client, "security_key_verify_begin").status_code == 404


# --- the Two-factor page: listing and removing ------------------------------------------------------


def test_keys_are_listed_on_the_two_factor_page_with_steady_queries(client, world, django_assert_num_queries):
    client.force_login(world.manager)
    for count in (1, 3):
        while SecurityKey.objects.filter(user=world.manager).count() < count:
            SoftKey().saved_for(world.manager, f"Key {SecurityKey.objects.count() + 1}")
        client.get(reverse("two_factor_backup_codes"))  # the session settles
        with django_assert_num_queries(8):
            page = client.get(reverse("two_factor_backup_codes")).content.decode()
        assert page.count("security-key-remove") == count


def test_removing_a_key_needs_a_fresh_code_and_is_audited(client, world) -> None:
    key = SoftKey().saved_for(world.manager, "Old key")
    url = reverse("security_key_remove", args=[key.pk])
    with time_machine.travel(T0, tick=False) as clock:
        client.force_login(world.manager)
        clock.shift(datetime.timedelta(minutes=16))
        assert client.post(url)["Location"].startswith(reverse("two_factor_verify"))
        assert SecurityKey.objects.filter(pk=key.pk).exists()
        client.post(reverse("two_factor_verify"), {"code": code_for(device_of(world.manager))})
        response = client.post(url, follow=True)
    assert "“Old key” is removed" in response.content.decode()
    assert not SecurityKey.objects.filter(pk=key.pk).exists()
    assert [e.additional_data["key"] for e in events(Event.TWO_FACTOR_REMOVED, world.manager)] == [
        str(key.pk)
    ]


def test_nobody_names_or_removes_someone_elses_key(client, world) -> None:
    named = SoftKey().saved_for(world.keyworker)
    client.force_login(world.keyworker)
    add_key(client, SoftKey())
    new = SecurityKey.objects.get(user=world.keyworker, confirmed=False)
    client.force_login(world.manager)  # their manager, too
    assert client.get(saved_name_url(new)).status_code == 404
    assert client.post(saved_name_url(new), {"name": "Mine now"}).status_code == 404
    assert client.post(reverse("security_key_remove", args=[named.pk])).status_code == 404
    assert SecurityKey.objects.filter(user=world.keyworker).count() == 2
    assert not events(Event.TWO_FACTOR_REMOVED, world.keyworker)


# --- counting keys as a second factor -------------------------------------------------------------


def test_a_person_whose_only_second_factor_is_a_key_is_asked_for_it_not_to_set_up(world) -> None:
    key = SoftKey()
    saved = key.saved_for(world.keyworker2)
    assert two_factor.has_device(world.keyworker2) and not two_factor.has_app(world.keyworker2)
    client = Client()
    assert sign_in_with_password(client, "keyworker2")["Location"].startswith(reverse("two_factor_verify"))
    with time_machine.travel(T0, tick=False) as clock:
        use_key(client, key)
        assert client.get(reverse("home")).status_code == 200
        saved.delete()  # removed in another session
        clock.shift(datetime.timedelta(seconds=61))
        assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_set_up"))


def test_sign_in_help_counts_keys_and_a_reset_removes_them(client, world) -> None:
    SoftKey().saved_for(world.keyworker2)
    assert two_factor.people_with_device([world.keyworker2, world.keyworker]) == {world.keyworker2.pk}
    client.force_login(world.manager)
    page = client.get(reverse("sign_in_help")).content.decode()
    assert reverse("two_factor_reset_new", args=[world.keyworker2.pk]) in page
    give_roles(world.trustee, world.site, "chair")
    reset = two_factor_reset_request(actor=world.manager, user=world.keyworker2, reason="Lost key")
    two_factor_reset_confirm(actor=world.trustee, reset=reset)
    assert not SecurityKey.objects.filter(user=world.keyworker2).exists()
    assert not two_factor.has_device(world.keyworker2)


def test_keys_added_but_never_named_are_forgotten_after_a_day(world) -> None:
    client = Client()
    sign_in_with_password(client, "keyworker")
    with time_machine.travel(T0, tick=False) as clock:
        add_key(client, SoftKey())
        kept = SoftKey().saved_for(world.keyworker)
        assert two_factor.purge_unconfirmed() == 0
        clock.shift(datetime.timedelta(days=1, minutes=1))
        assert two_factor.purge_unconfirmed() == 1
    assert list(SecurityKey.objects.filter(user=world.keyworker)) == [kept]


# --- settings and pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("site_url", "party"),
    [
        ("https://confide.example.org", ("confide.example.org", ["https://confide.example.org"])),
        ("https://Records.Example.org:8443", ("records.example.org", ["https://records.example.org:8443"])),
        ("http://127.0.0.1:8000", ("localhost", ["http://localhost:8000"])),
        ("http://[::1]:8123", ("localhost", ["http://localhost:8123"])),
        ("http://localhost:8000", ("localhost", ["http://localhost:8000"])),
    ],
)
def test_the_relying_party_is_site_urls_host_and_never_an_ip_address(site_url, party) -> None:
    assert webauthn_relying_party(site_url) == party


def test_the_pages_load_the_scripts_from_our_static_files_with_no_inline_code(client, world) -> None:
    SoftKey().saved_for(world.manager)
    client.force_login(world.manager)
    for name, script in (
        ("two_factor_backup_codes", "otp_webauthn_register.js"),
        ("two_factor_verify", "otp_webauthn_auth.js"),
    ):
        html = client.get(reverse(name)).content.decode()
        assert f'src="/static/django_otp_webauthn/{script}"' in html
        assert 'src="/static/js/security_keys.js"' in html and "jsi18n" not in html
        data = re.sub(r'<script id="otp_webauthn_config" type="application/json">.*?</script>', "", html)
        assert inline_code(data) == [], name
