"""A form that creates something, sent twice with the same token, saves once;
the second sending is taken to what the first made, with a calm message."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from access.models import AccessRequest, User
from jobs import registry, runner
from records.models import Addendum, Record
from submissions import tokens
from submissions.decorators import ALREADY_SAVED
from submissions.models import Submission
from tests.personas import World
from tests.portal import portal_fixtures
from tests.portal.portal_fixtures import Family

pytestmark = pytest.mark.django_db
family = portal_fixtures.family  # the fixture


def earlier(hours: int = 2) -> str:
    return (timezone.localtime() - datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class Form:
    persona: str
    page: Callable[[World], str]  # where the form is shown
    action: Callable[[World], str]  # where it is sent
    data: Callable[[], dict[str, str]]
    count: Callable[[], int]


FORMS = {
    "adding a record": Form(
        "keyworker",
        lambda w: reverse("record_add", args=[w.ava.pk]) + "?category=progress",
        lambda w: reverse("record_add", args=[w.ava.pk]) + "?category=progress",
        lambda: {"title": "Counting", "body": "Counted to ten.", "occurred_at": earlier(), "source": "staff"},
        lambda: Record.objects.count(),
    ),
    "raising a concern": Form(
        "colleague",
        lambda w: reverse("concern_raise", args=[w.ava.pk]),
        lambda w: reverse("concern_raise", args=[w.ava.pk]),
        lambda: {"what_happened": "A bruise on her arm.", "occurred_at": earlier()},
        lambda: Record.objects.count(),
    ),
    "adding to a record": Form(
        "dsl",
        lambda w: reverse("record_detail", args=[w.ava_concern.pk]),
        lambda w: reverse("record_addendum", args=[w.ava_concern.pk]),
        lambda: {"addendum-text": "Mum called in."},
        lambda: Addendum.objects.count(),
    ),
    "a parent sending information": Form(
        "parent",
        lambda w: reverse("portal_child", args=[w.ava.pk]),
        lambda w: reverse("portal_send", args=[w.ava.pk]),
        lambda: {"title": "Moving house", "body": "We move on 1 December."},
        lambda: Record.objects.count(),
    ),
    "asking for access": Form(
        "colleague",
        lambda w: reverse("access_request_new", args=[w.ava.pk]),
        lambda w: reverse("access_request_new", args=[w.ava.pk]),
        lambda: {"reason": "Covering Kim's group this week."},
        lambda: AccessRequest.objects.count(),
    ),
}


def token_on(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    found = re.findall(rf'name="{tokens.FIELD}" value="([^"]+)"', html)
    assert len(found) == 1, f"one token expected on {url}, found {len(found)}"
    return found[0]


def messages_after(client: Client, response) -> list[str]:
    page = client.get(response["Location"])
    return [str(m) for m in page.context["messages"]] if page.context else []


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_double_submit_saves_once_and_shows_what_was_saved(
    client: Client, family: Family, name: str
) -> None:
    form, world = FORMS[name], family.world
    client.force_login(world.people[form.persona])
    data = {**form.data(), tokens.FIELD: token_on(client, form.page(world))}
    before = form.count()
    first = client.post(form.action(world), data)
    assert first.status_code == 302, first.content.decode()[-2000:]
    second = client.post(form.action(world), data)
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert form.count() == before + 1
    assert ALREADY_SAVED in messages_after(client, second)


def test_a_form_shown_again_with_its_errors_can_then_be_saved_with_the_same_token(
    client: Client, world: World
) -> None:
    form = FORMS["adding a record"]
    client.force_login(world.keyworker)
    token = token_on(client, form.page(world))
    mistake = client.post(form.action(world), {**form.data(), "title": "", tokens.FIELD: token})
    assert mistake.status_code == 400
    assert not Submission.objects.exists()  # the token was given back
    before = form.count()
    assert client.post(form.action(world), {**form.data(), tokens.FIELD: token}).status_code == 302
    assert form.count() == before + 1


def test_two_forms_opened_separately_save_twice(client: Client, world: World) -> None:
    form = FORMS["adding a record"]
    client.force_login(world.keyworker)
    before = form.count()
    for _ in range(2):
        data = {**form.data(), tokens.FIELD: token_on(client, form.page(world))}
        assert client.post(form.action(world), data).status_code == 302
    assert form.count() == before + 2


@pytest.mark.parametrize(
    "token",
    ["", "not-a-token", "someone-else"],
    ids=["none", "forged", "another person's"],
)
def test_without_a_valid_token_the_form_works_as_before(client: Client, world: World, token: str) -> None:
    form = FORMS["adding a record"]
    if token == "someone-else":
        token = tokens.issue(world.senior)
    client.force_login(world.keyworker)
    before = form.count()
    for _ in range(2):
        assert client.post(form.action(world), {**form.data(), tokens.FIELD: token}).status_code == 302
    assert form.count() == before + 2
    assert not Submission.objects.exists()


def test_a_token_is_accepted_for_a_day(world: World) -> None:
    token = tokens.issue(world.keyworker)
    assert tokens.key_of(token, world.keyworker) is not None
    with time_machine.travel(timezone.now() + tokens.MAX_AGE + datetime.timedelta(minutes=1)):
        assert tokens.key_of(token, world.keyworker) is None


def test_a_token_is_signed_for_its_person(world: World) -> None:
    token = tokens.issue(world.keyworker)
    value = signing.TimestampSigner(salt=tokens.SALT).unsign(token)
    assert value.startswith(f"{world.keyworker.pk}:")
    tampered = token.replace(str(world.keyworker.pk), str(world.senior.pk))
    assert tokens.key_of(tampered, world.senior) is None


def test_old_submissions_are_forgotten(world: World) -> None:
    keyworker: User = world.keyworker
    Submission.objects.create(
        key="a" * 32, user=keyworker, created_at=timezone.now() - datetime.timedelta(days=3)
    )
    Submission.objects.create(key="b" * 32, user=keyworker)
    job = registry.get("submissions.purge")
    [result] = runner.run_due(jobs=[job], force=[job.name])
    assert result.summary == "forgot 1 form submissions"
    assert list(Submission.objects.values_list("key", flat=True)) == ["b" * 32]
