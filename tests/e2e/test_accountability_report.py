"""Browser test: the coordinator previews the annual report, writes a chapter text,
generates the PDF in the background and downloads it; axe-core clean, no third-party requests."""

from __future__ import annotations

import datetime as dt

import pikepdf
import pytest

from intact.cases import services as case_services
from tests.cases.factories import register_case
from tests.e2e.conftest import (
    assert_no_csp_violations,
    assert_no_third_party_requests,
    assert_valid_html,
    axe_check,
)
from tests.organisations.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

YEAR = dt.date.today().year - 1


def member(organisation, role):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=role)
    PersonFactory(
        organisation=organisation, user=user, first_name=user.first_name, last_name=user.last_name
    )
    return user


@pytest.fixture
def setting(live_url):
    org = OrganisationFactory(slug="e2e-verantwoording", name="Provincie Verantwoording")
    case_services.categories_ensure_defaults(org)
    case_services.measure_types_ensure_defaults(org)
    return org


def check(page, live_url, response=None):
    if response is not None:
        assert_valid_html(response.text())
    axe_check(page)
    assert_no_csp_violations(page)
    assert_no_third_party_requests(page, live_url)


def test_generate_and_download_the_annual_report(page, live_url, staff_login, setting, tmp_path):
    coordinator = member(setting, "coordinator")
    for i in range(6):
        register_case(setting, coordinator, received_on=dt.date(YEAR, 3, 1 + i))
    base = f"{live_url}/app/{setting.slug}/verantwoording"
    staff_login(page, coordinator)
    response = page.goto(f"{base}/")
    check(page, live_url, response)

    response = page.goto(f"{base}/{YEAR}/")
    check(page, live_url, response)
    assert page.locator("h1", has_text=f"Jaarverslag integriteit {YEAR}").count() == 1
    assert page.locator("svg[role=img] title").count() >= 1  # accessible charts

    response = page.goto(f"{base}/{YEAR}/tekst/actions/")
    check(page, live_url, response)
    page.fill("#id_text", "Volgend jaar: halfjaarlijkse uitvraag.")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/{YEAR}/")
    assert page.locator("text=Volgend jaar: halfjaarlijkse uitvraag.").count() == 1

    page.goto(f"{base}/")
    page.select_option("#id_year", str(YEAR))
    page.select_option("#id_edition", "public")
    page.select_option("#id_format", "pdf")
    page.click("main button[type=submit]")
    page.wait_for_url("**/taak/*/")
    for _ in range(30):  # the page refreshes itself (meta refresh) until the task is done
        if page.locator("text=Verslag downloaden").count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    check(page, live_url)
    with page.expect_download() as download:
        page.click("text=Verslag downloaden")
    target = tmp_path / "report.pdf"
    download.value.save_as(target)
    assert download.value.suggested_filename.endswith(".pdf")
    assert pikepdf.open(target).open_metadata()["pdfaid:part"] == "3"
