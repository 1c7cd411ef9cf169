"""Find a child as you type: two letters or more of a name, among the children the person
may see; what is typed never reaches a URL or the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry, Event
from tests.factories import ChildFactory
from tests.query_counts import FACTS, REQUEST_OVERHEAD

pytestmark = pytest.mark.django_db


def find(client, person, text: str, **headers) -> str:
    client.force_login(person)
    response = client.post(reverse("child_find"), {"q": text}, **headers)
    assert response.status_code in (200, 400)
    return response.content.decode()


def test_two_letters_find_ava_for_her_key_person_with_her_age_and_a_link(client, world) -> None:
    html = find(client, world.keyworker, "av")
    assert "Smith, Ava" in html and reverse("child_file", args=[world.ava.pk]) in html
    assert "1 child found." in html and " year" in html


@pytest.mark.parametrize("text", ["AVA", "ava sm", "sm av", "Smi", "smith ava"])
def test_each_word_typed_starts_one_of_the_names(client, world, text) -> None:
    assert "Smith, Ava" in find(client, world.manager, text)


def test_accents_and_capitals_do_not_matter(client, world) -> None:
    ChildFactory(site=world.site, first_name="Zoë", last_name="O'Neill")
    html = find(client, world.manager, "zoe o")
    assert "O&#x27;Neill, Zoë" in html
    assert "O&#x27;Neill, Zoë" in find(client, world.manager, "neill")


@pytest.mark.parametrize("persona", ["colleague", "outsider", "hr", "student", "trustee", "volunteer"])
def test_only_children_the_person_may_see_are_found(client, world, persona) -> None:
    html = find(client, world.people[persona], "ava")
    assert "Smith, Ava" not in html and "No child you can see" in html


def test_one_letter_asks_for_more_and_finds_nothing(client, world) -> None:
    client.force_login(world.manager)
    response = client.post(reverse("child_find"), {"q": "a"})
    assert response.status_code == 400
    assert "Type two letters or more" in response.content.decode()


def test_what_is_typed_never_reaches_a_url_or_the_trail(client, world) -> None:
    client.force_login(world.manager)
    page = client.get(reverse("home")).content.decode()
    assert 'action="/children/find/"' in page and 'method="post"' in page.split("data-find", 1)[0][-200:]
    assert "Smith, Ava" not in client.get(reverse("child_find"), {"q": "ava"}).content.decode()
    before = AuditEntry.objects.count()
    client.post(reverse("child_find"), {"q": "ava sm"})
    entry = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == before + 1
    assert entry.event == Event.SEARCHED and "ava" not in entry.reason.lower()


def test_as_you_type_the_page_asks_for_the_list_alone(client, world) -> None:
    html = find(client, world.keyworker, "ava", headers={"X-Confide-Find": "1"})
    assert "<html" not in html and "Smith, Ava" in html


def test_at_most_ten_are_shown_and_the_queries_do_not_grow(client, world, django_assert_num_queries) -> None:
    for n in range(3):
        ChildFactory(site=world.site, first_name=f"Avery{n}", last_name="Brown")
    client.force_login(world.manager)
    client.post(reverse("child_find"), {"q": "av"})
    with django_assert_num_queries(QUERIES):
        client.post(reverse("child_find"), {"q": "av"})
    for n in range(20):
        ChildFactory(site=world.site, first_name=f"Avril{n}", last_name="Green")
    with django_assert_num_queries(QUERIES):
        html = client.post(reverse("child_find"), {"q": "av"}).content.decode()
    assert html.count('class="find-name"') == 10 and "the first 10" in html


# What every request costs (the header's notification count included), who the person is,
# the children they may see, and the audit entry.
QUERIES = REQUEST_OVERHEAD + FACTS + 2
