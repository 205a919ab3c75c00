"""The main case journey in a browser (JavaScript off), axe-clean case pages (issue 4, point 8).

Report in (``report_submit``) -> open the case -> declaration -> triage ->
decision to investigate -> hearing of both sides -> findings -> measure ->
victim care -> closure -> the reporter reads the outcome in the mailbox.
The person accused and another organisation's coordinator get 404.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from intact.cases.models import Case
from intact.organisations.models import Role
from intact.reporting import services as reporting_services
from intact.reporting.models import Report
from tests.e2e.conftest import assert_no_third_party_requests, assert_valid_html, axe_check
from tests.organisations.factories import OrganisationFactory

SLUG = "zaak-e2e"


@pytest.fixture
def world(transactional_db, make_user):
    org = OrganisationFactory(slug=SLUG, name="Provincie Zaakland")
    other = OrganisationFactory(slug="elders-zaak", name="Stichting Elders", kind="ngo")
    accused = make_user(org, Role.EMPLOYEE, username="beschuldigde-e2e")
    return {
        "org": org,
        "coordinator": make_user(org, Role.COORDINATOR, username="coordinator-e2e"),
        "accused": accused,
        "foreign": make_user(other, Role.COORDINATOR, username="elders-zaak-e2e"),
    }


def _click(page, name):
    page.get_by_role("button", name=name, exact=True).first.click()
    page.wait_for_load_state("load")


def _check_page(page):
    assert_valid_html(page.content())
    axe_check(page)


def test_case_journey(world, live_url, new_page, staff_login):
    org = world["org"]
    report, receipt = reporting_services.report_submit(
        organisation=org,
        report_type="business_integrity",
        anonymity="anonymous",
        answers={"what": "Declaraties van reiskosten worden dubbel ingediend."},
        implicated=[world["accused"].people.get()],
    )
    reporting_services.report_take_into_handling(report=report, user=world["coordinator"])

    staff = new_page(javascript_enabled=False)
    staff_login(staff, world["coordinator"])
    staff.goto(f"{live_url}/app/{SLUG}/zaken/")
    _check_page(staff)
    _click(staff, f"Zaak openen voor {report.reference}")
    case = Case.objects.get(report=report)

    # Joining needs the conflict-of-interest declaration.
    assert "Verklaring over belangenverstrengeling" in staff.content()
    _check_page(staff)
    staff.check("input[name=has_conflict][value=no]")
    _click(staff, "Verklaring afleggen")
    assert "Declaraties van reiskosten" in staff.content()
    _check_page(staff)

    # Triage.
    staff.get_by_role("link", name="Triage vastleggen").click()
    staff.wait_for_load_state("load")
    staff.select_option("select[name=c_nature]", "fraud_corruption")
    staff.fill("textarea[name=motivation]", "Vermoeden van fraude met declaraties.")
    _click(staff, "Ernst berekenen")
    assert "Berekende ernst: Hoog" in staff.content()
    _check_page(staff)
    _click(staff, "Triage vastleggen")
    while staff.get_by_role("button", name="Gedaan:").count():
        staff.get_by_role("button", name="Gedaan:").first.click()
        staff.wait_for_load_state("load")
    _click(staff, "Triage afronden")

    # A disallowed step is not offered; the decision to investigate informs the reporter.
    assert staff.get_by_role("button", name="Zaak afsluiten").count() == 0
    staff.check("input[name=decision-decision][value=investigate]")
    staff.fill("textarea[name=decision-motivation]", "Redelijke gronden.")
    staff.fill(
        "textarea[name=decision-message_to_reporter]",
        "Wij stellen een onderzoek in naar uw melding.",
    )
    _click(staff, "Besluit vastleggen")
    staff.get_by_text("Onderzoek toewijzen en plan").click()
    staff.select_option("select[name=assignment-assignment]", "audit_unit")
    staff.fill("textarea[name=assignment-plan]", "Declaraties en gesprekken.")
    _click(staff, "Toewijzing vastleggen")
    _click(staff, "Onderzoek starten")

    # Hearing both sides: the accused responds to the record; the reporter waives.
    today = timezone.localdate().isoformat()
    accused_party = case.parties.get(role="accused")
    reporter_party = case.parties.get(role="reporter")
    for party, record in (
        (accused_party, "Betrokkene erkent twee declaraties."),
        (reporter_party, "Melder licht de documenten toe."),
    ):
        staff.select_option("select[name=hearing-party]", str(party.pk))
        staff.fill("input[name=hearing-held_on]", today)
        staff.fill("textarea[name=hearing-record]", record)
        _click(staff, "Hoorverslag vastleggen")
    hearings = list(case.hearings.order_by("pk"))
    staff.fill(f"#response-{hearings[0].pk}", "Ik was mij niet bewust van de regel.")
    staff.get_by_role("button", name="Reactie vastleggen").first.click()
    staff.wait_for_load_state("load")
    staff.check(f"#waived-{hearings[1].pk}")
    _click(staff, "Reactie vastleggen")
    _check_page(staff)

    # Findings and conclusion.
    staff.get_by_text("Bevindingen vastleggen").first.click()
    staff.fill("textarea[name=findings-findings]", "Twee declaraties zijn dubbel ingediend.")
    staff.check("input[name=findings-conclusion][value=founded]")
    _click(staff, "Bevindingen vastleggen")
    _click(staff, "Onderzoek afronden")

    # Measure and victim care.
    staff.get_by_text("Maatregel vastleggen").first.click()
    staff.select_option("select[name=measure-measure_type]", label="Schriftelijke waarschuwing")
    _click(staff, "Maatregel vastleggen")
    staff.get_by_text("Zorgmaatregel toevoegen").first.click()
    staff.fill("textarea[name=care-description]", "Nazorggesprek met het team.")
    _click(staff, "Zorgmaatregel toevoegen")
    _click(staff, "Zorgmaatregel afgerond")

    # Closing is refused until the reporter has had feedback; the page says why.
    assert "Stuur eerst de terugkoppeling aan de melder." in staff.content()
    staff.get_by_text("Terugkoppeling versturen").first.click()
    staff.fill(
        "textarea[name=feedback-body]", "Uw melding was gegrond; er is een maatregel genomen."
    )
    _click(staff, "Terugkoppeling versturen")
    _click(staff, "Zaak afsluiten")
    case.refresh_from_db()
    assert case.status == "closed" and case.retention_due is not None
    assert "Tijdlijn" in staff.content() and "Status:" in staff.content()
    _check_page(staff)
    assert_no_third_party_requests(staff, live_url)

    # The reporter reads the outcome in the mailbox.
    reporter = new_page(javascript_enabled=False)
    reporter.goto(f"{live_url}/o/{SLUG}/postbus/")
    reporter.fill("input[name=receipt]", receipt)
    _click(reporter, "Postbus openen")
    content = reporter.content()
    assert "Wij stellen een onderzoek in naar uw melding." in content
    assert "Uw melding was gegrond; er is een maatregel genomen." in content
    assert Report.objects.get(pk=report.pk).status == "closed"

    # The accused and another organisation's coordinator see nothing.
    for user in (world["accused"], world["foreign"]):
        outsider = new_page(javascript_enabled=False)
        staff_login(outsider, user)
        assert outsider.goto(f"{live_url}/app/{SLUG}/zaken/{case.reference}/").status == 404
