"""Action points: nothing silently drops out; cancel with a reason; carry over into the next annual plan."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from intact.policy import selectors, services
from intact.policy.models import ActionStatus
from tests.policy.factories import ActionPointFactory, AnnualPlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(org, make_user):
    return make_user(org, "coordinator")


def test_open_action_of_an_earlier_year_stays_listed(org, coordinator):
    old = ActionPointFactory(organisation=org, year=2019, due_on=dt.date(2019, 12, 31))
    done = ActionPointFactory(organisation=org, year=2019, title="Klaar", status="done")
    listed = list(selectors.action_list(user=coordinator, organisation=org))
    assert old in listed and done not in listed
    assert done in selectors.action_list(user=coordinator, organisation=org, include_closed=True)
    report = selectors.action_points_for_report(org, 2020)
    assert [a["title"] for a in report["still_open_from_earlier"]] == [old.title]


def test_cancel_needs_a_reason(org, coordinator):
    action = ActionPointFactory(organisation=org)
    with pytest.raises(ValidationError):
        services.action_set_status(actor=coordinator, action=action, status="cancelled")
    services.action_set_status(
        actor=coordinator, action=action, status="cancelled", reason="Opgegaan in het nieuwe plan"
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.CANCELLED and action.closed_on is not None


def test_carry_over_creates_a_measure_and_deleting_it_reopens_the_point(org, coordinator):
    action = services.action_create(
        actor=coordinator,
        organisation=org,
        title="Workshop integriteit ontwikkelen",
        source="annual_report",
        source_label="Jaarverslag 2019",
        due_on=dt.date(2020, 6, 30),
        owner_role="hr",
    )
    plan = AnnualPlanFactory(organisation=org, year=2020)
    measure = services.action_carry_over(
        actor=coordinator, action=action, annual_plan=plan, target_value=2, target_unit="workshops"
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.CARRIED_OVER and measure.action_point == action
    assert measure.owner_role == "hr" and measure.start_on == dt.date(2020, 1, 1)
    with pytest.raises(ValidationError):
        services.action_carry_over(
            actor=coordinator, action=action, annual_plan=plan, target_value=1, target_unit="x"
        )
    services.measure_delete(actor=coordinator, measure=measure)
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN  # nothing silently drops out


def test_action_needs_owner_role_and_due_date(org, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            actor=coordinator, organisation=org, title="", source="x", due_on=None, owner_role=""
        )
    assert {"title", "source", "due_on", "owner_role"} <= set(exc.value.message_dict)
