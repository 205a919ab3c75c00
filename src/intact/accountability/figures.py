"""Every figure of the annual (or half-year) report in one plain tree of dicts and lists.

The figures come from the other apps' aggregate selectors (never their
tables), except where no selector exists yet; those few reads are marked
"own read" below and named in docs/annual-report.md. Nothing here is
suppressed: :mod:`intact.accountability.report` applies the edition.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language

from intact.organisations.models import Organisation

log = logging.getLogger(__name__)
DATA = Path(__file__).resolve().parent / "data"
SCHEMA_VERSION = "1.0"


@lru_cache(maxsize=1)
def legal_frameworks() -> dict[str, Any]:
    """The legal framework per organisation kind (data/legal_framework.yaml)."""
    return yaml.safe_load((DATA / "legal_framework.yaml").read_text(encoding="utf-8"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "__str__") and value.__class__.__name__ == "__proxy__":
        return str(value)
    if isinstance(value, float) or isinstance(value, (int, str, bool)) or value is None:
        return value
    try:
        return float(value)  # Decimal
    except (TypeError, ValueError):
        return str(value)


# --- own reads (no selector in the owning app yet) -----------------------------------------------


def report_counts(organisation: Organisation, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Own read: reports received in [start, end] by type (route), channel and anonymity.

    The reporting app has no aggregate selector for this; only counts leave
    this function.
    """
    from intact.reporting.models import Report

    rows = Report.objects.filter(
        organisation=organisation, received_at__date__gte=start, received_at__date__lte=end
    )

    def by(field: str) -> dict[str, int]:
        return {k: n for k, n in rows.values_list(field).annotate(n=Count("id")).order_by(field)}

    return {
        "total": rows.count(),
        "by_route": by("report_type"),
        "by_channel": by("channel"),
        "by_anonymity": by("anonymity"),
    }


def committee_count(organisation: Organisation, year: int) -> int:
    """Own read: cases of ``year`` assigned to the complaints committee (no selector in cases)."""
    from intact.cases.models import Case

    return Case.objects.filter(
        organisation=organisation, received_on__year=year, assignment="committee"
    ).count()


# --- guarded reads from other apps -----------------------------------------------------------------


REGISTER_TOTAL_KEYS = (
    "oaths_taken",
    "integrity_declarations_signed",
    "outside_activities_declared",
    "gifts_declared",
    "financial_declarations",
    "screening_checks_completed",
)


def register_figures(organisation: Organisation, year: int) -> dict[str, Any]:
    """The registers' counts plus totals imported for earlier years (own table)."""
    from intact.accountability.models import ImportedTotal
    from intact.registers import selectors as registers

    counts = dict(
        _safe("registers", registers.register_counts, organisation, year, default={}) or {}
    )
    for row in ImportedTotal.objects.filter(organisation=organisation, year=year):
        counts[row.key] = int(counts.get(row.key) or 0) + row.value
    return counts


def _safe(label: str, fn: Any, *args: Any, default: Any = None, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except Exception:  # pragma: no cover - another app not ready; the report still renders
        log.exception("accountability: figure %s unavailable", label)
        return default


def _policy(organisation: Organisation, year: int) -> dict[str, Any]:
    try:
        from intact.policy import selectors as policy
    except ImportError:  # pragma: no cover
        return {"plan": None, "action_points": None, "targets": None, "self_assessment": None}
    out: dict[str, Any] = {}
    out["plan"] = _safe("plan", policy.plan_sections_for_report, organisation)
    out["action_points"] = _safe(
        "action_points", policy.action_points_for_report, organisation, year
    )
    targets = getattr(policy, "targets_for_report", None)
    out["targets"] = _safe("targets", targets, organisation, year) if targets else None
    assessment = getattr(policy, "self_assessment_for_report", None)
    out["self_assessment"] = _safe("assessment", assessment, organisation) if assessment else None
    inquiry = getattr(policy, "inquiry_figures", None)
    out["inquiry"] = _safe("inquiry", inquiry, organisation, year) if inquiry else None
    return out


def _procedures(organisation: Organisation) -> list[dict[str, Any]]:
    from intact.reporting import diagrams, procedures

    out = []
    for proc in (
        _safe(
            "procedures", procedures.procedure_list_current, organisation=organisation, default=[]
        )
        or []
    ):
        out.append(
            {
                "report_type": proc.report_type,
                "name": proc.name_nl or proc.report_type,
                "steps": [str(s) for s in diagrams.procedure_text(proc)],
                "svg": diagrams.procedure_svg(proc, id_prefix=f"proc-{proc.report_type}"),
            }
        )
    return out


def _case_figures(organisation: Organisation, year: int) -> dict[str, Any]:
    from intact.cases import selectors as cases

    stats = cases.case_statistics(organisation, year)
    return {
        "total": stats["total"],
        "closed": stats["closed"],
        "by_category": stats["by_category"],
        "by_standard_category": stats["by_standard_category"],
        "by_channel": stats["by_channel"],
        "by_report_type": stats["by_report_type"],
        "by_outcome": stats["by_outcome"],
        "by_measure": stats["by_measure"],
        "by_measure_group": stats["by_measure_group"],
        "by_severity": stats["by_severity"],
        "by_origin": stats["by_origin"],
    }


def _labels(organisation: Organisation) -> dict[str, dict[str, str]]:
    """Human labels for codes (categories, measures, report types, channels)."""
    from intact.cases import selectors as cases
    from intact.reporting.models import Channel, ReportType

    out: dict[str, dict[str, str]] = {
        "category": {},
        "standard_category": {},
        "measure": {},
        "report_type": {k: str(v) for k, v in ReportType.choices},
        "channel": {k: str(v) for k, v in Channel.choices},
    }
    for c in (
        _safe("categories", cases.categories_for, organisation, active_only=False, default=[]) or []
    ):
        out["category"][c.code] = c.name_nl
    for m in _safe("measures", cases.measure_types_for, organisation, default=[]) or []:
        out["measure"][m.code] = m.name_nl
    for s in _safe("standard", cases.standard_categories, default=[]) or []:
        out["standard_category"][s.get("code", "")] = s.get("nl", s.get("code", ""))
    return out


def collect(
    organisation: Organisation,
    year: int,
    *,
    period_end: dt.date | None = None,
    comparison_years: int = 2,
) -> dict[str, Any]:
    """All figures of ``organisation`` for ``year`` (up to ``period_end`` for an interim report).

    Returns a JSON-ready tree; see docs/schemas/annual-report.schema.json.
    """
    from intact.learning import selectors as learning
    from intact.reporting import deadlines

    start = dt.date(year, 1, 1)
    end = period_end or dt.date(year, 12, 31)
    framework = legal_frameworks().get(organisation.kind) or legal_frameworks()["government"]
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    cases = _case_figures(organisation, year)
    activities = _safe("activities", learning.activity_totals, organisation, year, default={})
    conversations = _safe(
        "conversations", learning.counsellor_topic_counts, organisation, year, default={}
    )
    registers_ = register_figures(organisation, year)
    terms = _safe(
        "terms", deadlines.term_share_met, organisation=organisation, year=year, default={}
    )
    from intact.cases import selectors as case_selectors

    comparison = []
    for y in range(year - comparison_years, year + 1):
        stats = _case_figures(organisation, y)
        conv = _safe("conversations", learning.counsellor_topic_counts, organisation, y, default={})
        acts = _safe("activities", learning.activity_totals, organisation, y, default={})
        regs = register_figures(organisation, y)
        comparison.append(
            {
                "year": y,
                "cases": stats["total"],
                "investigated_rows": len(case_selectors.investigated_cases_table(organisation, y)),
                "by_report_type": stats["by_report_type"],
                "conversations": (conv or {}).get("total", 0),
                "sessions": (acts or {}).get("sessions", 0),
                "participants": (acts or {}).get("participants", 0),
                "oaths_taken": (regs or {}).get("oaths_taken", 0),
            }
        )
    table = case_selectors.investigated_cases_table(organisation, year)
    tree: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "organisation": {
            "slug": organisation.slug,
            "name": organisation.name,
            "kind": organisation.kind,
            "sector": getattr(organisation, "sector", "") or "",
        },
        "year": year,
        "period": {"start": start, "end": end, "interim": period_end is not None},
        "generated_at": timezone.now().replace(microsecond=0),
        "legal_framework": {
            "kind": organisation.kind,
            "title": framework[f"title_{lang}"],
            "source": framework["source"],
            "points": framework[f"points_{lang}"],
        },
        "vision": _policy(organisation, year),
        "procedures": _procedures(organisation),
        "reports": report_counts(organisation, start, end),
        "activities": activities or {},
        "registers": registers_ or {},
        "cases": cases,
        "investigated_cases": table,
        "counsellor_conversations": conversations or {},
        "complaints_committee": committee_count(organisation, year),
        "whistleblower_reports": cases["by_report_type"].get("wrongdoing", 0),
        "terms": terms or {},
        "comparison": comparison,
        "labels": _labels(organisation),
    }
    return _jsonable(tree)


def count_table(
    mapping: dict[str, int], labels: dict[str, str] | None = None
) -> list[tuple[str, str, int]]:
    """(code, label, count) rows of a by-code mapping, in label order."""
    labels = labels or {}
    return [
        (k, labels.get(k, k), int(v))
        for k, v in sorted(mapping.items(), key=lambda kv: labels.get(kv[0], kv[0]))
    ]


def standard_totals(organisation: Organisation, year: int) -> Counter:
    """By standard category (sector overview)."""
    from intact.cases import selectors as cases

    return Counter(cases.case_statistics(organisation, year)["by_standard_category"])
