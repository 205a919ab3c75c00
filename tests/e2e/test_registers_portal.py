"""Browser tests of the registers: the employee portal (declare an outside activity,
acknowledge the code) and the manager's assessment; every register page axe-core
clean, valid HTML, no CSP violation and nothing requested from another host."""

import datetime as dt

import pytest

from intact.registers import services
from intact.registers.models import CodeAcknowledgement, OutsideActivity
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
    UnitFactory,
    UserFactory,
)
from tests.registers.factories import CodeVersionFactory


def member(organisation, role, *, unit=None, person_unit=None, **person):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=role, unit=unit)
    PersonFactory(
        organisation=organisation,
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        unit=person_unit,
        **person,
    )
    return user


@pytest.fixture
def setting(live_url):
    organisation = OrganisationFactory(slug="e2e-registers", name="Provincie Registerland")
    unit = UnitFactory(organisation=organisation, name="Wegen")
    CodeVersionFactory(
        organisation=organisation,
        title="Gedragscode Registerland",
        version="2026.1",
        adopted_on=dt.date(2026, 1, 1),
    )
    return organisation, unit


def check(page, live_url, response=None):
    if response is not None:
        assert_valid_html(response.text())
    axe_check(page)
    assert_no_csp_violations(page)
    assert_no_third_party_requests(page, live_url)


def test_employee_declares_an_activity_and_acknowledges_the_code(
    page, live_url, staff_login, setting
):
    organisation, unit = setting
    employee = member(organisation, "employee", person_unit=unit, position="Wegbeheerder")
    staff_login(page, employee)
    base = f"{live_url}/app/{organisation.slug}/mijn-integriteit/"
    response = page.goto(base)
    assert response.status == 200
    check(page, live_url, response)
    assert (
        page.get_by_role("link", name="Een melding doen").get_attribute("href")
        == f"/o/{organisation.slug}/melden/"
    )

    # acknowledge the code
    page.get_by_label("Ik heb de gedragscode gelezen en onderschrijf haar.").check()
    page.get_by_role("button", name="Gedragscode onderschrijven").click()
    page.wait_for_load_state()
    assert "U hebt versie 2026.1 onderschreven" in page.locator("main").inner_text()
    assert CodeAcknowledgement.objects.filter(person__user=employee).count() == 1
    check(page, live_url)

    # declare an outside activity; first with a missing explanation
    page.get_by_role("link", name="Nevenwerkzaamheid melden").click()
    page.wait_for_load_state()
    check(page, live_url)
    page.fill("#id_description", "Adviseur verkeersveiligheid")
    page.fill("#id_for_whom", "Adviesbureau Veilig")
    page.fill("#id_hours_per_month", "6")
    page.get_by_label("Ja").first.check()
    page.locator("#id_conflict_possible_1").check()
    page.get_by_role("button", name="Melden").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() >= 1
    check(page, live_url)
    assert not OutsideActivity.objects.exists()
    page.fill("#id_conflict_explanation", "Het bureau werkt soms voor de provincie")
    page.get_by_role("button", name="Melden").click()
    page.wait_for_load_state()
    assert "Adviseur verkeersveiligheid" in page.locator("main").inner_text()
    check(page, live_url)
    activity = OutsideActivity.objects.get()
    assert activity.status == "declared" and activity.paid and activity.conflict_possible


def test_manager_assesses_an_activity(new_page, live_url, staff_login, setting):
    organisation, unit = setting
    employee = member(organisation, "employee", person_unit=unit)
    manager = member(organisation, "manager", unit=unit, person_unit=unit)
    person = employee.people.get()
    activity = services.activity_declare(
        actor=employee,
        person=person,
        description="Trainer jeugdteam",
        for_whom="Voetbalclub",
        hours_per_month=8,
        paid=False,
        conflict_possible=False,
    )
    page = new_page()
    staff_login(page, manager)
    response = page.goto(
        f"{live_url}/app/{organisation.slug}/registers/outside-activities/?status=declared"
    )
    check(page, live_url, response)
    page.get_by_role("link", name=person.full_name).click()
    page.wait_for_load_state()
    check(page, live_url)
    page.get_by_label("Toegestaan onder voorwaarden").check()
    page.get_by_role("button", name="Oordeel vastleggen").click()  # no reasons, no conditions
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() >= 1
    check(page, live_url)
    page.get_by_label("Toegestaan onder voorwaarden").check()
    page.fill("#id_conditions", "Buiten werktijd")
    page.fill("#id_reasons", "Geen raakvlak met de functie")
    page.get_by_role("button", name="Oordeel vastleggen").click()
    page.wait_for_load_state()
    activity.refresh_from_db()
    assert activity.status == "allowed_with_conditions" and activity.conditions == "Buiten werktijd"
    check(page, live_url)

    # the employee sees the outcome in the portal
    employee_page = new_page()
    staff_login(employee_page, employee)
    employee_page.goto(f"{live_url}/app/{organisation.slug}/mijn-integriteit/")
    assert (
        "Toegestaan onder voorwaarden: Buiten werktijd"
        in employee_page.locator("main").inner_text()
    )


def test_coordinator_register_pages_are_accessible(page, live_url, staff_login, setting):
    organisation, unit = setting
    coordinator = member(
        organisation, "coordinator", person_unit=unit, position="Integriteitscoördinator"
    )
    senior = member(
        organisation, "employee", person_unit=unit, position="Directeur", salary_scale=15
    )
    person = senior.people.get()
    activity = services.activity_declare(
        actor=senior,
        person=person,
        description="Lid raad van toezicht",
        for_whom="Museum",
        hours_per_month=2,
        paid=True,
        conflict_possible=False,
    )
    services.activity_assess(actor=coordinator, activity=activity, outcome="allowed", reasons="ok")
    services.gift_declare(
        actor=senior,
        person=person,
        kind="gift",
        giver="Aannemer",
        occasion="Kerst",
        estimated_value="90",
        received_on=dt.date(2026, 1, 2),
    )
    staff_login(page, coordinator)
    base = f"{live_url}/app/{organisation.slug}/registers/"
    for path in [
        "",
        "oaths/",
        "oaths/ceremony/",
        "code-of-conduct/",
        "code-of-conduct/new/",
        "outside-activities/",
        "financial-interests/",
        "gifts/",
        "vulnerable-positions/",
        "vulnerable-positions/new/",
        "screening/",
        "screening/profiles/new/",
        "settings/",
        "import/",
    ]:
        response = page.goto(base + path)
        assert response.status == 200, path
        check(page, live_url, response)

    # the import page: a wrong file gets a report, nothing imported
    page.goto(base + "import/")
    page.select_option("#id_register", "oath")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "eden.csv",
                "mimeType": "text/csv",
                "buffer": b"personeelsnummer;vorm;datum\nX1;eed;morgen\n",
            }
        ],
    )
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state()
    assert "C (datum)" in page.get_by_role("alert").first.inner_text()
    check(page, live_url)

    # the public integrity page shows the senior's activity
    response = page.goto(f"{live_url}/o/{organisation.slug}/integriteit/")
    assert "Lid raad van toezicht" in page.locator("main").inner_text()
    check(page, live_url, response)
