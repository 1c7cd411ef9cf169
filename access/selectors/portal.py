"""The parent portal: a carer with parental responsibility and no court
restriction sees their own children, and of their files only what staff shared."""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404

from access import policy
from access.models import User
from audit.models import AuditEntry
from records.models import Addendum, Attachment, Carer, Child, CorrectionRequest, Record
from sharing.models import BulkExport, Consent, Disclosure, InformationRequest, Recipient, SharingDecision

# Entries about sharing are left out of a parent's access history, but for the
# disclosures they may see: a hidden one (a safeguarding basis, or to the
# police or social care) is never revealed there (docs/sharing.md).
SHARING_MODELS = (Disclosure, Consent, InformationRequest, SharingDecision, Recipient, BulkExport)


def portal_carer(user: User) -> Carer | None:
    """The Carer behind a signed-in person, or None (staff who are not carers)."""
    if not policy.is_signed_in_person(user):
        return None
    return Carer.objects.filter(user_id=user.pk).first()


def portal_children(*, user: User) -> list[Child]:
    children = Child.objects.filter(policy.portal_child_filter(user)).select_related("site", "room")
    return sorted(children, key=lambda c: (c.first_name.casefold(), c.last_name.casefold()))


def portal_child_get(*, user: User, child_id: uuid.UUID) -> Child:
    try:
        return (
            Child.objects.filter(policy.portal_child_filter(user))
            .select_related("site", "room")
            .get(pk=child_id)
        )
    except Child.DoesNotExist:
        raise Http404("No such child") from None


def portal_records(*, user: User, child: Child) -> QuerySet[Record]:
    return (
        Record.objects.filter(policy.portal_record_filter(user))
        .filter(child=child)
        .order_by("-occurred_at", "-created_at")
    )


def portal_record_get(*, user: User, record_id: uuid.UUID) -> Record:
    try:
        return (
            Record.objects.filter(policy.portal_record_filter(user))
            .select_related("child__site")
            .get(pk=record_id)
        )
    except Record.DoesNotExist:
        raise Http404("No such record") from None


def portal_attachment_get(*, user: User, attachment_id: uuid.UUID) -> Attachment:
    records = Record.objects.filter(policy.portal_record_filter(user)).values("pk")
    try:
        return Attachment.objects.filter(record__in=records).select_related("record").get(pk=attachment_id)
    except Attachment.DoesNotExist:
        raise Http404("No such attachment") from None


def portal_access_history(*, child: Child, limit: int = 200) -> list[AuditEntry]:
    """Who on the staff opened the child's file, when and how. Entries about the
    safeguarding or personnel parts, and about who may read the file, are left
    out; so are other carers' own visits, and what was shared but for the
    disclosures the parent may see."""
    types = ContentType.objects.get_for_models(*SHARING_MODELS)
    visible = Disclosure.objects.filter(child=child, status=Disclosure.Status.SENT).filter(
        Q(hidden_from_parents=False) | Q(released_at__isnull=False)
    )
    shown = [str(pk) for pk in visible.values_list("pk", flat=True)]
    about_sharing = Q(content_type__in=[t.pk for t in types.values()]) & ~Q(
        content_type=types[Disclosure].pk, object_pk__in=shown
    )
    return list(
        AuditEntry.objects.filter(child_id=child.pk, tier="general", actor__staff_member__isnull=False)
        .exclude(about_sharing)
        .select_related("actor")
        .prefetch_related("actor__memberships")
        .order_by("-timestamp", "-id")[:limit]
    )


def portal_corrections(*, carer: Carer, child: Child, limit: int = 20) -> list[CorrectionRequest]:
    """The corrections this carer asked for about this child, newest first."""
    return list(CorrectionRequest.objects.filter(child=child, carer=carer).order_by("-created_at")[:limit])


def portal_comments(*, user: User, records: list[Record]) -> dict[uuid.UUID, list[Addendum]]:
    """The person's own comments on these records, by record."""
    comments: dict[uuid.UUID, list[Addendum]] = defaultdict(list)
    for comment in Addendum.objects.filter(
        record__in=[r.pk for r in records], author_id=user.pk, kind=Addendum.Kind.PARENT_COMMENT
    ):
        comments[comment.record_id].append(comment)
    return dict(comments)
