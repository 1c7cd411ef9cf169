"""The sharing pages: the share form (nothing chosen for you), its refusals and
mistakes (400, the form kept, nothing saved), who may act, and pinned query counts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from records.models import Category
from sharing.models import Disclosure, SharingDecision
from submissions import tokens
from tests.factories import RecordFactory
from tests.query_counts import FACTS, REQUEST_OVERHEAD
from tests.sharing.helpers import (
    consent,
    court_order_share,
    make_sharing_objects,
    mother_link,
    recipient,
    share,
    social_care,
)

pytestmark = pytest.mark.django_db


def share_url(world) -> str:
    return reverse("disclosure_start", args=[world.ava.pk])


def form_data(world, hv, **changes) -> dict[str, object]:
    data = {
        "recipient": hv.pk,
        "basis": "consent",
        "purpose": "health",
        "channel": "phone",
        "summary": "Told the health visitor how Ava's speech is coming on.",
        "items": [f"{world.ava_progress.pk}:title", f"{world.ava_progress.pk}:body"],
        "redact_third_parties": "on",
        "parents_told": "yes",
    }
    return data | changes


def test_the_share_form_chooses_nothing_for_you_but_offers_the_recipients_usual_basis(client, world) -> None:
    hv = recipient(world)
    client.force_login(world.keyworker)
    html = client.get(share_url(world), {"recipient": hv.pk}).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="(?:items|child_details)"[^>]*>', html)
    assert len(boxes) > 20 and not [b for b in boxes if "checked" in b]
    assert re.search(r'<input type="radio" name="basis" value="consent"[^>]*checked', html)
    assert "Redact the informant and other third parties" in html
    assert str(world.ava_concern.pk) not in html  # safeguarding records are not Kim's to share


def test_a_keyworker_shares_a_record_with_the_health_visitor_under_a_consent(client, world) -> None:
    hv = recipient(world)
    consent(world)
    client.force_login(world.keyworker)
    response = client.post(share_url(world), form_data(world, hv))
    disclosure = Disclosure.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "disclosure_detail", args=[disclosure.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert f"Disclosure {disclosure.reference}" in page and "Sent" in page
    assert "Progress for Ava" in page


def test_a_share_refused_for_want_of_consent_says_so_next_to_the_basis_and_saves_nothing(
    client, world
) -> None:
    hv = recipient(world)
    client.force_login(world.keyworker)
    response = client.post(share_url(world), form_data(world, hv))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_basis_error"' in html and "There is no consent from a parent" in html
    assert "Told the health visitor how Ava" in html  # what was typed is kept
    assert not Disclosure.objects.exists()
    assert AuditEntry.objects.filter(reason__startswith="Share refused").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"items": []}, "items", "Choose at least one record to share."),
        ({"basis": ""}, "basis", "Choose the lawful basis for this share first."),
        ({"basis": "legal_obligation"}, "basis_reason", "Say why this basis applies."),
        ({"parents_told": "no"}, "parents_not_told_reason", "Say why the parents were not told."),
        ({"summary": ""}, "summary", "Write down what was said or shown"),
        ({"recipient": ""}, "recipient", "Choose who the information goes to, from the directory."),
    ],
)
def test_a_share_with_a_mistake_says_what_and_saves_nothing(client, world, changes, field, message) -> None:
    hv = recipient(world)
    consent(world)
    client.force_login(world.keyworker)
    response = client.post(share_url(world), form_data(world, hv, **changes))
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(rf'id="id_{field}_error">(.*?)</div>', html, re.S)
    assert error and message in error.group(1), (field, html[:200])
    assert not Disclosure.objects.exists()


def test_a_record_of_another_child_smuggled_into_the_form_is_refused(client, world) -> None:
    hv = recipient(world)
    consent(world)
    noah = RecordFactory(child=world.other_child, author=world.outside_manager, category=Category.PROGRESS)
    client.force_login(world.keyworker)
    response = client.post(share_url(world), form_data(world, hv, items=[f"{noah.pk}:body"]))
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize(
    "persona", ["granted_student", "named", "colleague", "volunteer", "kitchen", "trustee"]
)
def test_sharing_is_refused_for_people_who_may_only_read_or_not_at_all(client, world, persona) -> None:
    hv = recipient(world)
    consent(world)
    client.force_login(getattr(world, persona))
    assert client.get(share_url(world)).status_code == 404
    assert client.post(share_url(world), form_data(world, hv)).status_code == 404
    assert not Disclosure.objects.exists()


def test_a_share_sent_twice_is_saved_once(client, world) -> None:
    hv = recipient(world)
    consent(world)
    client.force_login(world.keyworker)
    html = client.get(share_url(world)).content.decode()
    token = re.search(rf'name="{tokens.FIELD}" value="([^"]+)"', html).group(1)
    data = form_data(world, hv) | {tokens.FIELD: token}
    first, second = client.post(share_url(world), data), client.post(share_url(world), data)
    assert first.status_code == second.status_code == 302
    assert Disclosure.objects.count() == 1


def test_the_dsl_refers_a_concern_in_one_pass_from_its_page(client, world) -> None:
    front_door = social_care(world)
    client.force_login(world.dsl)
    concern_page = client.get(reverse("record_detail", args=[world.ava_concern.pk])).content.decode()
    assert reverse("concern_refer", args=[world.ava_concern.pk]) in concern_page
    response = client.post(
        reverse("concern_refer", args=[world.ava_concern.pk]),
        {
            "recipient": front_door.pk,
            "basis": "public_task",
            "basis_reason": "Bruising and what Ava said: risk of significant harm.",
            "consent_position": "not_sought_risk",
            "channel": "phone",
            "summary": "Referred to the front door by phone.",
            "parents_told": "no",
            "parents_not_told_reason": "Social care asked us not to tell them yet.",
            "social_care_consulted": "on",
            "redact_third_parties": "on",
        },
    )
    referral = Disclosure.objects.get()
    assert response.status_code == 302
    assert (referral.status, referral.condition, referral.concern) == (
        "sent",
        "safeguarding",
        world.ava_concern,
    )
    assert referral.items.get().record == world.ava_concern
    for person in (world.keyworker, world.manager, world.named):
        client.force_login(person)
        assert client.get(reverse("concern_refer", args=[world.ava_concern.pk])).status_code == 404


def test_a_manager_approves_on_the_disclosure_page_and_the_author_then_records_it_sent(client, world) -> None:
    court = court_order_share(
        world, world.keyworker, recipient(world), [world.ava_progress], channel="bundle", summary=""
    )
    client.force_login(world.keyworker)
    assert (
        client.post(reverse("disclosure_approve", args=[court.pk]), {"approve-approved": "yes"}).status_code
        == 404
    )
    client.force_login(world.manager)
    response = client.post(reverse("disclosure_approve", args=[court.pk]), {"approve-approved": "no"})
    assert response.status_code == 400 and "Say why it is not approved" in response.content.decode()
    client.post(reverse("disclosure_approve", args=[court.pk]), {"approve-approved": "yes"})
    client.force_login(world.keyworker)
    response = client.post(reverse("disclosure_sent", args=[court.pk]), {})
    assert response.status_code == 400 and "Say how the bundle was sent." in response.content.decode()
    client.post(reverse("disclosure_sent", args=[court.pk]), {"sent-sent_how": "secure_email"})
    court.refresh_from_db()
    assert (court.status, court.sent_how, court.approved_by) == ("sent", "secure_email", world.manager)


def test_a_decision_not_to_refer_made_on_the_concern_page_is_in_the_sharing_log(client, world) -> None:
    client.force_login(world.dsl)
    client.post(
        reverse("concern_action", args=[world.ava_concern.pk]),
        {"action-kind": "no_referral", "action-text": "Explained by a fall at soft play."},
    )
    assert SharingDecision.objects.get().concern == world.ava_concern
    assert "Decision not to refer" in client.get(reverse("sharing_log")).content.decode()


# --- query counts -----------------------------------------------------------------------


def more_sharing(world, n: int) -> None:
    hv = recipient(world, name=f"Health visitors {n}")
    for _ in range(n):
        share(world, world.keyworker, hv, [world.ava_progress])
        court_order_share(world, world.manager, hv, [world.ava_progress])


@pytest.mark.parametrize(
    ("persona", "url_name", "queries"),
    [
        # disclosures with child, recipient and author; decisions with theirs; audit entry
        ("manager", "sharing_log", REQUEST_OVERHEAD + FACTS + 2 + 1),
        # the child; consents with carers, and their named recipients; open requests;
        # disclosures; decisions; audit entry
        ("keyworker", "child_sharing", REQUEST_OVERHEAD + 1 + FACTS + 2 + 1 + 2 + 1),
        # the entries with their sites, authors and share counts; the settings the
        # manager adds entries for; audit entry
        ("manager", "recipient_list", REQUEST_OVERHEAD + FACTS + 1 + 1 + 1),
    ],
)
def test_sharing_lists_run_the_same_queries_however_much_was_shared(
    client, world, django_assert_num_queries, persona, url_name, queries
) -> None:
    consent(world)
    more_sharing(world, 1)
    url = reverse(url_name, args=[world.ava.pk]) if url_name == "child_sharing" else reverse(url_name)
    client.force_login(getattr(world, persona))
    client.get(url)  # the content-type cache is warm from here on
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    more_sharing(world, 5)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.content.decode().count("Disclosure SH-") >= (12 if url_name != "recipient_list" else 0)


def test_sharing_writes_are_refused_for_someone_who_may_only_read_the_file(client, world) -> None:
    """Gina, a student with a grant on Ava's file, reads the shares but acts on none."""
    objects = make_sharing_objects(world)
    client.force_login(world.granted_student)
    assert client.get(reverse("disclosure_detail", args=[objects.bundle.pk])).status_code == 200
    posts = [
        (reverse("consent_confirm", args=[objects.consent.pk]), {"confirm-confirmed": "yes"}),
        (
            reverse("consent_withdraw", args=[objects.consent.pk]),
            {"withdraw-withdrawn_by": mother_link(world).pk},
        ),
        (reverse("disclosure_sent", args=[objects.bundle.pk]), {"sent-sent_how": "secure_email"}),
        (reverse("disclosure_approve", args=[objects.awaiting_manager.pk]), {"approve-approved": "yes"}),
        (reverse("recipient_approve", args=[objects.other.pk]), {}),
        (reverse("recipient_retire", args=[objects.health_visitor.pk]), {}),
        (
            reverse("request_decide", args=[objects.request.pk]),
            {"decide-outcome": "not_share", "decide-reason": "No"},
        ),
        (reverse("bulk_export") + "?tier=general", {"site": world.site.pk, "reason": "Inspection"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    objects.consent.refresh_from_db()
    objects.bundle.refresh_from_db()
    assert objects.consent.status == "active" and objects.bundle.status == "ready"
    assert not SharingDecision.objects.exists()


def test_the_outsider_sees_nothing_of_oakfields_sharing(client, world) -> None:
    make_sharing_objects(world)
    client.force_login(world.outsider)
    for url in (reverse("sharing_log"), reverse("recipient_list")):
        html = client.get(url).content.decode()
        assert "Leeds Health Visiting" not in html and "SH-" not in html and "Ava" not in html


def test_the_childs_access_history_shows_the_shares(client, world) -> None:
    consent(world)
    share(world, world.keyworker, recipient(world), [world.ava_progress])
    client.force_login(world.manager)
    html = client.get(reverse("access_history", args=[world.ava.pk])).content.decode()
    assert "A disclosure to another agency" in html and "A consent to share" in html
