"""Retention: terms per outcome, anonymisation that keeps the statistics, audit of what was done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from intact.cases import config, retention, selectors, services
from intact.cases.models import Case, Party
from intact.organisations.models import Role
from intact.security.models import AuditEntry, EncryptedFile
from tests.cases.factories import open_case, run_to_closed

pytestmark = pytest.mark.django_db


def test_terms_come_from_data_with_sources(org):
    terms = config.retention_terms(org)
    assert (
        terms["not_investigated"]["months"] == 2 and "EDPS" in terms["not_investigated"]["source"]
    )
    assert terms["founded_measure"]["months"] > terms["unfounded"]["months"]


def test_unfounded_case_is_due_two_months_after_closing(org, coordinator):
    case, _ = open_case(org, coordinator)
    case = run_to_closed(case, coordinator, conclusion="unfounded")
    assert case.retention_outcome == "unfounded"
    closed = timezone.localdate(case.closed_at)
    assert case.retention_due == retention._add_months(closed, 2)


def test_add_months_handles_month_ends():
    assert retention._add_months(dt.date(2026, 12, 31), 2) == dt.date(2027, 2, 28)
    assert retention._add_months(dt.date(2026, 1, 15), 60) == dt.date(2031, 1, 15)


def test_retention_run_anonymises_and_keeps_statistics(org, coordinator, make_user):
    accused = make_user(org, Role.EMPLOYEE, username="acc-ret")
    case, _ = open_case(
        org,
        coordinator,
        implicated=[accused.people.get()],
        answers={"what": "Geheime beschrijving"},
    )
    services.care_measure_add(case=case, user=coordinator, description="Gesprek met bedrijfsarts")
    services.care_measure_complete(item=case.care_measures.get(), user=coordinator)
    services.document_add(
        case=case,
        user=coordinator,
        name="verslag.txt",
        content_type="text/plain",
        data=b"geheim verslag",
    )
    category = selectors.categories_for(org)[0]
    services.case_update(case=case, user=coordinator, categories=[category])
    services.summary_update(
        case=case,
        user=coordinator,
        description="Mogelijke fraude",
        object_of_investigation="Declaraties",
        findings="Bevestigd",
        consequence="Schriftelijke waarschuwing",
        reviewed=True,
    )
    case = run_to_closed(case, coordinator, conclusion="founded")
    stats_before = selectors.case_statistics(org, case.received_on.year)
    blobs_before = EncryptedFile.objects.count()

    # Not yet due: nothing happens.
    assert retention.retention_run(today=case.retention_due)["anonymised"] == 0
    result = retention.retention_run(today=case.retention_due + dt.timedelta(days=1))
    assert result["anonymised"] == 1

    case = Case.objects.get(pk=case.pk)
    assert case.anonymised_at is not None
    assert case.description is None and case.findings is None and case.decision_motivation is None
    assert not Party.objects.filter(case=case).exists()
    assert not case.hearings.exists() and not case.documents.exists()
    assert EncryptedFile.objects.count() == blobs_before - 1
    assert case.care_measures.get().description == ""
    assert all(t.motivation == "" for t in case.triages.all())
    # What the annual report needs survives, and the reviewed public summary with it.
    assert selectors.case_statistics(org, case.received_on.year) == stats_before
    table = selectors.investigated_cases_table(org, case.received_on.year)
    assert table[0]["consequence"] == "Schriftelijke waarschuwing"
    entry = AuditEntry.objects.filter(action="cases.case_anonymised").get()
    assert entry.detail["parties"] == 2 and entry.detail["documents"] == 1
    assert AuditEntry.objects.filter(action="cases.retention_run").exists()
    # Running again changes nothing.
    assert (
        retention.retention_run(today=case.retention_due + dt.timedelta(days=2))["anonymised"] == 0
    )


def test_open_cases_are_never_touched(org, coordinator):
    case, _ = open_case(org, coordinator, answers={"what": "Nog open"})
    Case.objects.filter(pk=case.pk).update(retention_due=dt.date(2000, 1, 1))
    assert retention.retention_run()["anonymised"] == 0
    assert Case.objects.get(pk=case.pk).description == "Nog open"


def test_retention_task_is_registered_with_the_scheduler():
    from intact.cases import tasks  # noqa: F401
    from intact.core import schedule

    assert any(job.name == "cases.retention" for job in schedule.jobs())
