"""Factories for the files. Personas are built from these in tests/personas.py."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth.models import Group

from access.models import User
from records.models import Carer, Category, Child, ChildCarer, Record, Site, StaffMember, Tier


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
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.set([Group.objects.get_or_create(name=r)[0] for r in extracted])
        if create:
            self.save()


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    job_title = "Practitioner"
    phone = "07700 900001"

    @factory.post_generation
    def sites(self, create: bool, extracted: list[Site] | None, **kwargs: object) -> None:
        if create and extracted:
            self.sites.set(extracted)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

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
