"""The audit pages: who sees which entries, filters, the export, and fixed query counts."""

from __future__ import annotations

import csv
import io
import re
import urllib.parse

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from access.models import Scope
from access.services import grant_child_access
from audit.models import AuditEntry, Event
from records.models import Child, Record
from tests.query_counts import FACTS, REQUEST_OVERHEAD

pytestmark = pytest.mark.django_db


def view(client, person, url: str) -> str:
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_access_history_shows_who_opened_the_file_and_why(client, world) -> None:
    view(client, world.keyworker, reverse("child_file", args=[world.ava.pk]))
    html = view(client, world.manager, reverse("access_history", args=[world.ava.pk]))
    assert "Kim Tester" in html and "Viewed" in html
    assert "Shadowing Kim this term" not in html  # grant reasons stay on the grant
    assert "Child&#x27;s file to Gina Tester" in html


def test_the_trail_names_people_by_id_and_the_pages_put_the_names_back(client, world) -> None:
    reasons = list(AuditEntry.objects.exclude(reason="").values_list("reason", flat=True))
    assert any(f"person {world.granted_student.pk}" in reason for reason in reasons)
    assert not [reason for reason in reasons if "Gina" in reason or "Kim" in reason or "Tester" in reason]
    html = view(client, world.manager, reverse("audit_log"))
    assert "Key person: Kim Tester" in html and f"person {world.keyworker.pk}" not in html


def test_entries_about_safeguarding_records_are_hidden_from_those_who_cannot_read_them(client, world) -> None:
    view(client, world.dsl, reverse("record_detail", args=[world.ava_concern.pk]))
    manager_sees = view(client, world.manager, reverse("access_history", args=[world.ava.pk]))
    dsl_sees = view(client, world.dsl, reverse("access_history", args=[world.ava.pk]))
    assert "Record “Bruise on arrival”" in dsl_sees
    assert "<h1>Ava Smith</h1>" in manager_sees and "Record “Progress for Ava”" in manager_sees
    assert "Bruise on arrival" not in manager_sees and "A record" not in manager_sees
    assert "safeguarding" not in manager_sees.lower().split("<main")[1].replace("safeguarding lead", "")


def test_the_audit_log_is_for_managers_and_dsls_of_the_site(client, world) -> None:
    for persona in ["keyworker", "colleague", "hr", "student", "superuser", "parent"]:
        client.force_login(world.people[persona])
        assert client.get(reverse("audit_log")).status_code == 404, persona
        assert client.get(reverse("audit_export")).status_code == 404, persona
    view(client, world.keyworker, reverse("child_file", args=[world.ava.pk]))
    html = view(client, world.manager, reverse("audit_log"))
    assert "Kim Tester" in html and "Ava Smith" in html
    other = view(client, world.outside_manager, reverse("audit_log"))
    assert "<h1>Audit log</h1>" in other and "<td>Owen Tester</td>" in other  # his own sign-in
    assert "Kim Tester" not in other and "Ava" not in other


def test_the_audit_log_filters_by_person_child_event_and_dates(client, world) -> None:
    view(client, world.keyworker, reverse("child_file", args=[world.ava.pk]))
    view(client, world.keyworker2, reverse("record_detail", args=[world.ava_progress.pk]))
    client.force_login(world.manager)
    by_person = client.get(reverse("audit_log"), {"person": world.keyworker2.pk}).content.decode()
    assert "Sam Tester" in by_person and "Kim Tester</td>" not in by_person
    by_event = client.get(reverse("audit_log"), {"event": Event.GRANTED}).content.decode()
    assert "Granted" in by_event and "<td>Viewed" not in by_event
    by_child = client.get(reverse("audit_log"), {"child": world.ava.pk, "event": Event.VIEWED})
    by_child = by_child.content.decode()
    assert "Ava Smith" in by_child
    none = client.get(reverse("audit_log"), {"date_from": "2001-01-01", "date_to": "2001-01-02"})
    assert "Nothing recorded that matches." in none.content.decode()
    bad = client.get(reverse("audit_log"), {"date_from": "2026-12-01", "date_to": "2026-11-01"})
    assert "The end date is before the start date." in bad.content.decode()


def test_the_export_is_watermarked_filtered_and_itself_audited(client, world) -> None:
    view(client, world.keyworker, reverse("child_file", args=[world.ava.pk]))
    client.force_login(world.manager)
    response = client.get(reverse("audit_export"), {"person": world.keyworker.pk})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0].startswith("CONFIDENTIAL: audit log exported by Maria Tester")
    assert rows[1][:3] == ["time (UTC)", "person", "username"]
    assert {row[2] for row in rows[2:]} == {"keyworker"}
    assert "Ava" not in str(rows)
    assert AuditEntry.objects.filter(event=Event.EXPORTED, actor=world.manager).count() == 1


def test_my_activity_lists_what_i_opened(client, world) -> None:
    view(client, world.keyworker, reverse("record_detail", args=[world.ava_progress.pk]))
    html = view(client, world.keyworker, reverse("my_activity"))
    assert "Ava Smith" in html and "Record “Progress for Ava”" in html
    assert "Maria Tester" not in html


def many_entries(world, n: int) -> None:
    """n more entries about Ava and her records by several people (the trail only ever grows)."""
    child_type = ContentType.objects.get_for_model(Child)
    record_type = ContentType.objects.get_for_model(Record)
    people = [world.keyworker, world.keyworker2, world.senior]
    records = list(world.ava_general.values())
    AuditEntry.objects.bulk_create(
        AuditEntry(
            content_type=record_type if i % 2 else child_type,
            object_pk=str(records[i % len(records)].pk if i % 2 else world.ava.pk),
            object_repr="entry",
            action=3,
            actor=people[i % 3],
            event=Event.VIEWED,
            child_id=world.ava.pk,
            tier="general",
        )
        for i in range(n)
    )
    grant_child_access(
        actor=world.manager, child=world.ava, grantee=world.volunteer, scope=Scope.CHILD_FILE, reason="Cover"
    )


@pytest.mark.parametrize(
    ("persona", "url_name", "queries"),
    [
        # who the person is; the records about the viewer (hidden); a page of entries with actors
        # (keyset paging: no count); the records and children named on it; the people its
        # reasons name (grants, key people: by id in the trail); the people for the filter;
        # audit entry
        ("manager", "audit_log", REQUEST_OVERHEAD + FACTS + 1 + 1 + 2 + 1 + 1 + 1),
        # child; who the person is; the records about the viewer; a page of entries with actors;
        # the records named on it; the people its reasons name; audit entry
        ("manager", "access_history", REQUEST_OVERHEAD + 1 + FACTS + 1 + 1 + 1 + 1 + 1),
        # a page of entries; who the person is; the records and children named on it; audit entry
        ("keyworker", "my_activity", REQUEST_OVERHEAD + 1 + FACTS + 2 + 1),
    ],
)
def test_audit_pages_run_a_fixed_number_of_queries(
    client, world, django_assert_num_queries, persona, url_name, queries
) -> None:
    url = reverse(url_name, args=[world.ava.pk]) if url_name == "access_history" else reverse(url_name)
    view(client, world.people[persona], reverse("child_file", args=[world.ava.pk]))
    view(client, world.people[persona], reverse("record_detail", args=[world.ava_progress.pk]))
    view(client, world.people[persona], url)  # warm the content-type cache
    with django_assert_num_queries(queries):
        client.get(url)
    many_entries(world, 300)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_older_pages_reach_every_entry_once_and_a_damaged_link_starts_again(client, world) -> None:
    many_entries(world, 120)
    client.force_login(world.manager)
    url = reverse("access_history", args=[world.ava.pk])
    # Counted first: each page view adds an entry, newer than anything on the older pages.
    expected = AuditEntry.objects.filter(child_id=world.ava.pk, tier__in=["general", "access"]).count()
    seen: list[str] = []
    params: dict[str, str] = {}
    while True:
        html = client.get(url, params).content.decode()
        seen += re.findall(r'datetime="([^"]+)"', html)
        older = re.search(r'before=([^"&]+)"', html)
        if not older:
            break
        params = {"before": urllib.parse.unquote(older.group(1).replace("&amp;", "&"))}
    # Entries written together share a time (on PostgreSQL, the transaction's): the id breaks the tie,
    # so no entry is shown twice or skipped.
    assert len(seen) == expected > 120
    assert "Older" in client.get(url, {"before": "not-a-cursor"}).content.decode()  # the newest page
