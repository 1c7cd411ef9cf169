"""Emergency access ("break-glass"): who may, what opens, when it closes, who is told,
and the DSL's review (access/services/break_glass.py)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import BreakGlass, Scope
from access.services import break_glass as services
from access.services import conflict_record
from audit.models import AuditEntry, Event
from records.models import Notification

pytestmark = pytest.mark.django_db

OPENED = datetime.datetime(2026, 11, 20, 10, 15, 23, tzinfo=datetime.UTC)


def open_for(person, world, **kwargs):
    arguments = {"reason_kind": BreakGlass.Reason.ALLERGY, "reason": "Ava's lips are swelling."} | kwargs
    return services.break_glass_open(actor=person, child=world.ava, **arguments)


def reads_ava(person, world) -> bool:
    policy.forget_facts()
    return policy.reads_general(policy.load_facts(person), world.ava)


def test_a_colleague_at_the_site_opens_the_general_file_and_nothing_else(world) -> None:
    assert not reads_ava(world.colleague, world)
    use = open_for(world.colleague, world)
    facts = policy.load_facts(world.colleague)
    assert policy.reads_general(facts, world.ava)
    assert not policy.reads_safeguarding(facts, world.ava)
    assert not policy.reads_record(facts, world.ava_concern)
    assert policy.reads_record(facts, world.ava_progress)
    assert use.grant.break_glass and use.grant.grantee == use.grant.granted_by == world.colleague
    assert use.grant.scope == Scope.CHILD_FILE


def test_it_closes_at_the_minute_it_says_without_any_job(world, settings) -> None:
    settings.BREAK_GLASS_MINUTES = 60
    with time_machine.travel(OPENED, tick=False) as clock:
        use = open_for(world.colleague, world)
        # 10:15:23 + 60 minutes, rounded up to the whole minute: until 11:16.
        assert use.expires_at == datetime.datetime(2026, 11, 20, 11, 16, tzinfo=datetime.UTC)
        clock.move_to(datetime.datetime(2026, 11, 20, 11, 15, 59, tzinfo=datetime.UTC))
        assert reads_ava(world.colleague, world)
        clock.move_to(datetime.datetime(2026, 11, 20, 11, 16, tzinfo=datetime.UTC))
        assert not reads_ava(world.colleague, world)


def test_the_page_closes_at_the_minute_too(client, world) -> None:
    with time_machine.travel(OPENED, tick=False) as clock:
        client.force_login(world.colleague)
        response = client.post(
            reverse("break_glass_new", args=[world.ava.pk]),
            {"reason_kind": "taken_ill", "reason": "High temperature, parents not answering"},
        )
        assert response.status_code == 302
        page = client.get(reverse("child_file", args=[world.ava.pk]))
        assert page.status_code == 200 and "open to you until" in page.content.decode()
        clock.move_to(datetime.datetime(2026, 11, 20, 11, 15, 59, tzinfo=datetime.UTC))
        client.force_login(world.colleague)  # (the session's idle time is shorter than the access)
        assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 200
        clock.move_to(datetime.datetime(2026, 11, 20, 11, 16, tzinfo=datetime.UTC))
        assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 404


def test_opening_writes_one_break_glass_entry_saying_when_it_ends_and_ending_early_one_more(world) -> None:
    with time_machine.travel(OPENED, tick=False) as clock:
        use = open_for(world.colleague, world)
        entries = AuditEntry.objects.filter(event=Event.BREAK_GLASS)
        assert entries.count() == 1
        entry = entries.get()
        assert entry.child_id == world.ava.pk and entry.actor == world.colleague
        assert "until 2026-11-20 11:16" in entry.reason and use.reference in entry.reason
        clock.move_to(OPENED + datetime.timedelta(minutes=20))
        services.break_glass_end(actor=world.colleague, use=use)
        assert entries.count() == 2
        assert "ended early" in entries.order_by("-id").first().reason
        assert not reads_ava(world.colleague, world)
        services.break_glass_end(actor=world.colleague, use=use)  # already closed: nothing more
        assert entries.count() == 2


def test_only_the_person_ends_their_access(world) -> None:
    use = open_for(world.colleague, world)
    with pytest.raises(PermissionDenied):
        services.break_glass_end(actor=world.dsl, use=use)


def test_the_dsl_and_the_manager_are_told_at_once_and_the_email_holds_only_a_reference(world) -> None:
    for person in (world.dsl, world.manager, world.accused):
        person.email = f"{person.username}@example.org"
        person.save()
    mail.outbox.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("access.services.break_glass.after_commit", lambda work, name: work())
        use = open_for(world.colleague, world)
    told = set(
        Notification.objects.filter(message__contains=use.reference).values_list("recipient", flat=True)
    )
    assert {world.dsl.pk, world.manager.pk, world.accused.pk} <= told and world.colleague.pk not in told
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        text = message.subject + message.body
        assert use.reference in text
        for private in ("Ava", "Smith", str(world.ava.pk), world.ava.pk.hex, "swelling", "Colin"):
            assert private not in text


@pytest.mark.parametrize(
    ("persona", "message"),
    [
        ("student", "Students and volunteers cannot use emergency access"),
        ("volunteer", "Students and volunteers cannot use emergency access"),
        ("outsider", "not at a setting where you work"),
        ("trustee", "not at a setting where you work"),
        ("keyworker", "You can already open this child's file"),
    ],
)
def test_it_is_refused_with_a_message_to_those_it_is_not_for(world, persona, message) -> None:
    with pytest.raises(ValidationError) as refused:
        open_for(world.people[persona], world)
    assert message in " ".join(refused.value.messages)
    assert not BreakGlass.objects.exists()


def test_a_reason_is_required(world) -> None:
    with pytest.raises(ValidationError) as refused:
        open_for(world.colleague, world, reason="  ", reason_kind="")
    assert set(refused.value.message_dict) == {"reason", "reason_kind"}
    assert not BreakGlass.objects.exists() and not reads_ava(world.colleague, world)


def test_it_never_opens_the_safeguarding_file(world) -> None:
    with pytest.raises(ValidationError) as refused:
        open_for(world.colleague, world, scope=Scope.SAFEGUARDING_FILE)
    assert "never the safeguarding file" in " ".join(refused.value.messages)
    assert not BreakGlass.objects.exists()


def test_a_conflicted_person_is_refused_and_the_dsl_told(world) -> None:
    conflict_record(actor=world.manager, child=world.ava, user=world.colleague, reason="Ava's neighbour")
    with pytest.raises(ValidationError) as refused:
        open_for(world.colleague, world)
    assert "kept out of it" in " ".join(refused.value.messages)
    assert not BreakGlass.objects.exists() and not reads_ava(world.colleague, world)
    assert Notification.objects.filter(recipient=world.dsl, message__contains="refused").exists()
    assert AuditEntry.objects.filter(event=Event.BREAK_GLASS, reason__startswith="Refused").count() == 1


def test_a_relative_on_the_staff_is_refused(world) -> None:
    """Cara (carer_staff) is Ava's aunt and senior staff: not even an emergency opens the file to her."""
    with pytest.raises(ValidationError):
        open_for(world.carer_staff, world)
    assert not BreakGlass.objects.exists()


def test_someone_a_record_in_the_file_is_about_is_refused(world) -> None:
    """Alex (accused) is the subject of a record in Ava's file: kept out, whatever the emergency."""
    world.accused.memberships.filter(role="dsl").update(role="practitioner")
    with pytest.raises(ValidationError) as refused:
        open_for(world.accused, world)
    assert "kept out of it" in " ".join(refused.value.messages)


def test_the_page_refuses_without_a_reason_and_saves_nothing(client, world) -> None:
    client.force_login(world.colleague)
    response = client.post(reverse("break_glass_new", args=[world.ava.pk]), {"reason_kind": "", "reason": ""})
    assert response.status_code == 400
    assert "Say what the emergency is" in response.content.decode()
    assert not BreakGlass.objects.exists()


def test_the_page_is_not_found_for_a_child_at_another_site(client, world) -> None:
    client.force_login(world.colleague)
    url = reverse("break_glass_new", args=[world.other_child.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason_kind": "taken_ill", "reason": "Fever"}).status_code == 404
    assert not BreakGlass.objects.exists()


def test_a_student_posting_the_form_is_refused_and_nothing_opens(client, world) -> None:
    client.force_login(world.student)
    response = client.post(
        reverse("break_glass_new", args=[world.ava.pk]), {"reason_kind": "taken_ill", "reason": "Fever"}
    )
    assert response.status_code == 400 and "Students and volunteers" in response.content.decode()
    assert not BreakGlass.objects.exists()


# --- the review ------------------------------------------------------------------------


def test_the_dsl_reviews_each_use_and_the_person_sees_the_outcome(client, world) -> None:
    use = open_for(world.colleague, world)
    client.force_login(world.dsl)
    queue = client.get(reverse("break_glass_queue")).content.decode()
    assert use.reference in queue
    response = client.post(
        reverse("break_glass_review", args=[use.pk]), {"justified": "no", "comment": "The card had it all."}
    )
    assert response.status_code == 302
    use.refresh_from_db()
    assert use.justified is False and use.reviewed_by == world.dsl
    client.force_login(world.colleague)
    mine = client.get(reverse("break_glass_mine")).content.decode()
    assert "Not justified" in mine and "The card had it all." in mine
    assert Notification.objects.filter(recipient=world.colleague, message__contains="not justified").exists()


def test_the_review_needs_a_decision_and_a_comment(client, world) -> None:
    use = open_for(world.colleague, world)
    client.force_login(world.dsl)
    response = client.post(reverse("break_glass_review", args=[use.pk]), {})
    assert response.status_code == 400
    use.refresh_from_db()
    assert use.reviewed_at is None


def test_nobody_reviews_their_own_use(client, world) -> None:
    """Pat (two_sites) manages Riverside; made DSL there, Pat breaks the glass at Oakfield
    and still cannot review it: another DSL does."""
    use = open_for(world.two_sites, world)
    world.two_sites.memberships.filter(role="practitioner").update(role="deputy_dsl")
    with pytest.raises(PermissionDenied):
        services.break_glass_review(actor=world.two_sites, use=use, justified=True, comment="Fine")
    client.force_login(world.two_sites)
    assert client.get(reverse("break_glass_review", args=[use.pk])).status_code == 404
    assert use.reference not in client.get(reverse("break_glass_queue")).content.decode()


@pytest.mark.parametrize(
    "persona", ["colleague", "manager", "keyworker", "outsider", "outside_manager", "chair"]
)
def test_the_review_page_is_not_found_for_anyone_but_the_dsl(client, world, persona) -> None:
    use = open_for(world.colleague, world)
    client.force_login(world.people[persona])
    assert client.get(reverse("break_glass_review", args=[use.pk])).status_code == 404
    assert (
        client.post(
            reverse("break_glass_review", args=[use.pk]), {"justified": "yes", "comment": "x"}
        ).status_code
        == 404
    )


def test_repeated_use_is_flagged_to_the_manager(world, settings) -> None:
    settings.BREAK_GLASS_REPEAT_COUNT, settings.BREAK_GLASS_REPEAT_DAYS = 3, 30
    start = timezone.now() - datetime.timedelta(days=20)
    uses = []
    for day in range(3):
        with time_machine.travel(start + datetime.timedelta(days=day * 5), tick=False):
            uses.append(open_for(world.colleague, world))
            services.break_glass_end(actor=world.colleague, use=uses[-1])
    assert [u.repeated for u in uses] == [False, False, True]
    assert Notification.objects.filter(
        recipient=world.manager, message__contains="3 times in 30 days"
    ).exists()


def test_uses_long_ago_do_not_count_as_repeated(world, settings) -> None:
    settings.BREAK_GLASS_REPEAT_COUNT, settings.BREAK_GLASS_REPEAT_DAYS = 2, 30
    with time_machine.travel(timezone.now() - datetime.timedelta(days=60), tick=False):
        services.break_glass_end(actor=world.colleague, use=open_for(world.colleague, world))
    assert not open_for(world.colleague, world).repeated


def test_the_queue_lists_uses_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
) -> None:
    client.force_login(world.dsl)
    open_for(world.colleague, world)
    client.get(reverse("break_glass_queue"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("break_glass_queue"))
    for person in (world.hr, world.kitchen, world.two_sites):
        open_for(person, world)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("break_glass_queue"))
    assert page.content.decode().count("BG-") >= 4
