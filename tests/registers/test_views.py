"""The pages end to end (without a browser): portal, declarations, assessment, ceremony, public page."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from intact.registers import services
from intact.registers.models import (
    CodeAcknowledgement,
    Commitment,
    GiftDeclaration,
    OutsideActivity,
)
from intact.security.models import AuditEntry
from tests.registers.factories import CodeVersionFactory

pytestmark = pytest.mark.django_db


def url(name, world, **kw):
    return reverse(f"registers:{name}", kwargs={"org": world.org.slug, **kw})


def test_portal_shows_obligations_and_where_to_report(world, login):
    CodeVersionFactory(organisation=world.org, version="2025.1", adopted_on=dt.date(2025, 1, 1))
    response = login(world.employee).get(url("portal", world))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Eed of belofte" in body and "Te laat" in body
    assert "Gedragscode onderschrijven" in body
    assert f"/o/{world.org.slug}/melden/" in body


def test_employee_declares_an_activity_and_the_manager_assesses_it(world, login):
    c = login(world.employee)
    bad = c.post(
        url("activity_declare", world),
        {
            "description": "Adviseur",
            "for_whom": "BV",
            "hours_per_month": "4",
            "paid": "yes",
            "conflict_possible": "yes",
            "conflict_explanation": "",
        },
    )
    assert bad.status_code == 200 and 'role="alert"' in bad.content.decode()
    assert not OutsideActivity.objects.exists()
    ok = c.post(
        url("activity_declare", world),
        {
            "description": "Adviseur",
            "for_whom": "BV",
            "hours_per_month": "4",
            "paid": "yes",
            "conflict_possible": "yes",
            "conflict_explanation": "Leverancier",
        },
    )
    assert ok.status_code == 302
    activity = OutsideActivity.objects.get()
    assert activity.person == world.employee_p and activity.conflict_explanation == "Leverancier"

    m = login(world.manager)
    assert "Adviseur" in m.get(url("activities", world) + "?status=declared").content.decode()
    page = m.post(
        url("activity_detail", world, pk=activity.pk), {"outcome": "refused", "reasons": ""}
    )
    assert page.status_code == 200
    done = m.post(
        url("activity_detail", world, pk=activity.pk),
        {"outcome": "refused", "reasons": "Klant van de afdeling"},
    )
    assert done.status_code == 302
    activity.refresh_from_db()
    assert activity.status == "refused" and activity.reasons == "Klant van de afdeling"
    assert "Niet toegestaan" in login(world.employee).get(url("portal", world)).content.decode()


def test_acknowledge_the_current_code(world, login):
    code = CodeVersionFactory(organisation=world.org, adopted_on=dt.date(2025, 1, 1))
    c = login(world.employee)
    c.post(url("code_acknowledge", world), {"version": code.pk})  # box not ticked
    assert not CodeAcknowledgement.objects.exists()
    c.post(url("code_acknowledge", world), {"version": code.pk, "confirm": "yes"})
    assert CodeAcknowledgement.objects.get().person == world.employee_p
    assert AuditEntry.objects.filter(action="registers.code.acknowledge").count() == 1


def test_gift_declaration_and_decision(world, login):
    c = login(world.employee)
    c.post(
        url("gift_declare", world),
        {
            "kind": "gift",
            "giver": "Bureau X",
            "occasion": "Afscheid",
            "estimated_value": "120",
            "received_on": "2025-06-01",
        },
    )
    gift = GiftDeclaration.objects.get()
    assert gift.needs_approval and gift.decision == "pending"
    m = login(world.manager)
    m.post(
        url("gift_detail", world, pk=gift.pk), {"decision": "hand_in", "note": "Naar de verloting"}
    )
    gift.refresh_from_db()
    assert gift.decision == "hand_in"


def test_financial_declaration_and_review(world, login):
    services.designation_create(actor=None, organisation=world.org, position="Beleidsmedewerker")
    c = login(world.employee)
    assert "Financiële belangen melden voor" in c.get(url("portal", world)).content.decode()
    c.post(url("financial_declare", world), {"kind": "securities", "details": "Aankoop aandelen"})
    decl = world.employee_p.financial_declarations.get()
    k = login(world.coordinator)
    k.post(
        url("financial_detail", world, pk=decl.pk),
        {"status": "measures", "note": "Verkopen binnen 3 maanden"},
    )
    decl.refresh_from_db()
    assert decl.status == "measures"


def test_ceremony_page_registers_many_at_once(world, login):
    c = login(world.coordinator)
    response = c.post(
        url("oath_ceremony", world),
        {
            "people": [world.employee_p.pk, world.colleague_p.pk],
            "oath_form": "oath",
            "taken_on": "2025-03-01",
            "sworn_before": "Secretaris",
            "witness": "Leidinggevende",
        },
    )
    assert response.status_code == 302
    assert (
        Commitment.objects.filter(taken_on=dt.date(2025, 3, 1), witness="Leidinggevende").count()
        == 2
    )
    rows = c.get(url("oaths", world) + "?state=taken").content.decode()
    assert world.employee_p.last_name in rows


def test_vulnerable_and_screening_pages(world, login):
    c = login(world.coordinator)
    c.post(
        url("vulnerable_new", world),
        {
            "unit": world.unit_b.pk,
            "position": "Inkoper",
            "risk": "Leveranciers",
            "measures": ["four_eyes"],
            "assessed_on": "2025-01-01",
            "review_on": "2026-01-01",
        },
    )
    world.colleague_p.refresh_from_db()
    assert world.colleague_p.vulnerable_position
    c.post(
        url("screening_profile_new", world),
        {
            "name": "Inkoop",
            "checks": ["vog", "references"],
            "positions": "Inkoper",
            "rescreen_months": "36",
        },
    )
    from intact.registers.models import ScreeningCheck, ScreeningProfile

    profile = ScreeningProfile.objects.get(name="Inkoop")
    page = url("screening_person", world, pk=world.colleague_p.pk)
    # the profile for the person's position is proposed
    assert c.get(page).context["start_form"].initial["profile"] == profile
    c.post(page, {"start": "1", "start-profile": profile.pk})
    check = ScreeningCheck.objects.get(person=world.colleague_p, kind="vog")
    c.post(
        page,
        {
            "check": "1",
            "check_id": check.pk,
            "check-status": "passed",
            "check-completed_on": "2025-02-01",
        },
    )
    check.refresh_from_db()
    assert check.status == "passed" and check.rescreen_on == dt.date(2028, 2, 1)


def test_public_integrity_page_lists_published_activities(world, client):
    senior = services.activity_declare(
        actor=None,
        person=world.manager_p,
        description="Lid raad van toezicht",
        for_whom="Zorginstelling",
        hours_per_month=2,
        paid=True,
        conflict_possible=False,
    )
    services.activity_assess(
        actor=world.coordinator, activity=senior, outcome="allowed", reasons="ok"
    )
    secret = services.activity_declare(
        actor=None,
        person=world.employee_p,
        description="Bijbaan-onzichtbaar",
        for_whom="Winkel",
        hours_per_month=2,
        paid=True,
        conflict_possible=False,
    )
    services.activity_assess(actor=world.manager, activity=secret, outcome="allowed", reasons="ok")
    response = client.get(f"/o/{world.org.slug}/integriteit/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lid raad van toezicht" in body and world.manager_p.full_name in body
    assert "Bijbaan-onzichtbaar" not in body
    # Five columns do not fit a phone: the table scrolls inside its own box, not the page.
    assert re.search(r'<div class="intact-table-scroll">\s*<table class="utrecht-table">\s*'
                     r'<caption class="utrecht-table__caption">Openbare nevenwerkzaamheden', body)


def test_start_page_sections(world):
    from intact.registers.selectors import start_sections

    services.activity_declare(
        actor=None,
        person=world.employee_p,
        description="X",
        for_whom="Y",
        hours_per_month=1,
        paid=False,
        conflict_possible=False,
    )
    mine = start_sections(world.employee, world.org)
    assert [s["template"] for s in mine] == ["registers/start_mine.html"]
    keeper = {s["template"]: s for s in start_sections(world.manager, world.org)}
    assert keeper["registers/start_keeper.html"]["context"]["activities"] == 1
    assert start_sections(world.outsider, world.org) == []


def test_english_translation_is_complete_for_the_portal(world, login):
    c = login(world.employee)
    c.cookies["intact_language"] = "en"
    body = c.get(url("portal", world)).content.decode()
    assert "My integrity" in body and "Mijn integriteit" not in body


def test_viewing_a_register_is_audited_without_content(world, login):
    services.gift_declare(
        actor=None,
        person=world.employee_p,
        kind="gift",
        giver="Geheime Gever BV",
        occasion="Kerst",
        estimated_value="80",
        received_on=dt.date(2025, 12, 1),
    )
    login(world.coordinator).get(url("gifts", world))
    entry = AuditEntry.objects.filter(action="registers.view", object_type="registers.gifts").get()
    assert entry.actor_id == world.coordinator.pk and entry.detail["rows"] == 1
    assert "Geheime" not in str(entry.detail)


def test_auditor_start_page_links_to_counts_only(world):
    from intact.registers.selectors import start_sections

    templates = [s["template"] for s in start_sections(world.auditor, world.org)]
    assert "registers/start_counts.html" in templates
    assert "registers/start_keeper.html" not in templates


def test_registers_link_is_hidden_from_employees(world, login):
    body = login(world.employee).get(url("portal", world)).content.decode()
    assert url("overview", world) not in body
    assert (
        url("overview", world)
        in login(world.coordinator).get(url("portal", world)).content.decode()
    )


def test_vulnerable_entry_can_be_removed_by_the_coordinator_only(world, login):
    entry = services.vulnerable_position_save(
        actor=None,
        organisation=world.org,
        unit=world.unit_b,
        position="Inkoper",
        risk="Leveranciers",
        measures=["rotation"],
        assessed_on=dt.date(2025, 1, 1),
    )
    world.colleague_p.refresh_from_db()
    assert world.colleague_p.vulnerable_position
    assert (
        login(world.manager).post(url("vulnerable_delete", world, pk=entry.pk)).status_code == 404
    )
    assert (
        login(world.coordinator).post(url("vulnerable_delete", world, pk=entry.pk)).status_code
        == 302
    )
    world.colleague_p.refresh_from_db()
    assert not world.colleague_p.vulnerable_position
