"""The deadline engine: statutory and organisational terms as versioned data.

Owned by the staff-side/procedures work; called by the reporting services.

Two layers:

* pure date arithmetic (``add_term``, ``working_days_between`` …), tested with
  hypothesis, that knows the Dutch public holidays and the Algemene
  termijnenwet (Atw) rule for statutory terms;
* model operations (``terms_ensure_defaults``, ``term_event``, ``term_pause``,
  ``term_extend``, ``deadlines_check``) that start terms when a report is
  received, record them as met or missed, and keep every change as a
  ``TermEvent``.

Design choices are documented in ``docs/deadlines.md``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import holidays as holidays_lib
import yaml
from django.db import IntegrityError, transaction
from django.utils import timezone

DATA_FILE = Path(__file__).parent / "data" / "terms.yaml"
EVENTS = ("received", "acknowledged", "feedback_given", "closed", "case_opened")


# --- data ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def default_terms() -> dict[str, Any]:
    """The default term data (``data/terms.yaml``), parsed once."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


# --- calendar ------------------------------------------------------------------


@lru_cache(maxsize=64)
def _holidays_for_year(year: int) -> frozenset[dt.date]:
    cal = default_terms()["calendar"]
    found = holidays_lib.country_holidays(cal["country"], years=[year], language="en_US")
    excluded = set(cal.get("exclude_names", []))
    days = {d for d, name in found.items() if not any(x in name for x in excluded)}
    for mmdd in cal.get("always", []):
        month, day = (int(p) for p in mmdd.split("-"))
        days.add(dt.date(year, month, day))
    return frozenset(days)


def is_holiday(day: dt.date) -> bool:
    """A generally recognised Dutch holiday in the sense of the Atw (art. 3)."""
    return day in _holidays_for_year(day.year)


def is_working_day(day: dt.date) -> bool:
    """Not a Saturday, Sunday or holiday."""
    return day.weekday() < 5 and not is_holiday(day)


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in the half-open interval (start, end]."""
    count = 0
    day = start + dt.timedelta(days=1)
    while day <= end:
        if is_working_day(day):
            count += 1
        day += dt.timedelta(days=1)
    return count


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself for 0)."""
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def add_months(start: dt.date, months: int) -> dt.date:
    """Same day ``months`` later; the last day of the month when that day does not exist."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def atw_adjust(start: dt.date, due: dt.date) -> dt.date:
    """Apply the Algemene termijnenwet to a statutory term running from ``start`` to ``due``.

    Art. 2: a term of at least three days contains at least two days that are
    not a Saturday, Sunday or holiday. Art. 1: a term that ends on such a day
    ends on the next day that is none of them.
    """
    if (due - start).days >= 3:
        while working_days_between(start, due) < 2:
            due += dt.timedelta(days=1)
    return next_working_day(due)


def add_term(start: dt.date, length: int, unit: str, *, atw: bool = False) -> dt.date:
    """The last day of a term of ``length`` ``unit`` that starts on ``start``.

    A term of 7 days starting on 1 March ends at the end of 8 March. Working-day
    terms always end on a working day. ``atw`` applies the Algemene termijnenwet
    to calendar-day and month terms.
    """
    if unit == "working_days":
        return add_working_days(start, length)
    if unit == "calendar_days":
        due = start + dt.timedelta(days=length)
    elif unit == "months":
        due = add_months(start, length)
    else:
        raise ValueError(f"unknown term unit {unit!r}")
    return atw_adjust(start, due) if atw else due


def extend_due(due: dt.date, days: int, unit: str) -> dt.date:
    """Move a due date by ``days`` (working days for working-day terms, else calendar days)."""
    if unit == "working_days":
        return add_working_days(due, days)
    return due + dt.timedelta(days=days)


def local_date(at: dt.datetime) -> dt.date:
    """The date in the installation's time zone (terms count in Dutch days)."""
    if timezone.is_naive(at):
        return at.date()
    return timezone.localtime(at).date()


# --- model operations ------------------------------------------------------------


def terms_ensure_defaults(organisation: Any) -> list[Any]:
    """Create version 1 of every default term for ``organisation`` if it has none of that code."""
    from intact.reporting.models_procedures import TermDefinition

    created = []
    for spec in default_terms()["terms"]:
        if TermDefinition.objects.filter(organisation=organisation, code=spec["code"]).exists():
            continue
        try:
            # A savepoint per term: two first reports at once must not fail each other.
            with transaction.atomic():
                definition = TermDefinition.objects.create(
                    organisation=organisation,
                    code=spec["code"],
                    version=1,
                    is_current=True,
                    name_nl=spec["name_nl"],
                    name_en=spec.get("name_en", ""),
                    source=spec.get("source", ""),
                    statutory=bool(spec.get("statutory")),
                    starts_on=spec.get("starts_on", "received"),
                    fallback_term=spec.get("starts_on_fallback_term", ""),
                    length=int(spec["length"]),
                    unit=spec["unit"],
                    atw=bool(spec.get("atw")),
                    met_by=list(spec.get("met_by", [])),
                    extendable=bool(spec.get("extendable")),
                    max_extension_days=spec.get("max_extension_days"),
                    pausable=bool(spec.get("pausable")),
                    applies_to=list(spec.get("applies_to", [])),
                )
        except IntegrityError:
            continue
        created.append(definition)
    return created


def _event_time(report: Any, event: str) -> dt.datetime | None:
    return {
        "received": report.received_at,
        "acknowledged": report.acknowledged_at,
        "feedback_given": report.feedback_given_at,
        "closed": report.closed_at,
    }.get(event)


def _log(term: Any, kind: str, *, at: dt.datetime, actor: Any = None, days: int | None = None,
         reason: str | None = None) -> None:
    from intact.reporting.models_procedures import TermEvent

    TermEvent.objects.create(
        organisation_id=term.report.organisation_id,
        term=term,
        kind=kind,
        at=at,
        days=days,
        due_date=term.due_date,
        reason=reason,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _current_definitions(organisation: Any) -> list[Any]:
    """The organisation's current term definitions in one query; defaults created when one is missing."""
    from intact.reporting.models_procedures import TermDefinition

    definitions = list(TermDefinition.objects.filter(organisation_id=organisation.pk, is_current=True))
    codes = {d.code for d in definitions}
    if any(spec["code"] not in codes for spec in default_terms()["terms"]):
        terms_ensure_defaults(organisation)
        definitions = list(TermDefinition.objects.filter(organisation_id=organisation.pk, is_current=True))
    return definitions


def _start_terms(report: Any, at: dt.datetime, *, fresh: bool = False) -> None:
    """Start the terms that run from receipt; ``fresh``: the report was created in this transaction."""
    from intact.reporting.models_procedures import ReportTerm, TermEvent, TermEventKind

    definitions = _current_definitions(report.organisation)
    received = local_date(report.received_at or at)
    existing: dict[int, Any] = {}
    if not fresh:
        existing = {t.definition_id: t for t in ReportTerm.objects.filter(report=report)}
    by_code: dict[str, Any] = {}
    new: list[Any] = []

    def start(definition: Any, start_date: dt.date) -> None:
        term = existing.get(definition.pk)
        if term is None:
            due = add_term(start_date, definition.length, definition.unit, atw=definition.atw)
            term = ReportTerm(report=report, definition=definition, start_date=start_date,
                              base_due_date=due, due_date=due)
            new.append(term)
        by_code[definition.code] = term

    pending_fallback = []
    for definition in definitions:
        if definition.applies_to and report.report_type not in definition.applies_to:
            continue
        if definition.starts_on == "received":
            start(definition, received)
        elif definition.fallback_term:
            pending_fallback.append(definition)
        # else: starts on an event that has not happened yet: started by term_event
    for definition in pending_fallback:
        base = by_code.get(definition.fallback_term)
        if base is None:
            continue
        # Until the acknowledgement is sent, the term runs from the end of the fallback term
        # (its own end, before any Atw extension: a later day would lengthen the statutory term).
        fb_def = base.definition
        start(definition, add_term(base.start_date, fb_def.length, fb_def.unit, atw=False))
    if not new:
        return
    ReportTerm.objects.bulk_create(new)
    TermEvent.objects.bulk_create([
        TermEvent(organisation_id=report.organisation_id, term=term, kind=TermEventKind.STARTED, at=at,
                  due_date=term.due_date)
        for term in new
    ])


def _end_term(term: Any, at: dt.datetime) -> None:
    from intact.reporting.models_procedures import TermEventKind, TermStatus

    if term.status == TermStatus.MISSED:
        if term.fulfilled_at is None:
            term.fulfilled_at = at
            term.save(update_fields=["fulfilled_at"])
            _log(term, TermEventKind.FULFILLED_LATE, at=at)
        return
    if not term.is_open:
        return
    on_time = local_date(at) <= term.due_date
    term.status = TermStatus.MET if on_time else TermStatus.MISSED
    term.ended_at = at
    term.fulfilled_at = at
    term.paused_since = None
    term.save(update_fields=["status", "ended_at", "fulfilled_at", "paused_since"])
    _log(term, TermEventKind.MET if on_time else TermEventKind.MISSED, at=at)


def _restart_after_acknowledgement(report: Any, at: dt.datetime) -> None:
    """Terms that start at the acknowledgement run from the earlier of it and the fallback end."""
    from intact.reporting.models_procedures import TermEventKind

    ack_date = local_date(at)
    for term in report.terms.select_related("definition").filter(
        definition__starts_on="acknowledged"
    ):
        if not term.is_open:
            continue
        if ack_date >= term.start_date:
            continue
        term.report = report
        definition = term.definition
        term.start_date = ack_date
        term.base_due_date = add_term(ack_date, definition.length, definition.unit, atw=definition.atw)
        term.due_date = extend_due(term.base_due_date, term.extended_days, definition.unit)
        term.save(update_fields=["start_date", "base_due_date", "due_date"])
        _log(term, TermEventKind.RESCHEDULED, at=at)


def term_event(*, report: Any, event: str, at: dt.datetime | None = None, fresh: bool = False) -> None:
    """Record a report event that starts, meets or ends terms.

    Events: ``received``, ``acknowledged``, ``feedback_given``, ``closed``
    (and ``case_opened``, which ends only terms that name it).
    Called inside the transaction of the service that caused the event.
    ``received`` starts the terms that apply to the report's type; any event
    named in a term's ``met_by`` ends it as met (on or before its due date) or
    missed (after it).
    ``fresh`` (with ``received``): the report was created in the calling
    transaction, so it has no terms yet and none need to be looked up.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown term event {event!r}")
    at = at or _event_time(report, event) or timezone.now()
    if event == "received":
        with transaction.atomic(savepoint=False):
            _start_terms(report, at, fresh=fresh)
        return
    with transaction.atomic():
        if event == "acknowledged":
            _restart_after_acknowledgement(report, at)
        for term in report.terms.select_related("definition").select_for_update():
            if event in (term.definition.met_by or []):
                term.report = report
                _end_term(term, at)


def term_pause(*, term: Any, actor: Any, reason: str, at: dt.datetime | None = None) -> Any:
    """Pause a term that allows it (never a statutory one), with a recorded reason."""
    from intact.reporting.models_procedures import TermEventKind, TermStatus

    if not term.definition.pausable or term.definition.statutory:
        raise ValueError("this term cannot be paused")
    if term.status != TermStatus.RUNNING:
        raise ValueError("only a running term can be paused")
    at = at or timezone.now()
    with transaction.atomic():
        term.status = TermStatus.PAUSED
        term.paused_since = local_date(at)
        term.save(update_fields=["status", "paused_since"])
        _log(term, TermEventKind.PAUSED, at=at, actor=actor, reason=reason)
    return term


def term_resume(*, term: Any, actor: Any, at: dt.datetime | None = None) -> Any:
    """Resume a paused term; its due date moves by the length of the pause."""
    from intact.reporting.models_procedures import TermEventKind, TermStatus

    if term.status != TermStatus.PAUSED or term.paused_since is None:
        raise ValueError("the term is not paused")
    at = at or timezone.now()
    unit = term.definition.unit
    today = local_date(at)
    if unit == "working_days":
        days = working_days_between(term.paused_since, today)
    else:
        days = (today - term.paused_since).days
    with transaction.atomic():
        term.due_date = extend_due(term.due_date, days, unit)
        term.status = TermStatus.RUNNING
        term.paused_since = None
        term.save(update_fields=["due_date", "status", "paused_since"])
        _log(term, TermEventKind.RESUMED, at=at, actor=actor, days=days)
    return term


def term_extend(*, term: Any, actor: Any, days: int, reason: str, at: dt.datetime | None = None) -> Any:
    """Extend a term that allows it by ``days`` (its unit's days), with a recorded reason.

    Statutory terms for internal reporting allow no extension (Wbk art. 2).
    """
    from intact.reporting.models_procedures import TermEventKind

    definition = term.definition
    if not definition.extendable or definition.statutory:
        raise ValueError("this term cannot be extended")
    if days <= 0:
        raise ValueError("an extension must be at least one day")
    if not term.is_open:
        raise ValueError("the term has ended")
    if definition.max_extension_days is not None and term.extended_days + days > definition.max_extension_days:
        raise ValueError("the extension exceeds the maximum for this term")
    if not reason.strip():
        raise ValueError("an extension needs a reason")
    at = at or timezone.now()
    with transaction.atomic():
        term.extended_days += days
        term.due_date = extend_due(term.due_date, days, definition.unit)
        term.save(update_fields=["extended_days", "due_date"])
        _log(term, TermEventKind.EXTENDED, at=at, actor=actor, days=days, reason=reason)
    return term


def terms_close_overdue(*, today: dt.date | None = None) -> int:
    """Record every running term whose last day has passed as missed. Returns how many."""
    from intact.reporting.models_procedures import ReportTerm, TermEventKind, TermStatus

    today = today or local_date(timezone.now())
    now = timezone.now()
    count = 0
    overdue = ReportTerm.objects.filter(status=TermStatus.RUNNING, due_date__lt=today).select_related(
        "report", "definition"
    )
    for term in overdue:
        with transaction.atomic():
            term.status = TermStatus.MISSED
            term.ended_at = now
            term.save(update_fields=["status", "ended_at"])
            _log(term, TermEventKind.MISSED, at=now)
        count += 1
    return count


def term_share_met(*, organisation: Any, year: int) -> dict[str, Any]:
    """Per term code: how many terms that ended in ``year`` were met and missed (annual report)."""
    from intact.reporting.models_procedures import ReportTerm, TermStatus

    out: dict[str, Any] = {}
    rows = ReportTerm.objects.filter(
        report__organisation=organisation,
        status__in=[TermStatus.MET, TermStatus.MISSED],
        due_date__year=year,
    ).values_list("definition__code", "status")
    for code, status in rows:
        entry = out.setdefault(code, {"met": 0, "missed": 0})
        entry["met" if status == TermStatus.MET else "missed"] += 1
    for entry in out.values():
        total = entry["met"] + entry["missed"]
        entry["share_met"] = entry["met"] / total if total else None
    return out


def term_definitions_current(*, organisation: Any) -> list[Any]:
    """The organisation's current term definitions (defaults created when missing)."""
    from intact.reporting.models_procedures import TermDefinition

    terms_ensure_defaults(organisation)
    return list(TermDefinition.objects.filter(organisation=organisation, is_current=True).order_by("code"))


def term_definition_save(*, actor: Any, organisation: Any, code: str, name_nl: str, name_en: str = "",
                         length: int, unit: str, starts_on: str = "received", met_by: list[str],
                         applies_to: list[str], extendable: bool = False,
                         max_extension_days: int | None = None, pausable: bool = False,
                         source: str = "") -> Any:
    """Add an organisation's own term, or write the next version of one.

    Statutory terms cannot be changed here (their data comes from the law);
    own terms may allow extensions and pauses. Reports keep the version that
    applied when their term started.
    """
    from django.db.models import Max

    from intact.reporting.models_procedures import TermDefinition, TermUnit
    from intact.security import audit

    if unit not in TermUnit.values or length < 1:
        raise ValueError("invalid length or unit")
    if starts_on not in ("received", "acknowledged"):
        raise ValueError("invalid start")
    if not met_by or any(e not in EVENTS for e in met_by):
        raise ValueError("invalid events")
    with transaction.atomic():
        versions = TermDefinition.objects.select_for_update().filter(organisation=organisation, code=code)
        current = versions.filter(is_current=True).first()
        if current is not None and current.statutory:
            raise ValueError("statutory terms cannot be changed")
        last = versions.aggregate(m=Max("version"))["m"] or 0
        versions.filter(is_current=True).update(is_current=False)
        new = TermDefinition.objects.create(
            organisation=organisation, code=code, version=last + 1, is_current=True,
            name_nl=name_nl, name_en=name_en, source=source or "Eigen termijn van de organisatie",
            statutory=False, starts_on=starts_on, length=length, unit=unit, atw=False,
            met_by=list(met_by), extendable=extendable,
            max_extension_days=max_extension_days if extendable else None,
            pausable=pausable, applies_to=list(applies_to),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(actor, "reporting.term_definition_saved", organisation=organisation, obj=new,
                     detail={"code": code, "version": new.version})
    return new
