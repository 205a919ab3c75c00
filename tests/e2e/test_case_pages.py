"""axe-core and HTML checks of the other case pages: register, categories, a case in English."""

from __future__ import annotations

import pytest

from intact.organisations.models import Role
from tests.e2e.conftest import assert_valid_html, axe_check
from tests.organisations.factories import OrganisationFactory

SLUG = "zaakpagina-e2e"


@pytest.fixture
def coordinator(transactional_db, make_user):
    org = OrganisationFactory(slug=SLUG, name="Gemeente Zaakpagina")
    return make_user(org, Role.COORDINATOR, username="coord-pages-e2e")


def test_register_categories_and_english_case_page(coordinator, live_url, new_page, staff_login):
    page = new_page(javascript_enabled=False)
    staff_login(page, coordinator)
    page.goto(f"{live_url}/app/{SLUG}/zaken/registreren/")
    assert_valid_html(page.content())
    axe_check(page)
    # A form with errors: the summary is announced and the page stays accessible.
    page.get_by_role("button", name="Registreren").click()
    page.wait_for_load_state("load")
    assert page.locator("[role=alert]").count() == 1
    axe_check(page)
    page.select_option("select[name=origin]", "periodic_inquiry")
    page.select_option("select[name=report_type]", "undesirable_behaviour")
    page.fill("input[name=received_on]", "2026-02-03")
    page.fill("textarea[name=description]", "Intimiderend gedrag tijdens overleggen.")
    page.get_by_role("button", name="Registreren").click()
    page.wait_for_load_state("load")
    assert "Verklaring over belangenverstrengeling" in page.content()
    page.check("input[name=has_conflict][value=no]")
    page.get_by_role("button", name="Verklaring afleggen").click()
    page.wait_for_load_state("load")

    for path in ("categorieen", "regels"):
        page.goto(f"{live_url}/app/{SLUG}/zaken/{path}/")
        assert_valid_html(page.content())
        axe_check(page)

    english = new_page(javascript_enabled=False, locale="en-GB", extra_http_headers={"Accept-Language": "en"})
    staff_login(english, coordinator)
    english.goto(f"{live_url}/app/{SLUG}/zaken/")
    english.get_by_role("link", name="Z-2026-0001").click()
    english.wait_for_load_state("load")
    assert "What next" in english.content() and "Hearing both sides" in english.content()
    axe_check(english)
