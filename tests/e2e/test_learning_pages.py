"""Browser tests of the learning app: registering an activity and a counsellor
conversation, the counts and the moral manifesto; axe-core clean, valid HTML,
no request to another host."""

import datetime as dt

import pytest

from intact.learning.models import Activity, CaseLawTag, CounsellorConversation
from tests.e2e.conftest import (
    assert_no_csp_violations,
    assert_no_third_party_requests,
    assert_valid_html,
    axe_check,
)
from tests.learning.factories import FacilitatorFactory, MoralCaseFactory
from tests.organisations.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)


def member(organisation, role):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=role)
    PersonFactory(
        organisation=organisation, user=user, first_name=user.first_name, last_name=user.last_name
    )
    return user


@pytest.fixture
def setting(live_url):
    organisation = OrganisationFactory(slug="e2e-leren", name="Provincie Leren")
    UnitFactory(organisation=organisation, name="Bureau Inkoop")
    FacilitatorFactory(organisation=organisation, external_name="Ellen Extern")
    return organisation


def check(page, live_url, response=None):
    if response is not None:
        assert_valid_html(response.text())
    axe_check(page)
    assert_no_csp_violations(page)
    assert_no_third_party_requests(page, live_url)


def test_coordinator_registers_an_activity(page, live_url, staff_login, setting):
    coordinator = member(setting, "coordinator")
    staff_login(page, coordinator)
    base = f"{live_url}/app/{setting.slug}/learning"
    response = page.goto(f"{base}/activities/new/")
    assert response.status == 200
    check(page, live_url, response)
    page.select_option("#id_type", "dilemma_game")
    page.fill("#id_title", "Dilemmaspel Inkoop")
    page.fill("#id_date", dt.date.today().replace(day=1).isoformat())
    page.select_option("#id_unit", label="Bureau Inkoop")
    page.select_option("#id_audience", "department")
    page.fill("#id_audience_detail", "Inkoop")
    page.get_by_label("Ellen Extern").check()
    page.fill("#id_participants", "17")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Dilemmaspel Inkoop"
    assert "Ellen Extern" in page.content()
    check(page, live_url)
    activity = Activity.objects.get(organisation=setting)
    assert activity.participants == 17 and activity.unit.name == "Bureau Inkoop"

    response = page.goto(f"{base}/activities/totals/")
    assert "17" in page.locator("table").inner_text()
    check(page, live_url, response)
    response = page.goto(f"{base}/activities/")
    check(page, live_url, response)

    # A form error is announced and linked to its field.
    page.goto(f"{base}/activities/new/")
    page.fill("#id_title", "Zonder aantal")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() >= 1
    check(page, live_url)
    assert Activity.objects.count() == 1


def test_counsellor_registers_a_conversation(new_page, live_url, staff_login, setting):
    counsellor = member(setting, "counsellor")
    page = new_page()
    staff_login(page, counsellor)
    base = f"{live_url}/app/{setting.slug}/learning"
    response = page.goto(f"{base}/conversations/new/")
    assert response.status == 200
    check(page, live_url, response)
    page.fill("#id_date", dt.date.today().isoformat())
    page.select_option("#id_topic", label="Ongewenste omgangsvormen – Pesten")
    page.select_option("#id_contact_form", "phone")
    page.select_option("#id_follow_up", "referral")
    page.fill("#id_note", "Vervolgafspraak over twee weken")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert "Pesten" in page.locator("table").inner_text()
    check(page, live_url)
    conversation = CounsellorConversation.objects.get(organisation=setting)
    assert (
        conversation.counsellor == counsellor
        and conversation.note == "Vervolgafspraak over twee weken"
    )

    page.get_by_role("link", name=conversation.date.strftime("%-d")).first.click()
    page.wait_for_load_state()
    assert "Vervolgafspraak over twee weken" in page.content()
    check(page, live_url)

    # The coordinator sees the count, not the conversation.
    coordinator_page = new_page()
    staff_login(coordinator_page, member(setting, "coordinator"))
    response = coordinator_page.goto(f"{base}/conversations/counts/")
    assert "Vervolgafspraak" not in coordinator_page.content()
    assert "Ongewenste omgangsvormen" in coordinator_page.locator("table").first.inner_text()
    check(coordinator_page, live_url, response)
    assert coordinator_page.goto(f"{base}/conversations/{conversation.pk}/").status == 404


def test_manifesto_and_case_law_search(page, live_url, staff_login, setting):
    case = MoralCaseFactory(organisation=setting, title="Uitnodiging voor een diner")
    case.tags.set([CaseLawTag.objects.get(organisation=setting, code="independence")])
    staff_login(page, member(setting, "employee"))
    base = f"{live_url}/app/{setting.slug}/learning"
    response = page.goto(f"{base}/manifesto/")
    assert "Onafhankelijkheid" in page.locator("main").inner_text()
    check(page, live_url, response)
    response = page.goto(f"{base}/case-law/?q=diner")
    assert "Uitnodiging voor een diner" in page.locator("main").inner_text()
    check(page, live_url, response)


def test_every_learning_page_is_accessible(new_page, live_url, staff_login, setting):
    """axe-core and the HTML check over every page of the app, for the roles that open them,
    with data on them (one object of each kind) and a form with errors."""
    from tests.learning.factories import ActivityFactory, ConversationFactory

    coordinator = member(setting, "coordinator")
    counsellor = member(setting, "counsellor")
    activity = ActivityFactory(organisation=setting, date=dt.date.today())
    case = MoralCaseFactory(organisation=setting, status="draft")
    conversation = ConversationFactory(
        organisation=setting, counsellor=counsellor, date=dt.date.today(), note="Notitie"
    )
    base = f"/app/{setting.slug}/learning"
    pages = {
        coordinator: [
            "/activities/",
            "/activities/new/",
            f"/activities/{activity.pk}/",
            f"/activities/{activity.pk}/edit/",
            f"/activities/{activity.pk}/delete/",
            "/activities/totals/",
            "/facilitators/",
            "/conversations/counts/",
            "/topics/",
            "/case-law/",
            "/case-law/new/",
            f"/case-law/{case.pk}/",
            f"/case-law/{case.pk}/edit/",
            f"/case-law/{case.pk}/delete/",
            "/case-law/tags/",
            "/manifesto/",
            "/import/",
        ],
        counsellor: [
            "/conversations/",
            "/conversations/new/",
            f"/conversations/{conversation.pk}/",
            f"/conversations/{conversation.pk}/edit/",
            f"/conversations/{conversation.pk}/delete/",
            "/import/",
        ],
    }
    for user, paths in pages.items():
        page = new_page()
        staff_login(page, user)
        for path in paths:
            response = page.goto(live_url + base + path)
            assert response.status == 200, path
            check(page, live_url, response)
        # A form with errors, and the import validation report.
        page.goto(
            live_url + base + ("/case-law/new/" if user == coordinator else "/conversations/new/")
        )
        page.get_by_role("button", name="Opslaan").click()
        page.wait_for_load_state()
        assert page.get_by_role("alert").count() >= 1
        check(page, live_url)
    page = new_page()
    staff_login(page, coordinator)
    page.goto(live_url + base + "/import/")
    page.select_option("#id_kind", "activities")
    page.set_input_files(
        "#id_file",
        files=[{"name": "a.csv", "mimeType": "text/csv", "buffer": b"datum;soort\n2019-13-45;x\n"}],
    )
    page.get_by_role("button", name="Controleren en importeren").click()
    page.wait_for_load_state()
    assert "Validatierapport" in page.content()
    check(page, live_url)
