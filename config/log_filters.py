"""
Logging filters (settings.LOGGING): no personal data in application logs.

Confide's own log lines carry ids, never personal values; but an exception's
message is written by whoever raised it, and a mail server's refusal names the
addresses it refused. `PersonalDataFilter`, on every handler, masks what can be
recognised as personal in every record, its arguments and its traceback:
e-mail addresses, UK telephone numbers and postcodes, values given for fields
such as a name or an address ("first_name='Ava'"), and the whole text of a
mail error. It is a net, not a licence: code still logs ids, not people.
"""

from __future__ import annotations

import logging
import re
import smtplib
import traceback
from collections.abc import Iterator

MASK = "[personal data removed]"
WITHHELD = "[mail error details withheld]"

EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
UK_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?|0)(?:\d\s?){9,10}\b")
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
# A value given for a field that names or locates a person: name='Ava Smith',
# "last_name": "Smith", username=kim.
PERSONAL_FIELDS = (
    r"(?:first_|last_|full_|given_|family_|middle_|user)?name|names|e-?mail|address|phone|mobile|"
    r"postcode|date_of_birth|dob"
)
PERSONAL_VALUE = re.compile(
    rf"""(?P<key>['"]?\b(?:{PERSONAL_FIELDS})\b['"]?\s*[:=]\s*)(?P<value>'[^']*'|"[^"]*"|[^\s,;)}}\]]+)""",
    re.IGNORECASE,
)
# Exceptions whose text is about people: a mail server quotes the addresses it refused.
WITHHELD_ERRORS: tuple[type[BaseException], ...] = (smtplib.SMTPException,)


def mask(text: str) -> str:
    text = PERSONAL_VALUE.sub(lambda m: f"{m['key']}{MASK}", text)
    for pattern in (EMAIL, UK_PHONE, UK_POSTCODE):
        text = pattern.sub(MASK, text)
    return text


def _chain(error: BaseException | None) -> Iterator[BaseException]:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def _withheld(value: object) -> object:
    if isinstance(value, WITHHELD_ERRORS):
        return f"{type(value).__name__}: {WITHHELD}"
    return value


def _exception_text(error: BaseException) -> str:
    text = "".join(traceback.format_exception(error))
    for link in _chain(error):
        if isinstance(link, WITHHELD_ERRORS) and str(link):
            text = text.replace(str(link), WITHHELD)
    return mask(text).rstrip("\n")


class PersonalDataFilter(logging.Filter):
    """Masks personal values in a record's message, arguments and traceback.
    The record is changed in place, so every handler after this one sees the
    masked text too."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_withheld(arg) for arg in record.args)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = f"{record.msg} (unformattable arguments)"
        record.msg, record.args = mask(message), ()
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = _exception_text(record.exc_info[1])
        elif record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


class WithoutTraceback(logging.Filter):
    """One line, not a traceback: for expected refusals such as a request for a
    host name this site does not serve (django.security.DisallowedHost)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
