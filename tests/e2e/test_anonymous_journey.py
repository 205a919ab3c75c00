"""The whole anonymous journey in a browser with JavaScript OFF (issue 3, point 11).

Submit an anonymous report with an attachment -> receipt -> the recipient
acknowledges and asks a question -> the reporter logs in with the receipt,
reads it and answers -> the recipient reads the answer. An implicated person
and another organisation's coordinator get 404 for the report page.
"""

from __future__ import annotations

import re

import pytest

from intact.organisations.models import Role
from intact.reporting.models import Report
from tests.e2e.conftest import assert_no_third_party_requests, axe_check
from tests.organisations.factories import OrganisationFactory

SLUG = "journey-e2e"


@pytest.fixture
def world(transactional_db, make_user):
    org = OrganisationFactory(slug=SLUG, name="Provincie Reisland")
    other = OrganisationFactory(slug="other-e2e", name="Stichting Elders", kind="ngo")
    return {
        "org": org,
        "handler": make_user(org, Role.COMPETENT_AUTHORITY, username="bevoegd-e2e"),
        "accused": make_user(org, Role.COMPETENT_AUTHORITY, username="karel-e2e"),
        "foreign": make_user(other, Role.COORDINATOR, username="elders-e2e"),
    }


def _submit(page, label):
    page.get_by_role("button", name=label).click()
    page.wait_for_load_state("load")


def test_anonymous_journey_without_javascript(world, live_url, new_page, staff_login, tmp_path):
    org = world["org"]
    reporter = new_page(javascript_enabled=False)

    # 1. The reporter submits an anonymous report with a file.
    reporter.goto(f"{live_url}/o/{SLUG}/melden/")
    reporter.check("input[name=report_type][value=wrongdoing]")
    _submit(reporter, "Volgende stap")
    reporter.check("input[name=anonymity][value=anonymous]")
    _submit(reporter, "Volgende stap")
    reporter.fill("textarea[name=q_what]", "De aanbesteding van de brug is doorgestoken kaart.")
    reporter.fill("textarea[name=implicated]", "Karel, directeur Wegen")
    _submit(reporter, "Volgende stap")
    evidence = tmp_path / "offertes.txt"
    evidence.write_text("Offerte A en B zijn identiek.\n")
    reporter.set_input_files("input[name=attachments]", str(evidence))
    _submit(reporter, "Melding versturen")
    receipt = re.sub(r"[^0-9A-Z]", "", reporter.locator("p.intact-receipt").first.inner_text())
    assert len(receipt) == 20
    reporter.check("input[name=saved]")
    _submit(reporter, "Verder naar de postbus")
    assert_no_third_party_requests(reporter, live_url)
    report = Report.objects.get(organisation=org)
    # 2. The recipient acknowledges and asks a question.
    staff = new_page(javascript_enabled=False)
    staff_login(staff, world["handler"])
    staff.goto(f"{live_url}/app/{SLUG}/meldingen/")
    axe_check(staff)
    staff.get_by_role("link", name=report.reference).click()
    staff.wait_for_load_state("load")
    assert "doorgestoken kaart" in staff.content()
    assert "offertes.txt" in staff.content()
    axe_check(staff)
    # The handler identifies the person the reporter named; from then on they see nothing.
    staff.get_by_text("Betrokkene vastleggen").click()
    karel = world["accused"].people.get(organisation=org)
    staff.select_option(f"select#link-person-{report.implicated.get().pk}", str(karel.pk))
    _submit(staff, "Koppelen")
    assert "heeft geen toegang tot de melding" in staff.content()
    _submit(staff, "Ontvangst bevestigen")
    staff.fill("textarea[name=body] >> nth=0", "Van wanneer zijn de offertes?")
    _submit(staff, "Bericht versturen")
    assert "Het bericht staat in de postbus van de melder." in staff.content()
    assert_no_third_party_requests(staff, live_url)

    # 3. The reporter returns with the receipt, reads the question and answers.
    back = new_page(javascript_enabled=False)
    back.goto(f"{live_url}/o/{SLUG}/postbus/")
    back.fill("input[name=receipt]", receipt)
    _submit(back, "Postbus openen")
    content = back.content()
    assert "Van wanneer zijn de offertes?" in content
    assert "Ontvangst bevestigd" in content
    back.fill("textarea[name=body]", "Van maart, beide op dezelfde dag.")
    _submit(back, "Bericht versturen")
    assert "Van maart, beide op dezelfde dag." in back.content()

    # 4. The recipient reads the answer.
    staff.goto(f"{live_url}/app/{SLUG}/meldingen/{report.reference}/")
    assert "Van maart, beide op dezelfde dag." in staff.content()

    # 5. The implicated person and another organisation's coordinator see nothing.
    for user, slug in ((world["accused"], SLUG), (world["foreign"], SLUG), (world["foreign"], "other-e2e")):
        outsider = new_page(javascript_enabled=False)
        staff_login(outsider, user)
        response = outsider.goto(f"{live_url}/app/{slug}/meldingen/{report.reference}/")
        assert response.status == 404
        if slug == SLUG and user is world["accused"]:
            inbox = outsider.goto(f"{live_url}/app/{slug}/meldingen/")
            assert inbox.status == 200 and report.reference not in outsider.content()
