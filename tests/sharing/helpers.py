"""Making the sharing objects tests need, through the services, as staff would."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from access import selectors
from access.models import User
from records.models import Carer, Category, Child, ChildCarer, Record
from sharing import services
from sharing.models import (
    Basis,
    Channel,
    Consent,
    ConsentMethod,
    ConsentPosition,
    Disclosure,
    InformationRequest,
    ParentsTold,
    Purpose,
    Recipient,
    RecipientKind,
    RequestAuthority,
    SecureChannel,
)
from tests.factories import CarerFactory, ChildCarerFactory, UserFactory
from tests.personas import World

GIVEN = datetime.datetime(2026, 9, 2, 9, 30, tzinfo=datetime.UTC)


def recipient(world: World, *, kind: str = RecipientKind.HEALTH_VISITOR, **fields: Any) -> Recipient:
    values: dict[str, Any] = {
        "name": "Leeds Health Visiting Team (North)",
        "contact_name": "Hana Visitor",
        "secure_email": "hv.north@nhs.net",
        "secure_channel": SecureChannel.SECURE_EMAIL,
        "default_basis": Basis.CONSENT,
    }
    values |= fields
    made = services.recipient_add(
        actor=world.manager, site=values.pop("site", world.site), kind=kind, **values
    )
    if made.status == Recipient.Status.AWAITING_APPROVAL:
        made = services.recipient_approve(actor=world.chair, recipient=made)
    return made


def social_care(world: World) -> Recipient:
    return recipient(
        world,
        kind=RecipientKind.SOCIAL_CARE,
        name="Leeds Children's Social Work Service front door",
        contact_name="",
        secure_email="front.door@leeds.gov.uk",
        secure_channel=SecureChannel.AGENCY_PORTAL,
        default_basis=Basis.PUBLIC_TASK,
    )


def police(world: World) -> Recipient:
    return recipient(
        world,
        kind=RecipientKind.POLICE,
        name="West Yorkshire Police Safeguarding Unit",
        contact_name="",
        secure_email="safeguarding@westyorkshire.police.uk",
        secure_channel=SecureChannel.SECURE_EMAIL,
        default_basis=Basis.LEGAL_OBLIGATION,
    )


def mother_link(world: World) -> ChildCarer:
    return world.ava.carer_links.select_related("carer").get(carer__user=world.parent)


def father_link(world: World) -> ChildCarer:
    """Ava's father, with parental responsibility (not in the shared world: made here)."""
    user = UserFactory(username="ava_father", first_name="", last_name="", is_portal_user=True)
    carer = CarerFactory(user=user, first_name="Dev", last_name="Patel", email="dev@example.org")
    return ChildCarerFactory(child=world.ava, carer=carer, relationship=ChildCarer.Relationship.FATHER)


def consent(
    world: World,
    *,
    given_by: ChildCarer | None = None,
    categories: tuple[str, ...] = (Category.PROGRESS, Category.MEDICAL),
    purposes: tuple[str, ...] = (Purpose.HEALTH,),
    kinds: tuple[str, ...] = (RecipientKind.HEALTH_VISITOR,),
    **fields: Any,
) -> Consent:
    values: dict[str, Any] = {
        "method": ConsentMethod.VERBAL,
        "witness": world.senior,
        "told": "What sharing means, and that she can withdraw at any time.",
        "form_version": "Sharing consent v3 (2026)",
        "given_at": GIVEN,
    }
    values |= fields
    return services.consent_record(
        actor=world.manager,
        child=child_for(world.manager, world.ava),
        given_by=given_by or mother_link(world),
        purposes=purposes,
        categories=categories,
        recipient_kinds=kinds,
        **values,
    )


def child_for(user: User, child: Child) -> Child:
    """The child as the pages fetch it for this person (with what they may do)."""
    return selectors.child_get_for_user(user=user, child_id=child.pk)


def parts(record: Record, *codes: str) -> list[str]:
    return [f"{record.pk}:{code}" for code in (codes or ("title", "body"))]


def share(world: World, actor: User, to: Recipient, records: list[Record], **fields: Any) -> Disclosure:
    values: dict[str, Any] = {
        "basis": Basis.CONSENT,
        "purpose": Purpose.HEALTH,
        "channel": Channel.PHONE,
        "summary": "Told the health visitor how Ava's speech is coming on.",
        "parents_told": ParentsTold.YES,
        "items": [item for r in records for item in parts(r)],
    }
    values |= fields
    return services.disclosure_make(actor=actor, child=child_for(actor, world.ava), recipient=to, **values)


def court_order_share(
    world: World, actor: User, to: Recipient, records: list[Record], **fields: Any
) -> Disclosure:
    values: dict[str, Any] = {
        "basis": Basis.LEGAL_OBLIGATION,
        "basis_reason": "Family court order to produce the child's records.",
        "legal_reference": "Leeds Family Court LS26C00123",
        "consent_position": ConsentPosition.NOT_SOUGHT,
        "purpose": Purpose.LEGAL,
    }
    return share(world, actor, to, records, **(values | fields))


def police_request(world: World, **fields: Any) -> InformationRequest:
    values: dict[str, Any] = {
        "authority": RequestAuthority.POLICE_CRIME,
        "requester_name": "DC Priya Shah",
        "requester_organisation": "West Yorkshire Police",
        "reference": "WYP-13/88172/26",
        "asked_for": "Attendance and collection records for a fortnight in October.",
        "received_at": GIVEN,
    }
    return services.request_log(
        actor=world.manager, child=child_for(world.manager, world.ava), **(values | fields)
    )


@dataclass
class SharingObjects:
    """One of each kind of sharing object about Ava, for the walks over every URL."""

    health_visitor: Recipient
    front_door: Recipient
    other: Recipient
    consent: Consent
    bundle: Disclosure  # consent-based, a bundle ready to send (Kim's)
    awaiting_manager: Disclosure  # a court order, waiting for a manager (Kim's)
    awaiting_dsl: Disclosure  # the safeguarding basis, waiting for the DSL (Kim's)
    referral: Disclosure  # the DSL's referral of Ava's concern
    request: InformationRequest


def make_sharing_objects(world: World) -> SharingObjects:
    hv, front_door = recipient(world), social_care(world)
    other = services.recipient_add(
        actor=world.manager,
        site=world.site,
        kind=RecipientKind.OTHER,
        name="Oakfield Community Food Bank",
        secure_channel=SecureChannel.HAND,
    )
    given = consent(world)
    bundle = share(world, world.keyworker, hv, [world.ava_progress], channel=Channel.BUNDLE, summary="")
    court = court_order_share(
        world, world.keyworker, front_door, [world.ava_progress], channel=Channel.LETTER
    )
    worried = share(
        world,
        world.keyworker,
        front_door,
        [world.ava_progress],
        basis=Basis.VITAL_INTERESTS,
        condition="safeguarding",
        basis_reason="Ava said she is scared to go home tonight.",
        consent_position=ConsentPosition.NOT_SOUGHT_RISK,
        purpose=Purpose.SAFEGUARDING,
        parents_told=ParentsTold.NO,
        parents_not_told_reason="It could put Ava at risk.",
    )
    referral = services.concern_refer(
        actor=world.dsl,
        record=world.ava_concern,
        recipient=front_door,
        basis=Basis.PUBLIC_TASK,
        basis_reason="Bruising and the child's words.",
        consent_position=ConsentPosition.NOT_SOUGHT_RISK,
        channel=Channel.PHONE,
        summary="Referred by phone to the front door.",
        parents_told=ParentsTold.NO,
        parents_not_told_reason="Social care asked us not to yet.",
        items=[],
    )
    return SharingObjects(
        hv, front_door, other, given, bundle, court, worried, referral, police_request(world)
    )


def consent_for(world: World, child: Child | None, carer: Carer | None) -> Consent:
    """A consent for this child (Ava if None) from this carer (the child's first with
    parental responsibility if None), recorded by a manager of the child's site."""
    child = child or world.ava
    link = child.carer_links.select_related("carer").filter(parental_responsibility=True)
    link = link.filter(carer=carer) if carer else link
    actor = world.manager if child.site_id == world.site.pk else world.outside_manager
    witness = world.senior if child.site_id == world.site.pk else world.outsider
    return services.consent_record(
        actor=actor,
        child=child,
        given_by=link.first(),
        purposes=[Purpose.HEALTH],
        categories=[Category.PROGRESS],
        recipient_kinds=[RecipientKind.HEALTH_VISITOR],
        method=ConsentMethod.VERBAL,
        witness=witness,
        told="What sharing means, and that it can be withdrawn at any time.",
        form_version="Sharing consent v3 (2026)",
        given_at=GIVEN,
    )
