"""What a person may see of sharing: disclosures, consents, the directory, requests
and decisions (the rules are access/policy/sharing.py). 404 for anything else."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from access import policy
from access.models import User
from access.selectors.files import _with_standing
from records.models import Child
from sharing.models import Consent, Disclosure, InformationRequest, Recipient, SharingDecision

# --- disclosures, requests and decisions ---------------------------------------------------


def disclosures_for(user: User) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(policy.sharing_filter(user))


def requests_for(user: User) -> QuerySet[InformationRequest]:
    return InformationRequest.objects.filter(policy.sharing_filter(user))


def decisions_for(user: User) -> QuerySet[SharingDecision]:
    return SharingDecision.objects.filter(policy.sharing_filter(user, author="decided_by_id"))


def disclosure_get_for_user(*, user: User, disclosure_id: uuid.UUID) -> Disclosure:
    disclosure = (
        Disclosure.objects.select_related(
            "child__site", "recipient", "consent__given_by__carer", "created_by"
        )
        .filter(pk=disclosure_id)
        .first()
    )
    if disclosure is None or not policy.reads_shared(policy.facts_of(user), disclosure):
        raise Http404("No such disclosure")
    _child_seen_or_author(user, disclosure.child)
    return disclosure


def request_get_for_user(*, user: User, information_request_id: uuid.UUID) -> InformationRequest:
    found = (
        InformationRequest.objects.select_related("child__site", "recipient", "created_by")
        .filter(pk=information_request_id)
        .first()
    )
    if found is None or not policy.reads_shared(policy.facts_of(user), found):
        raise Http404("No such request")
    _child_seen_or_author(user, found.child)
    return found


def _child_seen_or_author(user: User, child: Child) -> None:
    """Mark the child with the person's standing; an author who can no longer read
    the file still sees what they made (the rule above let them in)."""
    facts = policy.facts_of(user)
    child.can_read_general = policy.reads_general(facts, child)
    child.can_read_safeguarding = policy.reads_safeguarding(facts, child)
    child.is_my_key_child = child.pk.hex in facts.key_children


# --- consents ------------------------------------------------------------------------------------


def consent_get_for_user(*, user: User, consent_id: uuid.UUID) -> Consent:
    consent = (
        Consent.objects.select_related("child__site", "given_by__carer", "withdrawn_by__carer", "form_record")
        .filter(pk=consent_id)
        .first()
    )
    if consent is None:
        raise Http404("No such consent")
    _with_standing(user, consent.child)
    if not consent.child.can_read_general:
        raise Http404("No such consent")
    return consent


def consents_of(child: Child) -> QuerySet[Consent]:
    """A child's consents, for a child fetched through child_get_for_user (who may
    read its general file: the caller checks child.can_read_general)."""
    return (
        Consent.objects.filter(child=child)
        .select_related("given_by__carer", "withdrawn_by__carer")
        .prefetch_related("recipients")
    )


# --- the directory ---------------------------------------------------------------------------------


def recipients_for(user: User) -> QuerySet[Recipient]:
    """Directory entries of the sites whose directory the person may read."""
    return Recipient.objects.filter(site_id__in=list(policy.directory_sites(policy.standing_of(user))))


def recipient_get_for_user(*, user: User, recipient_id: uuid.UUID, write: bool = False) -> Recipient:
    recipient = Recipient.objects.select_related("site", "created_by", "approved_by").filter(pk=recipient_id)
    found = recipient.first()
    standing = policy.standing_of(user)
    if found is None or found.site_id not in policy.directory_sites(standing):
        raise Http404("No such directory entry")
    if write and not policy.may_keep_directory(standing, found.site_id):
        raise Http404("No such directory entry")
    return found


def recipients_for_sharing(*, child: Child) -> QuerySet[Recipient]:
    """The entries a share about this child may go to: its site's, in use."""
    return Recipient.objects.filter(site_id=child.site_id, status=Recipient.Status.ACTIVE)


# --- the parent portal -----------------------------------------------------------------------------------


def portal_consents(*, child: Child) -> QuerySet[Consent]:
    """For a child fetched with portal_child_get (one of the parent's own)."""
    return consents_of(child)


def portal_consent_get(*, user: User, consent_id: uuid.UUID) -> Consent:
    consent = (
        Consent.objects.filter(child__in=Child.objects.filter(policy.portal_child_filter(user)).values("pk"))
        .select_related("child__site", "given_by__carer", "withdrawn_by__carer")
        .prefetch_related("recipients")
        .filter(pk=consent_id)
        .first()
    )
    if consent is None:
        raise Http404("No such consent")
    return consent


def portal_disclosures(*, user: User, child: Child) -> QuerySet[Disclosure]:
    """What was shared about the parent's child, and with whom: never a hidden one."""
    return (
        Disclosure.objects.filter(policy.portal_disclosure_filter(user), child=child)
        .select_related("recipient")
        .order_by("-sent_at")
    )
