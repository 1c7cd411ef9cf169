from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from access.models import User
from access.selectors import children_for, records_for
from records.management.commands.seed_demo import DEMO_PASSWORD
from records.models import Attachment, Carer, Category, Child, Record, Site

pytestmark = pytest.mark.django_db

PERSONAS = [
    "manager",
    "senior",
    "keyworker",
    "keyworker2",
    "dsl",
    "hr",
    "student",
    "volunteer",
    "trustee",
    "parent",
    "parent2",
]


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _debug(settings) -> None:
    settings.DEBUG = True


def test_it_refuses_to_run_with_debug_off_unless_forced(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        seed()
    assert not Site.objects.exists()
    seed("--force", "--children", "3")
    assert Child.objects.count() == 3


def test_it_creates_the_demo_people_who_can_sign_in(client) -> None:
    output = seed()
    assert f"password for all: {DEMO_PASSWORD}" in output
    for username in PERSONAS:
        assert username in output
        assert client.login(username=username, password=DEMO_PASSWORD), username
    assert Site.objects.count() == 2
    assert Child.objects.count() == 40


def test_it_fills_every_category_of_record_and_links_the_parents() -> None:
    seed()
    child_categories = set(Record.objects.filter(child__isnull=False).values_list("category", flat=True))
    assert child_categories == {c.value for c in Category} - {Category.STAFF_RECORD}
    assert Record.objects.filter(category=Category.STAFF_RECORD).exists()
    assert Attachment.objects.count() == 3
    parent = Carer.objects.get(user__username="parent")
    assert [c.full_name for c in parent.children.all()] == ["Ava Smith"]
    parent2 = Carer.objects.get(user__username="parent2")
    sites = {c.site.name for c in parent2.children.all()}
    assert sites == {"Oakfield Children's Centre", "Riverside Nursery"}


def test_it_is_idempotent() -> None:
    seed()
    counts = (Child.objects.count(), Record.objects.count(), User.objects.count())
    assert "already loaded; nothing changed" in seed()
    assert (Child.objects.count(), Record.objects.count(), User.objects.count()) == counts


def test_it_is_deterministic() -> None:
    def snapshot() -> list[tuple[str, str, str]]:
        return sorted((str(c.pk), c.full_name, c.date_of_birth.isoformat()) for c in Child.objects.all())

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        seed("--children", "12")
        first = snapshot()
        raise Undo
    assert not Child.objects.exists()
    seed("--children", "12")
    assert snapshot() == first


def test_it_only_loads_into_an_empty_database_when_asked() -> None:
    Site.objects.create(name="A real setting")
    assert "demo data was not loaded" in seed("--if-empty")
    assert not Child.objects.exists()


def test_it_scales_up_with_encryption_intact() -> None:
    seed("--children", "300", "--records-per-child", "4")
    assert Child.objects.count() == 300
    assert Record.objects.filter(child__isnull=False).count() >= 300 * 4
    sample = Child.objects.order_by("?").first()
    assert sample is not None and sample.first_name and sample.date_of_birth


def test_it_rejects_nonsense_sizes() -> None:
    with pytest.raises(CommandError, match="--children must be at least 1"):
        seed("--children", "0")


def test_the_demo_people_see_what_their_role_gives_them() -> None:
    seed()
    people = {u.username: u for u in User.objects.all()}
    ava = Child.objects.get(first_name_bidx=Child._meta.get_field("first_name_bidx").digest("Ava"))
    kim_sees = set(children_for(people["keyworker"]))
    assert ava in kim_sees and 5 < len(kim_sees) < 20
    assert children_for(people["manager"]).count() == 20  # all of Oakfield
    assert children_for(people["manager2"]).count() == 20  # all of Riverside
    for nobody in ["student", "volunteer", "trustee", "parent", "hr"]:
        assert not children_for(people[nobody]).exists(), nobody
    concern = Record.objects.get(child=ava, category=Category.SAFEGUARDING_CONCERN)
    assert concern in records_for(people["keyworker"])  # named by the DSL
    assert concern not in records_for(people["keyworker2"])
