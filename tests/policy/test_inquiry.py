"""Periodic inquiry: addressees by role (plus HR advisers), answers, reminders, completeness, flow into cases."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from intact.policy import selectors, services
from intact.policy.models import InquiryMatter
from tests.organisations.factories import MembershipFactory, PersonFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org, make_user):
    a = UnitFactory(organisation=org, name="Inkoop")
    b = UnitFactory(organisation=org, name="Vergunningen")
    coordinator = make_user(org, "coordinator")
    m1 = make_user(org, "manager", unit=a)
    m2 = make_user(org, "manager", unit=b)
    counsellor = make_user(org, "counsellor")
    employee = make_user(org, "employee")
    hr_user = UserFactory()
    MembershipFactory(user=hr_user, organisation=org, role="employee")
    hr = PersonFactory(organisation=org, user=hr_user, unit=a, position="HR-adviseur")
    return {
        "coordinator": coordinator,
        "m1": m1,
        "m2": m2,
        "counsellor": counsellor,
        "employee": employee,
        "hr": hr,
        "a": a,
        "b": b,
    }


def _open(org, people, **kwargs):
    services.inquiry_settings_update(
        actor=people["coordinator"],
        organisation=org,
        rounds_per_year=2,
        roles=["manager", "counsellor"],
        extra_people=[people["hr"]],
    )
    return services.inquiry_round_open(
        actor=people["coordinator"],
        organisation=org,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        **kwargs,
    )


def test_round_asks_managers_counsellors_and_hr_advisers(
    org, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        round_ = _open(org, people)
    asked = set(round_.requests.values_list("user_id", flat=True))
    assert asked == {
        people["m1"].pk,
        people["m2"].pk,
        people["counsellor"].pk,
        people["hr"].user_id,
    }
    assert people["employee"].pk not in asked and people["coordinator"].pk not in asked
    assert len(mail.outbox) == 4
    assert all("Uitvraag" in m.subject for m in mail.outbox)


def test_answers_and_completeness_per_unit(org, people):
    round_ = _open(org, people)
    req = round_.requests.get(user=people["m1"])
    with pytest.raises(ValidationError):
        services.inquiry_answer(actor=people["m1"], request=req, nothing_to_report=False)
    with pytest.raises(ValidationError):
        services.inquiry_answer(
            actor=people["m1"],
            request=req,
            nothing_to_report=True,
            matters=[{"category": "business_integrity", "description": "x"}],
        )
    services.inquiry_answer(
        actor=people["m1"],
        request=req,
        nothing_to_report=False,
        matters=[
            {
                "category": "undesirable_behaviour",
                "description": "Schelden door een externe partij aan de balie",
                "already_reported": False,
            },
        ],
    )
    services.inquiry_answer(
        actor=people["m2"], request=round_.requests.get(user=people["m2"]), nothing_to_report=True
    )
    c = selectors.completeness(round_)
    assert (c["answered"], c["asked"], c["matters"], c["nothing"]) == (2, 4, 1, 1)
    rows = {r["unit"]: r for r in c["rows"]}
    assert (
        rows["Inkoop"]["asked"] == 2
        and rows["Inkoop"]["answered"] == 1
        and rows["Inkoop"]["percent"] == 50
    )
    assert rows["Vergunningen"]["percent"] == 100


def test_only_the_addressee_answers(org, people):
    round_ = _open(org, people)
    req = round_.requests.get(user=people["m1"])
    with pytest.raises(PermissionDenied):
        services.inquiry_answer(actor=people["m2"], request=req, nothing_to_report=True)
    with pytest.raises(Http404):
        selectors.my_request_get(user=people["m2"], organisation=org, pk=req.pk)


def test_matter_description_is_encrypted(org, people):
    round_ = _open(org, people)
    req = round_.requests.get(user=people["counsellor"])
    services.inquiry_answer(
        actor=people["counsellor"],
        request=req,
        nothing_to_report=False,
        matters=[{"category": "business_integrity", "description": "Geheime omschrijving XYZ"}],
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM policy_inquirymatter")
        raw = bytes(cursor.fetchone()[0])
    assert b"Geheime omschrijving" not in raw
    assert InquiryMatter.objects.get().description == "Geheime omschrijving XYZ"


def test_reminders_until_everyone_answered(org, people, django_capture_on_commit_callbacks):
    round_ = _open(org, people)
    services.inquiry_answer(
        actor=people["m1"], request=round_.requests.get(user=people["m1"]), nothing_to_report=True
    )
    now = timezone.now()
    assert (
        services.inquiry_reminders_send(organisation=org, now=now) == 0
    )  # opened today: wait reminder_days
    later = now + dt.timedelta(days=8)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.inquiry_reminders_send(organisation=org, now=later) == 3
    assert {m.to[0] for m in mail.outbox if "Herinnering" in m.subject} == {
        people["m2"].email,
        people["counsellor"].email,
        people["hr"].user.email,
    }
    assert services.inquiry_reminders_send(organisation=org, now=later + dt.timedelta(days=1)) == 0
    assert services.inquiry_reminders_send(organisation=org, now=later + dt.timedelta(days=8)) == 3
    services.inquiry_round_close(actor=people["coordinator"], round=round_)
    assert services.inquiry_reminders_send(organisation=org, now=later + dt.timedelta(days=30)) == 0


def test_reported_matter_becomes_a_case(org, people):
    round_ = _open(org, people)
    req = round_.requests.get(user=people["m1"])
    services.inquiry_answer(
        actor=people["m1"],
        request=req,
        nothing_to_report=False,
        matters=[
            {
                "category": "business_integrity",
                "description": "Aanbesteding met schijn van belangenverstrengeling",
            }
        ],
    )
    matter = InquiryMatter.objects.get()
    with pytest.raises(PermissionDenied):
        services.matter_register_case(actor=people["m1"], matter=matter)
    reference = services.matter_register_case(actor=people["coordinator"], matter=matter)
    from intact.cases.models import Case

    case = Case.objects.get(reference=reference)
    assert (
        case.origin == "periodic_inquiry"
        and case.report_type == "business_integrity"
        and case.unit == people["a"]
    )
    assert case.description == "Aanbesteding met schijn van belangenverstrengeling"
    matter.refresh_from_db()
    assert matter.case_reference == reference and not matter.needs_registration
    with pytest.raises(ValidationError):
        services.matter_register_case(actor=people["coordinator"], matter=matter)


def test_matters_are_for_the_coordinator_only_and_their_opening_is_audited(org, people, make_user):
    from intact.security.models import AuditEntry

    round_ = _open(org, people)
    auditor = make_user(org, "auditor")
    assert selectors.completeness(round_)["asked"] == 4
    with pytest.raises(Http404):
        selectors.round_matters(user=auditor, organisation=org, round_=round_)
    selectors.round_matters(user=people["coordinator"], organisation=org, round_=round_)
    assert AuditEntry.objects.filter(action="policy_matters_viewed").count() == 1


def test_daily_job_opens_the_round_for_the_period_that_ended(org, people):
    services.inquiry_settings_update(
        actor=people["coordinator"], organisation=org, rounds_per_year=2, roles=["manager"]
    )
    round_ = services.inquiry_rounds_schedule(organisation=org, today=dt.date(2025, 7, 3))
    assert (round_.period_start, round_.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert round_.requests.count() == 2
    assert services.inquiry_rounds_schedule(organisation=org, today=dt.date(2025, 7, 4)) is None
    january = services.inquiry_rounds_schedule(organisation=org, today=dt.date(2026, 1, 5))
    assert (january.period_start, january.period_end) == (
        dt.date(2025, 7, 1),
        dt.date(2025, 12, 31),
    )


def test_job_is_registered_with_the_scheduler():
    from intact.core import schedule
    from intact.policy import tasks

    assert schedule._registry["policy.inquiry_daily"].task is tasks.inquiry_daily_task
