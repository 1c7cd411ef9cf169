"""People and roles are kept on the managers' pages: a person added with a role, a link to
choose a password, roles given and ended (never to oneself), and new senior roles counting
only once a second person confirms them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from access import policy
from access.models import Membership, Role, User
from audit.models import AuditEntry, Event
from records.models import StaffMember

pytestmark = pytest.mark.django_db

NEW = {
    "first_name": "Priya",
    "last_name": "Nandi",
    "username": "pnandi",
    "email": "priya@example.org",
    "job_title": "Nursery practitioner",
    "role": Role.PRACTITIONER,
}


def add(client, world, **changes):
    client.force_login(world.manager)
    return client.post(reverse("person_new"), {**NEW, "site": world.site.pk, **changes})


def test_a_manager_adds_a_person_who_chooses_a_password_from_the_link(
    client, world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = add(client, world)
    person = User.objects.get(username="pnandi")
    assert response.status_code == 302 and not person.has_usable_password()
    assert StaffMember.objects.get(user=person).job_title == "Nursery practitioner"
    membership = Membership.objects.get(user=person)
    assert (membership.site, membership.role, membership.created_by) == (
        world.site,
        "practitioner",
        world.manager,
    )
    assert AuditEntry.objects.filter(event=Event.GRANTED, object_pk=str(membership.pk)).count() == 1
    assert [m.to for m in mail.outbox] == [["priya@example.org"]]
    link = re.search(r"http://\S+/accounts/set-password/\S+/", mail.outbox[0].body).group(0)
    client.logout()
    # Django's own view: the token moves into the session, and the page is at a token-free address.
    form = client.get(urlsplit(link).path, follow=True)
    assert "Choose your password" in form.content.decode()
    password = {"new_password1": "a long new password 2026", "new_password2": "a long new password 2026"}
    done = client.post(form.redirect_chain[-1][0], password)
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a long new password 2026")


def test_bad_input_says_what_is_wrong_and_saves_nothing(client, world) -> None:
    before = User.objects.count()
    taken = add(client, world, username="KEYWORKER")
    assert taken.status_code == 400 and "That username is taken" in taken.content.decode()
    no_role = add(client, world, role="")
    assert no_role.status_code == 400 and "Choose a role." in no_role.content.decode()
    elsewhere = add(client, world, site=world.other_site.pk)
    assert elsewhere.status_code == 400  # Riverside is not Maria's to staff
    assert User.objects.count() == before


@pytest.mark.parametrize("persona", ["keyworker", "hr", "dsl", "senior", "outsider", "trustee", "parent"])
def test_only_a_sites_managers_add_people_and_give_roles(client, world, persona) -> None:
    client.force_login(world.people[persona])
    assert client.post(reverse("person_new"), {**NEW, "site": world.site.pk}).status_code == 404
    url = reverse("person_roles", args=[world.colleague.pk])
    assert client.post(url, {"site": world.site.pk, "role": Role.MANAGER}).status_code == 404
    assert not User.objects.filter(username="pnandi").exists()


def test_nobody_gives_a_role_to_themself(client, world) -> None:
    client.force_login(world.manager)
    url = reverse("person_roles", args=[world.manager.pk])
    response = client.post(url, {"site": world.site.pk, "role": Role.DSL})
    assert response.status_code == 400 and "Nobody gives a role to themself" in response.content.decode()
    assert not Membership.objects.filter(user=world.manager, role=Role.DSL).exists()


def test_a_new_dsl_counts_only_once_a_second_person_confirms_it(client, world) -> None:
    client.force_login(world.manager)
    client.post(reverse("person_roles", args=[world.colleague.pk]), {"site": world.site.pk, "role": Role.DSL})
    role = Membership.objects.get(user=world.colleague, role=Role.DSL)
    assert role.needs_confirmation
    assert not policy.load_facts(world.colleague).has(Role.DSL, world.site.pk)
    # Not by the manager who gave it, nor by Colin himself.
    assert client.post(reverse("membership_confirm", args=[role.pk])).status_code == 404
    client.force_login(world.colleague)
    assert client.post(reverse("membership_confirm", args=[role.pk])).status_code == 404
    # The chair of trustees may be the second person in a small setting.
    client.force_login(world.chair)
    waiting = client.get(reverse("people")).content.decode()
    assert "Roles waiting for you to confirm" in waiting and "Colin Tester" in waiting
    client.post(reverse("membership_confirm", args=[role.pk]))
    role.refresh_from_db()
    assert role.confirmed_by == world.chair
    assert policy.load_facts(world.colleague).has(Role.DSL, world.site.pk)


def test_ending_a_role_closes_what_it_opened_at_once(client, world) -> None:
    membership = Membership.objects.get(user=world.keyworker, site=world.site, role=Role.PRACTITIONER)
    client.force_login(world.manager)
    client.post(reverse("membership_end", args=[membership.pk]))
    client.force_login(world.keyworker)
    assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 404
    assert AuditEntry.objects.filter(event=Event.REVOKED, object_pk=str(membership.pk)).count() == 1


def test_the_people_page_lists_people_by_name_with_their_roles(client, world) -> None:
    client.force_login(world.manager)
    html = client.get(reverse("people")).content.decode()
    assert "<h1>People and their roles</h1>" in html
    assert html.index("Alex Tester") < html.index("Colin Tester") < html.index("Sam Tester")
    client.force_login(world.outside_manager)
    assert "Colin Tester" not in client.get(reverse("people")).content.decode()
