"""The cases API: same rules as the pages, refusals as problem+json."""

from __future__ import annotations

import pytest

from intact.organisations.models import Role
from tests.cases.factories import TRIAGE_HIGH, open_case

pytestmark = pytest.mark.django_db


def base(case):
    return f"/api/v1/organisations/{case.organisation.slug}/cases/{case.reference}/"


def test_list_and_detail_for_the_team(org, coordinator, login):
    case, _ = open_case(org, coordinator, answers={"what": "Dubbele declaraties"})
    c = login(coordinator)
    listing = c.get(f"/api/v1/organisations/{org.slug}/cases/").json()
    assert listing["count"] == 1 and listing["results"][0]["access"] == "content"
    detail = c.get(base(case)).json()
    assert detail["description"] == "Dubbele declaraties"
    assert {p["role"] for p in detail["parties"]} == {"reporter"}


def test_meta_level_gets_no_content(org, coordinator, make_user, login):
    case, _ = open_case(org, coordinator, answers={"what": "Dubbele declaraties"})
    other = make_user(org, Role.COORDINATOR, username="coord-other")
    detail = login(other).get(base(case)).json()
    assert detail["access"] == "meta" and "description" not in detail
    assert login(other).get(base(case) + "triage/").status_code == 404


def test_disallowed_transition_is_a_409_problem_with_the_reason(org, coordinator, login):
    case, _ = open_case(org, coordinator)
    response = login(coordinator).post(
        base(case) + "transitions/",
        {"target": "closed"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert "niet toegestaan" in response.json()["detail"]


def test_triage_and_measures_through_the_api(org, coordinator, login):
    case, _ = open_case(org, coordinator)
    c = login(coordinator)
    created = c.post(
        base(case) + "triage/",
        {"answers": TRIAGE_HIGH, "motivation": "Fraude"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["computed_severity"] == "high"
    history = c.get(base(case) + "triage/").json()
    assert {a["key"] for a in history["actions"]} >= {"inform_board"}
    action_id = history["actions"][0]["id"]
    assert (
        c.post(
            base(case) + f"triage-actions/{action_id}/done/", {}, content_type="application/json"
        ).json()["status"]
        == "done"
    )
    bad = c.post(
        base(case) + "triage/",
        {"answers": {"nature": "x"}, "motivation": "m"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    measure = c.post(
        base(case) + "measures/",
        {"measure_type": "written_warning"},
        content_type="application/json",
    )
    assert measure.status_code == 201 and measure.json()["group"] == "employment_law"
    assert c.get(base(case) + "measures/").json()[0]["measure_type"] == "written_warning"
    types = c.get(f"/api/v1/organisations/{org.slug}/measure-types/").json()
    assert any(t["code"] == "unconditional_dismissal" for t in types)


def test_outsider_gets_404_on_every_endpoint(org, other_org, coordinator, make_user, login):
    case, _ = open_case(org, coordinator)
    foreign = login(make_user(other_org, Role.COORDINATOR, username="foreign-api"))
    for url in (
        base(case),
        base(case) + "triage/",
        base(case) + "measures/",
        f"/api/v1/organisations/{org.slug}/cases/",
        f"/api/v1/organisations/{org.slug}/measure-types/",
    ):
        assert foreign.get(url).status_code == 404, url
    assert (
        foreign.post(
            base(case) + "transitions/", {"target": "triaged"}, content_type="application/json"
        ).status_code
        == 404
    )
