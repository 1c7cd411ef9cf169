"""What a parent sees and does in the portal, and the wall between the portal
and the staff pages (docs/portal.md)."""

from __future__ import annotations

import html

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from access.models import Role
from portal import services as portal_services
from records import services
from records.categories import CHILD_CATEGORIES, spec_for
from records.models import (
    SIGN_OFF_CATEGORIES,
    Addendum,
    Category,
    Child,
    ChildCarer,
    CorrectionRequest,
    Notification,
    Record,
    Source,
)
from tests.factories import CarerFactory, ChildCarerFactory, ChildFactory, RecordFactory
from tests.portal import portal_fixtures
from tests.portal.portal_fixtures import (
    FATHER_PRIVATE,
    MOTHER_PRIVATE,
    WHEN,
    Family,
    body_of,
    pdf_text,
)
from tests.sharing.helpers import consent_for

pytestmark = pytest.mark.django_db
family = portal_fixtures.family  # the fixture

PASSWORD = "a long test password"  # every persona's (tests/factories.py)
OCCURRED = "2026-11-20T09:15"


def text_of(response) -> str:
    return html.unescape(body_of(response).decode())


def page(client, name: str, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, (name, response.status_code)
    return text_of(response)


def all_patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, str, list[str]]]:
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            found += all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((entry.name or "", prefix + str(entry.pattern), list(entry.pattern.converters)))
    return found


def portal_urls(family: Family) -> list[tuple[str, str]]:
    """Every portal URL (but the invitation link), with Ava's ids: all pages Amy may open."""
    ids = {
        "child_id": family.ava.pk,
        "record_id": family.world.ava_progress.pk,
        "attachment_id": family.files["general"].pk,
        "consent_id": consent_for(family.world, None, None).pk,
    }
    urls = []
    for name, route, params in all_patterns():
        if route.startswith("portal/") and name != "portal_welcome":
            urls.append((name, reverse(name, kwargs={p: ids[p] for p in params})))
    assert len(urls) == 16
    return urls


def get_or_post(client, url: str):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


@pytest.fixture
def amy(client, family: Family):
    client.force_login(family.world.parent)
    return client


# --- the wall between portal and staff pages ---------------------------------------------


def test_every_staff_page_answers_404_to_a_portal_user(amy, family) -> None:
    checked = 0
    for name, route, params in all_patterns():
        if params or route.startswith(("portal/", "accounts/")) or name in ("home", "favicon"):
            continue  # pages with ids: tests/portal/test_idor.py; the icon is everyone's
        url = "/" + route if not route.startswith("^") else "/admin/"
        for response in (amy.get(url), amy.post(url, {})):
            assert response.status_code == 404, (url, response.status_code)
        checked += 1
    assert checked >= 12
    assert amy.get("/admin/").status_code == 404
    assert amy.get("/admin/login/").status_code == 404


def test_the_front_door_takes_a_portal_user_to_the_portal(amy) -> None:
    response = amy.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("portal_home")
    response = amy.get(reverse("login"))
    assert response.status_code == 302  # already signed in: on to the portal
    assert amy.get(response["Location"], follow=True).request["PATH_INFO"] == reverse("portal_home")


def test_signing_in_takes_a_parent_to_the_portal(client, family) -> None:
    response = client.post(reverse("login"), {"username": "parent", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("portal_home")
    assert "Ava Smith" in text_of(response)


@pytest.mark.parametrize(
    "persona", ["keyworker", "manager", "senior", "dsl", "hr", "outsider", "trustee", "superuser"]
)
def test_every_portal_page_answers_404_to_staff_who_are_not_carers(client, family, persona) -> None:
    client.force_login(getattr(family.world, persona))
    for name, url in portal_urls(family):
        assert get_or_post(client, url).status_code == 404, (persona, name)


def test_portal_pages_ask_a_visitor_to_sign_in(client, family) -> None:
    for name, url in portal_urls(family):
        response = get_or_post(client, url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name


def test_every_portal_page_is_never_cached(amy, family) -> None:
    for name, url in portal_urls(family):
        response = get_or_post(amy, url)
        assert response.status_code in (200, 400), name
        assert "no-store" in response["Cache-Control"], name


def test_a_member_of_staff_who_is_a_parent_uses_one_account_for_both(client, family) -> None:
    """Maria manages Oakfield and is Ben's mother: the portal shows her Ben; the
    staff side shows her every Oakfield child's file but his."""
    world = family.world
    ben = ChildFactory(site=world.site, first_name="Ben", last_name="Lowe")
    maria = CarerFactory(user=world.manager, first_name="Maria", last_name="Lowe")
    ChildCarerFactory(child=ben, carer=maria, relationship=ChildCarer.Relationship.MOTHER)
    RecordFactory(
        child=ben,
        author=world.keyworker,
        title="Ben's first painting",
        visible_to_parents=True,
        occurred_at=WHEN,
    )
    client.force_login(world.manager)
    assert "Ben Lowe" in page(client, "portal_home")
    assert "Ben's first painting" in page(client, "portal_child", ben.pk)
    assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 200
    assert client.get(reverse("child_file", args=[ben.pk])).status_code == 404


def test_a_note_about_a_court_restriction_is_never_shown_to_parents(amy, family) -> None:
    link = ChildCarer.objects.get(child=family.ava, carer=family.father)
    link.restricted_contact, link.restriction_note = True, "No contact until the hearing in March"
    link.save()
    text = page(amy, "portal_child", family.ava.pk)
    assert "<h1>Ava Smith</h1>" in text and "Dev Patel (father)" in text  # the father is named
    assert "hearing in March" not in text
    response = amy.get(reverse("portal_file_pdf", args=[family.ava.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = pdf_text(body_of(response))
    assert "Progress for Ava" in pdf
    assert "hearing in March" not in pdf


# --- whose children ---------------------------------------------------------------------------


def test_a_parent_of_two_children_at_two_settings_sees_both(amy, family) -> None:
    home = page(amy, "portal_home")
    assert "Ava Smith" in home and "Leo Smith" in home
    assert "Oakfield Children's Centre" in home and "Riverside Nursery" in home
    assert "Mia Okafor" not in home and "Zoe Brennan" not in home
    assert "Leo's first week" in page(amy, "portal_child", family.leo.pk)
    assert "Kiwi" in page(amy, "portal_child", family.leo.pk)


def test_a_court_restriction_on_one_child_leaves_only_the_other(amy, family) -> None:
    assert amy.get(reverse("portal_child", args=[family.mia.pk])).status_code == 404
    link = family.leo.carer_links.get(carer=family.mother)
    link.restricted_contact, link.restriction_note = True, "Order made today"
    link.save()
    home = page(amy, "portal_home")
    assert "Ava Smith" in home and "Leo Smith" not in home
    for name, pk in [
        ("portal_child", family.leo.pk),
        ("portal_history", family.leo.pk),
        ("portal_file_pdf", family.leo.pk),
        ("portal_record", family.leo_shared.pk),
        ("portal_attachment", family.files["leo"].pk),
    ]:
        assert amy.get(reverse(name, args=[pk])).status_code == 404, name
    assert amy.get(reverse("portal_child", args=[family.ava.pk])).status_code == 200


def test_losing_parental_responsibility_closes_the_childs_file(amy, family) -> None:
    ChildCarer.objects.filter(child=family.ava, carer=family.mother).update(parental_responsibility=False)
    assert amy.get(reverse("portal_child", args=[family.ava.pk])).status_code == 404
    home = page(amy, "portal_home")
    assert "<h1>My children</h1>" in home and "Leo Smith" in home  # her son at Riverside is still hers
    assert "Ava Smith" not in home


# --- which records, by default ------------------------------------------------------------------


def answers_for(category: str) -> dict[str, str]:
    """A valid staff form for a category, sharing left as the category says."""
    data = {
        "title": f"New {category} record",
        "body": "Written today.",
        "occurred_at": OCCURRED,
        "source": Source.STAFF,
    }
    for question in spec_for(category).questions:
        if question.required:
            data[question.name] = {
                "choice": question.choices[0][0] if question.choices else "",
                "date": "2026-11-01",
            }.get(question.kind, "An answer")
    if spec_for(category).source == Source.AGENCY:
        data["originator_agrees"] = "on"  # the agency agrees to parents seeing its report
    return data


@pytest.mark.parametrize("category", CHILD_CATEGORIES)
def test_parents_see_a_new_record_if_its_category_says_so(client, family, category) -> None:
    world = family.world
    client.force_login(world.keyworker)
    response = client.post(
        reverse("record_add", args=[world.ava.pk]) + f"?category={category}", answers_for(category)
    )
    assert response.status_code == 302, text_of(response)[:3000]
    record = Record.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    if category in SIGN_OFF_CATEGORIES:  # information from a family is shown once signed
        services.record_sign_off(actor=world.senior, record=record)
    client.force_login(world.parent)
    shown = client.get(reverse("portal_record", args=[record.pk])).status_code == 200
    assert shown == spec_for(category).parents_see, category
    assert (record.title in page(client, "portal_child", world.ava.pk)) == shown


def test_staff_withhold_a_record_only_with_a_reason_and_parents_never_see_it(client, family) -> None:
    world = family.world
    client.force_login(world.keyworker)
    url = reverse("record_add", args=[world.ava.pk]) + f"?category={Category.PROGRESS}"
    data = answers_for(Category.PROGRESS) | {"title": "Kept from parents", "withhold_from_parents": "on"}
    response = client.post(url, data)
    assert response.status_code == 400 and "Say why parents should not see this record." in text_of(response)
    response = client.post(url, data | {"withheld_reason": "Names another family"})
    assert response.status_code == 302
    record = Record.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert not record.visible_to_parents and record.withheld_reason == "Names another family"
    client.force_login(world.parent)
    assert client.get(reverse("portal_record", args=[record.pk])).status_code == 404
    for name, heading in [
        ("portal_child", "<h1>Ava Smith</h1>"),
        ("portal_history", "<h1>Who has looked at Ava's file</h1>"),
    ]:
        text = page(client, name, world.ava.pk)
        assert heading in text, name
        assert "Kept from parents" not in text and "Names another family" not in text
    response = client.get(reverse("portal_file_pdf", args=[world.ava.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = pdf_text(body_of(response))
    assert "Progress for Ava" in pdf  # the records that are shared are there
    assert "Kept from parents" not in pdf and "Names another family" not in pdf


def test_staff_may_share_a_record_parents_would_not_see_by_default(client, family) -> None:
    world = family.world
    client.force_login(world.keyworker)
    response = client.post(
        reverse("record_add", args=[world.ava.pk]) + f"?category={Category.MEETING_MINUTES}",
        answers_for(Category.MEETING_MINUTES) | {"title": "Transition meeting", "share_with_parents": "on"},
    )
    assert response.status_code == 302
    client.force_login(world.parent)
    assert "Transition meeting" in page(client, "portal_child", world.ava.pk)


# --- other carers and other people's words -----------------------------------------------------


def test_amy_sees_her_own_contact_details_and_never_the_fathers(amy, family) -> None:
    text = page(amy, "portal_child", family.ava.pk)
    for private in MOTHER_PRIVATE:
        assert private in text, private
    for private in (*FATHER_PRIVATE, "07700 900777", "cara@example.org", "3 Aunt's Row"):
        assert private not in text, private
    assert "Dev Patel (father)" in text  # names and relationships are shown
    for name in ["portal_record", "portal_file_pdf"]:
        response = amy.get(
            reverse(name, args=[family.world.ava_progress.pk if name == "portal_record" else family.ava.pk])
        )
        assert response.status_code == 200, name
        shown = pdf_text(body_of(response)) if name == "portal_file_pdf" else text_of(response)
        assert "Progress for Ava" in shown, name
        for private in FATHER_PRIVATE:
            assert private not in shown, (name, private)


def test_the_separated_father_sees_ava_but_not_amys_details_nor_what_she_sent(client, family) -> None:
    client.force_login(family.father_user)
    text = page(client, "portal_child", family.ava.pk)
    assert "Progress for Ava" in text and "Dad's new flat" in text
    for private in MOTHER_PRIVATE:
        assert private not in text, private
    assert "New baby sister" not in text
    assert client.get(reverse("portal_record", args=[family.sent_by_mother.pk])).status_code == 404
    home = page(client, "portal_home")
    assert "<h1>My children</h1>" in home and "Ava Smith" in home
    assert "Leo Smith" not in home  # Amy's son is not his


def test_parents_see_only_their_own_comments(client, family) -> None:
    world = family.world
    record = world.ava_progress
    portal_services.portal_comment(actor=family.father_user, record=record, text="Dad says: lovely painting")
    services.addendum_add(actor=world.keyworker, record=record, text="Staff note: mum seemed tired")
    signed = services.record_sign_off(
        actor=world.senior, record=family.sent_by_mother, comment="Checked with Kim first"
    )
    client.force_login(world.parent)
    response = client.post(
        reverse("portal_record_comment", args=[record.pk]), {"text": "Mum says: thank you"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal_record", args=[record.pk])
    comment = record.addenda.get(author=world.parent)
    assert comment.kind == Addendum.Kind.PARENT_COMMENT

    text = page(client, "portal_record", record.pk)
    assert "Mum says: thank you" in text
    assert "Dad says" not in text and "Staff note" not in text
    signed_page = page(client, "portal_record", signed.pk)
    assert "<h1>New baby sister</h1>" in signed_page
    assert "Checked with Kim first" not in signed_page
    pdf = pdf_text(body_of(client.get(reverse("portal_file_pdf", args=[world.ava.pk]))))
    assert "Mum says: thank you" in pdf and "Dad says" not in pdf and "Staff note" not in pdf

    client.force_login(family.father_user)
    text = page(client, "portal_record", record.pk)
    assert "Dad says: lovely painting" in text and "Mum says" not in text


def test_a_comment_tells_the_key_people(client, family) -> None:
    client.force_login(family.world.parent)
    client.post(reverse("portal_record_comment", args=[family.world.ava_progress.pk]), {"text": "Thanks"})
    told = set(
        Notification.objects.filter(message__contains="commented").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"keyworker", "keyworker2"}


def test_an_empty_comment_is_refused_with_a_message(amy, family) -> None:
    response = amy.post(reverse("portal_record_comment", args=[family.world.ava_progress.pk]), {"text": ""})
    assert response.status_code == 400 and "Write your comment." in text_of(response)
    assert not family.world.ava_progress.addenda.exists()


# --- telling the setting something ---------------------------------------------------------------


def test_information_a_parent_sends_waits_for_senior_staff_and_the_parent_sees_its_status(
    client, family, django_capture_on_commit_callbacks
) -> None:
    world = family.world
    world.senior.email = "sunita@example.org"
    world.senior.save()
    client.force_login(world.parent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal_send", args=[world.ava.pk]),
            {"title": "Moving house", "body": "We move on 1 December."},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal_child", args=[world.ava.pk])
    record = Record.objects.filter(author=world.parent).exclude(pk=family.sent_by_mother.pk).get()
    assert record.category == Category.FAMILY_INFORMATION and record.tier == "general"
    assert record.source == Source.PARENT and record.source_name == "Amy Smith"
    assert record.child == world.ava and record.body == "We move on 1 December."
    text = page(client, "portal_child", world.ava.pk)
    assert "Moving house" in text and "Waiting to be read by senior staff" in text

    told = set(
        Notification.objects.filter(url=reverse("record_detail", args=[record.pk])).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"manager", "senior"}  # not Cara: she is Ava's aunt
    assert [m.to for m in mail.outbox] == [["sunita@example.org"]]
    assert "Moving house" not in mail.outbox[0].body and "Ava" not in mail.outbox[0].body

    client.force_login(world.senior)
    assert "Moving house" in page(client, "sign_off_queue")
    response = client.post(reverse("record_sign_off", args=[record.pk]), {"sign-password": PASSWORD})
    assert response.status_code == 302
    client.force_login(world.parent)
    text = page(client, "portal_child", world.ava.pk)
    assert "Read and signed by senior staff" in text
    assert "Moving house" in page(client, "portal_record", record.pk)


def test_sending_nothing_is_refused_with_a_message(amy, family) -> None:
    sent = Record.objects.filter(author=family.world.parent).count()
    response = amy.post(reverse("portal_send", args=[family.ava.pk]), {"title": "Hello", "body": " "})
    assert response.status_code == 400
    assert "Write what you would like to tell us." in text_of(response)
    assert Record.objects.filter(author=family.world.parent).count() == sent


# --- corrections ----------------------------------------------------------------------------


def ask(client, family, field: str, proposed: str) -> CorrectionRequest:
    client.force_login(family.world.parent)
    response = client.post(
        reverse("portal_correction", args=[family.ava.pk]),
        {"field": field, "proposed": proposed, "note": "Since last month"},
    )
    assert response.status_code == 302
    return CorrectionRequest.objects.get(requested_by=family.world.parent, field=field)


def decide(client, person, correction: CorrectionRequest, decision: str, note: str = ""):
    client.force_login(person)
    prefix = str(correction.pk)
    return client.post(
        reverse("correction_decide", args=[correction.pk]),
        {f"{prefix}-decision": decision, f"{prefix}-note": note},
    )


def test_a_correction_goes_to_management_and_approving_it_changes_the_details(client, family) -> None:
    world = family.world
    correction = ask(client, family, CorrectionRequest.Field.CHILD_ALLERGIES, "Peanuts and kiwi")
    assert correction.status == CorrectionRequest.Status.PENDING and correction.carer == family.mother
    text = page(client, "portal_child", world.ava.pk)
    assert "Allergies · Waiting for staff" in text
    told = set(
        Notification.objects.filter(url=reverse("correction_queue")).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"manager", "senior"}

    client.force_login(world.manager)
    queue = page(client, "correction_queue")
    assert "Peanuts and kiwi" in queue and "Since last month" in queue
    response = decide(client, world.manager, correction, "approve")
    assert response.status_code == 302
    world.ava.refresh_from_db()
    assert world.ava.allergies == "Peanuts and kiwi"
    client.force_login(world.parent)
    text = page(client, "portal_child", world.ava.pk)
    assert "Allergies · Corrected" in text and "Peanuts and kiwi" in text


def test_a_correction_to_the_parents_own_phone_changes_their_details(client, family) -> None:
    correction = ask(client, family, CorrectionRequest.Field.CARER_PHONE, "07700 900444")
    assert decide(client, family.world.senior, correction, "approve").status_code == 302
    family.mother.refresh_from_db()
    assert family.mother.phone == "07700 900444"


def test_declining_a_correction_needs_a_note_the_parent_sees(client, family) -> None:
    world = family.world
    correction = ask(client, family, CorrectionRequest.Field.CHILD_GP, "Dr Who, Leeds")
    response = decide(client, world.manager, correction, "decline")
    assert response.status_code == 400 and "the parent will see it" in text_of(response)
    correction.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.PENDING
    response = decide(client, world.manager, correction, "decline", "The GP letter names Dr Shah")
    assert response.status_code == 302
    world.ava.refresh_from_db()
    assert world.ava.gp_details != "Dr Who, Leeds"
    client.force_login(world.parent)
    text = page(client, "portal_child", world.ava.pk)
    assert "GP · Not changed: The GP letter names Dr Shah" in text


@pytest.mark.parametrize("persona", ["keyworker", "dsl", "carer_staff", "outside_manager"])
def test_only_management_of_the_childs_setting_decides_corrections(client, family, persona) -> None:
    correction = ask(client, family, CorrectionRequest.Field.CHILD_ALLERGIES, "No allergies at all")
    person = getattr(family.world, persona)
    client.force_login(person)
    queue = page(client, "correction_queue")
    assert "<h1>Corrections asked for by parents</h1>" in queue and "No corrections are waiting." in queue
    assert "No allergies at all" not in queue
    assert decide(client, person, correction, "approve").status_code == 404
    family.ava.refresh_from_db()
    assert family.ava.allergies == "Peanuts"


def test_a_parent_sees_only_their_own_correction_requests(client, family) -> None:
    ask(client, family, CorrectionRequest.Field.CHILD_PHONE, "07700 900999")
    client.force_login(family.father_user)
    text = page(client, "portal_child", family.ava.pk)
    assert "<h1>Ava Smith</h1>" in text and "Progress for Ava" in text
    assert "Your requests" not in text
    client.force_login(family.world.parent)
    assert "Your requests" in page(client, "portal_child", family.ava.pk)


# --- the access history --------------------------------------------------------------------


def test_the_history_shows_staff_visits_but_not_the_parents_own(client, family) -> None:
    world = family.world
    client.force_login(world.keyworker)
    client.get(reverse("child_file", args=[world.ava.pk]))
    client.force_login(family.father_user)
    client.get(reverse("portal_child", args=[world.ava.pk]))
    client.force_login(world.parent)
    client.get(reverse("portal_child", args=[world.ava.pk]))
    rows = page(client, "portal_history", world.ava.pk).split("<tbody>", 1)[1]
    assert "Kim Tester" in rows and Role.PRACTITIONER.label in rows and "Opened the file" in rows
    assert ">father<" not in rows and ">parent<" not in rows


# --- it stays fast ---------------------------------------------------------------------------


def test_the_childs_page_makes_the_same_number_of_queries_however_many_records(amy, family) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert amy.get(reverse("portal_child", args=[family.ava.pk])).status_code == 200
        return len(captured)

    queries()  # the content-type cache and the session's refresh are warm from here on
    few = queries()
    for n in range(30):
        RecordFactory(
            child=family.ava,
            author=family.world.keyworker,
            title=f"Observation {n}",
            visible_to_parents=True,
            occurred_at=WHEN,
        )
        portal_services.portal_send_information(
            actor=family.world.parent, child=family.ava, title=f"Note {n}", body="More news."
        )
    assert queries() == few


def test_children_are_listed_by_first_name(amy, family) -> None:
    home = page(amy, "portal_home")
    assert home.index("Ava Smith") < home.index("Leo Smith")
    assert Child.objects.count() >= 5


def test_a_report_from_another_agency_reaches_parents_only_once_staff_check_the_agency_agrees(
    client, family
) -> None:
    world = family.world
    client.force_login(world.keyworker)
    url = reverse("record_add", args=[world.ava.pk]) + "?category=therapy_report"
    unchecked = {k: v for k, v in answers_for("therapy_report").items() if k != "originator_agrees"}
    before = Record.objects.count()
    response = client.post(url, unchecked)
    assert response.status_code == 400
    assert "This came from another agency: check they agree to parents seeing it" in text_of(response)
    assert Record.objects.count() == before
    # Withheld from parents, with a reason, it needs no agreement.
    withheld = {**unchecked, "withhold_from_parents": "on", "withheld_reason": "Not yet discussed with mum."}
    assert client.post(url, withheld).status_code == 302
    # A report parents do not see unless shared: sharing it asks the same.
    url = reverse("record_add", args=[world.ava.pk]) + "?category=agency_report"
    shared = {k: v for k, v in answers_for("agency_report").items() if k != "originator_agrees"}
    response = client.post(url, {**shared, "share_with_parents": "on"})
    assert response.status_code == 400 and "check they agree" in text_of(response)
