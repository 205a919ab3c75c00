"""Retention: how long a closed case keeps its personal data, and anonymising it when that time is up.

Terms per outcome are data (``data/retention.yaml``, with sources). What
stays after anonymisation is what the annual report counts — categories,
severity, outcome, measure types, year, channel, report type — and the
reviewed public summary, which was written for publication. Everything else
is emptied or removed: encrypted fields, parties, hearings, care measure
texts, triage motivations and notes, conflict-of-interest notes, the case's
files. See docs/retention.md.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from intact.cases import config

logger = logging.getLogger(__name__)


def outcome_of(case: Any) -> str:
    """The retention outcome of a case: not_investigated, unfounded, undetermined, founded_(no_)measure."""
    if case.decision != "investigate" or not case.conclusion:
        return "not_investigated"
    if case.conclusion == "founded":
        real = case.measures.exclude(group="none").exists()
        return "founded_measure" if real else "founded_no_measure"
    return case.conclusion


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def due_date(case: Any, closed_on: dt.date) -> dt.date:
    """The day after which the case is anonymised."""
    terms = config.retention_terms(case.organisation)
    outcome = case.retention_outcome or outcome_of(case)
    months = int(terms.get(outcome, terms["founded_measure"])["months"])
    return _add_months(closed_on, months)


def case_anonymise(*, case: Any, actor: Any = "system") -> dict[str, int]:
    """Empty the case's personal data, keep its statistics; audited. Returns what was removed."""
    from intact.cases.models import Case, CaseEvent
    from intact.security import audit, files

    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.anonymised_at is not None:
            return {}
        counts = {
            "parties": case.parties.count(),
            "hearings": case.hearings.count(),
            "documents": case.documents.count(),
        }
        case.hearings.all().delete()
        for measure in case.measures.all():
            measure.party = None
            measure.note = None
            measure.save(update_fields=["party", "note"])
        for item in case.care_measures.all():
            item.description = ""
            item.party = None
            item.save(update_fields=["description", "party"])
        for item in case.notifications.all():
            item.note = None
            item.recipient = ""
            item.external_reference = ""
            item.save(update_fields=["note", "recipient", "external_reference"])
        for record in case.triages.all():
            record.motivation = ""
            record.save(update_fields=["motivation"])
        for action in case.actions.all():
            action.note = None
            action.save(update_fields=["note"])
        for member in case.team.all():
            member.conflict_note = None
            member.save(update_fields=["conflict_note"])
        case.parties.all().delete()
        for doc in list(case.documents.select_related("file")):
            stored = doc.file
            doc.delete()
            files.file_delete(stored)
        for name in (
            "description",
            "object_of_investigation",
            "decision_motivation",
            "investigation_plan",
            "findings",
            "reporter_feedback",
            "closure_note",
        ):
            setattr(case, name, None)
        if not case.summary_reviewed:
            for name in (
                "summary_description",
                "summary_object",
                "summary_findings",
                "summary_consequence",
            ):
                setattr(case, name, None)
        case.assignee_label = ""
        case.commissioning_authority = case.commissioning_authority if case.summary_reviewed else ""
        case.anonymised_at = timezone.now()
        case.save()
        CaseEvent.objects.create(
            case=case, kind="anonymised", at=case.anonymised_at, actor_label="system", detail=counts
        )
        audit.record(
            actor,
            "cases.case_anonymised",
            organisation=case.organisation_id,
            obj=case,
            detail={**counts, "outcome": case.retention_outcome},
        )
    return counts


def retention_run(*, today: dt.date | None = None) -> dict[str, int]:
    """Anonymise every closed case whose retention term has passed. Logs a summary in the audit log."""
    from intact.cases.models import Case
    from intact.security import audit

    today = today or timezone.localdate()
    due = Case.objects.filter(
        closed_at__isnull=False,
        anonymised_at__isnull=True,
        retention_due__isnull=False,
        retention_due__lt=today,
    ).order_by("pk")
    done = 0
    for case in due:
        try:
            if case_anonymise(case=case):
                done += 1
        except Exception:  # one bad case must not stop the others; it is tried again tomorrow
            logger.exception("could not anonymise case %s", case.pk)
    audit.record(
        "system", "cases.retention_run", detail={"anonymised": done, "day": today.isoformat()}
    )
    return {"anonymised": done}
