"""Concerns and allegations about staff: write-only for their author, read by the case
manager (the manager, or the chair when it is about the manager) and HR, never by the
person they are about, whatever roles they hold; the LADO and Ofsted clocks; outcomes."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import Role
from access.services import grant_staff_file_access
from audit.models import AuditEntry
from records import services
from records.models import Notification, StaffConcern
from tests.factories import give_roles
from tests.governance.objects import allegation_about_accused, concern_about_manager

pytestmark = pytest.mark.django_db

RAISED = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)


def pages_of(concern: StaffConcern) -> list[str]:
    return [reverse("staff_concern_detail", args=[concern.pk]), reverse("staff_concern_queue")]


def test_the_case_manager_and_hr_read_an_allegation_and_nobody_else(client, world) -> None:
    case = allegation_about_accused(world)
    assert case.case_manager == world.manager and not case.case_manager_is_chair
    for persona in ("manager", "hr"):
        client.force_login(world.people[persona])
        assert client.get(pages_of(case)[0]).status_code == 200, persona
    for persona in (
        "colleague",
        "dsl",
        "senior",
        "keyworker",
        "chair",
        "trustee",
        "outside_manager",
        "accused",
    ):
        client.force_login(world.people[persona])
        assert client.get(pages_of(case)[0]).status_code == 404, persona


@pytest.mark.parametrize("role", [Role.MANAGER, Role.HR, Role.DSL])
def test_the_person_it_is_about_sees_nothing_of_it_whatever_role_they_hold(client, world, role) -> None:
    case = allegation_about_accused(world)
    give_roles(world.accused, world.site, role)
    policy.forget_facts()
    client.force_login(world.accused)
    assert client.get(reverse("staff_concern_detail", args=[case.pk])).status_code == 404
    queue = client.get(reverse("staff_concern_queue")).content.decode()
    assert "grabbed" not in queue and str(case.pk) not in queue
    home = client.get(reverse("home")).content.decode()
    assert "Concerns about staff" not in home and "grabbed" not in home
    assert not Notification.objects.filter(recipient=world.accused).exists()
    if role in (Role.MANAGER, Role.HR):
        log = client.get(reverse("audit_log")).content.decode()
        assert str(case.pk) not in log
    staff_file = client.get(reverse("staff_file", args=[world.staff_files["accused"].pk])).content.decode()
    assert "grabbed" not in staff_file


def test_hr_finds_the_cases_in_the_staff_file_and_the_subject_never_does(client, world) -> None:
    case = allegation_about_accused(world)
    url = reverse("staff_file", args=[world.staff_files["accused"].pk])
    client.force_login(world.hr)
    assert reverse("staff_concern_detail", args=[case.pk]) in client.get(url).content.decode()
    client.force_login(world.accused)
    page = client.get(url).content.decode()
    assert page.count("Induction and training") == 1 and "Concerns and allegations" not in page


def test_a_concern_about_the_manager_goes_to_the_chair_and_hr_not_the_manager(client, world) -> None:
    case = concern_about_manager(world)
    assert case.case_manager == world.chair and case.case_manager_is_chair
    told = set(Notification.objects.filter(url__contains=str(case.pk)).values_list("recipient", flat=True))
    assert told == {world.chair.pk, world.hr.pk}
    client.force_login(world.chair)
    assert client.get(reverse("staff_concern_detail", args=[case.pk])).status_code == 200
    # The chair sees that case, and nothing else of the staff file.
    assert client.get(reverse("staff_file", args=[world.staff_files["manager"].pk])).status_code == 404
    assert (
        client.get(reverse("staff_concern_detail", args=[allegation_about_accused(world).pk])).status_code
        == 404
    )
    client.force_login(world.manager)
    assert client.get(reverse("staff_concern_detail", args=[case.pk])).status_code == 404


def test_the_author_sees_only_that_it_was_submitted(client, world) -> None:
    client.force_login(world.colleague)
    response = client.post(
        reverse("staff_concern_new", args=[world.staff_files["keyworker2"].pk]),
        {
            "kind": "low_level",
            "what_happened": "Sam swore at a child in the garden.",
            "occurred_at": "2026-11-20T10:00",
        },
    )
    assert response.status_code == 302
    case = StaffConcern.objects.get()
    home = client.get(reverse("home")).content.decode()
    assert "Concerns about staff you raised" in home and "submitted." in home
    assert "swore" not in home
    assert client.get(reverse("staff_concern_detail", args=[case.pk])).status_code == 404


def test_a_grant_on_the_staff_file_does_not_open_the_concerns_in_it(client, world) -> None:
    case = allegation_about_accused(world)
    grant_staff_file_access(
        actor=world.hr, staff_member=world.staff_files["accused"], grantee=world.senior, reason="Supervision"
    )
    client.force_login(world.senior)
    assert client.get(reverse("staff_concern_detail", args=[case.pk])).status_code == 404


def test_staff_refer_themselves_and_see_only_that_it_was_submitted(client, world) -> None:
    client.force_login(world.keyworker)
    response = client.post(
        reverse("staff_concern_new", args=[world.staff_files["keyworker"].pk]),
        {
            "what_happened": "I hugged a crying child in the nappy room with the door shut.",
            "occurred_at": "2026-11-20T10:00",
        },
    )
    assert response.status_code == 302
    case = StaffConcern.objects.get()
    assert case.kind == StaffConcern.Kind.SELF_REFERRAL and case.case_manager == world.manager
    assert client.get(reverse("staff_concern_detail", args=[case.pk])).status_code == 404


def test_a_concern_without_what_happened_is_refused_and_nothing_saved(client, world) -> None:
    client.force_login(world.colleague)
    response = client.post(
        reverse("staff_concern_new", args=[world.staff_files["keyworker2"].pk]),
        {"occurred_at": "2026-11-20T10:00"},
    )
    assert response.status_code == 400 and "Describe what you saw" in response.content.decode()
    assert not StaffConcern.objects.exists()


def test_a_concern_about_someone_at_another_setting_is_not_found(client, world) -> None:
    client.force_login(world.colleague)
    url = reverse("staff_concern_new", args=[world.staff_files["outsider"].pk])
    assert client.get(url).status_code == 404


def test_nobody_decides_a_case_about_themselves(world) -> None:
    case = allegation_about_accused(world)
    give_roles(world.accused, world.site, Role.HR)
    policy.forget_facts()
    with pytest.raises(ValidationError) as refused:
        services.staff_concern_close(actor=world.accused, concern=case, outcome="false", note="Not true")
    assert "about yourself" in " ".join(refused.value.messages)
    case.refresh_from_db()
    assert case.status == StaffConcern.Status.OPEN


# --- the clocks --------------------------------------------------------------------------


def allegation_at(world, when: datetime.datetime) -> StaffConcern:
    with time_machine.travel(when, tick=False):
        return services.staff_concern_raise(
            actor=world.colleague,
            staff_member=world.staff_files["keyworker2"],
            site_id=world.site.pk,
            kind=StaffConcern.Kind.ALLEGATION,
            what_happened="A child said Sam hit her.",
            occurred_at=when - datetime.timedelta(hours=1),
        )


def test_the_ofsted_countdown_turns_red_on_day_12(client, world) -> None:
    case = allegation_at(world, RAISED)
    client.force_login(world.hr)
    with time_machine.travel(RAISED + datetime.timedelta(days=11), tick=False):
        assert case.ofsted_days_left() == 3 and not case.ofsted_red()
        html = client.get(reverse("staff_concern_queue")).content.decode()
        assert 'class="flag" data-ofsted-countdown>Ofsted: 3 days left' in html
    with time_machine.travel(RAISED + datetime.timedelta(days=12), tick=False):
        client.force_login(world.hr)
        assert case.ofsted_red()
        html = client.get(reverse("staff_concern_detail", args=[case.pk])).content.decode()
        assert 'class="flag danger" data-ofsted-countdown>Ofsted: 2 days left (by 16 Nov)' in html
    services.staff_concern_record(
        actor=world.hr,
        concern=case,
        ofsted_notified_on=datetime.date(2026, 11, 3),
        ofsted_reference="OF-1234",
    )
    case.refresh_from_db()
    assert not case.ofsted_red(datetime.date(2026, 11, 15))


def test_the_lado_is_due_within_24_hours(world) -> None:
    case = allegation_at(world, RAISED)
    assert not case.lado_overdue(RAISED + datetime.timedelta(hours=23, minutes=59))
    assert case.lado_overdue(RAISED + datetime.timedelta(hours=24, seconds=1))
    with pytest.raises(ValidationError) as refused:
        services.staff_concern_record(actor=world.manager, concern=case, lado_contacted_at=timezone.now())
    assert "lado_officer" in refused.value.message_dict


def test_an_allegation_closes_only_with_the_lado_and_ofsted_recorded_and_an_outcome_from_the_list(
    world,
) -> None:
    case = allegation_at(world, timezone.now() - datetime.timedelta(days=2))
    with pytest.raises(ValidationError) as refused:
        services.staff_concern_close(actor=world.manager, concern=case, outcome="substantiated", note="Seen")
    assert "LADO" in " ".join(refused.value.messages)
    services.staff_concern_record(
        actor=world.manager,
        concern=case,
        lado_contacted_at=timezone.now() - datetime.timedelta(days=1),
        lado_officer="Jo Bright",
        lado_reference="LADO/26/118",
        lado_advice="Risk assessment; no suspension.",
        suspension=StaffConcern.Suspension.RISK_ASSESSMENT,
        police=StaffConcern.Police.NOT_INVOLVED,
    )
    services.staff_concern_record(
        actor=world.hr, concern=case, ofsted_notified_on=timezone.localdate(), ofsted_reference="OF-77"
    )
    with pytest.raises(ValidationError) as refused:
        services.staff_concern_close(actor=world.manager, concern=case, outcome="no_further_action", note="x")
    assert "outcome" in refused.value.message_dict
    services.staff_concern_close(actor=world.manager, concern=case, outcome="unfounded", note="No evidence.")
    case.refresh_from_db()
    assert case.status == StaffConcern.Status.CLOSED and case.outcome == "unfounded"
    assert [n.heading for n in case.notes.order_by("created_at")] == [
        "LADO contacted",
        "Suspension or risk assessment",
        "Police",
        "Ofsted told",
        "Closed: Unfounded",
    ]


def test_a_low_level_concern_has_its_own_decisions_and_can_be_referred_as_an_allegation(world) -> None:
    case = concern_about_manager(world)
    with pytest.raises(ValidationError):
        services.staff_concern_close(actor=world.chair, concern=case, outcome="malicious", note="x")
    services.staff_concern_refer_as_allegation(actor=world.chair, concern=case, reason="Photos of children.")
    case.refresh_from_db()
    assert case.is_allegation and case.allegation_from is not None and case.ofsted_days_left() == 14


def test_a_malicious_allegation_is_taken_out_of_the_personnel_record(client, world) -> None:
    case = allegation_at(world, timezone.now() - datetime.timedelta(days=3))
    services.staff_concern_record(
        actor=world.hr,
        concern=case,
        lado_contacted_at=timezone.now(),
        lado_officer="Jo Bright",
        ofsted_notified_on=timezone.localdate(),
        ofsted_reference="OF-9",
    )
    services.staff_concern_close(
        actor=world.hr, concern=case, outcome="malicious", note="Made up after a row."
    )
    client.force_login(world.hr)
    page = client.get(reverse("staff_concern_detail", args=[case.pk])).content.decode()
    assert "Remove the details from the personnel record" in page
    assert client.post(reverse("staff_concern_remove", args=[case.pk])).status_code == 302
    case.refresh_from_db()
    assert "hit her" not in case.what_happened and case.details_removed_at is not None
    assert all("Removed" in n.text for n in case.notes.all())


def test_the_childs_safeguarding_file_links_to_it_without_naming_it(client, world) -> None:
    case = allegation_about_accused(world)
    client.force_login(world.dsl)
    page = client.get(reverse("child_file", args=[world.ava.pk])).content.decode()
    assert "A concern about a member of staff involves this child" in page
    assert "grabbed" not in page and str(case.pk) not in page
    # The case manager, reading the safeguarding file too, gets the link.
    give_roles(world.manager, world.site, Role.DSL)
    policy.forget_facts()
    client.force_login(world.manager)
    assert str(case.pk) in client.get(reverse("child_file", args=[world.ava.pk])).content.decode()


def test_the_messages_about_it_name_nobody(world) -> None:
    case = allegation_about_accused(world)
    for note in Notification.objects.filter(url__contains=str(case.pk)):
        assert "Alex" not in note.message and "Ava" not in note.message
    for entry in AuditEntry.objects.filter(object_pk=str(case.pk)):
        assert "Alex" not in entry.reason and "grabbed" not in entry.reason


def test_handling_is_refused_to_read_only_people(client, world) -> None:
    case = allegation_about_accused(world)
    client.force_login(world.colleague)
    assert client.post(reverse("staff_concern_note", args=[case.pk]), {"note-text": "x"}).status_code == 404
    assert not case.notes.exists()


def test_hrs_queue_costs_the_same_queries_however_many_cases(
    client, world, django_assert_num_queries
) -> None:
    allegation_about_accused(world)
    client.force_login(world.hr)
    client.get(reverse("staff_concern_queue"))
    with django_assert_num_queries(8) as few:
        client.get(reverse("staff_concern_queue"))
    for n in range(6):
        allegation_at(world, timezone.now() - datetime.timedelta(days=n + 1))
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(reverse("staff_concern_queue")).content.decode()
    assert html.count("data-ofsted-countdown") == 7
