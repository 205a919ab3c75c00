"""Browser tests of the policy cycle: writing and adopting a plan, a self-assessment,
and an inquiry round (answered by a manager, registered as a case); axe-core clean,
valid HTML, no request to another host."""

import datetime as dt

import pytest

from intact.policy import services
from intact.policy.models import InquiryMatter, PlanVersion, RequirementAssessment, VersionStatus
from tests.e2e.conftest import (
    assert_no_csp_violations,
    assert_no_third_party_requests,
    assert_valid_html,
    axe_check,
)
from tests.organisations.factories import (
    IntegrityOrganFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)
from tests.policy.factories import SECTIONS


def member(organisation, role, unit=None):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=role, unit=unit)
    PersonFactory(
        organisation=organisation,
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        unit=unit,
    )
    return user


@pytest.fixture
def setting(live_url):
    return OrganisationFactory(slug="e2e-beleid", name="Provincie Beleid")


def check(page, live_url, response=None):
    if response is not None:
        assert_valid_html(response.text())
    axe_check(page)
    assert_no_csp_violations(page)
    assert_no_third_party_requests(page, live_url)


def test_write_and_adopt_a_plan(page, live_url, staff_login, setting):
    coordinator = member(setting, "coordinator")
    authority = member(setting, "competent_authority")
    base = f"{live_url}/app/{setting.slug}/beleid"
    staff_login(page, coordinator)
    response = page.goto(f"{base}/plannen/")
    check(page, live_url, response)
    page.fill("#id_title", "Integriteitsplan 2026-2029")
    page.fill("#id_author", "Integriteitscoördinator")
    page.fill("#id_adopting_body", "Gedeputeerde Staten")
    page.fill("#id_term_start", "2026-01-01")
    page.fill("#id_term_end", "2029-12-31")
    page.click("main button[type=submit]")
    page.wait_for_url("**/bewerken/")
    check(page, live_url)
    for code, text in SECTIONS.items():
        page.fill(f"#id_section_{code}", text)
    page.click("main button[type=submit]")
    page.wait_for_url("**/versies/*/")
    check(page, live_url)
    assert page.locator("h2", has_text="1. Missie en visie").count() == 1
    version = PlanVersion.objects.get()
    assert version.sections["resources"] == SECTIONS["resources"]

    page.context.clear_cookies()
    staff_login(page, authority)
    response = page.goto(f"{base}/versies/{version.pk}/")
    check(page, live_url, response)
    page.fill("#id_adopted_on", dt.date.today().isoformat())
    page.click("text=Plan vaststellen")
    page.wait_for_load_state()
    check(page, live_url)
    version.refresh_from_db()
    assert version.status == VersionStatus.ADOPTED and version.adopted_by == authority
    assert page.locator("text=Vastgesteld").count() >= 1
    with page.expect_download() as download:
        page.click("text=Download DOCX")
    assert download.value.suggested_filename.endswith(".docx")


def test_self_assessment(page, live_url, staff_login, setting):
    coordinator = member(setting, "coordinator")
    IntegrityOrganFactory(organisation=setting, kind="counsellor", name="Vertrouwenspersoon")
    services.frameworks_ensure_builtin()
    base = f"{live_url}/app/{setting.slug}/beleid"
    staff_login(page, coordinator)
    response = page.goto(f"{base}/normenkaders/")
    check(page, live_url, response)
    page.click("text=Modelaanpak Basisnormen Integriteit")
    check(page, live_url)
    page.click("text=Zelfevaluatie starten")
    page.wait_for_url("**/zelfevaluaties/*/")
    check(page, live_url)
    page.click("text=12 Vertrouwenspersoon")
    check(page, live_url)
    assert page.locator("#id_status").input_value() == "met"  # Intact's proposal preselected
    page.select_option("#id_status", "partly")
    page.fill("#id_evidence", "Alleen een externe vertrouwenspersoon")
    page.click("text=Opslaan en actiepunt maken")
    page.wait_for_url("**/actiepunten/**")
    check(page, live_url)
    page.fill("#id_due_on", (dt.date.today() + dt.timedelta(days=90)).isoformat())
    page.click("text=Actiepunt toevoegen")
    page.wait_for_load_state()
    item = RequirementAssessment.objects.get(
        requirement__ref_id="12", assessment__organisation=setting
    )
    assert item.status == "partly" and item.action_points.count() == 1
    response = page.goto(f"{base}/normenkaders/")
    assert page.locator("table").first.inner_text().count("1") >= 1


def test_inquiry_round(page, live_url, staff_login, setting):
    unit = UnitFactory(organisation=setting, name="Inkoop")
    coordinator = member(setting, "coordinator")
    manager = member(setting, "manager", unit=unit)
    member(setting, "counsellor")
    base = f"{live_url}/app/{setting.slug}/beleid"
    staff_login(page, coordinator)
    response = page.goto(f"{base}/uitvraag/")
    check(page, live_url, response)
    page.click("text=Uitvraag versturen")
    page.wait_for_url("**/uitvraag/rondes/*/")
    check(page, live_url)
    assert "0 van 2 beantwoord" in page.inner_text("main")

    page.context.clear_cookies()
    staff_login(page, manager)
    response = page.goto(f"{live_url}/app/{setting.slug}/")
    page.click("text=beantwoorden")
    check(page, live_url)
    page.select_option("#id_category_1", "undesirable_behaviour")
    page.fill("#id_description_1", "Een bezoeker intimideerde een collega aan de balie.")
    page.click("text=Antwoord versturen")
    page.wait_for_url("**/uitvraag/mijn/")
    check(page, live_url)

    page.context.clear_cookies()
    staff_login(page, coordinator)
    round_pk = InquiryMatter.objects.get().request.round_id
    response = page.goto(f"{base}/uitvraag/rondes/{round_pk}/")
    check(page, live_url, response)
    assert "1 van 2 beantwoord" in page.inner_text("main")
    page.click("text=Registreren als zaak")
    page.wait_for_load_state()
    check(page, live_url)
    assert InquiryMatter.objects.get().case_reference
