"""Import of earlier years from the documented JSON format (docs/import-history.md).

Two passes: :func:`import_validate` checks the file against the JSON Schema
(docs/schemas/import.schema.json, a copy ships in ``data/``) and against the
organisation's data (known categories, measures, topics) and names the record
and field of every error; :func:`import_apply` then writes everything through
the owning apps' services in ONE transaction. If anything fails, nothing is
imported (DESIGN rule 5).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from intact.organisations.models import Organisation
from intact.security import audit

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "import.schema.json"


@dataclass
class ImportIssue:
    record: str  # e.g. "years[0].cases[2]"
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.record}.{self.field}" if self.field else self.record
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    errors: list[ImportIssue] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFailed(Exception):
    def __init__(self, result: ImportResult) -> None:
        super().__init__(f"{len(result.errors)} error(s)")
        self.result = result


def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _path(parts: Any) -> tuple[str, str]:
    parts = list(parts)
    record = ""
    fld = ""
    for p in parts:
        if isinstance(p, int):
            record += f"[{p}]"
        else:
            record = f"{record}.{p}" if record else p
    if parts and isinstance(parts[-1], str):
        # the last name is the field of the record before it
        record, _dot, fld = record.rpartition(".")
    return record or "$", fld


def _date(value: str | None, year: int) -> dt.date:
    if value:
        return dt.date.fromisoformat(value)
    # A record without a date counts for its year; 1 July keeps it in the year's
    # first half for an interim report of that year as little as in the second.
    return dt.date(year, 7, 1)


def _closed_on(case: dict[str, Any], year: int) -> dt.date | None:
    """The day an imported case was closed, or None when it is still being handled.

    ``closed_on`` when given; otherwise a case with an outcome (a conclusion,
    or the decision not to investigate) was closed within its year, counted
    as 31 December, and a case without one is still open.
    """
    if case.get("closed_on"):
        return dt.date.fromisoformat(case["closed_on"])
    if case.get("conclusion") or case.get("decision") == "no_investigation":
        return dt.date(year, 12, 31)
    return None


def import_validate(*, organisation: Organisation, data: Any) -> ImportResult:
    """Check ``data`` (parsed JSON); returns every error with its record and field; writes nothing."""
    import jsonschema

    from intact.cases import selectors as cases
    from intact.cases import services as case_services
    from intact.learning import selectors as learning
    from intact.learning import services as learning_services

    result = ImportResult()
    validator = jsonschema.Draft202012Validator(schema())
    for err in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        record, fld = _path(err.absolute_path)
        if err.validator == "required":
            missing = err.message.split("'")[1] if "'" in err.message else ""
            fld = missing
            if record == "$" or not record:
                record = _path(err.absolute_path)[0]
        result.errors.append(ImportIssue(record, fld, err.message))
    if result.errors:
        return result
    if data.get("organisation") and data["organisation"] != organisation.slug:
        result.errors.append(
            ImportIssue(
                "$",
                "organisation",
                f"file is for {data['organisation']!r}, not {organisation.slug!r}",
            )
        )
    # Reference data (read-only checks; the defaults are created on apply).
    categories = {c.code for c in cases.categories_for(organisation, active_only=True)}
    if not categories:
        categories = _default_codes("categories", organisation)
    measures = {m.code for m in cases.measure_types_for(organisation) if m.active}
    if not measures:
        measures = _default_codes("measures", organisation)
    topics = learning.topic_codes_for_import(organisation)
    if not topics:
        from intact.learning import defaults

        topics = {t["code"] for t in defaults.conversation_topics()}
        for t in defaults.conversation_topics():
            topics |= {s["code"] for s in t.get("subtopics", [])}
    del case_services, learning_services
    today = timezone.localdate()
    seen_years: set[int] = set()
    for yi, year in enumerate(data["years"]):
        y = year["year"]
        base = f"years[{yi}]"
        if y in seen_years:
            result.errors.append(ImportIssue(base, "year", f"year {y} appears twice"))
        seen_years.add(y)
        if y >= today.year:
            result.errors.append(ImportIssue(base, "year", "only earlier years can be imported"))
        for ci, case in enumerate(year.get("cases", [])):
            rec = f"{base}.cases[{ci}]"
            for code in case.get("categories", []):
                if code not in categories:
                    result.errors.append(
                        ImportIssue(rec, "categories", f"unknown category {code!r}")
                    )
            for code in case.get("measures", []):
                if code not in measures:
                    result.errors.append(ImportIssue(rec, "measures", f"unknown measure {code!r}"))
            if case.get("received_on"):
                d = dt.date.fromisoformat(case["received_on"])
                if d.year != y:
                    result.errors.append(ImportIssue(rec, "received_on", f"date is not in {y}"))
            if case.get("closed_on"):
                closed = dt.date.fromisoformat(case["closed_on"])
                received = _date(case.get("received_on"), y)
                if closed < received:
                    result.errors.append(
                        ImportIssue(rec, "closed_on", "date is before the case was received")
                    )
                elif closed > today:
                    result.errors.append(ImportIssue(rec, "closed_on", "date is in the future"))
            if case.get("conclusion") and case.get("decision") == "no_investigation":
                result.errors.append(
                    ImportIssue(rec, "conclusion", "a conclusion needs the decision 'investigate'")
                )
        for ti, row in enumerate(year.get("counsellor_conversations", [])):
            if row["topic"] not in topics:
                result.errors.append(
                    ImportIssue(
                        f"{base}.counsellor_conversations[{ti}]",
                        "topic",
                        f"unknown topic {row['topic']!r}",
                    )
                )
        for ai, act in enumerate(year.get("activities", [])):
            if act.get("date") and dt.date.fromisoformat(act["date"]).year != y:
                result.errors.append(
                    ImportIssue(f"{base}.activities[{ai}]", "date", f"date is not in {y}")
                )
    return result


def _default_codes(kind: str, organisation: Organisation) -> set[str]:
    from intact.cases import config

    org_kind = "ngo" if organisation.kind == "ngo" else "government"
    if kind == "measures":
        return {
            m["code"]
            for g in config.defaults("measures")["groups"]
            if org_kind in g.get("kinds", [org_kind])
            for m in g["measures"]
        }
    sets = config.defaults("categories")["sets"]
    return {c["code"] for c in sets.get(org_kind, {}).get("categories", [])}


def import_apply(*, actor: Any, organisation: Organisation, data: Any) -> ImportResult:
    """Validate and write the whole file in one transaction; raises :class:`ImportFailed` on any error."""
    from intact.accountability.models import ImportedTotal
    from intact.cases import selectors as cases
    from intact.cases import services as case_services
    from intact.learning import selectors as learning
    from intact.learning import services as learning_services
    from intact.learning.choices import ContactForm, FollowUp

    result = import_validate(organisation=organisation, data=data)
    if not result.ok:
        raise ImportFailed(result)
    counts = {
        "cases": 0,
        "cases_closed": 0,
        "conversations": 0,
        "activities": 0,
        "register_totals": 0,
    }
    record = "$"
    try:
        with transaction.atomic():
            case_services.categories_ensure_defaults(organisation)
            case_services.measure_types_ensure_defaults(organisation)
            learning_services.organisation_defaults_ensure(organisation=organisation)
            categories = {c.code: c for c in cases.categories_for(organisation)}
            measures = {m.code: m for m in cases.measure_types_for(organisation)}
            topics = learning.topics_for_import(organisation)
            for yi, year in enumerate(data["years"]):
                y = year["year"]
                for ci, item in enumerate(year.get("cases", [])):
                    record = f"years[{yi}].cases[{ci}]"
                    summary = item.get("public_summary") or {}
                    case = case_services.case_register(
                        organisation=organisation,
                        user=actor,
                        origin="before_intact",
                        report_type=item["report_type"],
                        received_on=_date(item.get("received_on"), y),
                        channel=item.get("channel", ""),
                        commissioning_authority=item.get("commissioning_authority", ""),
                        description=item.get("description") or summary.get("description") or "—",
                        object_of_investigation=item.get("object_of_investigation")
                        or summary.get("object_of_investigation", ""),
                        categories=[categories[c] for c in item.get("categories", [])],
                    )
                    case_services.team_declare(case=case, user=actor, has_conflict=False)
                    case = cases.case_reloaded(case)
                    if item.get("decision"):
                        case = case_services.decision_record(
                            case=case,
                            user=actor,
                            decision=item["decision"],
                            motivation=item.get("decision_motivation")
                            or "Geïmporteerd uit een eerder jaar.",
                        )
                    if item.get("conclusion"):
                        case = case_services.findings_record(
                            case=case,
                            user=actor,
                            findings=summary.get("findings") or "Geïmporteerd uit een eerder jaar.",
                            conclusion=item["conclusion"],
                        )
                    for code in item.get("measures", []):
                        case_services.measure_add(
                            case=case,
                            user=actor,
                            measure_type=measures[code],
                            decided_on=_date(item.get("received_on"), y),
                        )
                    if summary:
                        case_services.summary_update(
                            case=case,
                            user=actor,
                            description=summary.get("description", ""),
                            object_of_investigation=summary.get("object_of_investigation", ""),
                            findings=summary.get("findings", ""),
                            consequence=summary.get("consequence", ""),
                            reviewed=bool(summary.get("reviewed", True)),
                        )
                    closed_on = _closed_on(item, y)
                    if closed_on is not None:
                        case_services.case_close_historic(
                            case=case,
                            user=actor,
                            closed_on=closed_on,
                            note="Geïmporteerd uit een eerder jaar.",
                        )
                        counts["cases_closed"] += 1
                    counts["cases"] += 1
                for ti, row in enumerate(year.get("counsellor_conversations", [])):
                    record = f"years[{yi}].counsellor_conversations[{ti}]"
                    for _n in range(row["count"]):
                        learning_services.conversation_create(
                            actor=actor,
                            organisation=organisation,
                            date=_date(row.get("date"), y),
                            topic=topics[row["topic"]],
                            contact_form=row.get("contact_form", ContactForm.IN_PERSON),
                            follow_up=row.get("follow_up", FollowUp.ADVICE),
                            imported=True,
                        )
                        counts["conversations"] += 1
                for ai, act in enumerate(year.get("activities", [])):
                    record = f"years[{yi}].activities[{ai}]"
                    participants = act.get("participants", [0] * act.get("count", 1))
                    if isinstance(participants, int):
                        # A total for several sessions: spread it, the remainder on the first.
                        n = act.get("count", 1)
                        share, rest = divmod(participants, n)
                        participants = [share + (rest if i == 0 else 0) for i in range(n)]
                    for i in range(act.get("count", 1)):
                        learning_services.activity_create(
                            actor=actor,
                            organisation=organisation,
                            type=act["type"],
                            title=act.get("title") or act["type"],
                            date=_date(act.get("date"), y),
                            audience=act.get("audience", "all_staff"),
                            participants=participants[i] if i < len(participants) else 0,
                        )
                        counts["activities"] += 1
                for key, value in (year.get("register_totals") or {}).items():
                    record = f"years[{yi}].register_totals.{key}"
                    ImportedTotal.objects.update_or_create(
                        organisation=organisation, year=y, key=key, defaults={"value": value}
                    )
                    counts["register_totals"] += 1
            audit.record(
                actor,
                "accountability.import",
                organisation=organisation,
                object_type="accountability.import",
                detail={"years": [y["year"] for y in data["years"]], **counts},
            )
    except ImportFailed:
        raise
    except Exception as exc:
        messages = getattr(exc, "message_dict", None) or getattr(exc, "errors", None)
        text = str(messages or getattr(exc, "message", "") or exc)
        result.errors.append(ImportIssue(record, "", text))
        raise ImportFailed(result) from exc
    result.created = counts
    return result
