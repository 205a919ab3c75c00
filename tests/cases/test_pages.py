"""The staff pages: list, register, open from a report, triage, actions, categories, start page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from intact.cases import services
from intact.cases.models import Case, TriageAction
from intact.organisations.models import Role
from intact.reporting import services as reporting_services
from tests.cases.factories import TRIAGE_HIGH, open_case
from tests.reporting.factories import make_report

pytestmark = pytest.mark.django_db


def url(name, case=None, **kw):
    if case is not None:
        kw.update(org=case.organisation.slug, ref=case.reference)
    return reverse(f"cases:{name}", kwargs=kw)


def test_open_a_case_for_a_report_in_handling_from_the_list(org, coordinator, login):
    report, _ = make_report(org)
    reporting_services.report_access_grant(report=report, user=coordinator, reason="test")
    reporting_services.report_take_into_handling(report=report, user=coordinator)
    c = login(coordinator)
    page = c.get(url("list", org=org.slug)).content.decode()
    assert report.reference in page
    response = c.post(url("open", org=org.slug, report_ref=report.reference))
    case = Case.objects.get(report=report)
    assert response.status_code == 302 and response["Location"].endswith(
        f"/zaken/{case.reference}/"
    )
    # The opener must declare first.
    assert "Verklaring" in c.get(response["Location"]).content.decode()


def test_open_needs_access_to_the_report(org, authority, login):
    report, _ = make_report(org, report_type="business_integrity")
    assert (
        login(authority).post(url("open", org=org.slug, report_ref=report.reference)).status_code
        == 404
    )


def test_register_by_hand(org, coordinator, login):
    c = login(coordinator)
    assert c.get(url("register", org=org.slug)).status_code == 200
    bad = c.post(url("register", org=org.slug), {"origin": "before_intact"})
    assert bad.status_code == 200 and "utrecht-form-field-error-message" in bad.content.decode()
    assert not Case.objects.exists()
    ok = c.post(
        url("register", org=org.slug),
        {
            "origin": "periodic_inquiry",
            "report_type": "undesirable_behaviour",
            "received_on": "2026-03-01",
            "description": "Verbale agressie naar een externe relatie",
            "commissioning_authority": "Bureauhoofd",
            "accused": "Medewerker X",
        },
    )
    case = Case.objects.get()
    assert (
        ok.status_code == 302
        and case.origin == "periodic_inquiry"
        and case.reference.startswith("Z-2026-")
    )
    assert case.parties.get().role == "accused"


def test_triage_page_previews_and_records(org, coordinator, login):
    case, _ = open_case(org, coordinator)
    c = login(coordinator)
    data = {
        "c_nature": "fraud_corruption",
        "c_harm": "limited",
        "motivation": "Fraude met declaraties",
    }
    preview = c.post(url("triage", case), {**data, "preview": "1"})
    assert preview.status_code == 200 and "Hoog" in preview.content.decode()
    assert not case.triages.exists()
    done = c.post(url("triage", case), data)
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.severity == "high"
    assert set(case.actions.values_list("key", flat=True)) >= {"inform_director", "inform_board"}
    missing = c.post(url("triage", case), {"c_nature": "fraud_corruption"})
    assert missing.status_code == 400


def test_retriage_keeps_history_and_lapses_actions_no_longer_required(org, coordinator):
    case, _ = open_case(org, coordinator)
    services.triage_record(
        case=case, user=coordinator, answers={"nature": "violence_crime"}, motivation="Eerst"
    )
    assert case.actions.filter(key="police_report", status="open").exists()
    services.triage_record(
        case=case, user=coordinator, answers={"nature": "norm_breach"}, motivation="Bleek licht"
    )
    assert case.triages.count() == 2 and case.triages.filter(is_current=True).count() == 1
    assert case.actions.get(key="police_report").status == "cancelled"
    assert Case.objects.get(pk=case.pk).severity == "low"


def test_disallowed_transition_on_the_page_shows_the_reason(org, coordinator, login):
    case, _ = open_case(org, coordinator)
    response = login(coordinator).post(
        url("action", case, action="transition"), {"target": "closed"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert 'role="alert"' in page and "niet toegestaan" in page


def test_action_form_errors_rerender_with_a_message(org, coordinator, login):
    case, _ = open_case(org, coordinator)
    response = login(coordinator).post(
        url("action", case, action="decision"), {"decision-decision": "investigate"}
    )
    assert response.status_code == 400
    assert "Het formulier bevat fouten" in response.content.decode()


def test_decision_informs_the_reporter_through_the_mailbox(org, coordinator, login):
    case, _ = open_case(org, coordinator)
    c = login(coordinator)
    response = c.post(
        url("action", case, action="decision"),
        {
            "decision-decision": "investigate",
            "decision-motivation": "Redelijke gronden",
            "decision-message_to_reporter": "We gaan uw melding onderzoeken.",
        },
    )
    assert response.status_code == 302
    from intact.reporting import selectors as reporting_selectors

    bodies = [m.body for m in reporting_selectors.mailbox_messages(report=case.report)]
    assert "We gaan uw melding onderzoeken." in bodies
    assert "Redelijke gronden" not in bodies


def test_overdue_actions_show_on_the_start_page(org, coordinator, login):
    case, _ = open_case(org, coordinator)
    services.triage_record(case=case, user=coordinator, answers=TRIAGE_HIGH, motivation="m")
    TriageAction.objects.filter(case=case, key="inform_board").update(
        due_at=timezone.now() - dt.timedelta(hours=1)
    )
    from django.template.loader import render_to_string

    from intact.cases.selectors import start_sections

    [section] = start_sections(coordinator, org)
    page = render_to_string(section["template"], {"ctx": section["context"]})
    assert "Verlopen acties uit de triage" in page and case.reference in page
    overdue = login(coordinator).get(url("list", org=org.slug) + "?overdue=on").content.decode()
    assert case.reference in overdue


def test_categories_page_adds_and_switches_off(org, coordinator, login):
    c = login(coordinator)
    assert "pesten" in c.get(url("categories", org=org.slug)).content.decode()
    response = c.post(
        url("categories", org=org.slug),
        {
            "code": "bibob",
            "standard": "other",
            "name_nl": "Bibob-signaal",
            "name_en": "Bibob signal",
        },
    )
    assert response.status_code == 302
    from intact.cases.models import Category

    category = Category.objects.get(organisation=org, code="bibob")
    c.post(url("categories", org=org.slug), {"toggle": category.pk})
    category.refresh_from_db()
    assert category.active is False


def test_case_page_renders_every_section_for_the_team(org, coordinator, make_user, login):
    accused = make_user(org, Role.EMPLOYEE, username="acc-page")
    case, _ = open_case(org, coordinator, implicated=[accused.people.get()])
    page = login(coordinator).get(url("detail", case))
    html = page.content.decode()
    for heading in (
        "Wat nu",
        "Classificatie en triage",
        "Partijen",
        "Hoor en wederhoor",
        "Tijdlijn",
        "Openbare samenvatting voor het jaarverslag",
    ):
        assert heading in html
    assert accused.people.get().full_name in html


def test_case_page_in_english(org, coordinator, login):
    case, _ = open_case(org, coordinator)
    html = login(coordinator).get(url("detail", case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What next" in html and "Hearing both sides" in html and "Triage" in html


def test_english_translation_is_complete():
    from pathlib import Path

    import intact.cases

    po = (Path(intact.cases.__file__).parent / "locale/en/LC_MESSAGES/django.po").read_text(
        encoding="utf-8"
    )
    assert "#, fuzzy" not in po
    blocks = [b for b in po.split("\n\n") if 'msgid ""\nmsgstr ""' not in b and "msgid " in b]
    empty = [b for b in blocks if '\nmsgstr ""' in b and '\n"' not in b.split("msgstr", 1)[1]]
    assert not empty, empty[:3]


def test_rules_page_shows_the_table_and_stores_a_new_version(org, coordinator, login):
    import yaml

    from intact.cases import config
    from intact.cases.models import CaseConfig

    c = login(coordinator)
    page = c.get(url("rules", org=org.slug)).content.decode()
    assert "Onderzoek starten" in page and "Ministerie van Buitenlandse Zaken" in page
    instrument = config.defaults("triage")
    for action in instrument["actions"]:
        if action["key"] == "inform_board":
            action["term_hours"] = 12
    response = c.post(
        url("rules", org=org.slug),
        {
            "which": "triage",
            "triage-name": "triage",
            "triage-definition": yaml.safe_dump(instrument),
            "triage-note": "Bestuur sneller informeren",
        },
    )
    assert response.status_code == 302
    row = CaseConfig.objects.get(organisation=org, name="triage")
    assert row.version == 1 and row.is_current
    case, _ = open_case(org, coordinator)
    services.triage_record(case=case, user=coordinator, answers=TRIAGE_HIGH, motivation="m")
    assert case.actions.get(key="inform_board").term_hours == 12
    bad = c.post(
        url("rules", org=org.slug),
        {
            "which": "triage",
            "triage-name": "triage",
            "triage-definition": "levels: [low]\nactions:\n  - {key: x}\n",
        },
    )
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()
    assert CaseConfig.objects.filter(organisation=org, name="triage").count() == 1
    assert login(coordinator).get(url("rules", org=org.slug)).status_code == 200
