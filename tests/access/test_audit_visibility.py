"""The trail shows nobody what the files would not: leaks found in review, kept found."""

from __future__ import annotations

import pytest
from django.contrib.admin import site as admin_site
from django.urls import reverse

from access.models import Grant, Role, Scope
from access.services import conflict_record, grant_revoke
from audit.models import AuditEntry
from tests.factories import ChildFactory, give_roles
from tests.personas import staff

pytestmark = pytest.mark.django_db


def page(client, viewer, url: str, **params) -> str:
    client.force_login(viewer)
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def history(client, person, world) -> str:
    """Ava's access history as this person sees it (and it is that page, not another)."""
    html = page(client, person, reverse("access_history", args=[world.ava.pk]))
    assert "<title>Access history · Confide</title>" in html and "<h1>Ava Smith</h1>" in html, person.username
    return html


def audit_log(client, viewer, **params) -> str:
    """The audit log as this person sees it (and it is that page, not another)."""
    html = page(client, viewer, reverse("audit_log"), **params)
    assert "<h1>Audit log</h1>" in html, viewer.username
    return html


def test_safeguarding_activity_never_shows_to_people_outside_the_safeguarding_file(client, world) -> None:
    grant_revoke(actor=world.dsl, grant=Grant.objects.get(scope=Scope.SAFEGUARDING_FILE))
    client.force_login(world.colleague)
    client.get(reverse("concern_raise", args=[world.ava.pk]))  # about to raise a concern
    client.force_login(world.dsl)
    client.get(reverse("grant_safeguarding_file", args=[world.ava.pk]))
    for person in [world.keyworker, world.granted_student, world.manager]:
        seen = history(client, person, world) + (audit_log(client, person) if person == world.manager else "")
        secrets = [
            "Safeguarding file to",
            "Raise-a-concern",
            "Grant page: safeguarding",
            "safeguarding</span>",
        ]
        assert "Record “Progress for Ava”" in seen, person.username  # the general file's entries show
        for secret in secrets:
            assert secret not in seen, (person.username, secret)
    dsl_sees = history(client, world.dsl, world)
    assert "Safeguarding file to Nia Tester" in dsl_sees and "Raise-a-concern page" in dsl_sees


def test_access_management_shows_only_to_people_who_see_the_access_tab(client, world) -> None:
    conflict_record(actor=world.manager, child=world.ava, user=world.volunteer, reason="Neighbour")
    kim_sees = history(client, world.keyworker, world)
    assert "Record “Progress for Ava”" in kim_sees
    assert "Conflict of interest recorded" not in kim_sees
    assert "Conflict of interest recorded" in history(client, world.manager, world)


def test_nobody_sees_who_opened_a_record_about_themselves(client, world) -> None:
    client.force_login(world.dsl)
    client.get(reverse("record_detail", args=[world.ava_about_accused.pk]))
    about = str(world.ava_about_accused.pk)
    assert about not in AuditEntry.objects.none().values_list("object_pk", flat=True)
    accused_sees = history(client, world.accused, world) + audit_log(client, world.accused)
    assert "Record “Progress for Ava”" in accused_sees
    assert "Concern about a member of staff" not in accused_sees
    entries_shown = AuditEntry.objects.filter(object_pk=about)
    assert entries_shown.exists()  # it is recorded; the accused just cannot see it
    dsl_sees = history(client, world.dsl, world)
    assert "Concern about a member of staff" in dsl_sees


def test_a_conflicted_manager_finds_nothing_about_that_child(client, world) -> None:
    other_manager = staff("second_manager", "Mo", world.site, "manager")
    conflict_record(actor=world.manager, child=world.ava, user=other_manager, reason="Ava's uncle")
    client.force_login(world.keyworker)
    client.get(reverse("child_file", args=[world.ava.pk]))
    html = audit_log(client, other_manager, child=world.ava.pk)
    assert "Nothing recorded that matches." in html
    client.force_login(other_manager)
    rows = b"".join(client.get(reverse("audit_export"), {"child": world.ava.pk}).streaming_content)
    assert rows.decode().count("\n") == 2  # the watermark and the header, nothing else


def test_another_sites_files_stay_out_of_the_log_even_when_opened_by_our_staff(client, world) -> None:
    both = staff("both_sites", "Bo", world.site, "manager")
    give_roles(both, world.other_site, Role.MANAGER)
    noah = world.other_child
    client.force_login(both)
    client.get(reverse("child_file", args=[noah.pk]))
    html = audit_log(client, world.manager, person=both.pk)
    assert "<td>Bo Tester</td> <td>Signed in</td>" in " ".join(html.split())  # his own sign-in shows
    assert str(noah.pk) not in html and "Noah" not in html
    everyone = audit_log(client, world.manager)
    assert "Bo Tester" in everyone and "Kim Tester" in everyone
    assert "Owen" not in everyone  # the filter lists our staff only


def test_the_admin_does_not_show_the_trail(client, world) -> None:
    assert not admin_site.is_registered(AuditEntry)
    client.force_login(world.superuser)
    assert client.get("/admin/audit/auditentry/").status_code == 404


def test_a_form_shown_again_with_errors_is_audited_like_the_first_time(client, world) -> None:
    client.force_login(world.keyworker)
    before = AuditEntry.objects.count()
    response = client.post(reverse("record_amend", args=[world.ava_progress.pk]), {"title": "", "reason": ""})
    assert response.status_code == 400 and "Amend “Progress for Ava”" in response.content.decode()
    assert AuditEntry.objects.count() == before + 1


def test_a_date_far_in_the_future_is_just_a_date(client, world) -> None:
    html = audit_log(client, world.manager, date_to="9999-12-31")
    assert "Audit log" in html


def test_a_correlation_header_cannot_write_into_the_trail(client, world) -> None:
    client.force_login(world.manager)
    client.post(
        reverse("conflict_add", args=[world.ava.pk]),
        {"user": world.senior.pk, "reason": "Cousin"},
        HTTP_X_CORRELATION_ID="Ava Smith, DOB 2022-03-14",
    )
    assert "Ava Smith" not in str(list(AuditEntry.objects.values()))


def test_the_export_records_its_filters_not_whatever_was_in_the_link(client, world) -> None:
    client.force_login(world.manager)
    client.get(reverse("audit_export"), {"event": "viewed", "note": "Ava Smith was here"})
    assert "Ava Smith" not in str(list(AuditEntry.objects.values()))


def test_people_with_a_history_are_archived_not_deleted(client, world) -> None:
    from django.db.models import ProtectedError

    from tests.factories import UserFactory

    visitor = UserFactory()
    client.force_login(visitor)
    client.get(reverse("my_activity"))
    with pytest.raises(ProtectedError):
        visitor.delete()


def test_children_of_other_sites_are_not_in_anyone_s_history(client, world) -> None:
    ChildFactory(site=world.other_site)
    seen = history(client, world.manager, world)
    assert "Record “Progress for Ava”" in seen
    assert "Noah" not in seen


def test_telling_the_dsl_about_a_concern_leaves_no_trace_on_anyone_elses_pages(client, world) -> None:
    client.force_login(world.colleague)
    client.post(
        reverse("concern_raise", args=[world.ava.pk]),
        {"what_happened": "Ava was hungry again", "occurred_at": "2026-11-20T09:15"},
    )
    assert AuditEntry.objects.filter(tier="private").exists()  # recorded all the same
    table = audit_log(client, world.manager).split("<tbody>")[1].split("</tbody>")[0]
    assert "<td>Colin Tester</td> <td>Signed in</td>" in " ".join(table.split())
    assert "A notification" not in table
    assert "Colin Tester</td> <td>Created" not in " ".join(table.split())  # only his sign-in shows


def test_a_safeguarding_only_reader_opening_the_history_is_hidden_from_general_readers(client, world) -> None:
    page(client, world.named, reverse("access_history", args=[world.ava.pk]))
    kim_sees = history(client, world.keyworker, world)
    assert "Record “Progress for Ava”" in kim_sees
    assert "Nia Tester" not in kim_sees
    assert "Nia Tester" in history(client, world.dsl, world)
