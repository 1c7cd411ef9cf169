"""No personal data in the logs: every record is masked by the handler's filter,
and a request for a host this site does not serve is one line."""

from __future__ import annotations

import io
import logging
import smtplib
from collections.abc import Iterator

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.urls import reverse

from access.models import PortalInvitation
from config.log_filters import MASK, WITHHELD, PersonalDataFilter, WithoutTraceback, mask
from records.models import ChildCarer
from tests.commits import commit_in_request  # noqa: F401 - a fixture
from tests.factories import CarerFactory, ChildCarerFactory
from tests.portal import portal_fixtures
from tests.portal.portal_fixtures import Family

family = portal_fixtures.family  # the fixture


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """What the configured root handler writes (its filters and formatter as in settings)."""
    [handler] = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)][:1]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord("confide.test", logging.ERROR, __file__, 1, message, args, exc_info)


def formatted(entry: logging.LogRecord) -> str:
    PersonalDataFilter().filter(entry)
    return logging.Formatter().format(entry)


def raised(error: BaseException) -> BaseException:
    try:
        raise error
    except BaseException as caught:  # noqa: BLE001 - to give it a traceback
        return caught


# --- the filter ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("sending to amy.smith+nursery@example.co.uk failed", "amy.smith+nursery@example.co.uk"),
        ("carer first_name='Amy' last_name=\"Smith\"", "Amy"),
        ("{'username': 'kim.patel', 'role': 'keyworker'}", "kim.patel"),
        ("call 07700 900123 after 3", "07700 900123"),
        ("lives at SW1A 1AA", "SW1A 1AA"),
    ],
)
def test_personal_values_are_masked(text: str, hidden: str) -> None:
    assert hidden not in mask(text) and MASK in mask(text)


def test_ids_and_ordinary_words_are_kept() -> None:
    line = "job audit.seal failed: KeyError at chain.py:12 in seal; entry id 42 (child 0f1e2d3c-4b5a-6978)"
    assert mask(line) == line


def test_arguments_messages_and_tracebacks_are_masked() -> None:
    error = raised(ValueError("no account for dee@example.org"))
    text = formatted(record("could not invite %s: %s", "gwen@example.org", error, exc=error))
    assert "@example.org" not in text
    assert "could not invite [personal data removed]" in text and "Traceback" in text


def test_a_mail_error_is_logged_without_its_details() -> None:
    refused = smtplib.SMTPRecipientsRefused(
        {"gwen.holt@example.org": (550, b"5.1.1 Gwen Holt: no such user")}
    )
    error = raised(refused)
    text = formatted(record("Error calling %s in on_commit() (%s).", "send", error, exc=error))
    assert "Gwen" not in text and "gwen" not in text
    assert f"SMTPRecipientsRefused: {WITHHELD}" in text


def test_a_disallowed_host_is_one_line(client: Client, log: io.StringIO) -> None:
    client.raise_request_exception = False
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    lines = [line for line in log.getvalue().splitlines() if line]
    assert lines == [
        "Invalid HTTP_HOST header: 'evil.example'. You may need to add 'evil.example' to ALLOWED_HOSTS."
    ]


def test_the_one_line_filter_drops_the_traceback() -> None:
    entry = record("refused", exc=raised(ValueError("x")))
    WithoutTraceback().filter(entry)
    assert logging.Formatter().format(entry) == "refused"


# --- a mail server that refuses an invitation ---------------------------------------------


@pytest.fixture
def grandma(family: Family) -> ChildCarer:
    carer = CarerFactory(first_name="Gwen", last_name="Holt", email="gwen.holt@example.org")
    return ChildCarerFactory(child=family.ava, carer=carer, relationship=ChildCarer.Relationship.GUARDIAN)


@pytest.mark.django_db
def test_a_refused_invitation_e_mail_leaves_no_address_in_the_log(
    client: Client,
    family: Family,
    grandma: ChildCarer,
    monkeypatch: pytest.MonkeyPatch,
    log: io.StringIO,
    commit_in_request: None,  # noqa: F811
) -> None:
    def refuse(self: EmailBackend, messages: list[object]) -> int:
        raise smtplib.SMTPRecipientsRefused(
            {"gwen.holt@example.org": (550, b"<gwen.holt@example.org> unknown")}
        )

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    client.force_login(family.world.manager)
    response = client.post(reverse("portal_invite", args=[grandma.child_id, grandma.pk]))
    assert response.status_code == 302  # the invitation is saved; the mail is what failed
    assert PortalInvitation.objects.filter(carer=grandma.carer).count() == 1
    written = log.getvalue()
    assert "after-commit work portal.invitation_mail failed" in written
    assert "SMTPRecipientsRefused" in written
    assert "@" not in written and "Gwen" not in written and "Holt" not in written
