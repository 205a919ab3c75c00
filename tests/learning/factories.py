"""Factories for the learning app."""

import datetime as dt

import factory

from intact.learning.models import (
    Activity,
    ActivityType,
    Audience,
    CaseStatus,
    ContactForm,
    ConversationTopic,
    CounsellorConversation,
    Facilitator,
    FollowUp,
    MoralCase,
)
from tests.organisations.factories import OrganisationFactory


def topic(organisation, code):
    """The organisation's default topic with this code (created with the organisation)."""
    return ConversationTopic.objects.get(organisation=organisation, code=code)


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CounsellorConversation

    organisation = factory.SubFactory(OrganisationFactory)
    date = dt.date(2019, 5, 1)
    topic = factory.LazyAttribute(lambda o: topic(o.organisation, "integrity"))
    contact_form = ContactForm.IN_PERSON
    follow_up = FollowUp.ADVICE


class FacilitatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facilitator

    organisation = factory.SubFactory(OrganisationFactory)
    external_name = factory.Sequence(lambda n: f"Begeleider {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    organisation = factory.SubFactory(OrganisationFactory)
    type = ActivityType.DILEMMA_GAME
    title = "Dilemmaspel integriteit"
    date = dt.date(2019, 3, 14)
    audience = Audience.NEW_EMPLOYEES
    participants = 15


class MoralCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MoralCase

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Casus {n}")
    dilemma = "Een uitnodiging voor een diner van een leverancier."
    considerations = "De schijn van belangenverstrengeling weegt zwaar."
    conclusion = "We nemen de uitnodiging niet aan."
    anonymised_confirmed = True
    status = CaseStatus.PUBLISHED
