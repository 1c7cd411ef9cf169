"""The demo's sharing (``seed_demo``): Oakfield's directory (a health visiting team,
a GP practice, the social care front door, the police, early help, a school, and a
family court entry waiting for its second approver), consents for some children
(one of them expired), a couple of past disclosures, and a police request answered
with a decision not to share. Made through the services, as staff would make them."""

from __future__ import annotations

import datetime

from access.models import User
from crypto.fields import blind_index_field
from records.management.demo_data import BASE_TIME
from records.models import Category, Child, ChildCarer, Record, Site, StaffMember
from sharing import services
from sharing.models import (
    Basis,
    Channel,
    ConsentMethod,
    ParentsTold,
    Purpose,
    Recipient,
    RecipientKind,
    RequestAuthority,
    SecureChannel,
)

TOLD = (
    "Explained that we share only what the health visitor or GP needs, that each share is "
    "recorded, that consent lasts a year, and that either parent can withdraw it at any time."
)
DIRECTORY = [
    (
        RecipientKind.HEALTH_VISITOR,
        "Leeds Community Healthcare Health Visiting Team (Headingley)",
        "Hana Kowalski, health visitor",
        "lch.hv.headingley@nhs.net",
        SecureChannel.SECURE_EMAIL,
        "LCH-DSA-2025-014",
        Basis.CONSENT,
    ),
    (
        RecipientKind.HEALTH,
        "Park Lane Surgery",
        "Dr Rahman",
        "parklane.surgery@nhs.net",
        SecureChannel.SECURE_EMAIL,
        "",
        Basis.CONSENT,
    ),
    (
        RecipientKind.SOCIAL_CARE,
        "Leeds Children's Social Work Service Front Door",
        "",
        "csws.frontdoor@leeds.gov.uk",
        SecureChannel.AGENCY_PORTAL,
        "",
        Basis.PUBLIC_TASK,
    ),
    (
        RecipientKind.POLICE,
        "West Yorkshire Police Safeguarding Unit (Leeds)",
        "",
        "leeds.safeguarding@westyorkshire.police.uk",
        SecureChannel.SECURE_EMAIL,
        "",
        Basis.LEGAL_OBLIGATION,
    ),
    (
        RecipientKind.EARLY_HELP,
        "Leeds Early Help Hub (Inner North West)",
        "Tariq Hussain, early help practitioner",
        "earlyhelp.innernw@leeds.gov.uk",
        SecureChannel.SECURE_EMAIL,
        "LCC-EH-ISA-2024",
        Basis.CONSENT,
    ),
    (
        RecipientKind.EDUCATION,
        "Oakfield Primary School",
        "Mrs Joy Owusu, reception teacher and DSL",
        "dsl@oakfield-primary.leeds.sch.uk",
        SecureChannel.TRANSFER,
        "",
        Basis.CONSENT,
    ),
]


def _by_first_name(site: Site, first_name: str) -> Child | None:
    digest = blind_index_field(Child, "first_name_bidx").digest(first_name)
    return Child.objects.filter(site=site, first_name_bidx=digest).first()


def _record(child: Child, category: str) -> Record | None:
    return (
        Record.objects.filter(child=child, category=category).exclude(status=Record.Status.SUPERSEDED).first()
    )


def _parent(child: Child) -> ChildCarer | None:
    links = child.carer_links.select_related("carer").filter(
        parental_responsibility=True, restricted_contact=False
    )
    return links.order_by("relationship").first()


def load(staff: dict[str, StaffMember], sites: list[Site]) -> None:
    manager, senior = staff["manager"].user, staff["senior"].user
    oakfield = sites[0]
    entries: dict[str, Recipient] = {
        kind: services.recipient_add(
            actor=manager,
            site=oakfield,
            kind=kind,
            name=name,
            contact_name=contact,
            secure_email=email,
            secure_channel=channel,
            agreement_reference=agreement,
            agreement_review_on=datetime.date(2027, 3, 31) if agreement else None,
            default_basis=basis,
            phone="0113 496 0" + str(100 + index),
        )
        for index, (kind, name, contact, email, channel, agreement, basis) in enumerate(DIRECTORY)
    }
    services.recipient_add(
        actor=manager,
        site=oakfield,
        kind=RecipientKind.OTHER,
        name="Cafcass (family court adviser)",
        secure_channel=SecureChannel.SECURE_EMAIL,
        secure_email="leeds.team@cafcass.gov.uk",
        default_basis=Basis.LEGAL_OBLIGATION,
        notes="For a court's request about a child in proceedings: check the order first.",
    )
    ava, mia = _by_first_name(oakfield, "Ava"), _by_first_name(oakfield, "Mia")
    if ava is not None:
        _ava(ava, staff, entries, manager, senior)
    if mia is not None:
        _mia(mia, staff, entries, senior)
    others = (
        Child.objects.filter(site=oakfield).exclude(pk__in=[c.pk for c in (ava, mia) if c]).order_by("pk")
    )
    _expired_and_refused(list(others[:2]), staff, entries, manager, senior)


def _consent(
    actor: User,
    child: Child,
    witness: User,
    *,
    purposes: list[str],
    categories: list[str],
    kinds: list[str],
    days_ago: int,
) -> None:
    link = _parent(child)
    if link is None:
        return
    services.consent_record(
        actor=actor,
        child=child,
        given_by=link,
        purposes=purposes,
        categories=categories,
        recipient_kinds=kinds,
        method=ConsentMethod.VERBAL,
        witness=witness,
        told=TOLD,
        form_version="Oakfield sharing consent, version 3 (2025)",
        given_at=BASE_TIME - datetime.timedelta(days=days_ago),
    )


def _ava(
    ava: Child, staff: dict[str, StaffMember], entries: dict[str, Recipient], manager: User, senior: User
) -> None:
    kim = staff["keyworker"].user
    _consent(
        manager,
        ava,
        senior,
        purposes=[Purpose.HEALTH, Purpose.THERAPY],
        categories=[Category.PROGRESS, Category.MEDICAL, Category.PARENT_CONTACT, Category.THERAPY_REPORT],
        kinds=[RecipientKind.HEALTH_VISITOR, RecipientKind.HEALTH],
        days_ago=40,
    )
    _consent(
        manager,
        ava,
        senior,
        purposes=[Purpose.EARLY_HELP],
        categories=[Category.PROGRESS, Category.FAMILY_INFORMATION],
        kinds=[RecipientKind.EARLY_HELP],
        days_ago=35,
    )
    progress = _record(ava, Category.PROGRESS)
    if progress is not None:
        services.disclosure_make(
            actor=kim,
            child=ava,
            recipient=entries[RecipientKind.HEALTH_VISITOR],
            basis=Basis.CONSENT,
            purpose=Purpose.HEALTH,
            channel=Channel.PHONE,
            summary="Spoke to Hana before Ava's two-year review: her words are coming on, two-word phrases "
            "now; agreed she will see Ava at the review.",
            occurred_at=BASE_TIME - datetime.timedelta(days=20),
            parents_told=ParentsTold.YES,
            items=[f"{progress.pk}:title", f"{progress.pk}:body"],
            child_details=["name", "date_of_birth"],
        )


def _mia(mia: Child, staff: dict[str, StaffMember], entries: dict[str, Recipient], senior: User) -> None:
    _consent(
        senior,
        mia,
        staff["manager"].user,
        purposes=[Purpose.TRANSITION],
        categories=[Category.PROGRESS, Category.BEHAVIOUR, Category.REGISTRATION],
        kinds=[RecipientKind.EDUCATION],
        days_ago=25,
    )
    chosen = [r for r in (_record(mia, Category.PROGRESS), _record(mia, Category.BEHAVIOUR)) if r is not None]
    if chosen:
        services.disclosure_make(
            actor=senior,
            child=mia,
            recipient=entries[RecipientKind.EDUCATION],
            basis=Basis.CONSENT,
            purpose=Purpose.TRANSITION,
            channel=Channel.MEETING,
            summary="Transition meeting with Mrs Owusu: went through Mia's progress summary and what helps "
            "her settle (a familiar adult at drop-off, a visual timetable).",
            occurred_at=BASE_TIME - datetime.timedelta(days=10),
            parents_told=ParentsTold.YES,
            items=[f"{r.pk}:{part}" for r in chosen for part in ("title", "body")],
            child_details=["name", "date_of_birth"],
        )


def _expired_and_refused(
    children: list[Child],
    staff: dict[str, StaffMember],
    entries: dict[str, Recipient],
    manager: User,
    senior: User,
) -> None:
    """An expired consent (flagged on the child's file), and a police request answered
    "do not share", with the reason."""
    if children:
        _consent(
            manager,
            children[0],
            senior,
            purposes=[Purpose.HEALTH],
            categories=[Category.PROGRESS, Category.MEDICAL],
            kinds=[RecipientKind.HEALTH_VISITOR],
            days_ago=400,
        )
    if len(children) > 1:
        request = services.request_log(
            actor=manager,
            child=children[1],
            authority=RequestAuthority.POLICE_CRIME,
            recipient=entries[RecipientKind.POLICE],
            requester_name="DC Priya Shah",
            requester_organisation="West Yorkshire Police",
            reference="13/88172/26",
            asked_for="Who collected the child on two afternoons in August, and the collection password.",
            received_at=BASE_TIME - datetime.timedelta(days=8),
        )
        services.request_decide(
            actor=manager,
            information_request=request,
            outcome="not_share",
            reason="Not signed by an Inspector, and no reason given why the information is needed to prevent "
            "or detect a crime. Asked them to resubmit with the signed form; the collection password is "
            "never shared.",
        )
