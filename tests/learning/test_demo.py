"""The demo hook: realistic data for last year and this year, idempotent."""

import pytest
from django.utils import timezone

from intact.learning import selectors
from intact.learning.demo import demo_load
from intact.learning.models import Activity, CounsellorConversation, Facilitator, MoralCase
from tests.organisations.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_demo_load(org, make_user):
    counsellors = [make_user(org, "counsellor"), make_user(org, "counsellor")]
    units = [
        UnitFactory(organisation=org, name=n) for n in ("Bureau Inkoop", "Afdeling Vergunningen")
    ]
    people = [p for u in counsellors for p in u.people.all()]
    people += [PersonFactory(organisation=org, unit=units[i % 2]) for i in range(20)]
    demo_load(org, people)
    last_year = timezone.localdate().year - 1
    totals = selectors.activity_totals(org, last_year)["by_type_code"]
    assert (totals["dilemma_game"]["sessions"], totals["dilemma_game"]["participants"]) == (14, 233)
    assert totals["network_meeting"]["sessions"] == 3 and totals["works_council"]["sessions"] == 4
    counts = selectors.counsellor_topic_counts(org, last_year)
    assert counts["total"] == 25
    assert [t["count"] for t in counts["topics"]] == [2, 9, 0, 5, 4, 5]
    assert selectors.counsellor_topic_counts(org, last_year + 1)["total"] > 0
    assert set(CounsellorConversation.objects.values_list("counsellor", flat=True)) == {
        u.pk for u in counsellors
    }
    assert Facilitator.objects.filter(organisation=org).count() == 13
    assert MoralCase.objects.filter(organisation=org, status="published").count() == 4
    assert MoralCase.objects.filter(organisation=org, status="draft").count() == 1
    assert not Activity.objects.filter(date__gt=timezone.localdate()).exists()
    before = (
        Activity.objects.count(),
        CounsellorConversation.objects.count(),
        MoralCase.objects.count(),
    )
    demo_load(org, people)
    assert (
        Activity.objects.count(),
        CounsellorConversation.objects.count(),
        MoralCase.objects.count(),
    ) == before
