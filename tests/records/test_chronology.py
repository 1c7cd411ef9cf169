"""A child's chronology: every record the person may read, newest first, a page at a time."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from access.selectors import child_get_for_user
from records import services
from records.models import Category, Record, Tier
from records.selectors import category_counts
from tests.personas import GENERAL_CATEGORIES
from tests.query_counts import FACTS, REQUEST_OVERHEAD

pytestmark = pytest.mark.django_db

# The world fixture's records for Ava: one per general category, and two safeguarding ones.
WORLD_GENERAL = len(GENERAL_CATEGORIES)
# The child; who the person is (what they may do with it); the page's count and
# its records; the audit entry.
CHRONOLOGY_QUERIES = REQUEST_OVERHEAD + 1 + FACTS + 2 + 1
PAGE = 25
AVAS_CHRONOLOGY = '<h1>Chronology <span class="hint">· Ava Smith</span></h1>'
BASE = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)


def many_records(
    world, n: int, *, category: str = Category.PROGRESS, tier: str = Tier.GENERAL, start: int = 0
) -> list[Record]:
    """Records in Ava's file, written in one INSERT per batch. Each has its id before
    it is saved, so its encrypted fields are sealed for its own row (crypto/fields.py)."""
    records = [
        Record(
            id=uuid.uuid4(),
            child=world.ava,
            category=category,
            tier=tier,
            author=world.keyworker,
            title=f"Observation {i:04d}",
            body=f"Observation number {i} of Ava at play.",
            occurred_at=BASE - datetime.timedelta(hours=i),
        )
        for i in range(start, start + n)
    ]
    return Record.objects.bulk_create(records, batch_size=500)


def chronology(client, world, **query: str):
    return client.get(reverse("child_chronology", args=[world.ava.pk]), query)


def titles(html: str) -> list[str]:
    return re.findall(r'<p class="record-title"><a href="/records/[0-9a-f-]{36}/">([^<]*)</a></p>', html)


def test_bulk_created_records_are_sealed_and_open_again(world) -> None:
    first = many_records(world, 3)[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title, body FROM records_record WHERE id = %s",
            [first.pk.hex if connection.vendor == "sqlite" else first.pk],
        )
        raw = cursor.fetchone()
    assert "Observation" not in raw[0] and "Ava" not in raw[1]
    assert Record.objects.get(pk=first.pk).title == "Observation 0000"


def test_page_one_runs_the_same_queries_for_thirty_and_a_thousand_records(
    client, world, django_assert_num_queries
) -> None:
    client.force_login(world.keyworker)
    many_records(world, 30)
    chronology(client, world)  # the content-type cache is warm from here on
    with django_assert_num_queries(CHRONOLOGY_QUERIES):
        small = chronology(client, world)
    assert f"{30 + WORLD_GENERAL} records, page 1 of 2." in small.content.decode()

    many_records(world, 970, start=30)
    with django_assert_num_queries(CHRONOLOGY_QUERIES):
        large = chronology(client, world)
    html = large.content.decode()
    assert large.status_code == 200
    assert f"{1000 + WORLD_GENERAL} records, page 1 of 41." in html
    assert len(titles(html)) == PAGE


def test_a_dsl_reading_both_parts_also_runs_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
) -> None:
    client.force_login(world.dsl)
    many_records(world, 30)
    chronology(client, world)
    with django_assert_num_queries(CHRONOLOGY_QUERIES):
        chronology(client, world)
    many_records(world, 500, start=30, category=Category.OTHER, tier=Tier.SAFEGUARDING)
    with django_assert_num_queries(CHRONOLOGY_QUERIES):
        response = chronology(client, world, page="7")
    assert "page 7 of" in response.content.decode()


def test_pages_follow_each_other_newest_first(client, world) -> None:
    client.force_login(world.keyworker)
    many_records(world, 60)
    total = 60 + WORLD_GENERAL  # 74: pages of 25, 25 and 24
    pages = [titles(chronology(client, world, page=str(n)).content.decode()) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [PAGE, PAGE, total - 2 * PAGE]
    everything = [t for p in pages for t in p]
    assert len(set(everything)) == total
    # The world's records happened on 1 September 2026; the observations from 1 June back, hour by hour.
    assert set(everything[:WORLD_GENERAL]) == {f"{c.label} for Ava" for c in GENERAL_CATEGORIES}
    assert everything[WORLD_GENERAL:] == [f"Observation {i:04d}" for i in range(60)]
    # Past the last page, the last page is shown rather than an error.
    assert titles(chronology(client, world, page="4").content.decode()) == pages[2]


def test_page_links_keep_the_filters(client, world) -> None:
    client.force_login(world.keyworker)
    many_records(world, 30)
    html = chronology(client, world, category="progress").content.decode()
    assert "31 records, page 1 of 2." in html
    assert 'href="?category=progress&amp;page=2"' in html


def test_a_page_that_is_not_a_number_shows_the_first(client, world) -> None:
    client.force_login(world.keyworker)
    response = chronology(client, world, page="'; DROP TABLE records_record; --")
    assert response.status_code == 200
    assert len(titles(response.content.decode())) == WORLD_GENERAL


def test_the_category_filter_shows_only_that_category(client, world) -> None:
    client.force_login(world.keyworker)
    many_records(world, 5, category=Category.BEHAVIOUR)
    html = chronology(client, world, category="behaviour").content.decode()
    shown = titles(html)
    assert len(shown) == 6 and "Behaviour for Ava" in shown
    assert "Progress for Ava" not in shown
    assert '<option value="behaviour" selected>' in html


def test_an_unknown_category_is_ignored(client, world) -> None:
    client.force_login(world.keyworker)
    html = chronology(client, world, category="<script>").content.decode()
    assert len(titles(html)) == WORLD_GENERAL and "<script>" not in html


def test_the_dsl_can_show_either_part_of_the_file(client, world) -> None:
    client.force_login(world.dsl)
    everything = titles(chronology(client, world).content.decode())
    safeguarding = titles(chronology(client, world, tier="safeguarding").content.decode())
    general = titles(chronology(client, world, tier="general").content.decode())
    assert set(safeguarding) == {"Bruise on arrival", "Concern about a member of staff"}
    assert len(general) == WORLD_GENERAL and not set(general) & set(safeguarding)
    assert set(everything) == set(general) | set(safeguarding)
    concerns = titles(chronology(client, world, category="safeguarding_concern").content.decode())
    assert concerns == ["Bruise on arrival"]


@pytest.mark.parametrize("persona", ["keyworker", "manager", "senior", "granted_student"])
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"tier": "safeguarding"},
        {"category": "safeguarding_concern"},
        {"tier": "safeguarding", "category": "safeguarding_concern"},
        {"tier": "personnel"},
    ],
)
def test_people_who_may_not_read_safeguarding_never_see_it(client, world, persona, query) -> None:
    many_records(world, 3, category=Category.OTHER, tier=Tier.SAFEGUARDING)
    client.force_login(getattr(world, persona))
    response = chronology(client, world, **query)
    html = response.content.decode()
    assert response.status_code == 200 and AVAS_CHRONOLOGY in html
    for secret in [
        "Bruise on arrival",
        "daddy was cross",
        "Concern about a member of staff",
        "Observation",
        "Safeguarding</span>",
    ]:
        assert secret not in html, secret
    if "category" not in query:
        assert len(titles(html)) == WORLD_GENERAL
    assert 'name="tier"' not in html  # no choice of part: they may read only one


def test_someone_named_for_the_safeguarding_file_sees_only_it(client, world) -> None:
    client.force_login(world.named)
    html = chronology(client, world).content.decode()
    assert set(titles(html)) == {"Bruise on arrival", "Concern about a member of staff"}
    response = chronology(client, world, tier="general")
    assert response.status_code == 200
    html = response.content.decode()
    assert AVAS_CHRONOLOGY in html
    assert "Progress for Ava" not in html


def test_a_safeguarding_record_about_the_reader_is_not_in_their_chronology(client, world) -> None:
    client.force_login(world.accused)  # deputy DSL, and the subject of one record
    shown = titles(chronology(client, world, tier="safeguarding").content.decode())
    assert shown == ["Bruise on arrival"]


@pytest.mark.parametrize(
    "persona",
    ["colleague", "outsider", "outside_manager", "carer_staff", "parent", "student", "trustee", "superuser"],
)
def test_the_chronology_is_404_for_people_without_need_to_know(client, world, persona) -> None:
    client.force_login(getattr(world, persona))
    assert chronology(client, world).status_code == 404
    assert chronology(client, world, tier="safeguarding").status_code == 404


def test_superseded_revisions_are_not_listed(client, world) -> None:
    progress = world.ava_progress
    revision = services.record_amend(
        actor=world.keyworker,
        record=progress,
        title="Progress, corrected",
        body="Uses three-word phrases.",
        reason="Misheard",
    )
    client.force_login(world.keyworker)
    html = chronology(client, world).content.decode()
    shown = titles(html)
    assert "Progress, corrected" in shown and "Progress for Ava" not in shown
    assert len(shown) == WORLD_GENERAL
    assert f"{WORLD_GENERAL} records" in html
    assert "Amended" in html
    progress.refresh_from_db()
    assert progress.status == Record.Status.SUPERSEDED and revision.supersedes_id == progress.pk


def test_the_file_summary_counts_current_records_by_category(client, world) -> None:
    services.record_amend(
        actor=world.keyworker,
        record=world.ava_progress,
        title="Progress, corrected",
        body="Three words.",
        reason="Misheard",
    )
    many_records(world, 4, category=Category.PROGRESS)
    counts = {
        c: n
        for c, _, n in category_counts(
            user=world.keyworker, child=child_get_for_user(user=world.keyworker, child_id=world.ava.pk)
        )
    }
    assert counts["progress"] == 5
    assert "safeguarding_concern" not in counts and "other" in counts and counts["other"] == 1
