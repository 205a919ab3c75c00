"""The annual report's own SQL reads give the same figures as the selectors they replace,
and the number of queries does not grow with the data (query counts, never timing)."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest

from intact.accountability import figures
from intact.accountability.models import ImportedTotal
from intact.cases import selectors as case_selectors
from intact.cases.models import Case, Measure, MeasureType
from intact.organisations.models import Person
from intact.registers.models import Commitment, CommitmentForm
from intact.reporting import selectors as reporting_selectors
from intact.reporting.models import Report
from tests.reporting.factories import make_report

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year - 1


def _cases(org, year: int, n: int, seed: int) -> None:
    """``n`` cases of ``year`` with every combination the counts distinguish."""
    rng = random.Random(seed)  # noqa: S311 - test data
    cats = list(case_selectors.categories_for(org, active_only=False))
    types = list(MeasureType.objects.filter(organisation=org))
    for i in range(n):
        closed = rng.random() < 0.6
        case = Case.objects.create(
            organisation=org,
            reference=f"T-{year}-{seed}-{i:04d}",
            origin=rng.choice(["report", "periodic_inquiry", "other"]),
            report_type=rng.choice(["wrongdoing", "business_integrity", "undesirable_behaviour"]),
            channel=rng.choice(["", "web", "phone", "mail"]),
            severity=rng.choice(["", "low", "high", "critical"]),
            received_on=dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365)),
            decision=rng.choice(["", "investigate", "no_investigation"]),
            conclusion=rng.choice(["", "founded", "unfounded", "undetermined"]),
            closed_at=dt.datetime(year, 12, 1, tzinfo=dt.UTC) if closed else None,
            assignment=rng.choice(["", "committee", "coordinator"]),
            commissioning_authority=rng.choice(["", "Directeur", "Bestuur"]),
            description="Vertrouwelijk",
            summary_description=rng.choice([None, "", f"Samenvatting {i}"]),
            summary_object=rng.choice([None, "Object"]),
            summary_findings=rng.choice([None, "Bevindingen"]),
            summary_consequence=rng.choice([None, "Gevolg"]),
            summary_reviewed=rng.random() < 0.5,
        )
        case.categories.set(rng.sample(cats, rng.randrange(0, 4)))
        for mt in rng.sample(types, rng.randrange(0, 3)):
            Measure.objects.create(
                case=case,
                measure_type=mt,
                type_code=mt.code,
                group=mt.group,
                decided_on=case.received_on,
            )


def test_case_counts_equal_case_statistics(org, coordinator):
    _cases(org, YEAR, 60, seed=1)
    _cases(org, YEAR - 1, 5, seed=2)
    for year in (YEAR, YEAR - 1, YEAR - 2):
        expected = case_selectors.case_statistics(org, year)
        got = figures.case_counts(org, year)
        assert {k: expected[k] for k in figures.CASE_KEYS} == {k: got[k] for k in figures.CASE_KEYS}
    assert figures.case_counts(org, YEAR)["total"] == 60


def test_investigated_cases_equal_the_cases_table(org, coordinator):
    _cases(org, YEAR, 40, seed=3)
    rows = figures.investigated_cases(org, YEAR)
    # Oracle: whole cases loaded (every field decrypted), filtered and ordered in Python.
    whole = sorted(
        (c for c in Case.objects.filter(organisation=org) if c.received_on.year == YEAR),
        key=lambda c: (c.received_on, c.pk),
    )
    assert rows == [
        {
            "reference": c.reference,
            "commissioning_authority": c.commissioning_authority,
            "description": c.summary_description or "",
            "object_of_investigation": c.summary_object or "",
            "findings": c.summary_findings or "",
            "consequence": c.summary_consequence or "",
            "conclusion": c.conclusion,
        }
        for c in whole
        if c.summary_reviewed
    ]
    assert rows and figures.investigated_count(org, YEAR) == len(rows)


def test_oaths_taken_equals_the_register_figure(org, coordinator):
    forms = [CommitmentForm.OATH, CommitmentForm.AFFIRMATION, CommitmentForm.DECLARATION]
    for i in range(9):
        person = Person.objects.create(
            organisation=org,
            first_name="P",
            last_name=f"E{i}",
            contract_type="employee",
            start_date=dt.date(YEAR - 3, 1, 1),
        )
        Commitment.objects.create(
            organisation=org, person=person, form=forms[i % 3], taken_on=dt.date(YEAR - i % 2, 3, 1)
        )
    ImportedTotal.objects.create(organisation=org, year=YEAR, key="oaths_taken", value=7)
    for year in (YEAR, YEAR - 1, YEAR - 2):
        assert figures.oaths_taken(org, year) == figures.register_figures(org, year)["oaths_taken"]
    assert figures.oaths_taken(org, YEAR) > 7


def test_report_counts_take_whole_local_days(org):
    tz = ZoneInfo("Europe/Amsterdam")
    times = [
        dt.datetime(YEAR - 1, 12, 31, 23, 59, tzinfo=tz),  # before
        dt.datetime(YEAR, 1, 1, 0, 0, tzinfo=tz),  # first moment of the year: in
        dt.datetime(YEAR, 6, 30, 23, 30, tzinfo=tz),  # in (23:30 local is 21:30 UTC)
        dt.datetime(YEAR, 12, 31, 23, 59, tzinfo=tz),  # in (22:59 UTC)
        dt.datetime(YEAR + 1, 1, 1, 0, 0, tzinfo=tz),  # after (23:00 UTC the day before)
    ]
    for when in times:
        report, _receipt = make_report(org)
        Report.objects.filter(pk=report.pk).update(received_at=when)
    counts = reporting_selectors.report_counts(
        organisation=org, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31)
    )
    assert counts["total"] == 3 and sum(counts["by_route"].values()) == 3
    half = reporting_selectors.report_counts(
        organisation=org, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 6, 30)
    )
    assert half["total"] == 2


def test_queries_of_the_report_do_not_grow_with_the_data(
    org, coordinator, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _cases(org, YEAR, 5, seed=4)
    with CaptureQueriesContext(connection) as small:
        figures.collect(org, YEAR)
    _cases(org, YEAR, 60, seed=5)
    _cases(org, YEAR - 1, 30, seed=6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        data = figures.collect(org, YEAR)
    assert data["cases"]["total"] == 65
    assert data["comparison"][-1]["investigated_rows"] == len(data["investigated_cases"])
