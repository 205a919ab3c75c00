"""Business rules of the registers: terms, thresholds, assessments, flags, reminders, counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from intact.registers import rules, selectors, services
from intact.registers.models import Commitment, GiftDecision, RegisterSettings
from intact.security.models import AuditEntry
from tests.organisations.factories import PersonFactory
from tests.registers.factories import CodeVersionFactory, ScreeningProfileFactory

pytestmark = pytest.mark.django_db


def test_add_months_clamps_to_month_end():
    assert rules.add_months(dt.date(2025, 12, 31), 2) == dt.date(2026, 2, 28)
    assert rules.add_months(dt.date(2024, 1, 15), 2) == dt.date(2024, 3, 15)
    assert rules.add_months(dt.date(2024, 11, 30), 14) == dt.date(2026, 1, 30)


def test_defaults_come_from_the_data_file(org):
    current = rules.settings_for(org)
    assert current.oath_term_months == 2
    assert current.gift_threshold == Decimal("50")
    assert current.publish_min_salary_scale == 14
    assert current.commitment_employee == "oath"
    assert current.commitment_external == "declaration"
    assert "defaults.yaml" in current.source


def test_oath_due_date_follows_the_configurable_term(org):
    person = PersonFactory(organisation=org, start_date=dt.date(2025, 1, 10))
    current = rules.settings_for(org)
    assert rules.commitment_due(current, person) == dt.date(2025, 3, 10)
    services.settings_update(actor=None, organisation=org, oath_term_months=3)
    assert rules.commitment_due(RegisterSettings.objects.get(organisation=org), person) == dt.date(
        2025, 4, 10
    )


def test_commitment_form_must_fit_the_contract_type(org):
    employee = PersonFactory(organisation=org, contract_type="employee")
    external = PersonFactory(organisation=org, contract_type="external")
    with pytest.raises(ValidationError):
        services.commitment_register(
            actor=None, person=employee, form="declaration", taken_on=dt.date(2025, 2, 1)
        )
    with pytest.raises(ValidationError):
        services.commitment_register(
            actor=None, person=external, form="oath", taken_on=dt.date(2025, 2, 1)
        )
    services.commitment_register(
        actor=None, person=external, form="declaration", taken_on=dt.date(2025, 2, 1)
    )
    with pytest.raises(ValidationError):  # twice for one person
        services.commitment_register(
            actor=None, person=external, form="declaration", taken_on=dt.date(2025, 2, 2)
        )


def test_volunteers_are_configurable(org):
    volunteer = PersonFactory(organisation=org, contract_type="volunteer")
    services.settings_update(actor=None, organisation=org, commitment_volunteer="none")
    with pytest.raises(ValidationError):
        services.commitment_register(
            actor=None, person=volunteer, form="declaration", taken_on=dt.date(2025, 2, 1)
        )


def test_ceremony_registers_all_or_nothing(org):
    a = PersonFactory(organisation=org)
    b = PersonFactory(organisation=org, contract_type="external")
    c = PersonFactory(organisation=org)
    services.commitment_register(actor=None, person=c, form="oath", taken_on=dt.date(2025, 1, 5))
    with pytest.raises(ValidationError) as exc:
        services.commitment_register_bulk(
            actor=None,
            organisation=org,
            people=[a, b, c],
            taken_on=dt.date(2025, 3, 1),
            witness="W",
            sworn_before="S",
        )
    assert c.full_name in str(exc.value)
    assert Commitment.objects.filter(person__in=[a, b]).count() == 0
    done = services.commitment_register_bulk(
        actor=None,
        organisation=org,
        people=[a, b],
        taken_on=dt.date(2025, 3, 1),
        oath_form="affirmation",
        witness="W",
        sworn_before="Secretaris",
    )
    assert {x.form for x in done} == {"affirmation", "declaration"}
    assert all(x.witness == "W" and x.sworn_before == "Secretaris" for x in done)


def test_due_and_overdue_lists(world):
    today = dt.date.today()
    fresh = PersonFactory(
        organisation=world.org, start_date=today - dt.timedelta(days=10), unit=world.unit_b
    )
    rows = {
        r.person.pk: r
        for r in selectors.commitment_rows(user=world.coordinator, organisation=world.org)
    }
    assert rows[fresh.pk].state == "due"
    assert rows[world.employee_p.pk].state == "overdue"  # started 2024
    services.commitment_register(actor=None, person=world.employee_p, form="oath", taken_on=today)
    overdue = selectors.commitment_rows(
        user=world.coordinator, organisation=world.org, state="overdue"
    )
    assert world.employee_p.pk not in {r.person.pk for r in overdue}


@pytest.mark.parametrize(
    "kind,value,needs",
    [
        ("gift", "50.00", False),
        ("gift", "50.01", True),
        ("gift", "10", False),
        ("invitation", "0", True),
    ],
)
def test_gift_threshold_rule_decides_approval(org, kind, value, needs):
    person = PersonFactory(organisation=org)
    gift = services.gift_declare(
        actor=None,
        person=person,
        kind=kind,
        giver="X",
        occasion="Y",
        estimated_value=value,
        received_on=dt.date(2025, 5, 1),
    )
    assert gift.needs_approval is needs
    assert gift.decision == (GiftDecision.PENDING if needs else GiftDecision.KEEP)


def test_gift_threshold_is_data_per_organisation(org):
    person = PersonFactory(organisation=org)
    services.settings_update(
        actor=None, organisation=org, gift_threshold=Decimal("25"), invitations_need_approval=False
    )
    gift = services.gift_declare(
        actor=None,
        person=person,
        kind="gift",
        giver="X",
        occasion="Y",
        estimated_value="30",
        received_on=dt.date(2025, 5, 1),
    )
    invitation = services.gift_declare(
        actor=None,
        person=person,
        kind="invitation",
        giver="X",
        occasion="Y",
        estimated_value="20",
        received_on=dt.date(2025, 5, 1),
    )
    assert gift.needs_approval and not invitation.needs_approval
    assert gift.threshold_applied == Decimal("25")


def test_activity_needs_explanation_when_conflict_possible(org):
    person = PersonFactory(organisation=org)
    with pytest.raises(ValidationError):
        services.activity_declare(
            actor=None,
            person=person,
            description="Adviseur",
            for_whom="BV",
            hours_per_month=2,
            paid=True,
            conflict_possible=True,
        )


def test_assessment_rules(world):
    activity = services.activity_declare(
        actor=world.employee,
        person=world.employee_p,
        description="Trainer",
        for_whom="Club",
        hours_per_month="6",
        paid=False,
        conflict_possible=False,
    )
    with pytest.raises(ValidationError):
        services.activity_assess(
            actor=world.manager, activity=activity, outcome="allowed", reasons=""
        )
    with pytest.raises(ValidationError):
        services.activity_assess(
            actor=world.manager, activity=activity, outcome="allowed_with_conditions", reasons="ok"
        )
    services.activity_assess(
        actor=world.manager,
        activity=activity,
        outcome="allowed_with_conditions",
        reasons="ok",
        conditions="Niet in werktijd",
    )
    activity.refresh_from_db()
    assert activity.status == "allowed_with_conditions"
    assert activity.conditions == "Niet in werktijd"
    assert AuditEntry.objects.filter(
        action="registers.activity.assess", object_id=str(activity.pk)
    ).exists()
    own = services.activity_declare(
        actor=world.manager,
        person=world.manager_p,
        description="Bestuurslid",
        for_whom="Stichting",
        hours_per_month="2",
        paid=False,
        conflict_possible=False,
    )
    with pytest.raises(ValidationError):
        services.activity_assess(
            actor=world.manager, activity=own, outcome="allowed", reasons="mag"
        )


def test_reconfirmation_is_due_after_the_configured_months(org):
    person = PersonFactory(organisation=org)
    a = services.activity_declare(
        actor=None,
        person=person,
        description="X",
        for_whom="Y",
        hours_per_month=1,
        paid=False,
        conflict_possible=False,
        declared_on=dt.date(2024, 1, 1),
    )
    services.activity_assess(
        actor=None, activity=a, outcome="allowed", reasons="ok", on=dt.date(2024, 1, 10)
    )
    assert selectors.activity_reconfirm_due(org, [a], on=dt.date(2025, 1, 9)) == []
    assert selectors.activity_reconfirm_due(org, [a], on=dt.date(2025, 1, 10)) == [a]
    services.activity_confirm(actor=None, activity=a, on=dt.date(2025, 1, 11))
    assert selectors.activity_reconfirm_due(org, [a], on=dt.date(2025, 6, 1)) == []


def test_senior_staff_activities_are_published(world):
    senior = services.activity_declare(
        actor=None,
        person=world.manager_p,
        description="Voorzitter",
        for_whom="Museum",
        hours_per_month=3,
        paid=True,
        conflict_possible=False,
    )
    junior = services.activity_declare(
        actor=None,
        person=world.employee_p,
        description="Trainer",
        for_whom="Club",
        hours_per_month=3,
        paid=False,
        conflict_possible=False,
    )
    assert selectors.published_activities(world.org) == []  # not yet assessed
    services.activity_assess(
        actor=world.coordinator, activity=senior, outcome="allowed", reasons="ok"
    )
    services.activity_assess(actor=world.manager, activity=junior, outcome="allowed", reasons="ok")
    rows = selectors.published_activities(world.org)
    assert rows == [
        {
            "name": world.manager_p.full_name,
            "position": "Afdelingshoofd",
            "activity": "Voorzitter",
            "for_whom": "Museum",
            "paid": True,
        }
    ]
    # a designated position is published whatever the scale
    services.settings_update(
        actor=None, organisation=world.org, publish_positions=["Beleidsmedewerker"]
    )
    assert len(selectors.published_activities(world.org)) == 2
    services.activity_end(actor=None, activity=senior)
    assert [r["activity"] for r in selectors.published_activities(world.org)] == ["Trainer"]


def test_vulnerable_inventory_sets_person_flags(world):
    entry = services.vulnerable_position_save(
        actor=world.coordinator,
        organisation=world.org,
        unit=world.unit_b,
        position="inkoper",
        risk="Leveranciers",
        measures=["four_eyes", "rotation"],
        assessed_on=dt.date(2025, 1, 1),
        review_on=dt.date(2026, 1, 1),
    )
    world.colleague_p.refresh_from_db()
    assert world.colleague_p.vulnerable_position is True
    with pytest.raises(ValidationError):
        services.vulnerable_position_save(
            actor=None,
            organisation=world.org,
            position="X",
            risk="Y",
            measures=["other"],
            assessed_on=dt.date(2025, 1, 1),
        )
    services.vulnerable_position_delete(actor=world.coordinator, entry=entry)
    world.colleague_p.refresh_from_db()
    assert world.colleague_p.vulnerable_position is False


def test_screening_rescreen_date_follows_the_profile(org):
    person = PersonFactory(organisation=org)
    profile = ScreeningProfileFactory(
        organisation=org, checks=["vog", "misconduct_disclosure"], rescreen_months=24
    )
    checks = services.screening_start(actor=None, person=person, profile=profile)
    assert {c.kind for c in checks} == {"vog", "misconduct_disclosure"}
    vog = next(c for c in checks if c.kind == "vog")
    services.screening_check_record(
        actor=None,
        check=vog,
        status="passed",
        completed_on=dt.date(2025, 2, 1),
        note="VOG ontvangen",
    )
    vog.refresh_from_db()
    assert vog.rescreen_on == dt.date(2027, 2, 1)
    assert vog.note == "VOG ontvangen"


def test_ngo_default_profiles_include_the_misconduct_disclosure_scheme(other_org):
    profiles = services.screening_profiles_seed(actor=None, organisation=other_org)
    assert any(
        "misconduct_disclosure" in p.checks and "safeguarding_references" in p.checks
        for p in profiles
    )
    assert services.screening_profiles_seed(actor=None, organisation=other_org) == []


def test_code_reminders_are_spaced_and_say_nothing(world):
    code = CodeVersionFactory(organisation=world.org, adopted_on=dt.date(2025, 1, 1))
    world.employee_p.email = "emp@example.test"
    world.employee_p.save()
    services.code_acknowledge(actor=world.colleague, person=world.colleague_p, version=code)
    assert (
        services.code_reminders_send(organisation=world.org, today=dt.date(2025, 1, 5)) == 0
    )  # too early
    first = services.code_reminders_send(organisation=world.org, today=dt.date(2025, 2, 1))
    assert first >= 1
    again = services.code_reminders_send(organisation=world.org, today=dt.date(2025, 2, 10))
    assert again == 0
    later = services.code_reminders_send(organisation=world.org, today=dt.date(2025, 3, 5))
    assert later == first


def test_code_reminder_mail_contains_no_content(world, django_capture_on_commit_callbacks):
    CodeVersionFactory(organisation=world.org, adopted_on=dt.date(2025, 1, 1), text="GEHEIME-TEKST")
    world.employee_p.email = "emp@example.test"
    world.employee_p.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.code_reminders_send(organisation=world.org, today=dt.date(2025, 2, 1))
    sent = [m for m in mail.outbox if "emp@example.test" in m.to]
    assert len(sent) == 1
    assert "GEHEIME-TEKST" not in sent[0].body and "mijn-integriteit" in sent[0].body


def test_encrypted_fields_are_not_stored_in_plaintext(org):
    from django.db import connection

    person = PersonFactory(organisation=org)
    services.financial_declare(
        actor=None, person=person, kind="interest", details="AANDELEN-MARKER-123"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT details FROM registers_financialdeclaration")
        raw = bytes(cursor.fetchone()[0])
    assert b"AANDELEN-MARKER-123" not in raw


def test_register_counts(world):
    year = dt.date.today().year
    code = CodeVersionFactory(organisation=world.org, adopted_on=dt.date(year, 1, 1))
    services.code_acknowledge(actor=None, person=world.employee_p, version=code)
    services.commitment_register(
        actor=None, person=world.employee_p, form="oath", taken_on=dt.date(year, 1, 2)
    )
    services.commitment_register(
        actor=None, person=world.colleague_p, form="affirmation", taken_on=dt.date(year, 1, 2)
    )
    services.gift_declare(
        actor=None,
        person=world.employee_p,
        kind="gift",
        giver="A",
        occasion="B",
        estimated_value="80",
        received_on=dt.date(year, 1, 3),
    )
    services.activity_declare(
        actor=None,
        person=world.employee_p,
        description="X",
        for_whom="Y",
        hours_per_month=1,
        paid=False,
        conflict_possible=False,
        declared_on=dt.date(year, 1, 3),
    )
    counts = selectors.register_counts(world.org, year)
    assert counts["oaths_taken"] == 2
    assert counts["oaths"] == {"affirmation": 1, "oath": 1}
    assert counts["gifts_declared"] == 1 and counts["gifts_needing_approval"] == 1
    assert counts["outside_activities_declared"] == 1
    people = counts["code_people"]
    assert counts["code_acknowledged"] == 1
    assert counts["code_acknowledged_percentage"] == round(100 / people, 1)
    assert selectors.register_counts(world.org, year - 1)["oaths_taken"] == 0


def test_reminders_are_a_daily_scheduled_job():
    from intact.core import schedule

    schedule.autodiscover()
    job = schedule._registry["registers.code_reminders"]
    assert job.every == dt.timedelta(days=1)


def test_start_page_oath_counts_match_the_register_and_read_only_who_owes(
    world, django_assert_max_num_queries
):
    today = dt.date.today()
    PersonFactory(
        organisation=world.org, start_date=today - dt.timedelta(days=10), unit=world.unit_b
    )

    def from_register():
        rows = selectors.commitment_rows(
            user=world.coordinator, organisation=world.org, audited=False
        )
        return {s: sum(r.state == s for r in rows) for s in ("overdue", "due")}

    counts = selectors.commitment_owed_counts(user=world.coordinator, organisation=world.org)
    assert counts == from_register()
    assert counts["overdue"] >= 1 and counts["due"] >= 1

    services.commitment_register(actor=None, person=world.employee_p, form="oath", taken_on=today)
    after = selectors.commitment_owed_counts(user=world.coordinator, organisation=world.org)
    assert after == from_register()
    assert after["overdue"] == counts["overdue"] - 1

    # People who took the oath are filtered out in SQL: many more of them, no more queries.
    for _ in range(30):
        p = PersonFactory(organisation=world.org, start_date=dt.date(2020, 1, 1))
        services.commitment_register(actor=None, person=p, form="oath", taken_on=today)
    with django_assert_max_num_queries(6):
        assert (
            selectors.commitment_owed_counts(user=world.coordinator, organisation=world.org)
            == after
        )
