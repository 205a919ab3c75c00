"""Browser checks of the organisations staff pages: axe (WCAG 2.1 AA), no third-party requests, CSP."""

import pytest

from tests.e2e.conftest import (
    assert_no_csp_violations,
    assert_no_third_party_requests,
    assert_valid_html,
    axe_check,
)
from tests.organisations.factories import IntegrityOrganFactory, PersonFactory, UnitFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def setup(transactional_db, org, make_user):
    central = UnitFactory(organisation=org, name="Concernstaf", is_central=True)
    UnitFactory(organisation=org, name="Team Noord", parent=central)
    person = PersonFactory(organisation=org, unit=central, first_name="Nico", last_name="Noordman")
    IntegrityOrganFactory(organisation=org, name="Vertrouwenspersoon", email="vp@example.test")
    return {"coordinator": make_user(org, "coordinator", username="coord-e2e"), "person": person}


def test_organisations_pages_are_accessible(page, live_url, org, setup, staff_login):
    staff_login(page, setup["coordinator"])
    pk = setup["person"].pk
    organ = org.integrity_organs.first().pk
    paths = [
        f"/app/{org.slug}/people/",
        f"/app/{org.slug}/people/?contract_type=employee",
        f"/app/{org.slug}/people/{pk}/",
        f"/app/{org.slug}/people/{pk}/edit/",
        f"/app/{org.slug}/people/new/",
        f"/app/{org.slug}/units/",
        f"/app/{org.slug}/units/new/",
        f"/app/{org.slug}/roles/",
        f"/app/{org.slug}/organs/",
        f"/app/{org.slug}/organs/{organ}/edit/",
    ]
    for path in paths:
        response = page.goto(live_url + path)
        assert response.status == 200, path
        assert_valid_html(response.text())
        assert page.locator("h1").count() == 1, path
        axe_check(page)
    assert_no_third_party_requests(page, live_url)
    assert_no_csp_violations(page)


def test_person_form_error_summary_is_accessible(page, live_url, org, setup, staff_login):
    staff_login(page, setup["coordinator"])
    page.goto(f"{live_url}/app/{org.slug}/people/new/")
    page.fill("#id_last_name", "Zonder Voornaam")
    page.fill("#id_start_date", "2024-01-01")
    page.locator("form.intact-form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    assert page.locator("[role=alert]").count() == 1
    axe_check(page)
