"""Terms on reports: started at receipt, recomputed on acknowledgement, recorded met or missed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from intact.organisations.models import Role
from intact.reporting import deadlines
from intact.reporting.models import ReportType
from intact.reporting.models_procedures import ReportTerm, TermDefinition, TermEvent, TermStatus
from intact.reporting.tasks import deadlines_check
from tests.reporting.factories import make_report

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def _at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=AMS)


def _report_received(org, when, report_type=ReportType.WRONGDOING, freezer=None):
    report, _ = make_report(org, report_type=report_type)
    # Re-run the terms as if the report came in on ``when`` (deterministic dates).
    ReportTerm.objects.filter(report=report).delete()
    report.received_at = when
    deadlines.term_event(report=report, event="received", at=when)
    return report


def _term(report, code):
    return ReportTerm.objects.select_related("definition").get(report=report, definition__code=code)


def test_receipt_starts_the_wbk_terms_with_atw(org, make_user):
    make_user(org, Role.COMPETENT_AUTHORITY)
    report = _report_received(org, _at(2026, 4, 28))
    ack = _term(report, "acknowledgement")
    assert ack.due_date == dt.date(2026, 5, 6)  # day 7 is 5 May: Atw moves it to the 6th
    feedback = _term(report, "feedback")
    # Until acknowledged: three months from the end of the seven days (5 May).
    assert feedback.start_date == dt.date(2026, 5, 5)
    assert feedback.due_date == dt.date(2026, 8, 5)
    assert not ReportTerm.objects.filter(report=report, definition__code="question_answer").exists()


def test_early_acknowledgement_restarts_feedback_and_meets_ack(org, make_user):
    make_user(org, Role.COMPETENT_AUTHORITY)
    report = _report_received(org, _at(2026, 3, 2))
    report.acknowledged_at = _at(2026, 3, 4)
    deadlines.term_event(report=report, event="acknowledged", at=_at(2026, 3, 4))
    ack = _term(report, "acknowledgement")
    assert ack.status == TermStatus.MET
    feedback = _term(report, "feedback")
    assert feedback.start_date == dt.date(2026, 3, 4)
    assert feedback.due_date == dt.date(2026, 6, 4)
    assert TermEvent.objects.filter(term=feedback, kind="rescheduled").exists()



def test_late_acknowledgement_is_missed_and_never_lengthens_feedback(org, make_user):
    make_user(org, Role.COMPETENT_AUTHORITY)
    report = _report_received(org, _at(2026, 3, 2))
    before = _term(report, "feedback").due_date
    deadlines.term_event(report=report, event="acknowledged", at=_at(2026, 3, 20))
    assert _term(report, "acknowledgement").status == TermStatus.MISSED
    assert _term(report, "feedback").due_date == before


def test_feedback_and_close_end_terms(org, make_user):
    make_user(org, Role.COMPETENT_AUTHORITY)
    report = _report_received(org, _at(2026, 1, 5))
    deadlines.term_event(report=report, event="closed", at=_at(2026, 1, 8))
    assert _term(report, "acknowledgement").status == TermStatus.MET
    assert _term(report, "feedback").status == TermStatus.MET


def test_daily_check_records_missed_and_reminds_without_content(org, make_user, mailoutbox,
                                                                django_capture_on_commit_callbacks):
    handler = make_user(org, Role.COMPETENT_AUTHORITY)
    report = _report_received(org, _at(2026, 3, 2))
    ack = _term(report, "acknowledgement")  # due 9 March
    with django_capture_on_commit_callbacks(execute=True):
        result = deadlines_check(now=_at(2026, 3, 7))
    assert result == {"missed": 0, "reminded": 1}
    assert [m.to for m in mailoutbox] == [[handler.email]]
    assert report.reference not in mailoutbox[0].body and "Wbk" not in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_check(now=_at(2026, 3, 8))["reminded"] == 0  # one reminder per term
    assert deadlines_check(now=_at(2026, 3, 10))["missed"] == 1
    ack.refresh_from_db()
    assert ack.status == TermStatus.MISSED
    # Acknowledging later keeps it missed but records when it was done.
    deadlines.term_event(report=report, event="acknowledged", at=_at(2026, 3, 11))
    ack.refresh_from_db()
    assert ack.status == TermStatus.MISSED and ack.fulfilled_at is not None
    share = deadlines.term_share_met(organisation=org, year=2026)
    assert share["acknowledgement"] == {"met": 0, "missed": 1, "share_met": 0.0}


def test_command_runs(org, capsys):
    call_command("deadlines_check")
    assert "missed=" in capsys.readouterr().out


def test_statutory_terms_cannot_be_paused_or_extended(org, make_user):
    user = make_user(org, Role.COMPETENT_AUTHORITY)
    report = _report_received(org, _at(2026, 3, 2))
    ack = _term(report, "acknowledgement")
    with pytest.raises(ValueError):
        deadlines.term_extend(term=ack, actor=user, days=5, reason="druk")
    with pytest.raises(ValueError):
        deadlines.term_pause(term=ack, actor=user, reason="vakantie")
    ack.refresh_from_db()
    assert ack.due_date == dt.date(2026, 3, 9) and ack.extended_days == 0
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        TermDefinition.objects.filter(organisation=org, code="acknowledgement").update(extendable=True)


def test_own_terms_extend_with_reason_and_pause_in_working_days(org, make_user):
    user = make_user(org, Role.COUNSELLOR)
    report = _report_received(org, _at(2026, 3, 2), report_type=ReportType.QUESTION)
    term = _term(report, "question_answer")
    assert term.due_date == dt.date(2026, 3, 16)  # 10 working days
    deadlines.term_extend(term=term, actor=user, days=5, reason="Advies van jurist nodig")
    assert term.due_date == dt.date(2026, 3, 23)
    event = TermEvent.objects.get(term=term, kind="extended")
    assert event.reason == "Advies van jurist nodig" and event.days == 5
    with pytest.raises(ValueError):
        deadlines.term_extend(term=term, actor=user, days=16, reason="te lang")  # max 20 in total
    deadlines.term_pause(term=term, actor=user, reason="Melder op vakantie", at=_at(2026, 3, 6))  # Friday
    deadlines.term_resume(term=term, actor=user, at=_at(2026, 3, 13))  # next Friday: 5 working days
    assert term.due_date == dt.date(2026, 3, 30)
    assert term.status == TermStatus.RUNNING


def test_staff_page_extends_an_own_term_and_refuses_a_statutory_one(org, make_user, login, client):
    counsellor = make_user(org, Role.COUNSELLOR)
    report, _ = make_report(org, report_type=ReportType.QUESTION, answers={"what": "Vraag"})
    term = _term(report, "question_answer")
    login(counsellor)
    url = f"/app/{org.slug}/meldingen/{report.reference}/actie/term-extend/"
    before = term.due_date
    response = client.post(url, {"term": term.pk, "days": "3", "reason": "Wacht op stukken"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.due_date > before
    # A term of another report is not found through this report.
    other, _ = make_report(org, report_type=ReportType.WRONGDOING)
    foreign = _term(other, "acknowledgement")
    assert client.post(url, {"term": foreign.pk, "days": "3", "reason": "x"}).status_code == 404


def test_coordinator_adds_an_own_term_and_cannot_change_a_statutory_one(org, other_org, make_user, login, client):
    coordinator = make_user(org, Role.COORDINATOR)
    make_user(org, Role.COUNSELLOR)
    login(coordinator)
    url = f"/app/{org.slug}/meldingen/termijnen/"
    assert "Ontvangstbevestiging" in client.get(url).content.decode()
    data = {"code": "intake_talk", "name_nl": "Intakegesprek", "length": "5", "unit": "working_days",
            "starts_on": "received", "met_by": ["feedback_given", "closed"],
            "applies_to": ["undesirable_behaviour"], "extendable": "on", "max_extension_days": "10"}
    assert client.post(url, data).status_code == 302
    data["length"] = "8"
    assert client.post(url, data).status_code == 302
    versions = TermDefinition.objects.filter(organisation=org, code="intake_talk").order_by("version")
    assert [(d.version, d.length, d.is_current) for d in versions] == [(1, 5, False), (2, 8, True)]
    report, _ = make_report(org, report_type=ReportType.BEHAVIOUR, answers={"what": "Gepest"})
    term = _term(report, "intake_talk")
    assert term.definition.version == 2
    assert term.due_date == deadlines.add_working_days(deadlines.local_date(report.received_at), 8)
    # Statutory: refused, nothing changed.
    response = client.post(url, {**data, "code": "acknowledgement"})
    assert response.status_code == 400
    assert TermDefinition.objects.filter(organisation=org, code="acknowledgement").count() == 1
    login(make_user(other_org, Role.COORDINATOR))
    assert client.get(url).status_code == 404


def test_deadline_job_is_registered_with_the_scheduler():
    from intact.core import schedule
    from intact.reporting import tasks

    job = schedule._registry["reporting.deadlines_check"]
    assert job.task is tasks.deadlines_check_task
    assert job.every.total_seconds() <= 24 * 3600
