"""
The one place that answers "may this person see this?".

Until need-to-know access lands, a child's file is seen only by the managers
of the child's site, and only its general tier. Superusers, people without a
staff file at the site and anonymous visitors see nothing. "Not allowed" and
"does not exist" are the same 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from access.models import Role
from records.models import Attachment, Child, Record, Site, Tier

NOTHING = Q(pk__in=[])


def sites_managed_by(user: Any) -> QuerySet[Site]:
    return Site.objects.filter(staff__user=user, staff__user__groups__name=Role.MANAGER)


def child_filter_for_user(user: Any) -> Q:
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    return Q(site__in=sites_managed_by(user))


def record_filter_for_user(user: Any) -> Q:
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    return Q(child__site__in=sites_managed_by(user), tier=Tier.GENERAL)


def child_get_for_user(*, user: Any, child_id: uuid.UUID) -> Child:
    try:
        return Child.objects.visible_to(user).select_related("site").get(pk=child_id)
    except Child.DoesNotExist:
        raise Http404("No such child") from None


def attachment_get_for_user(*, user: Any, attachment_id: uuid.UUID) -> Attachment:
    try:
        return Attachment.objects.visible_to(user).select_related("record").get(pk=attachment_id)
    except Attachment.DoesNotExist:
        raise Http404("No such attachment") from None


def records_for_child(*, user: Any, child: Child) -> QuerySet[Record]:
    return Record.objects.visible_to(user).filter(child=child)
