"""Monitoring: realisation computed from data created in the test, hand-entered progress, status, roll-up, aggregated view."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from intact.policy import indicators, selectors, services
from tests.learning.factories import ActivityFactory, ConversationFactory
from tests.organisations.factories import UnitFactory
from tests.policy.factories import AnnualPlanFactory, MeasureFactory
from tests.registers.factories import VulnerablePositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(org, make_user):
    return make_user(org, "coordinator")


def test_activity_indicators_count_the_years_sessions_and_participants(org, other_org):
    for day, n in ((dt.date(2025, 2, 1), 12), (dt.date(2025, 6, 3), 20), (dt.date(2025, 9, 9), 8)):
        ActivityFactory(organisation=org, type="dilemma_game", date=day, participants=n)
    ActivityFactory(
        organisation=org, type="moral_deliberation", date=dt.date(2025, 3, 1), participants=6
    )
    ActivityFactory(
        organisation=org, type="dilemma_game", date=dt.date(2024, 12, 31), participants=99
    )  # other year
    ActivityFactory(
        organisation=other_org, type="dilemma_game", date=dt.date(2025, 5, 1)
    )  # other organisation
    assert indicators.compute("activities:dilemma_game", org, 2025) == Decimal("3")
    assert indicators.compute("activities:moral_deliberation", org, 2025) == Decimal("1")
    assert indicators.compute("activities:participants", org, 2025) == Decimal("46")
    assert indicators.compute("activities:sessions", org, 2025) == Decimal("4")


def test_counsellor_and_case_indicators(org, coordinator):
    for _ in range(3):
        ConversationFactory(organisation=org, date=dt.date(2025, 4, 1))
    from intact.cases import services as cases

    for day in (dt.date(2025, 1, 10), dt.date(2025, 3, 2)):
        cases.case_register(
            organisation=org,
            user=coordinator,
            origin="periodic_inquiry",
            report_type="business_integrity",
            received_on=day,
            description="Omschrijving",
        )
    assert indicators.compute("counsellor:conversations", org, 2025) == Decimal("3")
    assert indicators.compute("cases:registered", org, 2025) == Decimal("2")
    assert indicators.compute("cases:registered", org, 2024) == Decimal("0")


def test_risk_analyses_count_units_and_narrow_to_a_work_plans_units(org):
    a, b, c = (
        UnitFactory(organisation=org, name=n) for n in ("Inkoop", "Financiën", "Vergunningen")
    )
    VulnerablePositionFactory(organisation=org, unit=a, assessed_on=dt.date(2025, 2, 1))
    VulnerablePositionFactory(
        organisation=org, unit=a, position="Tweede", assessed_on=dt.date(2025, 3, 1)
    )
    VulnerablePositionFactory(organisation=org, unit=b, assessed_on=dt.date(2025, 5, 1))
    VulnerablePositionFactory(
        organisation=org, unit=c, assessed_on=dt.date(2023, 5, 1)
    )  # earlier year
    assert indicators.compute("risk_analyses:units", org, 2025) == Decimal("2")
    assert indicators.compute("risk_analyses:units", org, 2025, {a.pk}) == Decimal("1")


def test_register_indicators_read_the_register_counts(org, monkeypatch):
    from intact.registers import selectors as registers

    counts = {
        "oaths_taken": 18,
        "integrity_declarations_signed": 2,
        "commitments_overdue": 5,
        "code_acknowledged_percentage": 87.5,
        "outside_activities_declared": 7,
    }
    monkeypatch.setattr(registers, "register_counts", lambda organisation, year: counts)
    assert indicators.compute("oath:taken", org, 2025) == Decimal("20")
    assert indicators.compute("oath:on_time_pct", org, 2025) == Decimal("80.0")
    assert indicators.compute("code:acknowledged_pct", org, 2025) == Decimal("87.5")
    assert indicators.compute("outside_activities:declared", org, 2025) == Decimal("7")


def test_measure_status_time_proportional(org):
    plan = AnnualPlanFactory(organisation=org, year=2025)
    m = MeasureFactory(annual_plan=plan, indicator="activities:dilemma_game", target_value=12)
    for i in range(5):
        ActivityFactory(organisation=org, type="dilemma_game", date=dt.date(2025, 1, 10 + i))
    # On 1 July about half the year has passed: 6 expected, 5 realised -> behind.
    status = selectors.measure_status(m, on=dt.date(2025, 7, 1))
    assert status["realised"] == Decimal("5") and status["source"] == "computed"
    assert status["status"] == "behind" and status["percent"] == 41
    # On 1 May (a third of the year) 5 is ahead of the expected 4 -> on track.
    assert selectors.measure_status(m, on=dt.date(2025, 5, 1))["status"] == "on_track"
    for i in range(7):
        ActivityFactory(organisation=org, type="dilemma_game", date=dt.date(2025, 8, 1 + i))
    assert selectors.measure_status(m, on=dt.date(2025, 9, 1))["status"] == "done"


def test_manual_progress_uses_the_newest_entry(org, coordinator):
    plan = AnnualPlanFactory(organisation=org, year=2025)
    m = MeasureFactory(
        annual_plan=plan, title="Risicoanalyse", target_value=3, target_unit="afdelingen"
    )
    services.progress_add(
        actor=coordinator, measure=m, on=dt.date(2025, 3, 1), value=1, note="Inkoop gedaan"
    )
    services.progress_add(actor=coordinator, measure=m, on=dt.date(2025, 6, 1), value=2)
    status = selectors.measure_status(m, on=dt.date(2025, 6, 2))
    assert (
        status["realised"] == Decimal("2")
        and status["source"] == "manual"
        and status["status"] == "on_track"
    )


def test_a_responsible_person_may_record_progress_others_not(org, make_user, coordinator):
    from django.core.exceptions import PermissionDenied

    from intact.organisations.models import Person

    manager = make_user(org, "manager")
    other = make_user(org, "manager")
    m = MeasureFactory(annual_plan=AnnualPlanFactory(organisation=org, year=2025))
    services.responsibility_add(
        actor=coordinator, measure=m, role="management", person=Person.objects.get(user=manager)
    )
    services.progress_add(actor=manager, measure=m, on=dt.date(2025, 2, 1), value=4)
    with pytest.raises(PermissionDenied):
        services.progress_add(actor=other, measure=m, on=dt.date(2025, 2, 1), value=5)
    assert [r["measure"] for r in selectors.my_measures(user=manager, organisation=org)] == [m]
    assert selectors.my_measures(user=other, organisation=org) == []


def test_work_plans_roll_up_into_the_central_plan(org, coordinator):
    unit = UnitFactory(organisation=org, name="Inkoop")
    work = services.annual_plan_create(actor=coordinator, organisation=org, year=2025, unit=unit)
    central = work.parent
    assert central is not None and central.unit is None and central.year == 2025
    MeasureFactory(annual_plan=central, target_value=2)
    done = MeasureFactory(annual_plan=work, title="Risicoanalyse", target_value=1)
    services.progress_add(actor=coordinator, measure=done, on=dt.date(2025, 3, 1), value=1)
    MeasureFactory(annual_plan=work, title="Teamsessie", target_value=4)
    board = selectors.dashboard(user=coordinator, annual_plan=central, on=dt.date(2025, 12, 31))
    assert board["summary"]["measures"] == 1
    assert len(board["children"]) == 1 and board["children"][0]["summary"]["done"] == 1
    assert (
        board["total"]["measures"] == 3
        and board["total"]["done"] == 1
        and board["total"]["behind"] == 2
    )


def test_auditor_view_is_aggregated_without_names(org, make_user, coordinator):
    from intact.organisations.models import Person

    auditor = make_user(org, "auditor")
    m = MeasureFactory(annual_plan=AnnualPlanFactory(organisation=org, year=2025))
    services.responsibility_add(
        actor=coordinator,
        measure=m,
        role="coordinator",
        person=Person.objects.get(user=coordinator),
    )
    assert selectors.dashboard(user=coordinator, annual_plan=m.annual_plan)["rows"][0]["people"]
    board = selectors.dashboard(user=auditor, annual_plan=m.annual_plan)
    assert board["rows"][0]["people"] == [] and board["show_names"] is False


def test_dashboard_needs_a_reading_role(org, make_user):
    employee = make_user(org, "employee")
    plan = AnnualPlanFactory(organisation=org)
    with pytest.raises(Http404):
        selectors.dashboard(user=employee, annual_plan=plan)


def test_measure_validation(org, coordinator):
    plan = AnnualPlanFactory(organisation=org, year=2025)
    from django.core.exceptions import ValidationError

    base = dict(
        title="X",
        target_value=5,
        target_unit="x",
        owner_role="coordinator",
        start_on=dt.date(2025, 1, 1),
        end_on=dt.date(2025, 12, 31),
    )
    with pytest.raises(ValidationError):
        services.measure_create(
            actor=coordinator, annual_plan=plan, **{**base, "end_on": dt.date(2024, 1, 1)}
        )
    with pytest.raises(ValidationError):
        services.measure_create(
            actor=coordinator, annual_plan=plan, **{**base, "indicator": "nonsense"}
        )
    with pytest.raises(ValidationError):
        services.measure_create(
            actor=coordinator, annual_plan=plan, **{**base, "indicator": "code:acknowledged_pct"}
        )  # a percentage
    ok = services.measure_create(
        actor=coordinator,
        annual_plan=plan,
        **{**base, "indicator": "code:acknowledged_pct", "is_percentage": True, "target_value": 95},
    )
    assert ok.pk
