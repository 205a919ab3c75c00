"""Routing by procedure: first recipients get access, implicated persons never; procedures versioned."""

from __future__ import annotations

import pytest

from intact.organisations.models import Role
from intact.reporting import procedures, selectors
from intact.reporting.models import ReportAccess, ReportType
from intact.reporting.models_procedures import Procedure, ReportRoute, StepKind
from tests.organisations.factories import PersonFactory, UnitFactory
from tests.reporting.factories import make_report

pytestmark = pytest.mark.django_db


def _access(report):
    return set(ReportAccess.objects.filter(report=report, revoked_at__isnull=True).values_list("user_id", flat=True))


def test_defaults_follow_the_zuid_holland_routes(org):
    procedures.procedures_ensure_defaults(org)
    procedures.procedures_ensure_defaults(org)  # idempotent
    assert Procedure.objects.filter(organisation=org).count() == 4
    wrongdoing = procedures.procedure_current(organisation=org, report_type=ReportType.WRONGDOING)
    steps = list(wrongdoing.steps.all())
    assert [s.role for s in steps if s.kind == StepKind.RECEIVE] == [Role.COMPETENT_AUTHORITY]
    assert any(s.kind == StepKind.ESCALATE and "onderzoeker" in s.label_nl for s in steps)
    behaviour = procedures.procedure_current(organisation=org, report_type=ReportType.BEHAVIOUR)
    assert {s.role for s in behaviour.steps.all() if s.kind == StepKind.RECEIVE} == {Role.COUNSELLOR, Role.MANAGER}


def test_wrongdoing_lands_with_the_competent_authority_not_with_others(org, other_org, make_user):
    authority = make_user(org, Role.COMPETENT_AUTHORITY)
    manager = make_user(org, Role.MANAGER)
    coordinator = make_user(org, Role.COORDINATOR)
    foreign_authority = make_user(other_org, Role.COMPETENT_AUTHORITY)
    report, _receipt = make_report(org, report_type=ReportType.WRONGDOING)
    assert _access(report) == {authority.pk}
    route = ReportRoute.objects.get(report=report)
    assert route.recipient_ids == [authority.pk]
    assert route.informed_ids == [coordinator.pk]  # informed, without access to the content
    assert selectors.report_list_for(user=authority, organisation=org).filter(pk=report.pk).exists()
    for user, organisation in ((manager, org), (coordinator, org), (foreign_authority, other_org)):
        assert not selectors.report_list_for(user=user, organisation=organisation).filter(pk=report.pk).exists()


def test_informed_users_get_a_mail_without_content(org, make_user, mailoutbox, django_capture_on_commit_callbacks):
    make_user(org, Role.COMPETENT_AUTHORITY)
    make_user(org, Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = make_report(org, report_type=ReportType.WRONGDOING)
    assert len(mailoutbox) == 2
    for mail in mailoutbox:
        text = mail.subject + mail.body
        assert report.reference not in text
        assert "declaraties" not in text
        assert "misstand" not in text.lower()


def test_implicated_person_never_receives_even_with_the_role(org, make_user):
    counsellor = make_user(org, Role.COUNSELLOR)
    accused_manager = make_user(org, Role.MANAGER)
    person = accused_manager.people.get(organisation=org)
    report, _ = make_report(org, report_type=ReportType.BEHAVIOUR, implicated=[person])
    assert _access(report) == {counsellor.pk}
    assert not selectors.report_list_for(user=accused_manager, organisation=org).exists()


def test_unit_scoped_manager_receives_only_for_their_unit(org, make_user):
    unit_a = UnitFactory(organisation=org, name="Financiën")
    sub_a = UnitFactory(organisation=org, name="Crediteuren", parent=unit_a)
    unit_b = UnitFactory(organisation=org, name="Wegen")
    manager_a = make_user(org, Role.MANAGER, unit=unit_a)
    manager_b = make_user(org, Role.MANAGER, unit=unit_b)
    accused = PersonFactory(organisation=org, unit=sub_a)
    report, _ = make_report(org, report_type=ReportType.BUSINESS, implicated=[accused])
    assert _access(report) == {manager_a.pk}
    assert manager_b.pk not in _access(report)


def test_nobody_with_the_role_falls_back_to_the_coordinator(org, make_user):
    coordinator = make_user(org, Role.COORDINATOR)
    report, _ = make_report(org, report_type=ReportType.QUESTION, answers={"what": "Mag ik een cadeau aannemen?"})
    assert _access(report) == {coordinator.pk}


def test_editing_a_procedure_makes_a_new_version_and_new_reports_follow_it(org, make_user):
    coordinator = make_user(org, Role.COORDINATOR)
    counsellor = make_user(org, Role.COUNSELLOR)
    authority = make_user(org, Role.COMPETENT_AUTHORITY)
    old = procedures.procedure_current(organisation=org, report_type=ReportType.WRONGDOING)
    first, _ = make_report(org, report_type=ReportType.WRONGDOING)
    new = procedures.procedure_update(
        actor=coordinator, procedure=old,
        steps=[procedures.StepSpec(position=1, kind="receive", role=Role.COUNSELLOR)],
        change_note="Eerst naar de vertrouwenspersoon",
    )
    assert new.version == 2 and new.is_current
    old.refresh_from_db()
    assert not old.is_current and old.steps.count() == 4  # history kept
    second, _ = make_report(org, report_type=ReportType.WRONGDOING)
    assert _access(first) == {authority.pk}
    assert _access(second) == {counsellor.pk}
    assert ReportRoute.objects.get(report=first).procedure_id == old.pk
    assert ReportRoute.objects.get(report=second).procedure_id == new.pk


def test_a_procedure_without_a_receiver_is_refused(org, make_user):
    coordinator = make_user(org, Role.COORDINATOR)
    proc = procedures.procedure_current(organisation=org, report_type=ReportType.QUESTION)
    with pytest.raises(ValueError):
        procedures.procedure_update(actor=coordinator, procedure=proc,
                                    steps=[procedures.StepSpec(position=1, kind="inform", role=Role.MANAGER)])
    assert Procedure.objects.filter(organisation=org, report_type=ReportType.QUESTION).count() == 1


def test_procedure_pages_only_for_the_coordinator(org, other_org, make_user, login, client):
    coordinator = make_user(org, Role.COORDINATOR)
    manager = make_user(org, Role.MANAGER)
    other = make_user(other_org, Role.COORDINATOR)
    proc = procedures.procedure_current(organisation=org, report_type=ReportType.QUESTION)
    login(coordinator)
    assert client.get(f"/app/{org.slug}/meldingen/procedures/").status_code == 200
    data = {
        "steps-TOTAL_FORMS": "2", "steps-INITIAL_FORMS": "0", "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "1000",
        "steps-0-position": "1", "steps-0-kind": "receive", "steps-0-role": "manager",
        "steps-1-position": "2", "steps-1-kind": "escalate", "steps-1-label_nl": "Extern bureau",
        "change_note": "Vragen naar leidinggevende",
    }
    response = client.post(f"/app/{org.slug}/meldingen/procedures/{proc.pk}/", data)
    assert response.status_code == 302
    current = procedures.procedure_current(organisation=org, report_type=ReportType.QUESTION)
    assert current.version == 2
    assert [(s.kind, s.role, s.label_nl) for s in current.steps.all()] == [
        ("receive", "manager", ""), ("escalate", "", "Extern bureau")]
    for user in (manager, other):
        login(user)
        assert client.get(f"/app/{org.slug}/meldingen/procedures/").status_code == 404
        assert client.get(f"/app/{org.slug}/meldingen/procedures/{current.pk}/").status_code == 404


def test_demo_procedures_are_idempotent(org):
    from intact.reporting.demo_procedures import demo_procedures

    demo_procedures(org)
    demo_procedures(org)
    assert Procedure.objects.filter(organisation=org, report_type=ReportType.BEHAVIOUR).count() == 2
    current = procedures.procedure_current(organisation=org, report_type=ReportType.BEHAVIOUR)
    assert current.version == 2
    assert any(s.kind == StepKind.INFORM and s.role == Role.COORDINATOR for s in current.steps.all())


def test_escalation_follows_the_ladder_of_the_version_the_report_came_in_under(org, make_user, login, client):
    manager = make_user(org, Role.MANAGER)
    authority = make_user(org, Role.COMPETENT_AUTHORITY)
    report, _ = make_report(org, report_type=ReportType.BUSINESS)
    assert _access(report) == {manager.pk}
    login(manager)
    page = client.get(f"/app/{org.slug}/meldingen/{report.reference}/").content.decode()
    assert "Escaleren naar Bevoegd gezag" in page
    assert client.post(f"/app/{org.slug}/meldingen/{report.reference}/actie/escalate/").status_code == 302
    assert _access(report) == {manager.pk, authority.pk}
    assert list(ReportRoute.objects.filter(report=report).values_list("position", flat=True)) == [1, 2]
    # Next rung is an external party: recorded, nobody in Intact gets access.
    page = client.get(f"/app/{org.slug}/meldingen/{report.reference}/").content.decode()
    assert "Escaleren naar Auditdienst of extern onderzoeksbureau" in page
    client.post(f"/app/{org.slug}/meldingen/{report.reference}/actie/escalate/")
    assert _access(report) == {manager.pk, authority.pk}
    # Top of the ladder: no button, and a forged post changes nothing.
    page = client.get(f"/app/{org.slug}/meldingen/{report.reference}/").content.decode()
    assert "Escaleren naar" not in page
    assert client.post(f"/app/{org.slug}/meldingen/{report.reference}/actie/escalate/").status_code == 400
    assert ReportRoute.objects.filter(report=report).count() == 3


def test_escalation_never_reaches_an_implicated_person(org, make_user):
    from intact.reporting.routing import report_escalate

    manager = make_user(org, Role.MANAGER)
    authority = make_user(org, Role.COMPETENT_AUTHORITY)
    report, _ = make_report(org, report_type=ReportType.BUSINESS,
                            implicated=[authority.people.get(organisation=org)])
    report_escalate(report=report, user=manager)
    assert _access(report) == {manager.pk}
