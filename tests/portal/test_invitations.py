"""Portal accounts: no self-registration; a manager invites a carer with
parental responsibility and no court restriction; the e-mailed link works once,
within 7 days; turning an account off ends its sessions at once."""

from __future__ import annotations

import datetime
import html
import re

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from access.models import PortalInvitation, User
from audit.models import AuditEntry, Event
from portal import services as portal_services
from records.models import ChildCarer
from tests.factories import CarerFactory, ChildCarerFactory
from tests.portal import portal_fixtures
from tests.portal.portal_fixtures import Family

pytestmark = pytest.mark.django_db
family = portal_fixtures.family  # the fixture

PASSWORD = "a long test password"  # every persona's (tests/factories.py)
NEW_PASSWORD = "violet kettle harbour 42"


@pytest.fixture
def grandma(family: Family) -> ChildCarer:
    """Ava's grandmother, her guardian: parental responsibility, an email address, no login yet."""
    carer = CarerFactory(first_name="Gwen", last_name="Holt", email="gwen@example.org", phone="07700 900333")
    return ChildCarerFactory(child=family.ava, carer=carer, relationship=ChildCarer.Relationship.GUARDIAN)


def invite(client: Client, manager: User, link: ChildCarer, capture) -> object:
    client.force_login(manager)
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(reverse("portal_invite", args=[link.child_id, link.pk]))
    client.logout()
    return response


def link_in(message) -> str:
    found = re.search(r"https?://[^/\s]+(/portal/welcome/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def refused(response) -> str:
    assert response.status_code == 410, response.status_code
    assert "This link cannot be used" in response.content.decode()
    return html.unescape(response.content.decode())


@pytest.fixture
def invited(client, family, grandma, django_capture_on_commit_callbacks) -> str:
    """The path of the link in grandma's invitation."""
    response = invite(client, family.world.manager, grandma, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    return link_in(mail.outbox[0])


# --- the invitation ------------------------------------------------------------------


def test_a_manager_invites_a_carer_by_email(
    client, family, grandma, django_capture_on_commit_callbacks
) -> None:
    response = invite(client, family.world.manager, grandma, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("child_file", args=[family.ava.pk])
    [message] = mail.outbox
    assert message.to == ["gwen@example.org"]
    assert family.world.site.name in message.subject
    assert "7 days" in message.body
    # Email is no place for the child's details.
    for private in ["Ava", "Smith", "Peanuts", "Gwen"]:
        assert private not in message.subject + message.body, private
    invitation = PortalInvitation.objects.get(carer=grandma.carer)
    token = link_in(message).rstrip("/").rsplit("/", 1)[-1]
    assert token not in invitation.token_hash  # only a hash of the token is kept
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
    entry = AuditEntry.objects.get(object_pk=str(invitation.pk), event=Event.GRANTED)
    assert entry.actor == family.world.manager and entry.child_id == family.ava.pk


def test_the_mail_is_sent_only_once_the_invitation_is_saved(client, family, grandma) -> None:
    client.force_login(family.world.manager)
    mail.outbox.clear()
    client.post(reverse("portal_invite", args=[family.ava.pk, grandma.pk]))
    assert mail.outbox == []  # the test's transaction never commits


def test_the_whole_journey_from_email_to_seeing_the_child(client, family, grandma, invited) -> None:
    response = client.get(invited)
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()
    response = client.post(
        invited, {"username": "gwen.holt", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal_home")
    user = User.objects.get(username="gwen.holt")
    assert user.is_portal_user and user.is_active and user.check_password(NEW_PASSWORD)
    assert user.carer.pk == grandma.carer_id

    home = client.get(reverse("portal_home"))  # signed in by the welcome page
    assert home.status_code == 200
    assert "Ava Smith" in home.content.decode()
    assert client.get(reverse("portal_child", args=[family.ava.pk])).status_code == 200
    assert client.get(reverse("child_file", args=[family.ava.pk])).status_code == 404  # a staff page
    assert client.get(reverse("portal_child", args=[family.leo.pk])).status_code == 404  # Amy's, not hers

    client.logout()
    assert client.login(username="gwen.holt", password=NEW_PASSWORD)
    entry = AuditEntry.objects.get(
        event=Event.UPDATED,
        content_type__model="portalinvitation",
        reason="Portal account set up from an invitation",
    )
    assert entry.actor == user


def test_a_used_link_is_refused(client, family, invited) -> None:
    client.post(invited, {"username": "gwen.holt", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()
    assert "already been used" in refused(client.get(invited))
    response = client.post(
        invited, {"username": "someone.else", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert "already been used" in refused(response)
    assert not User.objects.filter(username="someone.else").exists()
    assert User.objects.get(username="gwen.holt").check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused(client, family, invited) -> None:
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        assert "expired" in refused(client.get(invited))
        response = client.post(
            invited, {"username": "gwen.holt", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )
        assert "expired" in refused(response)
    assert not User.objects.filter(username="gwen.holt").exists()


def test_a_link_still_works_on_its_last_day(client, family, invited) -> None:
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6, hours=23)):
        assert client.get(invited).status_code == 200


def test_a_new_invitation_withdraws_the_earlier_link(
    client, family, grandma, invited, django_capture_on_commit_callbacks
) -> None:
    invite(client, family.world.manager, grandma, django_capture_on_commit_callbacks)
    second = link_in(mail.outbox[0])
    assert second != invited
    assert "not valid" in refused(client.get(invited))
    assert client.get(second).status_code == 200


def test_a_made_up_link_is_refused(client, family) -> None:
    assert "not valid" in refused(client.get(reverse("portal_welcome", args=["made-up-token"])))
    users = User.objects.count()
    response = client.post(
        reverse("portal_welcome", args=["made-up-token"]),
        {"username": "intruder", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    refused(response)
    assert User.objects.count() == users


def test_there_is_no_self_registration(client, family) -> None:
    names = {name for name in get_resolver().reverse_dict if isinstance(name, str)}
    assert not {n for n in names if re.search(r"regist|sign.?up|join|create.?account", n)}, names
    response = client.get(reverse("login"))
    assert response.status_code == 200
    login_page = response.content.decode().lower()
    assert "<h1>sign in</h1>" in login_page and 'name="password"' in login_page
    for word in ["register", "sign up", "create an account"]:
        assert word not in login_page
    assert client.get("/portal/register/").status_code == 404
    assert client.get("/accounts/signup/").status_code == 404


def test_the_welcome_page_needs_matching_good_passwords_and_a_free_username(client, family, invited) -> None:
    response = client.post(invited, {"username": "gwen", "password1": NEW_PASSWORD, "password2": "different"})
    assert response.status_code == 400 and "two passwords are different" in response.content.decode()
    response = client.post(invited, {"username": "gwen", "password1": "short", "password2": "short"})
    assert response.status_code == 400
    response = client.post(
        invited, {"username": "PARENT", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )  # Amy's username, in capitals
    assert response.status_code == 400 and "username is taken" in response.content.decode()
    assert not User.objects.filter(username__in=["gwen", "PARENT"]).exists()
    assert client.get(invited).status_code == 200  # still usable


# --- who can be invited ------------------------------------------------------------------


@pytest.mark.parametrize("standing", ["no_parental_responsibility", "court_restriction"])
def test_a_carer_without_parental_responsibility_or_with_a_court_restriction_cannot_be_invited(
    client, family, grandma, django_capture_on_commit_callbacks, standing
) -> None:
    if standing == "no_parental_responsibility":
        grandma.parental_responsibility = False
    else:
        grandma.restricted_contact, grandma.restriction_note = True, "No contact"
    grandma.save()
    client.force_login(family.world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal_invite", args=[family.ava.pk, grandma.pk]), follow=True)
    assert "Only a carer with parental responsibility and no court restriction" in response.content.decode()
    assert mail.outbox == []
    assert not PortalInvitation.objects.exists()


def test_a_carer_with_no_email_address_cannot_be_invited(
    client, family, grandma, django_capture_on_commit_callbacks
) -> None:
    grandma.carer.email = ""
    grandma.carer.save()
    client.force_login(family.world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal_invite", args=[family.ava.pk, grandma.pk]), follow=True)
    assert "email address" in html.unescape(response.content.decode())
    assert mail.outbox == [] and not PortalInvitation.objects.exists()


def test_a_carer_who_has_an_account_is_not_invited_again(
    client, family, django_capture_on_commit_callbacks
) -> None:
    amy = family.ava.carer_links.get(carer=family.mother)
    client.force_login(family.world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal_invite", args=[family.ava.pk, amy.pk]), follow=True)
    assert "already has a portal account" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("persona", ["keyworker", "senior", "dsl", "outside_manager", "parent"])
def test_only_the_childs_manager_invites(client, family, grandma, persona) -> None:
    client.force_login(getattr(family.world, persona))
    response = client.post(reverse("portal_invite", args=[family.ava.pk, grandma.pk]))
    assert response.status_code == 404
    assert not PortalInvitation.objects.exists()


def test_a_link_of_another_child_cannot_be_used_to_invite(client, family, grandma) -> None:
    noah_link = family.world.other_child.carer_links.get()
    client.force_login(family.world.manager)
    response = client.post(reverse("portal_invite", args=[family.ava.pk, noah_link.pk]))
    assert response.status_code == 404


# --- turning an account off ------------------------------------------------------------


def sessions_of(user: User) -> int:
    return sum(1 for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk))


def test_turning_an_account_off_ends_its_sessions_at_once(client, family) -> None:
    world = family.world
    amy = Client()
    assert amy.login(username="parent", password=PASSWORD)
    phone = Client()  # signed in on a second device too
    assert phone.login(username="parent", password=PASSWORD)
    assert amy.get(reverse("portal_child", args=[family.ava.pk])).status_code == 200
    assert sessions_of(world.parent) == 2

    client.force_login(world.manager)
    link = family.ava.carer_links.get(carer=family.mother)
    response = client.post(reverse("portal_disable", args=[family.ava.pk, link.pk]), follow=True)
    assert "turned off" in response.content.decode()

    assert sessions_of(world.parent) == 0
    for device in (amy, phone):
        response = device.get(reverse("portal_child", args=[family.ava.pk]))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert device.get(reverse("portal_attachment", args=[family.files["general"].pk])).status_code == 302
    world.parent.refresh_from_db()
    assert not world.parent.is_active
    assert not Client().login(username="parent", password=PASSWORD)
    entry = AuditEntry.objects.get(event=Event.REVOKED, object_pk=str(world.parent.pk))
    assert entry.actor == world.manager


def test_turning_an_account_off_withdraws_unused_invitations(client, family, grandma, invited) -> None:
    client.post(invited, {"username": "gwen.holt", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()
    grandma.carer.refresh_from_db()
    # Invited again later (say, a forgotten password after the account was turned off)…
    user = User.objects.get(username="gwen.holt")
    portal_services.portal_account_disable(actor=family.world.manager, carer=grandma.carer)
    _invitation, token = portal_services.portal_invite(
        actor=family.world.manager, child=family.ava, link=grandma
    )
    # …and turned off again before the link was used: the link no longer works.
    user.refresh_from_db()
    user.is_active = True
    user.save()
    portal_services.portal_account_disable(actor=family.world.manager, carer=grandma.carer)
    assert "not valid" in refused(client.get(reverse("portal_welcome", args=[token])))


def test_a_turned_off_account_can_be_invited_back_and_keeps_its_username(
    client, family, grandma, invited, django_capture_on_commit_callbacks
) -> None:
    client.post(invited, {"username": "gwen.holt", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()
    grandma.carer.refresh_from_db()
    portal_services.portal_account_disable(actor=family.world.manager, carer=grandma.carer)
    invite(client, family.world.manager, grandma, django_capture_on_commit_callbacks)
    again = link_in(mail.outbox[0])
    response = client.get(again)
    assert response.status_code == 200
    assert 'name="username"' not in response.content.decode() and "gwen.holt" in response.content.decode()
    other = "another long passphrase 7"
    response = client.post(again, {"password1": other, "password2": other})
    assert response.status_code == 302
    user = User.objects.get(username="gwen.holt")
    assert user.is_active and user.check_password(other)
    assert User.objects.filter(carer=grandma.carer).count() == 1


@pytest.mark.parametrize("persona", ["keyworker", "senior", "outside_manager"])
def test_only_the_childs_manager_turns_an_account_off(client, family, persona) -> None:
    link = family.ava.carer_links.get(carer=family.mother)
    client.force_login(getattr(family.world, persona))
    assert client.post(reverse("portal_disable", args=[family.ava.pk, link.pk])).status_code == 404
    family.world.parent.refresh_from_db()
    assert family.world.parent.is_active
