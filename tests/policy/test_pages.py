"""Staff pages: each opens for its roles, answers 404 for others, and the main flows work by POST (no JavaScript)."""

import datetime as dt

import pytest

from intact.policy import services
from intact.policy.models import InquiryMatter, PlanVersion, VersionStatus
from tests.organisations.factories import UnitFactory
from tests.policy.factories import (
    SECTIONS,
    ActionPointFactory,
    AnnualPlanFactory,
    MeasureFactory,
    PlanVersionFactory,
)

pytestmark = pytest.mark.django_db


def url(org, path):
    return f"/app/{org.slug}/beleid/{path}"


@pytest.fixture
def coordinator(org, make_user):
    return make_user(org, "coordinator")


def test_coordinator_opens_every_page(org, coordinator, login):
    c = login(coordinator)
    version = PlanVersionFactory(plan__organisation=org)
    annual = AnnualPlanFactory(organisation=org)
    measure = MeasureFactory(annual_plan=annual, indicator="activities:dilemma_game")
    action = ActionPointFactory(organisation=org)
    services.frameworks_ensure_builtin()
    from intact.policy.models import Framework

    framework = Framework.objects.get(code="basisnormen")
    assessment = services.assessment_start(actor=coordinator, organisation=org, framework=framework)
    round_ = services.inquiry_round_open(actor=coordinator, organisation=org)
    for path in (
        "plannen/",
        f"versies/{version.pk}/",
        f"versies/{version.pk}/bewerken/",
        "jaarplannen/",
        f"jaarplannen/{annual.pk}/",
        f"jaarplannen/{annual.pk}/maatregel/",
        f"maatregelen/{measure.pk}/",
        f"maatregelen/{measure.pk}/bewerken/",
        "mijn-maatregelen/",
        "normenkaders/",
        f"normenkaders/{framework.pk}/",
        f"zelfevaluaties/{assessment.pk}/",
        f"normen/{assessment.items.first().pk}/",
        "actiepunten/",
        f"actiepunten/{action.pk}/",
        "uitvraag/",
        "uitvraag/instellingen/",
        f"uitvraag/rondes/{round_.pk}/",
        "uitvraag/mijn/",
    ):
        response = c.get(url(org, path))
        assert response.status_code == 200, path
        assert response.content.count(b"<h1") == 1, path
    for fmt, kind in (("pdf", b"%PDF"), ("odt", b"PK"), ("docx", b"PK")):
        response = c.get(url(org, f"versies/{version.pk}/plan.{fmt}"))
        assert response.status_code == 200 and response.content.startswith(kind)
        assert "attachment" in response["Content-Disposition"]


def test_write_and_adopt_a_plan_by_post(org, coordinator, make_user, login, client):
    c = login(coordinator)
    response = c.post(
        url(org, "plannen/"),
        {
            "title": "Integriteitsplan 2026-2029",
            "author": "Coördinator",
            "adopting_body": "Gedeputeerde Staten",
            "term_start": "2026-01-01",
            "term_end": "2029-12-31",
        },
    )
    assert response.status_code == 302
    version = PlanVersion.objects.get()
    data = {
        "author": "Coördinator",
        "adopting_body": "Gedeputeerde Staten",
        "term_start": "2026-01-01",
        "term_end": "2029-12-31",
        **{f"section_{k}": v for k, v in SECTIONS.items()},
    }
    assert c.post(url(org, f"versies/{version.pk}/bewerken/"), data).status_code == 302
    # The coordinator cannot adopt: the adopt URL is not theirs (404).
    assert (
        c.post(
            url(org, f"versies/{version.pk}/vaststellen/"), {"adopted_on": "2026-01-05"}
        ).status_code
        == 404
    )
    c.logout()
    authority = make_user(org, "competent_authority")
    c = login(authority)
    page = c.get(url(org, f"versies/{version.pk}/"))
    assert b"Plan vaststellen" in page.content
    c.post(url(org, f"versies/{version.pk}/vaststellen/"), {"adopted_on": "2026-01-05"})
    version.refresh_from_db()
    assert version.status == VersionStatus.ADOPTED and version.adopted_on == dt.date(2026, 1, 5)


def test_form_errors_are_summarised(org, coordinator, login):
    c = login(coordinator)
    response = c.post(url(org, "plannen/"), {"title": ""})
    assert response.status_code == 200 and b'role="alert"' in response.content


def test_roles_without_access_get_404(org, other_org, make_user, login):
    version = PlanVersionFactory(plan__organisation=org)
    round_ = services.inquiry_round_open(actor=make_user(org, "coordinator"), organisation=org)
    for user, path in (
        (make_user(org, "employee"), f"versies/{version.pk}/"),
        (make_user(org, "technical_admin"), "plannen/"),
        (make_user(org, "manager"), "normenkaders/"),
        (make_user(org, "manager"), f"uitvraag/rondes/{round_.pk}/"),
        (make_user(org, "auditor"), f"versies/{version.pk}/bewerken/"),
        (make_user(other_org, "coordinator"), "plannen/"),
    ):
        assert login(user).get(url(org, path)).status_code == 404, path


def test_auditor_reads_aggregates_without_names(org, coordinator, make_user, login):
    unit = UnitFactory(organisation=org, name="Inkoop")
    manager = make_user(org, "manager", unit=unit)
    manager.first_name, manager.last_name = "Mirjam", "Leidinggevende"
    manager.save()
    round_ = services.inquiry_round_open(actor=coordinator, organisation=org)
    services.inquiry_answer(
        actor=manager,
        request=round_.requests.get(user=manager),
        nothing_to_report=False,
        matters=[{"category": "business_integrity", "description": "Vertrouwelijke zaak"}],
    )
    c = login(make_user(org, "auditor"))
    page = c.get(url(org, f"uitvraag/rondes/{round_.pk}/")).content.decode()
    assert "Inkoop" in page and "Leidinggevende" not in page and "Vertrouwelijke zaak" not in page
    page = login(coordinator).get(url(org, f"uitvraag/rondes/{round_.pk}/")).content.decode()
    assert "Vertrouwelijke zaak" in page


def test_manager_answers_by_post_and_coordinator_registers_a_case(
    org, coordinator, make_user, login
):
    manager = make_user(org, "manager")
    round_ = services.inquiry_round_open(actor=coordinator, organisation=org)
    req = round_.requests.get(user=manager)
    c = login(manager)
    start = c.get(f"/app/{org.slug}/")
    assert f"uitvraag/mijn/{req.pk}/".encode() in start.content
    response = c.post(
        url(org, f"uitvraag/mijn/{req.pk}/"),
        {"category_1": "undesirable_behaviour", "description_1": "Intimidatie aan de balie"},
    )
    assert response.status_code == 302
    matter = InquiryMatter.objects.get()
    c = login(coordinator)
    c.post(url(org, f"uitvraag/rondes/{round_.pk}/"), {"action": "register", "matter": matter.pk})
    matter.refresh_from_db()
    assert matter.case_reference


def test_start_page_section_for_the_coordinator(org, coordinator, login):
    annual = AnnualPlanFactory(organisation=org, year=dt.date.today().year)
    MeasureFactory(
        annual_plan=annual,
        target_value=100,
        start_on=dt.date(annual.year, 1, 1),
        end_on=dt.date(annual.year, 1, 2),
    )
    ActionPointFactory(organisation=org)
    from django.template.loader import render_to_string

    from intact.policy import selectors

    sections = selectors.start_sections(coordinator, org)
    assert [str(s["title"]) for s in sections] == ["Integriteitsbeleid"]
    html = render_to_string(sections[0]["template"], {"ctx": sections[0]["context"]})
    assert "1 maatregel achter op schema" in html and "1 open actiepunt" in html


def test_start_page_shows_the_competent_authority_a_draft_to_adopt(
    org, coordinator, make_user, login
):
    services.plan_create(actor=coordinator, organisation=org, title="Plan")
    page = login(make_user(org, "competent_authority")).get(f"/app/{org.slug}/").content.decode()
    assert "1 conceptversie in bewerking" in page and "/beleid/plannen/" in page
    page = login(make_user(org, "employee")).get(f"/app/{org.slug}/").content.decode()
    assert "/beleid/plannen/" not in page
