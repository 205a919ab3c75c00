"""Every figure of the annual (or half-year) report in one plain tree of dicts and lists.

The figures come from the other apps' aggregate selectors. Where the
general selector loads (and decrypts) every row to count it in Python
(cases of the year, the investigated-cases table, the oaths of earlier
years), the owning app has a user-free ``*_for_report`` selector that
aggregates in SQL, and a test proves it gives the same figures as the
selector it replaces. Each figure is read once per
report (the report's own year is not read again for the comparison).
Nothing here is suppressed: :mod:`intact.accountability.report` applies
the edition.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.db.models import Sum
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


# --- user-free counts of the owning apps ---------------------------------------------------------


def report_counts(organisation: Organisation, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Reports received in [start, end] by type (route), channel and anonymity.

    The reporting app's user-free aggregate selector; only counts leave it.
    """
    from intact.reporting import selectors as reporting

    return reporting.report_counts(organisation=organisation, start=start, end=end)


def committee_count(organisation: Organisation, year: int) -> int:
    """Cases of ``year`` assigned to the complaints committee (the cases app's user-free count)."""
    from intact.cases import selectors as cases

    return cases.committee_count_for_report(organisation, year)


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


def _policy(organisation: Organisation, year: int, on: dt.date | None = None) -> dict[str, Any]:
    """The policy app's figures; ``on`` is the end of an interim report's period (targets judged then)."""
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
    out["targets"] = _safe("targets", targets, organisation, year, on=on) if targets else None
    assessment = getattr(policy, "self_assessment_for_report", None)
    out["self_assessment"] = (
        _safe("assessment", assessment, organisation, year) if assessment else None
    )
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


# The keys of ``cases.selectors.case_statistics`` the report uses. That selector
# loads every case of the year with its categories and measures (and decrypts
# each row's confidential fields) to count them in Python; the same counts
# come from a handful of GROUP BY queries that load no case and decrypt
# nothing. tests/accountability/test_figures_performance.py proves that both
# give the same figures on varied data, so the two cannot drift apart unseen.
CASE_KEYS = (
    "total",
    "closed",
    "by_category",
    "by_standard_category",
    "by_channel",
    "by_report_type",
    "by_outcome",
    "by_measure",
    "by_measure_group",
    "by_severity",
    "by_origin",
)


def case_counts(organisation: Organisation, year: int) -> dict[str, Any]:
    """The counts of ``case_statistics`` by SQL aggregation (no row loaded or decrypted).

    The cases app's user-free ``case_counts_for_report``; only counts leave it.
    """
    from intact.cases import selectors as cases

    return cases.case_counts_for_report(organisation, year)


def _case_figures(organisation: Organisation, year: int) -> dict[str, Any]:
    counts = case_counts(organisation, year)
    return {k: counts[k] for k in CASE_KEYS}


def investigated_cases(organisation: Organisation, year: int) -> list[dict[str, str]]:
    """The rows of ``investigated_cases_table``, decrypting only the public summaries.

    The cases app's user-free ``investigated_cases_for_report``: cases of
    ``year`` with a reviewed public summary, oldest first; the same columns
    and order as ``investigated_cases_table`` (the test compares them).
    """
    from intact.cases import selectors as cases

    return cases.investigated_cases_for_report(organisation, year)


def investigated_count(organisation: Organisation, year: int) -> int:
    """How many rows :func:`investigated_cases` has for ``year`` (a COUNT in the cases app)."""
    from intact.cases import selectors as cases

    return cases.investigated_count_for_report(organisation, year)


def oaths_taken(organisation: Organisation, year: int) -> int:
    """``register_figures(...)["oaths_taken"]`` without the registers' other figures.

    ``registers.selectors.register_counts`` also works out, person by
    person, whose oath is overdue (a loop over every active person); the
    comparison with earlier years needs only this one count (oaths and
    affirmations taken in ``year``, plus imported totals).
    """
    from intact.accountability.models import ImportedTotal
    from intact.registers import selectors as registers

    taken = registers.oaths_taken_count_for_report(organisation, year)
    imported = ImportedTotal.objects.filter(
        organisation=organisation, year=year, key="oaths_taken"
    ).aggregate(n=Sum("value"))["n"]
    return taken + int(imported or 0)


def _labels(organisation: Organisation) -> dict[str, dict[str, str]]:
    """Human labels for codes (categories, measures, report types, channels)."""
    from intact.cases import selectors as cases
    from intact.reporting.choices import Channel, ReportType

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
    table = investigated_cases(organisation, year)
    comparison = []
    for y in range(year - comparison_years, year + 1):
        if y == year:  # the year itself: the figures above, not read again
            stats, conv, acts = cases, conversations, activities
            investigated, oaths = len(table), (registers_ or {}).get("oaths_taken", 0)
        else:
            stats = _case_figures(organisation, y)
            conv = _safe(
                "conversations", learning.counsellor_topic_counts, organisation, y, default={}
            )
            acts = _safe("activities", learning.activity_totals, organisation, y, default={})
            investigated, oaths = investigated_count(organisation, y), oaths_taken(organisation, y)
        comparison.append(
            {
                "year": y,
                "cases": stats["total"],
                "investigated_rows": investigated,
                "by_report_type": stats["by_report_type"],
                "conversations": (conv or {}).get("total", 0),
                "sessions": (acts or {}).get("sessions", 0),
                "participants": (acts or {}).get("participants", 0),
                "oaths_taken": oaths,
            }
        )
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
        "vision": _policy(organisation, year, on=period_end),
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
    return Counter(case_counts(organisation, year)["by_standard_category"])
