"""Requests for information and decisions, and the sharing log (on the page, as CSV):
every disclosure and every decision not to share, for every category."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEntry, Event
from sharing import services
from sharing.models import DecisionOutcome, InformationRequest, SharingDecision
from tests.sharing.helpers import consent, parts, police, police_request, recipient, share

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_police_request_answered_not_share_appears_in_the_sharing_log(client, world) -> None:
    found = police_request(world)
    client.force_login(world.manager)
    response = client.post(
        reverse("request_decide", args=[found.pk]),
        {
            "decide-outcome": "not_share",
            "decide-reason": "No Inspector's signature; no sign that sharing is needed for the enquiry.",
        },
    )
    assert response.status_code == 302
    decision = SharingDecision.objects.get()
    assert (decision.outcome, decision.information_request, decision.disclosure) == ("not_share", found, None)
    found.refresh_from_db()
    assert found.status == InformationRequest.Status.ANSWERED
    for url in (reverse("sharing_log"), reverse("child_sharing", args=[world.ava.pk])):
        assert "Request answered: do not share" in client.get(url).content.decode()
    rows = csv_rows(client.get(reverse("sharing_log_csv")))
    assert rows[0][0].startswith("CONFIDENTIAL: sharing log exported by Maria Tester")
    assert any(r[1] == "Request answered: do not share" and "Inspector" in r[13] for r in rows[2:])


def test_every_decision_needs_its_reason(world) -> None:
    with pytest.raises(ValidationError) as error:
        services.request_decide(
            actor=world.manager, information_request=police_request(world), outcome="not_share", reason=" "
        )
    assert "reason" in error.value.message_dict
    assert not SharingDecision.objects.exists()


def test_sharing_in_part_makes_the_disclosure_in_the_same_step(world) -> None:
    found = police_request(world)
    decision = services.request_decide(
        actor=world.manager,
        information_request=found,
        outcome=DecisionOutcome.SHARE_IN_PART,
        reason="Attendance only: nothing of what the family told us.",
        recipient=police(world),
        basis="legal_obligation",
        basis_reason="Crime and taxation exemption: DPA 2018 Sch. 2 Part 1 para. 2, signed request.",
        consent_position="not_sought_risk",
        purpose="crime",
        channel="letter",
        summary="Attendance dates for 6 to 17 October.",
        parents_told="no",
        parents_not_told_reason="The police asked us not to, to avoid prejudicing the enquiry.",
        items=parts(world.ava_progress, "title"),
    )
    assert decision.disclosure is not None and decision.disclosure.information_request == found
    assert decision.disclosure.hidden_from_parents  # to the police


def test_a_request_is_logged_and_decided_only_by_the_managers_and_the_dsl(client, world) -> None:
    for person in (world.keyworker, world.senior, world.outside_manager):
        with pytest.raises(PermissionDenied):
            services.request_log(
                actor=person,
                child=world.ava,
                authority="ofsted",
                requester_name="An inspector",
                asked_for="Records",
                received_at=world.ava_progress.occurred_at,
            )
        client.force_login(person)
        assert client.get(reverse("request_add", args=[world.ava.pk])).status_code == 404
    found = police_request(world)
    client.force_login(world.keyworker)
    assert client.get(reverse("request_detail", args=[found.pk])).status_code == 200  # reads Ava's file
    response = client.post(
        reverse("request_decide", args=[found.pk]), {"decide-outcome": "not_share", "decide-reason": "No."}
    )
    assert response.status_code == 404 and not SharingDecision.objects.exists()


def test_a_request_with_nothing_filled_in_says_what_is_missing(client, world) -> None:
    client.force_login(world.manager)
    response = client.post(reverse("request_add", args=[world.ava.pk]), {})
    assert response.status_code == 400
    html = response.content.decode()
    for message in ("Say on what authority they ask.", "Say who asked.", "Say what they asked for."):
        assert message in html
    assert not InformationRequest.objects.exists()


def test_a_decision_not_to_refer_is_in_the_log_beside_the_disclosures(client, world) -> None:
    consent(world)
    share(world, world.keyworker, recipient(world), [world.ava_progress])
    services.concern_decide_not_to_refer(actor=world.dsl, record=world.ava_concern, text="Below threshold.")
    client.force_login(world.dsl)
    html = client.get(reverse("child_sharing", args=[world.ava.pk])).content.decode()
    assert "Decision not to refer" in html and "Disclosure SH-" in html
    client.force_login(world.keyworker)  # Kim does not read the safeguarding file: not hers to see
    html = client.get(reverse("child_sharing", args=[world.ava.pk])).content.decode()
    assert "Decision not to refer" not in html and "Disclosure SH-" in html


def test_the_log_filters_by_kind_of_recipient_and_basis(client, world) -> None:
    consent(world)
    share(world, world.keyworker, recipient(world), [world.ava_progress])
    client.force_login(world.manager)
    url = reverse("sharing_log")
    assert "Leeds Health Visiting" in client.get(url, {"recipient_kind": "health_visitor"}).content.decode()
    assert "Leeds Health Visiting" not in client.get(url, {"recipient_kind": "police"}).content.decode()
    assert "Leeds Health Visiting" not in client.get(url, {"basis": "legal_obligation"}).content.decode()


def test_the_csv_is_formula_safe_and_exported_once_in_the_trail(client, world) -> None:
    found = police_request(world)
    services.request_decide(
        actor=world.manager, information_request=found, outcome="not_share", reason='=HYPERLINK("x")'
    )
    client.force_login(world.manager)
    before = AuditEntry.objects.filter(event=Event.EXPORTED).count()
    rows = csv_rows(client.get(reverse("child_sharing_csv", args=[world.ava.pk])))
    assert rows[2][13] == '\'=HYPERLINK("x")'
    assert AuditEntry.objects.filter(event=Event.EXPORTED).count() == before + 1


def test_only_the_managers_and_the_dsl_export_the_log(client, world) -> None:
    for person in (world.keyworker, world.senior, world.granted_student):
        client.force_login(person)
        assert client.get(reverse("sharing_log_csv")).status_code == 404
        assert client.get(reverse("child_sharing_csv", args=[world.ava.pk])).status_code == 404
