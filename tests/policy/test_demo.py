"""The demo hook builds a realistic policy cycle, idempotently."""

import pytest

from intact.policy import demo, selectors
from intact.policy.models import (
    ActionPoint,
    AnnualPlan,
    Assessment,
    InquiryRound,
    IntegrityPlan,
    Measure,
    VersionStatus,
)

pytestmark = pytest.mark.django_db


def test_demo_load_is_idempotent_and_complete(org, make_user):
    coordinator = make_user(org, "coordinator")
    make_user(org, "competent_authority")
    make_user(org, "manager")
    make_user(org, "counsellor")
    demo.demo_load(org, [])
    demo.demo_load(org, [])
    plan = IntegrityPlan.objects.get(organisation=org)
    assert sorted(plan.versions.values_list("status", flat=True)) == [
        VersionStatus.ADOPTED,
        VersionStatus.DRAFT,
    ]
    years = sorted(set(AnnualPlan.objects.filter(organisation=org).values_list("year", flat=True)))
    assert len(years) == 2 and Measure.objects.filter(annual_plan__organisation=org).count() >= 12
    assert ActionPoint.objects.filter(organisation=org, status="open").exists()
    assert Assessment.objects.filter(organisation=org).count() == 1
    assert InquiryRound.objects.filter(organisation=org).count() == 2
    central = AnnualPlan.objects.get(organisation=org, year=years[-1], unit=None)
    board = selectors.dashboard(user=coordinator, annual_plan=central)
    assert board["summary"]["measures"] >= 8
