"""Factories for the policy app."""

import datetime as dt
from decimal import Decimal

import factory

from intact.policy.models import ActionPoint, AnnualPlan, IntegrityPlan, Measure, PlanVersion
from tests.organisations.factories import OrganisationFactory

SECTIONS = {
    "mission": "Wij willen een organisatie zijn waar iedereen integer werkt.",
    "values": "Onze kernwaarden zijn betrouwbaar, open en zorgvuldig.",
    "structure": "Twaalf dilemmasessies per jaar en risicoanalyses in drie afdelingen.",
    "incidents": "Meldingen gaan volgens de meldprocedure naar de coördinator.",
    "roles": "De coördinator coördineert; vertrouwenspersonen adviseren.",
    "monitoring": "Het jaarverslag rapporteert over output en outcome.",
    "resources": "Budget 40.000 euro; 1,2 fte.",
}


class IntegrityPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntegrityPlan

    organisation = factory.SubFactory(OrganisationFactory)
    title = "Integriteitsplan 2025-2028"


class PlanVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanVersion

    plan = factory.SubFactory(IntegrityPlanFactory)
    number = 1
    author = "Integriteitscoördinator"
    adopting_body = "College van Gedeputeerde Staten"
    term_start = dt.date(2025, 1, 1)
    term_end = dt.date(2028, 12, 31)
    sections = factory.LazyFunction(lambda: dict(SECTIONS))


class AnnualPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualPlan

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2025
    title = factory.LazyAttribute(lambda o: f"Jaarplan {o.year}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    annual_plan = factory.SubFactory(AnnualPlanFactory)
    title = "Dilemmasessies"
    target_value = Decimal("12")
    target_unit = "sessies"
    owner_role = "coordinator"
    start_on = factory.LazyAttribute(lambda o: dt.date(o.annual_plan.year, 1, 1))
    end_on = factory.LazyAttribute(lambda o: dt.date(o.annual_plan.year, 12, 31))


class ActionPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPoint

    organisation = factory.SubFactory(OrganisationFactory)
    title = "Halfjaarlijks uitvragen"
    source = "annual_report"
    year = 2024
    owner_role = "coordinator"
    due_on = dt.date(2024, 12, 31)
