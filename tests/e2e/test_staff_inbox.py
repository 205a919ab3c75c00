"""Browser tests of the staff reporting pages: axe-core finds no WCAG 2.1 AA violation,
nothing is requested from another host, and the pages work without JavaScript."""

from __future__ import annotations

import pytest

from intact.organisations.models import Role
from intact.reporting import procedures, services_staff
from intact.reporting.models import Anonymity, ReportType
from tests.e2e.conftest import assert_no_csp_violations, assert_no_third_party_requests, axe_check
from tests.organisations.factories import IntegrityOrganFactory, OrganisationFactory
from tests.reporting.factories import make_report

SLUG = "inbox-e2e"


@pytest.fixture
def world(transactional_db, make_user):
    org = OrganisationFactory(slug=SLUG, name="Provincie Postvak")
    IntegrityOrganFactory(organisation=org, kind="complaints_committee", name="Klachtencommissie",
                          email="kc@example.test")
    manager = make_user(org, Role.MANAGER, username="manager-e2e")
    counsellor = make_user(org, Role.COUNSELLOR, username="vp-e2e")
    coordinator = make_user(org, Role.COORDINATOR, username="coord-e2e")
    report, _ = make_report(org, report_type=ReportType.BUSINESS, anonymity=Anonymity.CONFIDENTIAL,
                            attachments=[("notitie.txt", b"Bewijs\n")])
    request = services_staff.identity_reveal_request(report=report, user=manager, reason="Voor het gesprek")
    return {"org": org, "manager": manager, "counsellor": counsellor, "coordinator": coordinator,
            "report": report, "request": request}


def _check(page, url, live_url):
    response = page.goto(live_url + url)
    assert response.status == 200, url
    page.wait_for_load_state("load")
    assert page.locator("h1").count() == 1, url
    axe_check(page)
    assert_no_csp_violations(page)


def test_staff_reporting_pages_are_accessible(world, live_url, new_page, staff_login):
    report, org = world["report"], world["org"]
    page = new_page(javascript_enabled=True)
    staff_login(page, world["manager"])
    for url in (f"/app/{SLUG}/meldingen/", f"/app/{SLUG}/meldingen/{report.reference}/",
                f"/app/{SLUG}/meldingen/registreren/"):
        _check(page, url, live_url)
    # Intake by the manager (no JavaScript needed): the receipt page.
    nojs = new_page(javascript_enabled=False)
    staff_login(nojs, world["manager"])
    nojs.goto(f"{live_url}/app/{SLUG}/meldingen/registreren/")
    nojs.select_option("select[name=channel]", "letter")
    nojs.select_option("select[name=report_type]", "business_integrity")
    nojs.select_option("select[name=anonymity]", "anonymous")
    nojs.fill("textarea[name=what]", "Brief over giften van een leverancier.")
    nojs.get_by_role("button", name="Melding registreren").click()
    nojs.wait_for_load_state("load")
    assert "Melding geregistreerd" in nojs.content()
    axe_check(nojs)
    # An error page keeps its summary accessible.
    nojs.goto(f"{live_url}/app/{SLUG}/meldingen/{report.reference}/")
    nojs.get_by_role("button", name="Afsluiten").click()
    nojs.wait_for_load_state("load")
    assert nojs.locator("#error-summary").count() == 1
    axe_check(nojs)

    custodian = new_page(javascript_enabled=True)
    staff_login(custodian, world["counsellor"])
    _check(custodian, f"/app/{SLUG}/meldingen/identiteit/", live_url)
    _check(custodian, f"/app/{SLUG}/meldingen/identiteit/{world['request'].pk}/", live_url)

    coord = new_page(javascript_enabled=True)
    staff_login(coord, world["coordinator"])
    _check(coord, f"/app/{SLUG}/meldingen/procedures/", live_url)
    proc = procedures.procedure_current(organisation=org, report_type=ReportType.BEHAVIOUR)
    _check(coord, f"/app/{SLUG}/meldingen/procedures/{proc.pk}/", live_url)
    _check(coord, f"/app/{SLUG}/meldingen/instellingen/", live_url)
    _check(coord, f"/app/{SLUG}/meldingen/termijnen/", live_url)
    _check(coord, f"/app/{SLUG}/", live_url)
    for p in (page, nojs, custodian, coord):
        assert_no_third_party_requests(p, live_url)


def test_public_integrity_page_with_diagrams_is_accessible(world, live_url, new_page):
    page = new_page(javascript_enabled=False)
    page.goto(f"{live_url}/o/{SLUG}/integriteit/")
    assert page.locator("svg[role=img]").count() == 4
    assert "Klachtencommissie" in page.content()
    axe_check(page)
    assert_no_third_party_requests(page, live_url)
