"""The policy register: drafting versions, adoption by the trustees with the chair's
signature (their password) or an uploaded signed copy, review dates and reminders,
acknowledgement lists, the parents' notices, and the trustees' home."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from access.models import Role
from audit.models import AuditEntry, Event
from crypto import attachments
from governance import jobs, services
from governance.models import Acknowledgement, ParentNoticeSeen, PolicyKind, PolicyVersion
from governance.templatetags.policy_text import render_policy
from records.models import Notification
from tests.governance.objects import adopted_policy

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"
NEXT_YEAR = datetime.datetime.now(tz=datetime.UTC).date() + datetime.timedelta(days=365)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def draft(world, *, policy=None, **kwargs) -> PolicyVersion:
    if policy is None:
        policy = services.policy_create(
            actor=world.manager,
            title="Mobile phones and cameras",
            kind=PolicyKind.MOBILE_PHONES,
            published_to_parents=False,
        )
    arguments = {
        "version": "1",
        "text": "Phones stay in the lockers.",
        "roles": [Role.PRACTITIONER],
        "review_by": NEXT_YEAR,
    }
    return services.version_draft(actor=world.manager, policy=policy, **(arguments | kwargs))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"version": ""}, "version"),
        ({"review_by": None}, "review_by"),
        ({"review_by": datetime.date(2020, 1, 1)}, "review_by"),
        ({"text": "", "document": None}, "text"),
    ],
)
def test_a_version_needs_a_name_a_future_review_date_and_its_text(world, changes, field) -> None:
    with pytest.raises(ValidationError) as refused:
        draft(world, **changes)
    assert field in refused.value.message_dict
    assert not PolicyVersion.objects.exists()


def test_a_version_name_is_used_once_per_policy(world) -> None:
    first = draft(world)
    with pytest.raises(ValidationError) as refused:
        draft(world, policy=first.policy)
    assert "already has a version 1" in refused.value.message_dict["version"][0]


def test_the_chair_adopts_by_signing_with_their_password_and_staff_are_asked_to_read_it(world) -> None:
    version = draft(world)
    with pytest.raises(ValidationError) as refused:
        services.version_adopt_sign(
            actor=world.chair, version=version, meeting_on=timezone.localdate(), password="wrong"
        )
    assert "not your password" in refused.value.message_dict["password"][0]
    version.refresh_from_db()
    assert version.status == PolicyVersion.Status.DRAFT
    adopted = services.version_adopt_sign(
        actor=world.chair, version=version, meeting_on=timezone.localdate(), password=PASSWORD
    )
    assert adopted.status == PolicyVersion.Status.CURRENT and adopted.signed_by == world.chair
    assert adopted.chair_name == "Chris Tester" and adopted.body == "trustees"
    assert adopted.acknowledge_by == adopted.adopted_at + datetime.timedelta(days=7)
    assert adopted.policy.current_version_id == adopted.pk
    told = set(
        Notification.objects.filter(url=reverse("policy_read", args=[adopted.pk])).values_list(
            "recipient", flat=True
        )
    )
    assert world.keyworker.pk in told and world.student.pk not in told
    entry = AuditEntry.objects.filter(event=Event.SIGNED_OFF).latest("id")
    assert entry.actor == world.chair and "adopted by the trustees" in entry.reason


def test_only_the_chair_signs_and_a_meeting_in_the_future_is_refused(world) -> None:
    version = draft(world)
    with pytest.raises(PermissionDenied):
        services.version_adopt_sign(
            actor=world.manager, version=version, meeting_on=timezone.localdate(), password=PASSWORD
        )
    with pytest.raises(ValidationError) as refused:
        services.version_adopt_sign(
            actor=world.chair,
            version=version,
            meeting_on=timezone.localdate() + datetime.timedelta(days=3),
            password=PASSWORD,
        )
    assert "meeting_on" in refused.value.message_dict


def test_a_manager_records_a_paper_adoption_with_the_signed_copy(world) -> None:
    version = draft(world)
    with pytest.raises(ValidationError) as refused:
        services.version_adopt_with_copy(
            actor=world.manager,
            version=version,
            meeting_on=timezone.localdate(),
            chair_name="",
            signed_copy=None,
        )
    assert {"chair_name", "signed_copy"} <= set(refused.value.message_dict)
    copy = attachments.check_upload(SimpleUploadedFile("signed.pdf", PDF))
    adopted = services.version_adopt_with_copy(
        actor=world.manager,
        version=version,
        meeting_on=timezone.localdate(),
        chair_name="Chris Tester",
        signed_copy=copy,
    )
    assert adopted.status == PolicyVersion.Status.CURRENT and adopted.signed_by is None
    assert adopted.files.get().purpose == "signed_copy"


def test_a_new_version_supersedes_the_old_which_stays_readable_with_who_read_it(client, world) -> None:
    first = adopted_policy(world, roles=[Role.PRACTITIONER])
    services.policy_acknowledge(actor=world.keyworker, version=first, confirmed=True)
    second = draft(world, policy=first.policy, version="2")
    services.version_adopt_sign(
        actor=world.chair, version=second, meeting_on=timezone.localdate(), password=PASSWORD
    )
    first.refresh_from_db()
    assert first.status == PolicyVersion.Status.SUPERSEDED
    client.force_login(world.manager)
    page = client.get(reverse("policy_detail", args=[first.policy_id])).content.decode()
    assert "Version 1" in page and "Version 2" in page and "Kim Tester" in page
    assert client.get(reverse("policy_read", args=[first.pk])).status_code == 200
    client.force_login(world.keyworker)
    assert (
        client.get(reverse("policy_read", args=[first.pk])).status_code == 404
    )  # old versions: the register's


def test_the_register_lists_who_has_and_has_not_read_it_and_reminds_them(client, world) -> None:
    version = adopted_policy(world, roles=[Role.PRACTITIONER])
    services.policy_acknowledge(actor=world.keyworker, version=version, confirmed=True)
    client.force_login(world.manager)
    page = client.get(reverse("policy_detail", args=[version.policy_id])).content.decode()
    assert "Acknowledged (1)" in page and "Not yet (" in page and "Colin Tester" in page
    Notification.objects.all().delete()
    assert client.post(reverse("policy_remind", args=[version.pk])).status_code == 302
    reminded = set(Notification.objects.values_list("recipient", flat=True))
    assert world.colleague.pk in reminded and world.keyworker.pk not in reminded


@pytest.mark.parametrize("persona", ["keyworker", "student", "parent", "superuser"])
def test_the_register_is_not_found_for_people_who_do_not_keep_it(client, world, persona) -> None:
    version = adopted_policy(world)
    client.force_login(world.people[persona])
    assert client.get(reverse("policy_detail", args=[version.policy_id])).status_code == 404
    assert client.post(reverse("policy_remind", args=[version.pk])).status_code == 404


def test_a_practitioner_cannot_draft_or_adopt(client, world) -> None:
    version = draft(world)
    client.force_login(world.keyworker)
    assert client.get(reverse("policy_new")).status_code == 404
    assert (
        client.post(
            reverse("version_adopt", args=[version.pk]), {"sign": "1", "password": PASSWORD}
        ).status_code
        == 404
    )


def test_the_chair_adopts_through_the_page(client, world) -> None:
    version = draft(world)
    client.force_login(world.chair)
    url = reverse("version_adopt", args=[version.pk])
    response = client.post(
        url, {"sign": "1", "meeting_on": timezone.localdate().isoformat(), "password": "nope"}
    )
    assert response.status_code == 400 and "not your password" in response.content.decode()
    response = client.post(
        url, {"sign": "1", "meeting_on": timezone.localdate().isoformat(), "password": PASSWORD}
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == PolicyVersion.Status.CURRENT


def test_a_policys_text_is_rendered_and_sanitised() -> None:
    html = render_policy(
        "# Title\n\nA <script>alert(1)</script> **bold** [link](javascript:alert(1))"
        " <img src=x onerror=alert(1)>"
    )
    assert "<h2>Title</h2>" in html and "<strong>bold</strong>" in html
    assert (
        "<script" not in html and "javascript:" not in html and "<img" not in html and "onerror" not in html
    )


def test_review_reminders_go_30_days_before_and_on_the_day_once_each(world) -> None:
    version = adopted_policy(world)
    version.review_by = timezone.localdate() + datetime.timedelta(days=31)
    version.save()
    Notification.objects.all().delete()
    assert jobs.review_reminders() == ""
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1), tick=False):
        assert jobs.review_reminders() == "1 review reminders"
        assert jobs.review_reminders() == ""
        told = set(Notification.objects.values_list("recipient", flat=True))
        assert told == {world.manager.pk, world.outside_manager.pk, world.two_sites.pk, world.chair.pk}
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31), tick=False):
        assert jobs.review_reminders() == "1 review reminders"
        assert Notification.objects.filter(message__contains="due for review today").count() == 4


def test_an_overdue_review_is_flagged_on_every_managers_home(client, world) -> None:
    version = adopted_policy(world)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=400), tick=False):
        for persona in ("manager", "outside_manager"):
            client.force_login(world.people[persona])
            home = client.get(reverse("home")).content.decode()
            assert "Policy reviews due" in home and "overdue" in home, persona
        client.force_login(world.keyworker)
        assert "Policy reviews due" not in client.get(reverse("home")).content.decode()
    assert version.review_by < (timezone.localdate() + datetime.timedelta(days=400))


def test_the_last_call_goes_the_day_before_files_close(world) -> None:
    version = adopted_policy(world, roles=[Role.PRACTITIONER])
    services.policy_acknowledge(actor=world.keyworker, version=version, confirmed=True)
    assert jobs.last_call() == ""
    with time_machine.travel(version.acknowledge_by - datetime.timedelta(hours=12), tick=False):
        summary = jobs.last_call()
        assert summary.startswith("reminded ")
        assert not Notification.objects.filter(recipient=world.keyworker, message__contains="today").exists()
        assert Notification.objects.filter(recipient=world.colleague, message__contains="today").exists()
        assert jobs.last_call() == ""


def test_acknowledging_is_audited_and_done_once(world) -> None:
    version = adopted_policy(world, roles=[Role.PRACTITIONER])
    services.policy_acknowledge(actor=world.keyworker, version=version, confirmed=True)
    services.policy_acknowledge(actor=world.keyworker, version=version, confirmed=True)
    assert Acknowledgement.objects.filter(user=world.keyworker).count() == 1
    assert AuditEntry.objects.filter(event=Event.POLICY_ACKNOWLEDGED, actor=world.keyworker).count() == 1


# --- parents -----------------------------------------------------------------------------


def test_parents_are_shown_the_notices_at_first_sign_in_and_again_when_one_changes(client, world) -> None:
    version = adopted_policy(world)  # published to parents
    client.force_login(world.parent)
    home = client.get(reverse("portal_home")).content.decode()
    assert "Please read: how we look after your information" in home and "Confidentiality" in home
    page = client.get(reverse("portal_policies")).content.decode()
    assert "<strong>confidential</strong>" in page
    assert client.post(reverse("portal_policies")).status_code == 302
    assert ParentNoticeSeen.objects.filter(user=world.parent, version=version).exists()
    assert "Please read" not in client.get(reverse("portal_home")).content.decode()
    second = draft(world, policy=version.policy, version="2", text="New text for parents.")
    services.version_adopt_sign(
        actor=world.chair, version=second, meeting_on=timezone.localdate(), password=PASSWORD
    )
    assert "Please read" in client.get(reverse("portal_home")).content.decode()


def test_policies_not_published_to_parents_are_not_shown_to_them(client, world) -> None:
    version = draft(world)
    services.version_adopt_sign(
        actor=world.chair, version=version, meeting_on=timezone.localdate(), password=PASSWORD
    )
    client.force_login(world.parent)
    assert "Mobile phones" not in client.get(reverse("portal_policies")).content.decode()
    assert client.get(reverse("policy_read", args=[version.pk])).status_code == 404


# --- the trustees' home -------------------------------------------------------------------


def test_a_trustee_gets_a_home_with_the_register_and_numbers_and_no_file(client, world) -> None:
    adopted_policy(world, roles=[Role.PRACTITIONER, Role.TRUSTEE])
    client.force_login(world.trustee)
    home = client.get(reverse("home")).content.decode()
    assert "For the trustees" in home and "Policies in force" in home and "Policies to read" in home
    assert "Ava" not in home
    assert client.get(reverse("policies")).status_code == 200
    assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 404
    assert client.get(reverse("staff_file", args=[world.staff_files["keyworker"].pk])).status_code == 404
