"""The registers' demo data: realistic figures for last year and this year, idempotent."""

import datetime as dt

import pytest

from intact.core import demo as core_demo
from intact.core.demo_data import NGO, PROVINCIE
from intact.registers import demo, selectors
from intact.registers.models import CodeVersion, OutsideActivity

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("spec", [PROVINCIE, NGO], ids=["provincie", "ngo"])
def test_demo_load_fills_every_register_once(spec):
    built = core_demo.build_organisation(spec, people=60, hooks=False)
    demo.demo_load(built.organisation, built.people)
    org = built.organisation
    this_year, last_year = dt.date.today().year, dt.date.today().year - 1
    counts_last = selectors.register_counts(org, last_year)
    counts_now = selectors.register_counts(org, this_year)
    assert counts_now["code_acknowledged"] > 0 and counts_last["code_acknowledged"] > 0
    assert counts_last["gifts_declared"] + counts_now["gifts_declared"] > 0
    assert counts_now["vulnerable_positions"] > 0
    assert counts_now["financial_designations"] > 0
    assert OutsideActivity.objects.filter(
        organisation=org, status="declared"
    ).exists()  # work for the manager
    if spec is PROVINCIE:
        assert selectors.published_activities(org)  # senior staff
    versions = CodeVersion.objects.filter(organisation=org).count()
    demo.demo_load(org, built.people)
    assert CodeVersion.objects.filter(organisation=org).count() == versions == 2
