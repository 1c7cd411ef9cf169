"""Telling people what is waiting for them: in the app, and by e-mail that names nobody."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from access.models import User
from jobs.after_commit import after_commit
from records.models import (
    Child,
    Notification,
    Record,
)


def notify(
    *,
    recipients: list[User],
    message: str,
    url: str = "",
    child: Child | None = None,
    record: Record | None = None,
) -> list[Notification]:
    """In-app notifications, and the same by email once the change is committed.

    The message names nobody: email is not a safe place for personal data, so
    it says what happened and where to look.
    """
    notes = [
        Notification(recipient=r, message=message, url=url, child=child, record=record) for r in recipients
    ]
    for note in notes:
        note.full_clean()
        note.save()
    addresses = [r.email for r in recipients if r.email]
    if addresses:
        link = f"{settings.SITE_URL}{url}" if url else settings.SITE_URL

        def send_notification_mail() -> None:
            send_mass_mail(
                [
                    (
                        "Confide: " + message,
                        f"{message}\n\nSign in to read it: {link}\n",
                        settings.DEFAULT_FROM_EMAIL,
                        [address],
                    )
                    for address in addresses
                ],
                fail_silently=True,
            )

        # Sent once the change is saved; a mail failure is logged (never the
        # addresses) and cannot turn the saved change into an error page.
        after_commit(send_notification_mail, name="records.notification_mail")
    return notes


@transaction.atomic
def notification_mark_read(*, actor: User, notification_id: uuid.UUID) -> None:
    for note in Notification.objects.filter(pk=notification_id, recipient=actor, read_at__isnull=True):
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])


def notifications_done(*, record: Record, recipients: list[User] | None = None) -> int:
    """What the notifications about this record asked for is done (signed off, returned,
    amended, handled): they are no longer new, for everyone told (or these people)."""
    notes = Notification.objects.filter(record=record, done_at__isnull=True)
    if recipients is not None:
        notes = notes.filter(recipient__in=recipients)
    now = timezone.now()
    done = 0
    for note in notes:
        note.done_at = now
        note.save(update_fields=["done_at"])
        done += 1
    return done
