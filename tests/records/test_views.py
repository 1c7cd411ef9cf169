from __future__ import annotations

import datetime
import re
import uuid

import pytest
import time_machine
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry, Event
from records.models import Attachment, Carer, Child, Record, Site, StaffMember
from records.services import attachment_create
from tests.query_counts import FACTS, REQUEST_OVERHEAD
from tests.two_factor import code_for, device_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\nHealth visitor letter for Ava\n%%EOF\n"


def file_url(child: Child) -> str:
    return reverse("child_file", args=[child.pk])


@pytest.fixture
def letter(world) -> Attachment:
    return attachment_create(
        actor=world.keyworker,
        record=world.ava_progress,
        uploaded=SimpleUploadedFile("hv letter.pdf", PDF),
    )


def test_the_sign_in_page_is_accessible_and_never_cached(client) -> None:
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#main"' in html and "Skip to main content" in html
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert "no-store" in response["Cache-Control"]


def test_a_wrong_password_gets_a_plain_message_and_keeps_the_username(client, world) -> None:
    response = client.post(reverse("login"), {"username": "manager", "password": "not it"})
    html = response.content.decode()
    assert "That username and password do not match" in html
    assert 'value="manager"' in html


def test_the_manager_signs_in_and_lands_on_home(client, world) -> None:
    device = device_of(world.manager)
    response = client.post(reverse("login"), {"username": "manager", "password": "a long test password"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_verify"))
    response = client.post(response["Location"], {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert "no-store" in home["Cache-Control"]
    assert "1 child" in home.content.decode()


def test_signing_out_is_a_post_and_ends_the_session(client, world) -> None:
    client.force_login(world.manager)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("children")).status_code == 302


def test_the_session_ends_after_thirty_minutes_without_activity(client, world) -> None:
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        client.post(reverse("login"), {"username": "manager", "password": "a long test password"})
        client.post(reverse("two_factor_verify"), {"code": code_for(device_of(world.manager))})
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("children")).status_code == 200
        clock.shift(datetime.timedelta(minutes=29))  # active 29 minutes ago: still signed in
        assert client.get(reverse("children")).status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get(reverse("children"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_session_and_csrf_cookies_are_not_readable_by_scripts(client, world, settings) -> None:
    response = client.post(reverse("login"), {"username": "manager", "password": "a long test password"})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_AGE == 30 * 60  # refreshed on use: tests/access/test_sessions.py


def test_the_manager_sees_their_sites_children_only(client, world) -> None:
    client.force_login(world.manager)
    html = client.get(reverse("children")).content.decode()
    assert "Smith, Ava" in html
    assert "Khan" not in html


@pytest.mark.parametrize("persona", ["colleague", "outsider", "student", "trustee", "parent", "superuser"])
def test_people_without_need_to_know_see_no_childs_file(client, world, persona) -> None:
    client.force_login(getattr(world, persona))
    response = client.get(reverse("children"))
    html = response.content.decode()
    if persona == "parent":  # the staff pages are not there for a parent at all
        assert response.status_code == 404 and "<h1>Page not found</h1>" in html
    else:
        assert response.status_code == 200 and "<h1>Children</h1>" in html
        assert "There are no children's files for you to see." in html
    assert "Smith, Ava" not in html and "Khan" not in html
    assert client.get(file_url(world.ava)).status_code == 404


def test_the_child_file_shows_details_carers_and_general_records(client, world) -> None:
    client.force_login(world.manager)
    response = client.get(file_url(world.ava))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Ava Smith" in html and "14 March 2022" in html
    assert "Peanuts" in html  # health alert
    assert "Amy Smith" in html and "Parental responsibility" in html
    assert "Progress for Ava" in html


def test_the_child_file_hides_safeguarding_records_from_the_manager(client, world) -> None:
    client.force_login(world.manager)
    response = client.get(file_url(world.ava))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Ava Smith</h1>" in html and "Progress for Ava" in html
    assert "Bruise on arrival" not in html and "daddy was cross" not in html


def test_another_sites_manager_gets_404_as_for_a_file_that_does_not_exist(client, world) -> None:
    client.force_login(world.outside_manager)
    missing = client.get(reverse("child_file", args=[uuid.uuid4()]))
    hidden = client.get(file_url(world.ava))
    assert hidden.status_code == missing.status_code == 404

    def page(response) -> str:  # the sign-out form's CSRF token differs on every page
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    assert page(hidden) == page(missing)


def test_signed_out_visitors_are_sent_to_sign_in(client, world, letter) -> None:
    for url in [
        reverse("home"),
        reverse("children"),
        file_url(world.ava),
        reverse("attachment_download", args=[letter.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_viewing_a_file_writes_one_audit_entry_with_no_personal_data(client, world) -> None:
    client.force_login(world.manager)
    client.get(file_url(world.ava))
    entry = AuditEntry.objects.get(event=Event.VIEWED)
    assert entry.actor == world.manager
    assert entry.child_id == world.ava.pk and entry.object_pk == str(world.ava.pk)
    assert "Ava" not in entry.object_repr and "Smith" not in entry.object_repr


def test_search_finds_a_child_whatever_the_case_and_spacing(client, world) -> None:
    client.force_login(world.manager)
    for query in ["ava  SMITH", "Ava", "smith", "14/03/2022", "2022-03-14", " ÁVA smith "]:
        response = client.post(reverse("children"), {"query": query})
        html = response.content.decode()
        assert "Smith, Ava" in html, query
        assert "1 match." in html


def test_search_is_exact_and_never_reaches_beyond_what_the_person_may_see(client, world) -> None:
    client.force_login(world.manager)
    assert "0 matches" in client.post(reverse("children"), {"query": "Av"}).content.decode()
    assert "0 matches" in client.post(reverse("children"), {"query": "Noah Khan"}).content.decode()


def test_an_empty_search_says_what_is_needed(client, world) -> None:
    client.force_login(world.manager)
    html = client.post(reverse("children"), {"query": "   "}).content.decode()
    assert "Type a name or a date of birth to search for." in html


def test_an_attachment_downloads_decrypted_as_an_attachment(client, world, letter) -> None:
    client.force_login(world.manager)
    response = client.get(reverse("attachment_download", args=[letter.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="hv letter.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(event=Event.DOWNLOADED, object_pk=str(letter.pk)).count() == 1


def test_an_attachment_is_404_for_people_who_cannot_see_the_file(client, world, letter) -> None:
    for persona in [world.outside_manager, world.colleague, world.parent, world.superuser]:
        client.force_login(persona)
        assert client.get(reverse("attachment_download", args=[letter.pk])).status_code == 404


def more_of_everything(world, n: int) -> None:
    """Grow the data: more children, more records in Ava's file, more grants on it."""
    from access.models import Scope
    from access.services import grant_child_access
    from tests.factories import ChildFactory, RecordFactory
    from tests.personas import staff

    ChildFactory.create_batch(n, site=world.site)
    records = RecordFactory.create_batch(n, child=world.ava, author=world.keyworker)
    for record in records[:3]:
        attachment_create(actor=world.keyworker, record=record, uploaded=SimpleUploadedFile("a.pdf", PDF))
    for i in range(3):
        grantee = staff(f"extra{n}-{i}", "Extra", world.site, "practitioner")
        grant_child_access(
            actor=world.manager, child=world.ava, grantee=grantee, scope=Scope.CHILD_FILE, reason="Cover"
        )
        grant_child_access(
            actor=world.dsl, child=world.ava, grantee=grantee, scope=Scope.SAFEGUARDING_FILE, reason="Cover"
        )


STANDING = FACTS


def test_the_child_list_runs_the_same_queries_however_much_data(
    client, world, django_assert_num_queries
) -> None:
    client.force_login(world.manager)
    client.get(reverse("children"))  # the content-type cache is warm from here on
    # who the person is; the filters' settings and rooms, and key people; the page's count and
    # children with their site; audit
    with django_assert_num_queries(REQUEST_OVERHEAD + FACTS + 5):
        client.get(reverse("children"))
    more_of_everything(world, 40)
    with django_assert_num_queries(REQUEST_OVERHEAD + FACTS + 5):
        response = client.get(reverse("children"))
    assert len(re.findall(r'href="/children/[0-9a-f-]{36}/"', response.content.decode())) == 41


@pytest.mark.parametrize(
    ("persona", "queries"),
    [
        # child with permissions, carers, key people, the photo, records by category, latest records,
        # when the person last looked (kept), audit entry; the consents to share, at a glance
        ("manager", REQUEST_OVERHEAD + STANDING + 8 + 1),
        # ... the latest safeguarding records, and who can read the safeguarding file (key people,
        # roles, grants, who is on the staff, conflicts, carers), and the concerns about staff
        # that involve the child (records/models/staff_concerns.py)
        ("dsl", REQUEST_OVERHEAD + STANDING + 8 + 1 + 7 + 1),
    ],
)
def test_the_child_file_runs_the_same_queries_however_much_data(
    client, world, django_assert_num_queries, persona, queries
) -> None:
    client.force_login(getattr(world, persona))
    client.get(file_url(world.ava))  # the content-type cache is warm from here on
    with django_assert_num_queries(queries):
        client.get(file_url(world.ava))
    more_of_everything(world, 25)
    with django_assert_num_queries(queries):
        response = client.get(file_url(world.ava))
    assert response.status_code == 200


@pytest.mark.parametrize("model", [Child, Carer, Record, Attachment])
def test_the_admin_cannot_browse_the_files(client, world, model) -> None:
    assert not admin.site.is_registered(model)
    client.force_login(world.superuser)
    url = f"/admin/records/{model._meta.model_name}/"
    assert client.get(url).status_code == 404


def test_the_admin_is_there_for_configuration(client, world) -> None:
    assert admin.site.is_registered(Site) and admin.site.is_registered(StaffMember)
    client.force_login(world.superuser)
    assert client.get("/admin/records/site/").status_code == 200


def test_a_password_shorter_than_twelve_characters_is_refused() -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Sh0rt-pass!")
    validate_password("a much longer passphrase 2026")


def test_passwords_are_hashed_with_argon2() -> None:
    # The suite swaps in a fast hasher; the settings module itself starts with Argon2.
    import config.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_not_found_pages_use_the_layout_and_say_what_to_do(client, world) -> None:
    client.force_login(world.colleague)
    response = client.get(file_url(world.ava))
    assert response.status_code == 404
    assert "ask your manager" in response.content.decode()


def test_errors_and_hints_are_tied_to_their_inputs_for_screen_readers(client, world) -> None:
    client.force_login(world.manager)
    html = client.post(reverse("children"), {"query": ""}).content.decode()
    assert 'id="id_query_helptext"' in html and 'id="id_query_error"' in html
    assert 'aria-describedby="id_query_helptext id_query_error"' in html
    assert 'aria-invalid="true"' in html


def test_listing_and_searching_are_audited_without_the_search_terms(client, world) -> None:
    client.force_login(world.manager)
    client.get(reverse("children"))
    client.post(reverse("children"), {"query": "Ava Smith"})
    listed = AuditEntry.objects.get(event=Event.LISTED)
    searched = AuditEntry.objects.get(event=Event.SEARCHED)
    assert listed.actor == searched.actor == world.manager
    assert "Ava" not in str(list(AuditEntry.objects.values()))


def test_search_understands_the_form_the_list_shows(client, world) -> None:
    client.force_login(world.manager)
    assert "1 match." in client.post(reverse("children"), {"query": "Smith, Ava"}).content.decode()
