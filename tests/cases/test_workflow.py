"""The workflow table: allowed transitions, roles, guards, stale pages, audit and timeline."""

from __future__ import annotations

import pytest
from django.utils import translation

from intact.cases import config, services, workflow
from intact.cases.models import Case, CaseEvent
from intact.organisations.models import Role
from intact.reporting.models import ReportType
from intact.security.models import AuditEntry
from tests.cases.factories import TRIAGE_HIGH, open_case, run_to_closed

pytestmark = pytest.mark.django_db


def test_whole_journey_closes_and_audits_every_transition(org, coordinator, make_user):
    accused = make_user(org, Role.EMPLOYEE, username="accused")
    case, _receipt = open_case(org, coordinator, implicated=[accused.people.get()])
    case = run_to_closed(case, coordinator)
    assert case.status == "closed" and case.closed_at is not None
    assert case.retention_outcome == "founded_measure" and case.retention_due is not None
    transitions = list(
        CaseEvent.objects.filter(case=case, kind="transition").values_list(
            "detail__target", flat=True
        )
    )
    assert transitions == ["triaged", "investigating", "concluded", "closed"]
    audited = AuditEntry.objects.filter(action="cases.transition", object_id=str(case.pk)).count()
    assert audited == 4
    case.report.refresh_from_db()
    assert case.report.status == "closed"


def test_disallowed_transition_is_refused_with_a_clear_message(org, coordinator):
    case, _ = open_case(org, coordinator)
    with translation.override("nl"), pytest.raises(workflow.TransitionRefused) as exc:
        services.case_transition(case=case, user=coordinator, target="closed")
    assert exc.value.code == "not_allowed"
    assert "niet toegestaan" in exc.value.message and "Afgesloten" in exc.value.message
    with translation.override("en"), pytest.raises(workflow.TransitionRefused) as exc:
        services.case_transition(case=case, user=coordinator, target="closed")
    assert "not allowed" in exc.value.message
    assert Case.objects.get(pk=case.pk).status == "opened"


def test_guard_explains_what_is_missing(org, coordinator):
    case, _ = open_case(org, coordinator)
    with translation.override("nl"), pytest.raises(workflow.TransitionRefused) as exc:
        services.case_transition(case=case, user=coordinator, target="triaged")
    assert exc.value.code == "guard" and "triage" in exc.value.message


def test_role_not_in_table_is_refused(org, coordinator, make_user):
    case, _ = open_case(org, coordinator)
    investigator = make_user(org, Role.INVESTIGATOR, username="onderzoeker")
    services.team_invite(case=case, user=coordinator, member=investigator)
    services.team_declare(case=case, user=investigator, has_conflict=False)
    services.triage_record(case=case, user=coordinator, answers=TRIAGE_HIGH, motivation="m")
    with pytest.raises(workflow.TransitionRefused) as exc:
        services.case_transition(case=case, user=investigator, target="triaged")
    assert exc.value.code == "role"


def test_wrongdoing_investigation_is_decided_by_the_competent_authority_only(
    org, coordinator, authority
):
    case, _ = open_case(org, coordinator, report_type=ReportType.WRONGDOING)
    services.triage_record(
        case=case, user=coordinator, answers={"nature": "norm_breach"}, motivation="m"
    )
    services.case_transition(case=case, user=coordinator, target="triaged")
    services.decision_record(case=case, user=coordinator, decision="investigate", motivation="m")
    services.assignment_set(case=case, user=coordinator, assignment="external_bureau")
    with pytest.raises(workflow.TransitionRefused) as exc:
        services.case_transition(case=case, user=coordinator, target="investigating")
    assert exc.value.code == "role"
    # The competent authority sees the case while it waits for the decision, and makes the step.
    services.case_transition(case=case, user=authority, target="investigating")
    assert Case.objects.get(pk=case.pk).status == "investigating"


def test_stale_page_is_refused(org, coordinator):
    case, _ = open_case(org, coordinator)
    services.triage_record(case=case, user=coordinator, answers=TRIAGE_HIGH, motivation="m")
    with pytest.raises(workflow.TransitionRefused) as exc:
        services.case_transition(
            case=case, user=coordinator, target="triaged", expected_status="investigating"
        )
    assert exc.value.code == "conflict"


def test_both_sides_must_be_heard_before_concluding(org, coordinator, make_user):
    accused = make_user(org, Role.EMPLOYEE, username="acc2")
    case, _ = open_case(org, coordinator, implicated=[accused.people.get()])
    services.triage_record(
        case=case, user=coordinator, answers={"nature": "norm_breach"}, motivation="m"
    )
    services.case_transition(case=case, user=coordinator, target="triaged")
    services.decision_record(case=case, user=coordinator, decision="investigate", motivation="m")
    services.assignment_set(case=case, user=coordinator, assignment="manager")
    services.case_transition(case=case, user=coordinator, target="investigating")
    accused_party = case.parties.get(role="accused")
    hearing = services.hearing_record(
        case=case,
        user=coordinator,
        party=accused_party,
        held_on=accused_party.created_at.date(),
        record="Verslag",
    )
    services.findings_record(case=case, user=coordinator, findings="f", conclusion="unfounded")
    with pytest.raises(workflow.TransitionRefused) as exc:
        services.case_transition(case=case, user=coordinator, target="concluded")
    assert exc.value.code == "guard"
    services.hearing_response_record(hearing=hearing, user=coordinator, response="Niet mee eens.")
    reporter_party = case.parties.get(role="reporter")
    services.hearing_record(
        case=case,
        user=coordinator,
        party=reporter_party,
        held_on=accused_party.created_at.date(),
        record="Verslag melder",
    )
    services.case_transition(case=case, user=coordinator, target="concluded")


def test_table_is_explicit_and_every_guard_exists(org):
    flow = config.workflow_for(org, "")
    table = workflow.allowed_table(flow)
    assert table["opened"] == {"triaged"}
    assert "closed" not in table["opened"]
    for t in workflow.transitions(flow):
        assert set(t.guards) <= set(workflow.GUARDS)


def test_organisation_can_store_its_own_workflow(org, coordinator):
    flow = config.defaults("workflow")
    flow["transitions"] = [t for t in flow["transitions"] if t["code"] != "retriage"]
    services.case_config_set(organisation=org, user=coordinator, name="workflow", definition=flow)
    assert "opened" not in workflow.allowed_table(config.workflow_for(org, ""))["triaged"]
    bad = dict(flow, transitions=[{"code": "x", "from": "nowhere", "to": "closed"}])
    with pytest.raises(services.CaseInvalid):
        services.case_config_set(
            organisation=org, user=coordinator, name="workflow", definition=bad
        )
