"""Helpers to make cases through the real services (so teams, parties, events and audit are real)."""

from __future__ import annotations

import datetime as dt

from intact.cases import services
from intact.cases.models import Case, MeasureType
from intact.reporting.models import Anonymity, ReportType
from tests.reporting.factories import make_report


def open_case(
    organisation,
    coordinator,
    *,
    implicated=(),
    report_type=ReportType.BUSINESS,
    anonymity=Anonymity.ANONYMOUS,
    answers=None,
    declare=True,
):
    """(case, receipt): a report submitted with ``report_submit`` and a case opened for it by ``coordinator``."""
    report, receipt = make_report(
        organisation,
        report_type=report_type,
        anonymity=anonymity,
        answers=answers,
        implicated=list(implicated),
    )
    case = services.case_open(report=report, user=coordinator)
    if declare:
        services.team_declare(case=case, user=coordinator, has_conflict=False)
    return Case.objects.get(pk=case.pk), receipt


def register_case(organisation, coordinator, *, received_on=None, declare=True, **kwargs):
    """A case registered by hand (periodic inquiry)."""
    case = services.case_register(
        organisation=organisation,
        user=coordinator,
        origin=kwargs.pop("origin", "periodic_inquiry"),
        report_type=kwargs.pop("report_type", ReportType.BEHAVIOUR),
        received_on=received_on or dt.date.today() - dt.timedelta(days=30),
        description=kwargs.pop("description", "Ervaren pestgedrag binnen een team."),
        **kwargs,
    )
    if declare:
        services.team_declare(case=case, user=coordinator, has_conflict=False)
    return Case.objects.get(pk=case.pk)


TRIAGE_HIGH = {"nature": "fraud_corruption", "harm": "limited"}


def run_to_closed(case, coordinator, *, conclusion="founded", measure_code="written_warning"):
    """Drive a case through the whole workflow with the services; returns the closed case."""
    services.triage_record(
        case=case, user=coordinator, answers=TRIAGE_HIGH, motivation="Fraudevermoeden."
    )
    for action in case.actions.filter(status="open"):
        services.triage_action_complete(action=action, user=coordinator)
    services.case_transition(case=case, user=coordinator, target="triaged")
    services.decision_record(
        case=case, user=coordinator, decision="investigate", motivation="Redelijke gronden."
    )
    services.assignment_set(
        case=case, user=coordinator, assignment="audit_unit", plan="Dossier en gesprekken."
    )
    services.case_transition(case=case, user=coordinator, target="investigating")
    for party in case.parties.all():
        hearing = services.hearing_record(
            case=case,
            user=coordinator,
            party=party,
            held_on=dt.date.today(),
            record=f"Gesprek met {party.role}.",
        )
        services.hearing_response_record(
            hearing=hearing,
            user=coordinator,
            waived=party.role != "accused",
            response="Ik herken mij hier niet in." if party.role == "accused" else "",
        )
    if not case.parties.filter(role="accused").exists():
        pass
    services.findings_record(
        case=case, user=coordinator, findings="Vastgesteld dat …", conclusion=conclusion
    )
    services.case_transition(case=case, user=coordinator, target="concluded")
    if conclusion == "founded":
        services.measure_add(
            case=case,
            user=coordinator,
            measure_type=MeasureType.objects.get(organisation=case.organisation, code=measure_code),
        )
    services.reporter_feedback_send(
        case=case, user=coordinator, body="Uw melding is onderzocht en gegrond."
    )
    return services.case_transition(case=case, user=coordinator, target="closed")
