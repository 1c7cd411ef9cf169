"""Home shows each person what is waiting for them; lists only ever narrow what they may see."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from access import services as access_services
from access.models import KeyWorkerAssignment
from access.policy import standing_of
from access.selectors import child_get_for_user
from crypto import core as crypto_core
from records import selectors, services
from records.models import Child, Record, Room
from records.selectors import CHILD_LIST_PAGE_SIZE
from tests.factories import ChildFactory
from tests.personas import staff
from tests.query_counts import FACTS, REQUEST_OVERHEAD

pytestmark = pytest.mark.django_db

UTC = datetime.UTC

# The manager's home: the child count, key children, unread notifications and the
# children they name, the first of the sign-off queue and its length, records returned
# to them, site numbers (sites, children by status, records waiting), overdue records,
# concerns they raised, staff asking for access, and the audit entry. (The concern queue
# costs nothing for someone who is not a DSL.) Then governance's panels
# (governance/selectors/home.py): policy reviews due, the staff checks (staff, roles, live
# roles, induction items, ticks, training), the cases about staff they handle, their own
# emergency access and the concerns about staff they raised. Sharing: directory entries
# new or to approve, shares and portal consents waiting for them.
HOME_QUERIES = REQUEST_OVERHEAD + FACTS + 14 + 10 + 3
# The queue's length, its page, and the audit entry.
QUEUE_QUERIES = REQUEST_OVERHEAD + FACTS + 3


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def family_information(world, title: str = "New baby due", author=None) -> Record:
    author = author or world.keyworker
    child = child_get_for_user(user=author, child_id=world.ava.pk)
    return services.record_add(
        actor=author,
        child=child,
        category="family_information",
        title=title,
        body="A baby brother is due in March.",
        occurred_at=timezone.now() - datetime.timedelta(minutes=30),
        source="parent",
        source_name="Amy Smith (mother)",
    )


def home(client, person) -> str:
    client.force_login(person)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>Hello, {person.first_name}</h1>" in html, person.username  # their home page, not another
    return html


def section(html: str, heading_id: str) -> str:
    """The card or section whose heading has this id ('' if the page has none)."""
    found = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', html, re.S)
    return found.group(0) if found else ""


def child_names(html: str) -> list[str]:
    return re.findall(r'<a href="/children/[0-9a-f-]{36}/">([^<]*)</a>', html)


# --- home --------------------------------------------------------------------------


def test_a_key_worker_sees_their_key_children(client, world) -> None:
    html = home(client, world.keyworker)
    assert "Ava Smith" in section(html, "key-children-heading")
    assert section(home(client, world.colleague), "key-children-heading") == ""
    assert section(home(client, world.manager), "key-children-heading") == ""


def test_a_key_child_who_has_left_or_whose_key_person_changed_is_not_listed(client, world) -> None:
    world.ava.status = Child.Status.LEFT
    world.ava.save()
    assert section(home(client, world.keyworker), "key-children-heading") == ""
    world.ava.status = Child.Status.ENROLLED
    world.ava.save()
    assignment = KeyWorkerAssignment.objects.get(child=world.ava, user=world.keyworker2)
    access_services.key_worker_unassign(actor=world.manager, assignment=assignment)
    assert section(home(client, world.keyworker2), "key-children-heading") == ""
    assert "Ava Smith" in section(home(client, world.keyworker), "key-children-heading")


def test_senior_staff_see_what_is_waiting_for_their_signature(client, world) -> None:
    record = family_information(world)
    html = section(home(client, world.senior), "sign-off-heading")
    assert 'Waiting for your sign-off <span class="count">(1)</span>' in html
    assert "New baby due" in html and reverse("record_detail", args=[record.pk]) in html
    assert "Ava Smith" in html and "Family information" in html and "by Kim Tester" in html
    for persona in ["keyworker", "colleague", "dsl", "outside_manager", "named"]:
        assert section(home(client, getattr(world, persona)), "sign-off-heading") == "", persona


def test_the_author_returned_a_record_sees_it_on_home(client, world) -> None:
    record = family_information(world)
    services.record_return(actor=world.senior, record=record, reason="Which month?")
    assert "New baby due" in section(home(client, world.keyworker), "returned-heading")
    assert section(home(client, world.keyworker2), "returned-heading") == ""


def test_the_dsl_sees_open_concerns_at_their_site(client, world) -> None:
    riverside_child = world.other_child
    services.concern_raise(
        actor=staff("rivers", "Rhod", world.other_site, "practitioner"),
        child=riverside_child,
        what_happened="Unknown adult at the gate.",
        occurred_at=at(2026, 11, 2, 9),
    )
    html = section(home(client, world.dsl), "concerns-heading")
    assert 'Open safeguarding concerns <span class="count">(1)</span>' in html
    assert "Smith, Ava" in html and "Colin Tester" in html and "New" in html
    assert "Khan" not in html
    for persona in ["manager", "senior", "named", "keyworker", "colleague", "outside_manager"]:
        assert section(home(client, getattr(world, persona)), "concerns-heading") == "", persona
    queue = client.get(reverse("concern_queue"))
    assert queue.status_code == 200
    assert "There are no open concerns at your settings." in queue.content.decode()


def test_the_manager_sees_their_sites_numbers_only(client, world) -> None:
    ChildFactory(site=world.site, first_name="Ben", last_name="Jones", status=Child.Status.WAITING)
    family_information(world)
    html = home(client, world.manager)
    numbers = section(html, "site-1")
    assert "Oakfield Children&#x27;s Centre" in numbers
    assert "<dt>Enrolled</dt><dd>1</dd>" in numbers and "<dt>On the waiting list</dt><dd>1</dd>" in numbers
    assert "<dt>Awaiting sign-off</dt><dd>1</dd>" in numbers
    assert "Riverside" not in html and section(html, "site-2") == ""
    for private in ["Ben", "Jones"]:
        assert private not in numbers
    outside = home(client, world.outside_manager)
    assert "Riverside Nursery" in section(outside, "site-1") and "Oakfield" not in outside
    for persona in ["senior", "dsl", "keyworker"]:
        assert section(home(client, getattr(world, persona)), "site-1") == "", persona


# --- two working days --------------------------------------------------------------


def overdue_titles(client, world) -> list[str]:
    html = section(home(client, world.manager), "overdue-heading")
    return re.findall(r'<a href="/records/[0-9a-f-]{36}/">([^<]*)</a>', html)


def flagged_for_senior(client, world) -> bool:
    return "over 2 working days" in section(home(client, world.senior), "sign-off-heading")


def test_family_information_unsigned_for_two_working_days_is_flagged(client, world) -> None:
    with time_machine.travel(at(2026, 11, 16, 10, 0), tick=False) as clock:  # a Monday
        family_information(world, "Monday's news")
        clock.move_to(at(2026, 11, 18, 9, 59))  # Wednesday, just under two working days
        assert overdue_titles(client, world) == []
        assert not flagged_for_senior(client, world)
        assert "over 2 working days" not in section(home(client, world.manager), "site-1")
        clock.move_to(at(2026, 11, 18, 10, 1))
        assert overdue_titles(client, world) == ["Monday&#x27;s news"]
        assert flagged_for_senior(client, world)
        assert "1 over 2 working days" in section(home(client, world.manager), "site-1")
        senior_queue = client.get(reverse("sign_off_queue")).content.decode()
        assert "Over 2 working days" in senior_queue


def test_a_weekend_does_not_count(client, world) -> None:
    with time_machine.travel(at(2026, 11, 20, 10, 0), tick=False) as clock:  # a Friday
        family_information(world, "Friday's news")
        clock.move_to(at(2026, 11, 23, 11, 0))  # Monday: three days on, one working day
        assert overdue_titles(client, world) == []
        assert not flagged_for_senior(client, world)
        clock.move_to(at(2026, 11, 24, 9, 59))
        assert overdue_titles(client, world) == []
        clock.move_to(at(2026, 11, 24, 10, 1))  # Tuesday: two working days have passed
        assert overdue_titles(client, world) == ["Friday&#x27;s news"]


def test_closure_days_do_not_count(client, world, settings) -> None:
    settings.NON_WORKING_DAYS = frozenset({"2026-12-25", "2026-12-28"})  # Christmas, the bank holiday
    with time_machine.travel(at(2026, 12, 24, 10, 0), tick=False) as clock:  # Thursday
        family_information(world, "Christmas Eve news")
        clock.move_to(at(2026, 12, 29, 11, 0))  # Tuesday: only one working day (Tuesday itself)
        assert overdue_titles(client, world) == []
        settings.NON_WORKING_DAYS = frozenset()
        assert overdue_titles(client, world) == ["Christmas Eve news"]  # Friday and Monday would count
        settings.NON_WORKING_DAYS = frozenset({"2026-12-25", "2026-12-28"})
        clock.move_to(at(2026, 12, 30, 10, 1))
        assert overdue_titles(client, world) == ["Christmas Eve news"]


def test_a_signed_record_is_no_longer_overdue(client, world) -> None:
    with time_machine.travel(at(2026, 11, 16, 10, 0), tick=False) as clock:
        record = family_information(world, "Monday's news")
        clock.move_to(at(2026, 11, 19, 10, 0))
        assert overdue_titles(client, world) == ["Monday&#x27;s news"]
        services.record_sign_off(actor=world.senior, record=record)
        assert overdue_titles(client, world) == []
        assert "<dt>Awaiting sign-off</dt><dd>0</dd>" in section(home(client, world.manager), "site-1")


def test_the_overdue_selectors_agree(world) -> None:
    with time_machine.travel(at(2026, 11, 16, 10, 0), tick=False) as clock:
        family_information(world, "Monday's news")
        clock.move_to(at(2026, 11, 16, 12, 0))
        family_information(world, "Monday lunchtime news")
        clock.move_to(at(2026, 11, 18, 11, 0))
        standing = standing_of(world.manager)
        overdue = selectors.overdue_sign_offs(user=world.manager, standing=standing)
        assert [r.title for r in overdue] == ["Monday's news"]
        [numbers] = selectors.site_numbers(user=world.manager, standing=standing)
        assert (numbers["waiting"], numbers["overdue"]) == (2, 1)
        queue = selectors.flag_overdue(
            selectors.sign_off_waiting(user=world.senior, standing=standing_of(world.senior))
        )
        assert [(r.title, r.overdue) for r in queue] == [
            ("Monday's news", True),
            ("Monday lunchtime news", False),
        ]


# --- the child list and its filters ---------------------------------------------------


@pytest.fixture
def more_children(world) -> dict[str, Child]:
    children = {
        "ben": ChildFactory(site=world.site, first_name="Ben", last_name="Jones", room="Acorns"),
        "cleo": ChildFactory(
            site=world.site, first_name="Cleo", last_name="Brown", room="Oaks", status=Child.Status.LEFT
        ),
        "dan": ChildFactory(
            site=world.site, first_name="Dan", last_name="Evans", room="Acorns", status=Child.Status.WAITING
        ),
    }
    access_services.key_worker_assign(actor=world.manager, child=children["ben"], user=world.keyworker2)
    access_services.key_worker_assign(
        actor=world.outside_manager, child=world.other_child, user=world.outsider
    )
    return children


def room_id(world, name: str) -> str:
    return str(Room.objects.get(site=world.site, name=name).pk)


def listed(client, person, **filters: str) -> list[str]:
    """Who the list shows, in name order (the list's own order is tested below)."""
    client.force_login(person)
    response = client.get(reverse("children"), filters)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Children</h1>" in html  # the list, even when it lists nobody
    return sorted(child_names(html))


def test_the_manager_narrows_the_list_by_room_status_and_key_person(client, world, more_children) -> None:
    assert listed(client, world.manager) == ["Evans, Dan", "Jones, Ben", "Smith, Ava"]  # not Cleo, who left
    assert listed(client, world.manager, room=room_id(world, "Acorns")) == ["Evans, Dan", "Jones, Ben"]
    assert listed(client, world.manager, status="left") == ["Brown, Cleo"]
    assert listed(client, world.manager, status="waiting") == ["Evans, Dan"]
    assert len(listed(client, world.manager, status="all")) == 4
    assert listed(client, world.manager, key_worker=str(world.keyworker2.pk)) == ["Jones, Ben", "Smith, Ava"]
    assert listed(client, world.manager, key_worker=str(world.keyworker.pk)) == ["Smith, Ava"]
    oaks = listed(client, world.manager, site=str(world.site.pk), room=room_id(world, "Oaks"), status="all")
    assert oaks == ["Brown, Cleo"]


def test_a_key_worker_filters_for_their_own_key_children(client, world, more_children) -> None:
    assert listed(client, world.keyworker, key_worker="me") == ["Smith, Ava"]
    assert listed(client, world.keyworker2, key_worker="me") == ["Jones, Ben", "Smith, Ava"]
    assert listed(client, world.manager, key_worker="me") == []


@pytest.mark.parametrize(
    "filters",
    [
        {"status": "all"},
        {"room": "Acorns"},
        {"room": "Acorns", "status": "all"},
        {"key_worker": "keyworker2"},
        {"key_worker": "outsider"},
        {"site": "other"},
        {"site": "other", "status": "all"},
        {"key_worker": "nonsense"},
    ],
)
def test_filters_never_widen_what_a_key_worker_sees(client, world, more_children, filters) -> None:
    ids = {
        "keyworker2": str(world.keyworker2.pk),
        "outsider": str(world.outsider.pk),
        "other": str(world.other_site.pk),
    }
    query = {k: ids.get(v, v) for k, v in filters.items()}
    shown = listed(client, world.keyworker, **query)
    assert set(shown) <= {"Smith, Ava"}


@pytest.mark.parametrize(
    "filters",
    [
        {"site": "oakfield"},
        {"site": "oakfield", "status": "all"},
        {"key_worker": "keyworker"},
        {"room": "Acorns"},
    ],
)
def test_filters_never_reach_another_site(client, world, more_children, filters) -> None:
    ids = {"oakfield": str(world.site.pk), "keyworker": str(world.keyworker.pk)}
    query = {k: ids.get(v, v) for k, v in filters.items()}
    assert listed(client, world.outside_manager, **query) == ["Khan, Noah"]
    assert listed(client, world.outsider, **query) == ["Khan, Noah"]


def test_the_filter_choices_name_nothing_the_person_may_not_see(client, world, more_children) -> None:
    client.force_login(world.keyworker)
    response = client.get(reverse("children"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Children</h1>" in html and child_names(html) == ["Smith, Ava"]
    assert "Acorns" not in html and "Oaks" not in html  # rooms of children Kim is not key person for
    assert "Riverside" not in html and str(world.other_site.pk) not in html
    client.force_login(world.outside_manager)
    response = client.get(reverse("children"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Children</h1>" in html and child_names(html) == ["Khan, Noah"]
    assert "Oakfield" not in html and "Kim" not in html and "Acorns" not in html


def test_the_selector_filters_only_within_what_is_visible(world, more_children) -> None:
    assert (
        selectors.child_list(user=world.keyworker, site=str(world.other_site.pk), status="all").count() == 0
    )
    assert (
        selectors.child_list(user=world.manager, key_worker=str(world.outsider.pk), status="all").count() == 0
    )
    assert (
        selectors.child_list(user=world.keyworker, room=room_id(world, "Acorns"), status="all").count() == 0
    )
    assert not selectors.child_list(user=world.colleague, status="all").exists()


# --- discreet mode ---------------------------------------------------------------------


def discreet(client, person, on: bool, next_url: str = "/children/"):
    """The button is on every page: it comes back to the page it was pressed on."""
    client.force_login(person)
    referer = (
        f"http://testserver{next_url}"
        if next_url.startswith("/") and not next_url.startswith("//")
        else next_url
    )
    return client.post(
        reverse("discreet_mode"), {"on": "1" if on else "0", "next": next_url}, HTTP_REFERER=referer
    )


BACK_TO_THE_LIST = ("/children/", "http://testserver/children/")


def test_discreet_mode_shows_initials_instead_of_names_in_lists(client, world) -> None:
    response = discreet(client, world.manager, True)
    assert response.status_code == 302 and response["Location"] in BACK_TO_THE_LIST
    world.manager.refresh_from_db()
    assert world.manager.discreet_mode
    html = client.get(reverse("children")).content.decode()
    assert child_names(html) == ["AS"]
    assert "Smith" not in html and "Ava" not in html and "14 Mar 2022" not in html
    assert re.search(r'aria-pressed="true"[^>]*>Discreet mode<', html)

    discreet(client, world.manager, False)
    assert child_names(client.get(reverse("children")).content.decode()) == ["Smith, Ava"]


def test_discreet_mode_covers_the_home_page_and_the_queues(client, world) -> None:
    family_information(world)
    for person in [world.keyworker, world.senior, world.dsl]:
        discreet(client, person, True)
    key = section(home(client, world.keyworker), "key-children-heading")
    assert "AS" in key and "Ava" not in key
    signing = section(home(client, world.senior), "sign-off-heading")
    assert "AS" in signing and "Ava" not in signing and "Smith" not in signing
    queue = client.get(reverse("sign_off_queue")).content.decode()
    assert "Smith" not in queue and "<td>AS</td>" in queue
    concerns = section(home(client, world.dsl), "concerns-heading")
    assert "AS" in concerns and "Smith" not in concerns
    response = client.get(reverse("concern_queue"))
    assert response.status_code == 200
    concern_queue = response.content.decode()
    assert "<h1>Open safeguarding concerns</h1>" in concern_queue and ">AS</a>" in concern_queue
    assert "Smith" not in concern_queue


def test_discreet_mode_is_one_persons_choice(client, world) -> None:
    discreet(client, world.manager, True)
    assert child_names(home(client, world.keyworker)) == ["Ava Smith"]


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)", ""],
)
def test_discreet_mode_never_sends_people_off_site(client, world, next_url) -> None:
    response = discreet(client, world.manager, True, next_url=next_url)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_discreet_mode_is_changed_only_by_a_signed_in_post(client, world) -> None:
    assert client.post(reverse("discreet_mode"), {"on": "1"}).status_code == 302  # to sign in
    client.force_login(world.manager)
    assert client.get(reverse("discreet_mode"), {"on": "1"}).status_code == 405
    world.manager.refresh_from_db()
    assert not world.manager.discreet_mode


# --- hiding the screen --------------------------------------------------------------------


def test_the_hidden_page_shows_no_personal_data(client, world) -> None:
    client.force_login(world.manager)
    back = reverse("child_file", args=[world.ava.pk])
    response = client.get(reverse("screen_hidden"), {"next": back})
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert f'href="{back}"' in html
    for private in ["Ava", "Smith", "Maria", "Oakfield", "Peanuts", "manager"]:
        assert private not in html, private


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phish",
        "//evil.example/",
        "http://evil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
        "https:evil.example",
        "",
    ],
)
def test_the_hidden_page_refuses_an_off_site_next(client, world, next_url) -> None:
    client.force_login(world.manager)
    html = client.get(reverse("screen_hidden"), {"next": next_url}).content.decode()
    assert 'href="/"' in html
    assert "evil" not in html and "javascript" not in html


def test_the_hidden_page_escapes_what_it_is_given(client, world) -> None:
    response = client.get(reverse("screen_hidden"), {"next": '/children/"><script>alert(1)</script>'})
    html = response.content.decode()
    assert response.status_code == 200 and ">Screen hidden</h1>" in html
    assert 'href="/children/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html  # shown back as text
    assert "<script>alert(1)</script>" not in html


# --- query counts -----------------------------------------------------------------------


def test_the_managers_home_runs_the_same_queries_however_much_is_waiting(
    client, world, django_assert_num_queries
) -> None:
    with time_machine.travel(at(2026, 11, 16, 10, 0), tick=False) as clock:
        for i in range(3):
            family_information(world, f"News {i}")
        clock.move_to(at(2026, 11, 19, 10, 0))
        for i in range(30):
            family_information(world, f"More news {i}")
        client.force_login(world.manager)
        client.get(reverse("home"))
        with django_assert_num_queries(HOME_QUERIES):
            small = client.get(reverse("home"))
        clock.move_to(at(2026, 11, 19, 10, 1))
        for i in range(30):
            family_information(world, f"Even more news {i}")
        with django_assert_num_queries(HOME_QUERIES):
            large = client.get(reverse("home"))
    assert "<dt>Awaiting sign-off</dt><dd>33 · " in small.content.decode()
    assert "<dt>Awaiting sign-off</dt><dd>63 · " in large.content.decode()
    assert "3 over 2 working days" in large.content.decode()


def test_the_sign_off_queue_runs_the_same_queries_however_long(
    client, world, django_assert_num_queries
) -> None:
    family_information(world, "News 0")
    client.force_login(world.senior)
    client.get(reverse("sign_off_queue"))
    with django_assert_num_queries(QUEUE_QUERIES):
        client.get(reverse("sign_off_queue"))
    for i in range(1, 30):
        family_information(world, f"News {i}")
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("sign_off_queue"))
    assert response.content.decode().count('href="/records/') == 25  # a page
    second = client.get(reverse("sign_off_queue"), {"page": 2}).content.decode()
    assert second.count('href="/records/') == 5 and "Page 2 of 2" in second


def test_the_list_is_in_setting_room_and_start_date_order_without_opening_a_name(client, world) -> None:
    acorns = [
        ChildFactory(site=world.site, first_name=name, last_name="Acorn", room="Acorns", enrolment_start=day)
        for name, day in (("Zoe", datetime.date(2025, 9, 1)), ("Amir", datetime.date(2026, 1, 5)))
    ]
    ChildFactory(site=world.site, first_name="Bea", last_name="Oak", room="Oaks")
    client.force_login(world.manager)
    html = client.get(reverse("children")).content.decode()
    # Ava has no room: rooms sort after the empty one, then by start date.
    assert child_names(html) == ["Smith, Ava", "Acorn, Zoe", "Acorn, Amir", "Oak, Bea"]
    assert acorns[0].enrolment_start < acorns[1].enrolment_start


def test_the_child_list_opens_only_the_names_on_its_page(client, world) -> None:
    for n in range(CHILD_LIST_PAGE_SIZE + 30):
        ChildFactory(site=world.site, first_name=f"Child{n}", last_name="Many", room="Oaks")
    client.force_login(world.manager)
    opened: list[str] = []
    real = crypto_core.decrypt_text

    def counting(token: str, *, label: str, pk: object) -> str:
        opened.append(label)
        return real(token, label=label, pk=pk)

    with mock.patch.object(crypto_core, "decrypt_text", counting):
        response = client.get(reverse("children"))
    assert response.status_code == 200
    assert len(child_names(response.content.decode())) == CHILD_LIST_PAGE_SIZE
    first_names = [label for label in opened if label.endswith("child.first_name")]
    assert len(first_names) <= CHILD_LIST_PAGE_SIZE + 2
    with mock.patch.object(crypto_core, "decrypt_text", counting):
        second = client.get(reverse("children"), {"page": 2}).content.decode()
    assert len(child_names(second)) == 31 and "Page 2 of 2" in second
