"""Factories for the files. Personas are built from these in tests/personas.py."""

from __future__ import annotations

import datetime

import factory

from access.models import Membership, User
from records.models import Carer, Category, Child, ChildCarer, Record, Room, Site, StaffMember, Tier


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"Centre {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.PostGenerationMethodCall("set_password", "a long test password")

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    job_title = "Practitioner"
    phone = "07700 900001"


class ChildFactory(factory.django.DjangoModelFactory):
    """A child; `room` may be given as a name (the room is made at the child's site)."""

    class Meta:
        model = Child

    @classmethod
    def _create(cls, model_class: type[Child], *args: object, **kwargs: object) -> Child:
        room, site = kwargs.get("room"), kwargs.get("site")
        if isinstance(room, str) and isinstance(site, Site):
            kwargs["room"] = Room.objects.get_or_create(site=site, name=room)[0] if room else None
        return super()._create(model_class, *args, **kwargs)

    site = factory.SubFactory(SiteFactory)
    first_name = "Ava"
    last_name = "Smith"
    date_of_birth = datetime.date(2022, 3, 14)
    allergies = "Peanuts"
    medical_conditions = "Asthma"
    address = "1 Park Terrace, Leeds"


class CarerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Carer

    first_name = "Amy"
    last_name = "Smith"
    phone = "07700 900123"
    email = "amy@example.org"


class ChildCarerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChildCarer

    child = factory.SubFactory(ChildFactory)
    carer = factory.SubFactory(CarerFactory)
    relationship = ChildCarer.Relationship.MOTHER
    parental_responsibility = True


class RecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Record

    child = factory.SubFactory(ChildFactory)
    category = Category.PROGRESS
    tier = Tier.GENERAL
    title = "Progress check"
    body = "Ava is using two-word phrases."
    occurred_at = factory.LazyFunction(lambda: datetime.datetime(2026, 9, 1, 10, tzinfo=datetime.UTC))
    author = factory.SubFactory(UserFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A role at a site, held for years, confirmed (as the pages would leave it)."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    site = factory.SubFactory(SiteFactory)
    role = "practitioner"
    starts_at = datetime.datetime(2020, 9, 1, 9, tzinfo=datetime.UTC)
    confirmed_at = datetime.datetime(2020, 9, 1, 9, tzinfo=datetime.UTC)


def give_roles(user: User, site: Site, *roles: str) -> list[Membership]:
    return [MembershipFactory(user=user, site=site, role=role) for role in roles]
