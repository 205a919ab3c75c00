"""Services of the case file: decisions, notifications, care, team rules, encryption of content."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from intact.cases import services, workflow
from intact.cases.models import Case
from intact.organisations.models import Role
from intact.reporting import selectors as reporting_selectors
from tests.cases.factories import open_case

pytestmark = pytest.mark.django_db


def _to_decision(case, coordinator):
    services.triage_record(
        case=case, user=coordinator, answers={"nature": "norm_breach"}, motivation="Licht"
    )
    services.case_transition(case=case, user=coordinator, target="triaged")


def test_close_without_investigation_informs_the_reporter(org, coordinator):
    case, _ = open_case(org, coordinator)
    _to_decision(case, coordinator)
    services.decision_record(
        case=case,
        user=coordinator,
        decision="no_investigation",
        motivation="Geen redelijke gronden (intern)",
    )
    with pytest.raises(workflow.TransitionRefused):
        services.case_transition(case=case, user=coordinator, target="closed")
    services.reporter_feedback_send(
        case=case, user=coordinator, body="Wij doen geen onderzoek; dank voor uw melding."
    )
    case = services.case_transition(case=case, user=coordinator, target="closed")
    assert case.retention_outcome == "not_investigated"
    bodies = [m.body for m in reporting_selectors.mailbox_messages(report=case.report)]
    assert "Er is besloten geen onderzoek in te stellen naar uw melding." in bodies
    assert "Wij doen geen onderzoek; dank voor uw melding." in bodies
    assert not any("intern" in b for b in bodies)


def test_notification_completes_the_matching_triage_action(org, coordinator):
    case, _ = open_case(org, coordinator)
    services.triage_record(
        case=case, user=coordinator, answers={"nature": "violence_crime"}, motivation="Geweld"
    )
    assert case.actions.get(key="police_report").status == "open"
    services.notification_add(
        case=case,
        user=coordinator,
        kind="police_report",
        sent_on=dt.date.today(),
        recipient="Politie Eenheid Den Haag",
        external_reference="PL-123",
    )
    assert case.actions.get(key="police_report").status == "done"
    with pytest.raises(services.CaseInvalid):
        services.notification_add(
            case=case,
            user=coordinator,
            kind="police_report",
            sent_on=dt.date.today() + dt.timedelta(days=3),
        )


def test_open_care_measures_block_closure(org, coordinator):
    case, _ = open_case(org, coordinator)
    care = services.care_measure_add(
        case=case, user=coordinator, description="Vertrouwenspersoon koppelen"
    )
    assert not workflow.GUARDS["care_completed"](case)
    services.care_measure_complete(item=care, user=coordinator)
    assert workflow.GUARDS["care_completed"](case)


def test_founded_case_needs_a_measure(org, coordinator):
    case, _ = open_case(org, coordinator)
    services.findings_record(case=case, user=coordinator, findings="f", conclusion="founded")
    assert not workflow.GUARDS["measures_decided"](Case.objects.get(pk=case.pk))
    services.findings_record(case=case, user=coordinator, findings="f", conclusion="unfounded")
    assert workflow.GUARDS["measures_decided"](Case.objects.get(pk=case.pk))


def test_triage_needs_a_motivation_and_a_coordinator(org, coordinator, make_user):
    case, _ = open_case(org, coordinator)
    with pytest.raises(services.CaseInvalid):
        services.triage_record(case=case, user=coordinator, answers={}, motivation="  ")
    investigator = make_user(org, Role.INVESTIGATOR, username="inv-tri")
    services.team_invite(case=case, user=coordinator, member=investigator)
    services.team_declare(case=case, user=investigator, has_conflict=False)
    with pytest.raises(services.CaseActionRefused):
        services.triage_record(case=case, user=investigator, answers={}, motivation="m")


def test_undeclared_member_can_do_nothing(org, coordinator, make_user):
    case, _ = open_case(org, coordinator)
    investigator = make_user(org, Role.INVESTIGATOR, username="inv-undeclared")
    services.team_invite(case=case, user=coordinator, member=investigator)
    with pytest.raises(services.CaseActionRefused):
        services.party_add(case=case, user=investigator, role="witness", name="X")


def test_implicated_cannot_be_invited(org, coordinator, make_user):
    accused = make_user(org, Role.INVESTIGATOR, username="inv-accused")
    case, _ = open_case(org, coordinator, implicated=[accused.people.get()])
    with pytest.raises(services.CaseActionRefused):
        services.team_invite(case=case, user=coordinator, member=accused)


def test_opening_twice_returns_the_same_case(org, coordinator):
    case, _ = open_case(org, coordinator)
    assert services.case_open(report=case.report, user=coordinator).pk == case.pk


def test_confidential_content_is_not_stored_in_plain_text(org, coordinator):
    case, _ = open_case(org, coordinator, answers={"what": "Unieke-geheime-omschrijving-4711"})
    services.party_add(case=case, user=coordinator, role="witness", name="Getuige-Zeldzaam-Naam")
    services.triage_record(
        case=case,
        user=coordinator,
        answers={"nature": "norm_breach"},
        motivation="Motivering-Geheim-9000",
    )
    with connection.cursor() as cursor:
        for table, column in (
            ("cases_case", "description"),
            ("cases_party", "name"),
            ("cases_triagerecord", "motivation"),
        ):
            cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - fixed names
            raw = b"".join(bytes(row[0]) for row in cursor.fetchall() if row[0] is not None)
            for secret in (b"Unieke-geheime", b"Getuige-Zeldzaam", b"Motivering-Geheim"):
                assert secret not in raw
