"""Aggregates for the annual report: counts and the table of investigated cases."""

from __future__ import annotations

import datetime as dt

import pytest

from intact.cases import selectors, services
from intact.organisations.models import Role
from tests.cases.factories import open_case, register_case, run_to_closed

pytestmark = pytest.mark.django_db


def test_statistics_count_by_category_standard_outcome_and_measure(org, coordinator, make_user):
    accused = make_user(org, Role.EMPLOYEE, username="acc-stat")
    case, _ = open_case(org, coordinator, implicated=[accused.people.get()])
    categories = {c.code: c for c in selectors.categories_for(org)}
    services.case_update(
        case=case,
        user=coordinator,
        categories=[categories["bullying"], categories["discrimination"]],
    )
    run_to_closed(case, coordinator, conclusion="founded", measure_code="written_warning")
    manual = register_case(
        org,
        coordinator,
        received_on=dt.date(case.received_on.year, 1, 2)
        if case.received_on.month > 1
        else case.received_on,
    )
    services.case_update(case=manual, user=coordinator, categories=[categories["financial"]])
    stats = selectors.case_statistics(org, case.received_on.year)
    assert stats["total"] == 2 and stats["closed"] == 1
    assert stats["by_category"] == {"bullying": 1, "discrimination": 1, "financial": 1}
    # Two categories mapping to one standard category count the case once.
    assert stats["by_standard_category"] == {"financial": 1, "undesirable_behaviour": 1}
    assert stats["by_outcome"] == {"founded": 1, "open": 1}
    assert stats["by_measure"] == {"written_warning": 1}
    assert stats["by_origin"] == {"periodic_inquiry": 1, "report": 1}
    assert stats["by_severity"]["high"] == 1
    assert stats["by_channel"]["web"] == 1


def test_table_uses_only_reviewed_public_summaries(org, coordinator):
    case = register_case(
        org,
        coordinator,
        description="Vertrouwelijke details met namen",
        commissioning_authority="Directeur",
    )
    services.summary_update(
        case=case,
        user=coordinator,
        description="Mogelijk niet geautoriseerde inzage",
        object_of_investigation="Inzage dossier",
        findings="Geen opzet",
        consequence="Geen",
        reviewed=False,
    )
    assert selectors.investigated_cases_table(org, case.received_on.year) == []
    services.summary_update(
        case=case,
        user=coordinator,
        description="Mogelijk niet geautoriseerde inzage",
        object_of_investigation="Inzage dossier",
        findings="Geen opzet",
        consequence="Geen",
        reviewed=True,
    )
    rows = selectors.investigated_cases_table(org, case.received_on.year)
    assert rows == [
        {
            "reference": case.reference,
            "commissioning_authority": "Directeur",
            "description": "Mogelijk niet geautoriseerde inzage",
            "object_of_investigation": "Inzage dossier",
            "findings": "Geen opzet",
            "consequence": "Geen",
            "conclusion": "",
        }
    ]
    assert "Vertrouwelijke" not in str(rows)


def test_only_a_coordinator_marks_the_summary_reviewed(org, coordinator, make_user):
    case = register_case(org, coordinator)
    investigator = make_user(org, Role.INVESTIGATOR, username="inv-sum")
    services.team_invite(case=case, user=coordinator, member=investigator)
    services.team_declare(case=case, user=investigator, has_conflict=False)
    with pytest.raises(services.CaseActionRefused):
        services.summary_update(
            case=case,
            user=investigator,
            description="d",
            object_of_investigation="o",
            findings="f",
            consequence="c",
            reviewed=True,
        )
