"""Factories for organisations, units, people and roles."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from intact.organisations.models import (
    ContractType,
    IntegrityOrgan,
    Membership,
    Organisation,
    OrganisationKind,
    OrganKind,
    Person,
    Unit,
)

PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105 - test password


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.LazyAttribute(lambda o: f"Organisatie {o.slug}")
    kind = OrganisationKind.GOVERNMENT
    sector = "provincie"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Afdeling {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Jansen{n}")
    contract_type = ContractType.EMPLOYEE
    start_date = dt.date(2024, 1, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "employee"


class IntegrityOrganFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntegrityOrgan

    organisation = factory.SubFactory(OrganisationFactory)
    kind = OrganKind.COUNSELLOR
    name = factory.Sequence(lambda n: f"Vertrouwenspersoon {n}")
