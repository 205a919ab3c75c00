"""The demo hook: cases for last year and this year, opened for the reporting demo's reports, idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from intact.cases import selectors
from intact.cases.demo import demo_load
from intact.cases.models import Case
from intact.organisations.models import Role
from tests.organisations.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["government", "ngo"])
def test_demo_load(make_user, kind):
    from intact.reporting.demo import demo_load as reporting_demo

    org = OrganisationFactory(slug=f"demo-{kind}", kind=kind)
    logins = [make_user(org, role, username=f"{role}@{org.slug}") for role in Role.values]
    people = [u.people.get() for u in logins] + [PersonFactory(organisation=org) for _ in range(20)]
    reporting_demo(org, people)
    demo_load(org, people)
    cases = Case.objects.filter(organisation=org)
    assert cases.filter(origin="periodic_inquiry", closed_at__isnull=False).count() >= 2
    assert cases.filter(report__isnull=False).exists()
    last_year = timezone.localdate().year - 1
    table = selectors.investigated_cases_table(org, last_year)
    assert table and all(row["consequence"] for row in table)
    assert selectors.case_statistics(org, last_year)["closed"] >= 2
    assert not cases.filter(received_on__gt=timezone.localdate()).exists()
    # The investigator works on an open case, so their start page shows it.
    from intact.cases.selectors import start_sections

    investigator = logins[Role.values.index(Role.INVESTIGATOR)]
    [section] = start_sections(investigator, org)
    assert section["context"]["open_count"] >= 1
    before = cases.count()
    demo_load(org, people)
    assert Case.objects.filter(organisation=org).count() == before
