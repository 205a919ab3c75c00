"""Factories for the registers."""

import datetime as dt
from decimal import Decimal

import factory

from intact.registers.models import (
    CodeVersion,
    GiftDeclaration,
    OutsideActivity,
    ScreeningProfile,
    VulnerablePosition,
)
from tests.organisations.factories import OrganisationFactory, PersonFactory


class CodeVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CodeVersion

    organisation = factory.SubFactory(OrganisationFactory)
    title = "Gedragscode"
    version = factory.Sequence(lambda n: f"{2020 + n}.1")
    adopted_on = dt.date(2024, 1, 1)
    text = "Wij handelen integer."


class OutsideActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutsideActivity

    person = factory.SubFactory(PersonFactory)
    organisation = factory.LazyAttribute(lambda o: o.person.organisation)
    description = "Penningmeester"
    for_whom = "Voetbalvereniging"
    hours_per_month = Decimal("4")
    paid = False
    declared_on = dt.date(2025, 3, 1)


class GiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GiftDeclaration

    person = factory.SubFactory(PersonFactory)
    organisation = factory.LazyAttribute(lambda o: o.person.organisation)
    kind = "gift"
    giver = "Leverancier BV"
    occasion = "Kerst"
    estimated_value = Decimal("75")
    received_on = dt.date(2025, 12, 20)
    declared_on = dt.date(2025, 12, 21)
    needs_approval = True
    threshold_applied = Decimal("50")


class VulnerablePositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VulnerablePosition

    organisation = factory.SubFactory(OrganisationFactory)
    position = "Inkoper"
    risk = "Contact met leveranciers"
    measures = ["four_eyes"]
    assessed_on = dt.date(2025, 1, 1)


class ScreeningProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScreeningProfile

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Profiel {n}")
    checks = ["vog", "references"]
    rescreen_months = 36
