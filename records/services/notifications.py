"""Telling people what is waiting for them: in the app, and by e-mail that names nobody."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from access.models import User
from jobs.after_commit import after_commit
from records.models import (
    Carer,
    Child,
    ChildCarer,
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
    # Those who asked for a daily summary, or none, get it then (notification_digests).
    addresses = [r.email for r in recipients if r.email and r.notification_mail == User.Mail.EACH]
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


# --- the daily summary ------------------------------------------------------------------

DIGEST_HOUR = 7  # local time: before the day starts


def notification_digests(*, now: datetime.datetime | None = None) -> int:
    """Once a day, from DIGEST_HOUR, each person who asked for a daily summary is told how
    many notifications are new since the last one: a count and a link, naming nobody.
    Safe to run every hour and again after a failure (each person at most once a day)."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < DIGEST_HOUR:
        return 0
    start_of_day = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    people = User.objects.filter(notification_mail=User.Mail.DAILY, is_active=True).filter(
        Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lt=start_of_day)
    )
    sent = 0
    for person in people.iterator(chunk_size=200):
        since = person.digest_sent_at or start_of_day - datetime.timedelta(days=1)
        new = Notification.objects.filter(
            recipient=person, created_at__gt=since, read_at__isnull=True, done_at__isnull=True
        ).count()
        with transaction.atomic():
            person.digest_sent_at = now
            person.save(update_fields=["digest_sent_at"])
            if new and person.email:
                after_commit(_digest_mail(person.email, new), name="records.notification_digest_mail")
                sent += 1
    return sent


def _digest_mail(address: str, new: int) -> Callable[[], None]:
    def send_digest() -> None:
        send_mail(
            "Confide: your notifications",
            f"You have {new} new notification{'s' if new != 1 else ''} in Confide.\n\n"
            f"Sign in to read {'them' if new != 1 else 'it'}: {settings.SITE_URL}/notifications/\n",
            settings.DEFAULT_FROM_EMAIL,
            [address],
        )

    return send_digest


@transaction.atomic
def notification_mail_set(*, actor: User, choice: str) -> None:
    if choice not in User.Mail.values:
        raise ValidationError({"notification_mail": "Choose how you want to be e-mailed."})
    actor.notification_mail = choice
    actor.save(update_fields=["notification_mail"])


# --- telling a parent something is waiting --------------------------------------------------


def tell_parent(*, carer: Carer, what: str) -> None:
    """An e-mail to a carer with a portal login: what is waiting, in general words only."""
    address = carer.email if carer.user_id and carer.user and carer.user.is_active else ""
    if not address:
        return

    def send_parent_mail() -> None:
        send_mail(
            "Confide: something is waiting for you",
            f"There is {what} in Confide.\n\nSign in to read it: {settings.SITE_URL}/portal/\n",
            settings.DEFAULT_FROM_EMAIL,
            [address],
            fail_silently=True,
        )

    after_commit(send_parent_mail, name="records.parent_mail")


def tell_parents_shared(record: Record) -> None:
    """A record was shared with parents: those who may see it in the portal are told."""
    if record.child_id is None or not record.visible_to_parents:
        return
    links = ChildCarer.objects.filter(
        child_id=record.child_id, parental_responsibility=True, restricted_contact=False
    ).select_related("carer__user")
    for link in links:
        tell_parent(carer=link.carer, what="something new shared with you about your child")
