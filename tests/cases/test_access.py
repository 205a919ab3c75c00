"""Need to know: the team, declarations, exclusion of the implicated, the competent authority, 404s."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intact.cases import services
from intact.organisations.models import Role
from intact.reporting import services as reporting_services
from intact.security.models import AuditEntry
from tests.cases.factories import TRIAGE_HIGH, open_case

pytestmark = pytest.mark.django_db


def _detail(case):
    return reverse("cases:detail", kwargs={"org": case.organisation.slug, "ref": case.reference})


def _urls(case):
    org, ref = case.organisation.slug, case.reference
    return [
        _detail(case),
        reverse("cases:triage", kwargs={"org": org, "ref": ref}),
        f"/api/v1/organisations/{org}/cases/{ref}/",
        f"/api/v1/organisations/{org}/cases/{ref}/triage/",
        f"/api/v1/organisations/{org}/cases/{ref}/measures/",
    ]


def test_outsiders_get_404_like_a_case_that_does_not_exist(
    org, other_org, coordinator, make_user, login, client
):
    case, _ = open_case(org, coordinator)
    foreign = make_user(other_org, Role.COORDINATOR, username="foreign")
    employee = make_user(org, Role.EMPLOYEE, username="employee")
    admin = make_user(org, Role.TECHNICAL_ADMIN, username="techadmin")
    missing = reverse("cases:detail", kwargs={"org": org.slug, "ref": "Z-1999-0001"})
    for user in (foreign, employee, admin):
        c = login(user)
        assert c.get(missing).status_code == 404
        for url in _urls(case):
            assert c.get(url).status_code == 404, (user.username, url)
        post = reverse(
            "cases:action", kwargs={"org": org.slug, "ref": case.reference, "action": "transition"}
        )
        assert c.post(post, {"target": "closed"}).status_code == 404


def test_accused_coordinator_is_excluded_everywhere(org, coordinator, make_user, login):
    accused = make_user(org, Role.COORDINATOR, username="accused-coord")
    case, _ = open_case(org, coordinator, implicated=[accused.people.get()])
    c = login(accused)
    for url in _urls(case):
        assert c.get(url).status_code == 404
    listing = c.get(reverse("cases:list", kwargs={"org": org.slug}))
    assert case.reference not in listing.content.decode()
    assert c.get(f"/api/v1/organisations/{org.slug}/cases/").json()["count"] == 0
    with pytest.raises(services.CaseActionRefused):
        services.team_declare(case=case, user=accused, has_conflict=False)


def test_party_added_as_accused_is_removed_from_the_team(org, coordinator, make_user, login):
    colleague = make_user(org, Role.COORDINATOR, username="colleague")
    case, _ = open_case(org, coordinator)
    services.team_declare(case=case, user=colleague, has_conflict=False)
    assert login(colleague).get(_detail(case)).status_code == 200
    services.party_add(case=case, user=coordinator, role="accused", person=colleague.people.get())
    assert login(colleague).get(_detail(case)).status_code == 404


def test_person_named_in_the_report_later_is_excluded(org, coordinator, make_user, login):
    colleague = make_user(org, Role.MANAGER, username="manager2")
    case, _ = open_case(org, coordinator)
    services.team_invite(case=case, user=coordinator, member=colleague)
    services.team_declare(case=case, user=colleague, has_conflict=False)
    assert login(colleague).get(_detail(case)).status_code == 200
    reporting_services.implicated_add(
        report=case.report, user=coordinator, person=colleague.people.get()
    )
    assert login(colleague).get(_detail(case)).status_code == 404


def test_joining_needs_a_declaration(org, coordinator, make_user, login):
    colleague = make_user(org, Role.COORDINATOR, username="coord2")
    case, _ = open_case(org, coordinator, answers={"what": "Geheim verhaal over declaraties"})
    c = login(colleague)
    page = c.get(_detail(case))
    assert page.status_code == 200
    assert "Geheim verhaal" not in page.content.decode()
    assert "belangenverstrengeling" in page.content.decode()
    assert (
        c.get(reverse("cases:triage", kwargs={"org": org.slug, "ref": case.reference})).status_code
        == 404
    )
    c.post(
        reverse("cases:declare", kwargs={"org": org.slug, "ref": case.reference}),
        {"has_conflict": "no"},
    )
    assert "Geheim verhaal" in c.get(_detail(case)).content.decode()


def test_declared_conflict_keeps_the_user_out(org, coordinator, make_user, login):
    colleague = make_user(org, Role.INVESTIGATOR, username="inv-conflict")
    case, _ = open_case(org, coordinator, answers={"what": "Geheim verhaal"})
    services.team_invite(case=case, user=coordinator, member=colleague)
    c = login(colleague)
    response = c.post(
        reverse("cases:declare", kwargs={"org": org.slug, "ref": case.reference}),
        {"has_conflict": "yes", "note": "Zwager van de beschuldigde"},
    )
    assert response.status_code == 302
    assert c.get(_detail(case)).status_code == 404


def test_conflict_needs_an_explanation(org, coordinator, make_user):
    colleague = make_user(org, Role.COORDINATOR, username="coord3")
    case, _ = open_case(org, coordinator)
    with pytest.raises(services.CaseInvalid):
        services.team_declare(case=case, user=colleague, has_conflict=True, note="")


def test_competent_authority_sees_the_case_only_while_it_must_decide(
    org, coordinator, authority, login
):
    case, _ = open_case(org, coordinator, answers={"what": "Geheim verhaal"})
    c = login(authority)
    assert c.get(_detail(case)).status_code == 404
    services.triage_record(case=case, user=coordinator, answers=TRIAGE_HIGH, motivation="m")
    services.case_transition(case=case, user=coordinator, target="triaged")
    assert "Geheim verhaal" in c.get(_detail(case)).content.decode()
    services.decision_record(case=case, user=authority, decision="investigate", motivation="m")
    services.assignment_set(case=case, user=authority, assignment="audit_unit")
    services.case_transition(case=case, user=authority, target="investigating")
    assert c.get(_detail(case)).status_code == 404


def test_every_view_is_audited(org, coordinator, login):
    case, _ = open_case(org, coordinator)
    before = AuditEntry.objects.filter(action="cases.case_viewed").count()
    login(coordinator).get(_detail(case))
    entry = AuditEntry.objects.filter(action="cases.case_viewed").last()
    assert AuditEntry.objects.filter(action="cases.case_viewed").count() == before + 1
    assert entry.object_id == str(case.pk) and entry.actor_id == coordinator.pk


def test_search_finds_party_names_only_in_cases_the_user_may_read(
    org, coordinator, make_user, login
):
    case, _ = open_case(org, coordinator)
    services.party_add(case=case, user=coordinator, role="witness", name="Wilhelmina Getuige")
    url = reverse("cases:list", kwargs={"org": org.slug}) + "?q=wilhelmina"
    assert case.reference in login(coordinator).get(url).content.decode()
    other = make_user(org, Role.COORDINATOR, username="coord-meta")
    assert case.reference not in login(other).get(url).content.decode()
    by_ref = reverse("cases:list", kwargs={"org": org.slug}) + f"?q={case.reference}"
    assert case.reference in login(other).get(by_ref).content.decode()


def test_confidential_reporter_appears_by_pseudonym(org, coordinator):
    case, _ = open_case(org, coordinator, anonymity="confidential")
    reporter = case.parties.get(role="reporter")
    assert reporter.is_pseudonym and reporter.name == case.report.pseudonym
    assert "Jan Melder" not in [p.display_name() for p in case.parties.all()]
