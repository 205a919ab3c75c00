"""The API with the access rules: coordinator edits, competent authority adopts, addressees answer, auditors read aggregates."""

import pytest

from intact.policy import services
from intact.policy.models import PlanVersion, VersionStatus
from tests.learning.factories import ActivityFactory
from tests.policy.factories import SECTIONS, ActionPointFactory, AnnualPlanFactory, MeasureFactory

pytestmark = pytest.mark.django_db


def base(org):
    return f"/api/v1/organisations/{org.slug}/"


@pytest.fixture
def coordinator(org, make_user):
    return make_user(org, "coordinator")


def test_plan_write_and_adopt(org, coordinator, make_user, login):
    c = login(coordinator)
    response = c.post(
        base(org) + "integrity-plans/", {"title": "Plan 2026"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    version_id = response.json()["versions"][0]["id"]
    response = c.patch(
        base(org) + f"plan-versions/{version_id}/",
        {"sections": SECTIONS, "term_start": "2026-01-01", "term_end": "2029-12-31"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert (
        c.post(
            base(org) + f"plan-versions/{version_id}/adopt/", {}, content_type="application/json"
        ).status_code
        == 404
    )
    auditor = login(make_user(org, "auditor"))
    assert (
        auditor.post(
            base(org) + "integrity-plans/", {"title": "X"}, content_type="application/json"
        ).status_code
        == 403
    )
    authority = login(make_user(org, "competent_authority"))
    response = authority.post(
        base(org) + f"plan-versions/{version_id}/adopt/",
        {"adopted_on": "2026-01-02"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert PlanVersion.objects.get(pk=version_id).status == VersionStatus.ADOPTED
    c = login(coordinator)
    response = c.patch(
        base(org) + f"plan-versions/{version_id}/", {"author": "X"}, content_type="application/json"
    )
    assert response.status_code == 400 and response["Content-Type"].startswith(
        "application/problem+json"
    )


def test_measures_and_monitoring(org, coordinator, login, make_user):
    annual = AnnualPlanFactory(organisation=org, year=2025)
    ActivityFactory(organisation=org, type="dilemma_game", date="2025-03-01")
    c = login(coordinator)
    response = c.post(
        base(org) + "measures/",
        {
            "annual_plan": annual.pk,
            "title": "Dilemmasessies",
            "target_value": "12",
            "target_unit": "sessies",
            "owner_role": "coordinator",
            "start_on": "2025-01-01",
            "end_on": "2025-12-31",
            "indicator": "activities:dilemma_game",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["realised"] == "1.0"
    monitoring = (
        login(make_user(org, "auditor"))
        .get(base(org) + f"annual-plans/{annual.pk}/monitoring/")
        .json()
    )
    assert monitoring["summary"]["measures"] == 1 and monitoring["measures"][0]["realised"] == "1.0"
    assert "people" not in str(monitoring)


def test_progress_entry_by_api(org, coordinator, login):
    m = MeasureFactory(annual_plan=AnnualPlanFactory(organisation=org, year=2025))
    response = login(coordinator).post(
        base(org) + f"measures/{m.pk}/progress-entries/",
        {"on": "2025-03-01", "value": "4"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["realised"] == "4.0"


def test_frameworks_assessments_and_items(org, coordinator, login, make_user):
    c = login(coordinator)
    frameworks = c.get(base(org) + "frameworks/").json()
    basis = next(f for f in frameworks["results"] if f["code"] == "basisnormen")
    assert len(basis["requirements"]) == 14 and basis["builtin"]
    response = c.post(
        base(org) + "assessments/", {"framework": basis["id"]}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    item = response.json()["items"][0]
    response = c.patch(
        base(org) + f"assessment-items/{item['id']}/",
        {"status": "partly", "evidence": "Plan"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "partly"
    auditor = login(make_user(org, "auditor"))
    listing = auditor.get(base(org) + "assessments/").json()
    assert listing["results"][0]["overview"]["partly"] == 1
    assert "owner" not in listing["results"][0]["items"][0]
    assert (
        auditor.patch(
            base(org) + f"assessment-items/{item['id']}/",
            {"status": "met"},
            content_type="application/json",
        ).status_code
        == 403
    )
    response = login(coordinator).post(
        base(org) + "frameworks/import/",
        {"yaml": "code: eigen\nversion: 1\nname: Eigen\nrequirements: []\n"},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_action_points(org, coordinator, login):
    ActionPointFactory(organisation=org, year=2019)
    c = login(coordinator)
    listing = c.get(base(org) + "action-points/").json()
    assert listing["count"] == 1
    pk = listing["results"][0]["id"]
    assert (
        c.patch(
            base(org) + f"action-points/{pk}/",
            {"status": "cancelled"},
            content_type="application/json",
        ).status_code
        == 400
    )
    assert (
        c.patch(
            base(org) + f"action-points/{pk}/",
            {"status": "cancelled", "reason": "Vervallen"},
            content_type="application/json",
        ).status_code
        == 200
    )
    assert c.get(base(org) + "action-points/").json()["count"] == 0


def test_inquiry_round_and_answer(org, coordinator, login, make_user):
    manager = make_user(org, "manager")
    c = login(coordinator)
    response = c.post(
        base(org) + "inquiry-rounds/",
        {"period_start": "2025-01-01", "period_end": "2025-06-30"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["completeness"]["asked"] == 1
    m = login(manager)
    requests = m.get(base(org) + "inquiry-requests/").json()["results"]
    assert len(requests) == 1
    answer = m.post(
        base(org) + f"inquiry-requests/{requests[0]['id']}/answer/",
        {"nothing_to_report": True},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["nothing_to_report"] is True
    other = login(make_user(org, "manager"))
    assert (
        other.post(
            base(org) + f"inquiry-requests/{requests[0]['id']}/answer/",
            {"nothing_to_report": True},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert other.get(base(org) + "inquiry-rounds/").status_code == 404


def test_other_organisation_sees_nothing(org, other_org, coordinator, make_user, login):
    services.plan_create(actor=coordinator, organisation=org, title="Plan")
    outsider = login(make_user(other_org, "coordinator"))
    assert outsider.get(base(org) + "integrity-plans/").status_code == 404
