"""Bugs a new user found, each pinned by a test that failed before its fix."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from records import services
from records.models import Category, Record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", [None, "keyworker", "parent"])
def test_every_page_has_an_icon_and_favicon_ico_is_found(client, world, persona) -> None:
    """Every page logged a console error: /favicon.ico was a 404."""
    if persona:
        client.force_login(world.people[persona])
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.ico")
    assert finders.find("favicon.ico") and finders.find("favicon.svg")
    name = {None: "login", "keyworker": "home", "parent": "portal_home"}[persona]
    page = client.get(reverse(name)).content.decode()
    assert 'rel="icon"' in page


def test_family_information_may_tell_of_what_happened_before_the_child_was_born(world) -> None:
    """A record dated 2001 was accepted for a child born in 2022: now refused, except family
    information (a family's history)."""
    when = datetime.datetime(2019, 6, 1, 10, tzinfo=datetime.UTC)
    for category, allowed in ((Category.FAMILY_INFORMATION, True), (Category.PROGRESS, False)):
        record = Record(
            child=world.ava, category=category, title="t", occurred_at=when, author=world.keyworker
        )
        if allowed:
            record.clean()
        else:
            with pytest.raises(ValidationError, match="before the child was born"):
                record.clean()


class _Controls(HTMLParser):
    """The ids on a page, the labels' targets, and the order of checkboxes and their labels."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[str] = []
        self.sequence: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "label" and found.get("for"):
            self.label_for.add(str(found["for"]))
            self.sequence.append(("label", str(found["for"])))
        if tag in ("select", "textarea") or (
            tag == "input" and found.get("type") not in ("hidden", "submit")
        ):
            self.controls.append(str(found.get("id")))
            if found.get("type") == "checkbox":
                self.sequence.append(("checkbox", str(found.get("id"))))


def controls(html: str) -> _Controls:
    parser = _Controls()
    parser.feed(html)
    return parser


def test_the_access_tab_has_no_duplicate_ids_and_every_control_has_a_label(client, world) -> None:
    client.force_login(world.manager)
    page = controls(client.get(reverse("child_access", args=[world.ava.pk])).content.decode())
    assert len(page.controls) >= 3
    assert len(page.ids) == len(set(page.ids)), sorted(i for i in page.ids if page.ids.count(i) > 1)
    assert [c for c in page.controls if c not in page.label_for] == []


def test_a_checkbox_comes_before_its_label(client, world) -> None:
    client.force_login(world.keyworker)
    html = client.get(reverse("record_add", args=[world.ava.pk]) + "?category=progress").content.decode()
    sequence = controls(html).sequence
    boxes = [target for kind, target in sequence if kind == "checkbox"]
    assert boxes
    for box in boxes:
        assert sequence.index(("checkbox", box)) < sequence.index(("label", box)), box


def test_the_staff_file_form_speaks_of_the_member_of_staff_not_a_child(client, world) -> None:
    client.force_login(world.hr)
    member = world.staff_files["keyworker2"]
    choose = client.get(reverse("staff_record_add", args=[member.pk])).content.decode()
    assert "about the child" not in choose and "signed by a parent" not in choose
    for category in ("meeting_minutes", "signed_consent", "medical", "other", "correspondence"):
        url = reverse("staff_record_add", args=[member.pk]) + f"?category={category}"
        html = client.get(url).content.decode()
        main = html.split("<main", 1)[1]
        for childish in ("the child", "a parent", "Parent or carer", "The child", "parent's name"):
            assert childish not in main, (category, childish)


def test_hr_saves_a_staff_record_and_it_shows_in_the_staff_file_like_a_childs_record(client, world) -> None:
    """Saving a staff-file record was covered only by a manual check."""
    member = world.staff_files["keyworker2"]
    client.force_login(world.hr)
    url = reverse("staff_record_add", args=[member.pk]) + "?category=staff_record"
    response = client.post(
        url,
        {
            "title": "Supervision, November",
            "body": "Talked through the move to the baby room; wants paediatric first aid training.",
            "occurred_at": "2026-11-20T10:00",
            "source": "staff",
        },
    )
    record = Record.objects.filter(staff_member=member).order_by("-created_at").first()
    assert record is not None and record.title == "Supervision, November"
    assert response.status_code == 302 and response["Location"] == reverse("record_detail", args=[record.pk])
    assert (record.staff_member, record.child, record.tier, record.author) == (
        member,
        None,
        "personnel",
        world.hr,
    )
    staff_file = client.get(reverse("staff_file", args=[member.pk])).content.decode()
    assert "Supervision, November" in staff_file
    page = client.get(reverse("record_detail", args=[record.pk])).content.decode()
    assert "wants paediatric first aid training" in page
    # Sam reads his own staff file; a colleague does not.
    client.force_login(world.keyworker2)
    assert client.get(reverse("record_detail", args=[record.pk])).status_code == 200
    client.force_login(world.colleague)
    assert client.get(reverse("record_detail", args=[record.pk])).status_code == 404


def test_the_reason_for_returning_an_item_stays_with_its_amended_version(client, world) -> None:
    """It disappeared from the amended version: the signer could not see what they had asked."""
    waiting = services.record_create(
        actor=world.keyworker,
        child=world.ava,
        category=Category.FAMILY_INFORMATION,
        title="Dad's new shifts",
        body="Dad works nights.",
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
        details={"who": "Amy Smith"},
    )
    services.record_return(actor=world.senior, record=waiting, reason="Say which days Dad works.")
    revision = services.record_amend(
        actor=world.keyworker, record=waiting, title="Dad's new shifts",
        body="Dad works nights Monday to Thursday.", reason="Added the days.",
    )  # fmt: skip
    client.force_login(world.senior)
    page = client.get(reverse("record_detail", args=[revision.pk])).content.decode()
    top = page.split("Earlier versions", 1)[0]
    assert "Returned for correction" in top and "Say which days Dad works." in top
    assert "Added the days." in top


def test_a_notification_names_the_child_only_for_someone_who_may_see_them(client, world) -> None:
    """Notifications were identical rows ("A safeguarding concern was raised at Oakfield")."""
    services.notify(
        recipients=[world.keyworker, world.colleague], message="Something to look at.", child=world.ava
    )
    client.force_login(world.keyworker)
    assert (
        "<strong>Ava Smith</strong>: Something to look at."
        in client.get(reverse("notifications")).content.decode()
    )
    client.force_login(world.colleague)  # no access to Ava's file
    html = client.get(reverse("notifications")).content.decode()
    assert "<strong>A child</strong>: Something to look at." in html and "Ava" not in html
    world.keyworker.discreet_mode = True
    world.keyworker.save()
    client.force_login(world.keyworker)
    html = client.get(reverse("notifications")).content.decode()
    assert "<strong>A child</strong>: Something to look at." in html and "Ava Smith" not in html


def test_a_key_persons_home_says_what_changed_since_they_last_looked(client, world) -> None:
    client.force_login(world.keyworker)
    home = client.get(reverse("home")).content.decode()
    assert "not opened yet" in home.split("Your key children", 1)[1].split("</section>", 1)[0]
    client.get(reverse("child_file", args=[world.ava.pk]))
    home = client.get(reverse("home")).content.decode()
    assert "nothing new since" in home
    services.record_create(
        actor=world.manager, child=world.ava, category=Category.PROGRESS, title="Climbed the frame",
        body="All the way up.", occurred_at=timezone.now(),
    )  # fmt: skip
    services.record_create(
        actor=world.keyworker, child=world.ava, category=Category.PROGRESS, title="Her own note",
        body="Kim's own record is not news to Kim.", occurred_at=timezone.now(),
    )  # fmt: skip
    home = client.get(reverse("home")).content.decode()
    assert "1 new since you last looked" in home
