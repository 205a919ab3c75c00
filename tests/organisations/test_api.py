import pytest
from django.test import Client

from intact.organisations.models import Role
from tests.organisations.factories import PersonFactory, UnitFactory

PROBLEM = "application/problem+json"


@pytest.fixture
def people(org):
    north = UnitFactory(organisation=org, name="Regio Noord")
    south = UnitFactory(organisation=org, name="Regio Zuid")
    return {
        "nico": PersonFactory(organisation=org, unit=north, first_name="Nico", last_name="Noordman"),
        "zara": PersonFactory(
            organisation=org, unit=south, first_name="Zara", last_name="Zuidema", contract_type="volunteer"
        ),
        "north": north,
        "south": south,
    }


def test_organisations_lists_only_own_with_roles(org, other_org, make_user, login):
    c = login(make_user(org, Role.COORDINATOR))
    body = c.get("/api/v1/organisations/").json()
    assert [o["slug"] for o in body["results"]] == [org.slug]
    assert body["results"][0]["roles"] == ["coordinator"]
    assert c.get(f"/api/v1/organisations/{org.slug}/").status_code == 200
    assert c.get(f"/api/v1/organisations/{other_org.slug}/").status_code == 404


def test_people_list_filters_and_detail(org, people, make_user, login):
    c = login(make_user(org, Role.COORDINATOR, person=False))
    base = f"/api/v1/organisations/{org.slug}/people/"
    names = [p["last_name"] for p in c.get(base).json()["results"]]
    assert names == ["Noordman", "Zuidema"]
    names = [p["last_name"] for p in c.get(base, {"contract_type": "volunteer"}).json()["results"]]
    assert names == ["Zuidema"]
    names = [p["last_name"] for p in c.get(base, {"unit": people["north"].pk}).json()["results"]]
    assert names == ["Noordman"]
    detail = c.get(f"{base}{people['nico'].pk}/").json()
    assert detail["first_name"] == "Nico" and detail["unit"] == people["north"].pk
    units = c.get(f"/api/v1/organisations/{org.slug}/units/").json()["results"]
    assert {u["name"] for u in units} == {"Regio Noord", "Regio Zuid"}


def test_manager_scope_applies_in_api(org, people, make_user, login):
    c = login(make_user(org, Role.MANAGER, unit=people["north"], person=False))
    base = f"/api/v1/organisations/{org.slug}/people/"
    assert [p["last_name"] for p in c.get(base).json()["results"]] == ["Noordman"]
    assert c.get(f"{base}{people['zara'].pk}/").status_code == 404


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.COUNSELLOR, Role.INVESTIGATOR, Role.AUDITOR])
def test_roles_without_access_get_the_not_found_problem(org, people, make_user, login, role):
    c = login(make_user(org, role))
    existing = c.get(f"/api/v1/organisations/{org.slug}/people/{people['nico'].pk}/")
    missing = c.get(f"/api/v1/organisations/{org.slug}/people/999999/")
    unknown_org = c.get("/api/v1/organisations/no-such-org/people/999999/")
    assert existing.status_code == missing.status_code == unknown_org.status_code == 404
    assert existing["Content-Type"] == PROBLEM
    assert existing.content == missing.content == unknown_org.content


def test_anonymous_gets_401_problem(db, org):
    r = Client().get(f"/api/v1/organisations/{org.slug}/people/")
    assert r.status_code == 401
    assert r["Content-Type"] == PROBLEM
    assert r.json()["status"] == 401
    assert "WWW-Authenticate" in r


def test_method_not_allowed_is_a_problem(org, make_user, login):
    c = login(make_user(org, Role.COORDINATOR))
    r = c.delete(f"/api/v1/organisations/{org.slug}/people/")
    assert r.status_code == 405
    assert r["Content-Type"] == PROBLEM
    assert r.json()["title"]


def test_unknown_api_path_answers_problem_json(db, org, make_user, login):
    for c in (Client(), login(make_user(org, Role.EMPLOYEE))):
        r = c.get("/api/v1/does-not-exist/")
        assert r.status_code == 404
        assert r["Content-Type"] == PROBLEM
        assert r.json() == {"type": "about:blank", "title": "Niet gevonden", "status": 404, "detail": "Niet gevonden."}


def test_session_api_enforces_csrf(org, make_user):
    from intact.security.testing import force_login_verified

    c = Client(enforce_csrf_checks=True)
    force_login_verified(c, make_user(org, Role.COORDINATOR))
    r = c.post("/api/v1/organisations/", {}, content_type="application/json")
    assert r.status_code == 403
    assert r["Content-Type"] == PROBLEM
    assert "CSRF" in r.json()["detail"]


def test_token_authentication(org, people, make_user):
    from intact.security.services import api_token_create

    user = make_user(org, Role.COORDINATOR)
    token = api_token_create(user=user)
    c = Client()
    r = c.get(f"/api/v1/organisations/{org.slug}/people/", HTTP_AUTHORIZATION=f"Token {token}")
    assert r.status_code == 200
    assert r.json()["count"] == 3  # two people plus the coordinator's own record
    r = c.get(f"/api/v1/organisations/{org.slug}/people/", HTTP_AUTHORIZATION="Token wrong")
    assert r.status_code == 401
    assert r["Content-Type"] == PROBLEM


def test_schema_generates_without_warnings_and_validates(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # against the OpenAPI 3 JSON schema shipped with drf-spectacular
    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)
    paths = schema["paths"]
    assert "/api/v1/organisations/{organisation_slug}/people/{id}/" in paths
    responses = paths["/api/v1/organisations/{organisation_slug}/people/{id}/"]["get"]["responses"]
    assert PROBLEM in responses["404"]["content"]


def test_schema_is_served(db):
    r = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert r.status_code == 200
    assert r.json()["openapi"].startswith("3.")
