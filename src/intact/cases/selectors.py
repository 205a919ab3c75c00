"""Reads of the cases app, through the access policy (``cases.access`` on ``security.policy``).

Anything a user may not see answers 404, exactly like a case that does not
exist. Opening a case is audited as a view. Search over party names and
summaries decrypts only the cases the user may see in full (no blind index:
see docs/cases.md, "Search").

``case_statistics`` and ``investigated_cases_table`` are aggregate reads for
the annual report: they take no user and return no personal data; the
accountability app decides who may see them.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from intact.cases import access, config, workflow
from intact.cases.models import (
    ActionStatus,
    Case,
    CaseEvent,
    Category,
    Conclusion,
    Measure,
    MeasureType,
    TriageAction,
)
from intact.organisations.models import Organisation, Role
from intact.security import audit, policy


def _norm(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _overdue_ids(case_ids: list[int]) -> set[int]:
    now = timezone.now()
    return set(
        TriageAction.objects.filter(
            case_id__in=case_ids, status=ActionStatus.OPEN, due_at__lt=now
        ).values_list("case_id", flat=True)
    )


def _matches(case: Case, query: str) -> bool:
    needle = _norm(query)
    haystack = [case.reference, case.summary_description or "", case.summary_consequence or ""]
    haystack += [p.display_name() for p in case.parties.all()]
    return any(needle in _norm(h) for h in haystack)


def case_list_for(
    *,
    user: Any,
    organisation: Organisation,
    status: str = "",
    category: str = "",
    severity: str = "",
    unit: int | None = None,
    year: int | None = None,
    overdue: bool = False,
    query: str = "",
) -> list[dict[str, Any]]:
    """The cases ``user`` may see, filtered; each row says the level of sight (content or meta).

    The query matches the reference of every visible case; party names and the
    public summary only of cases the user may read in full (decrypted here).
    Not audited: rows hold no confidential content (the search text is not logged).
    """
    content, meta = access.candidates(user, organisation)
    rows: list[dict[str, Any]] = []
    implicated = (
        access.implicated_case_ids(user, organisation)
        if getattr(user, "is_authenticated", False)
        else None
    )
    for level, qs in ((access.CONTENT, content), (access.META, meta)):
        if status:
            qs = qs.filter(status=status)
        if category:
            qs = qs.filter(categories__code=category)
        if severity:
            qs = qs.filter(severity=severity)
        if unit:
            qs = qs.filter(unit_id=unit)
        if year:
            qs = qs.filter(received_on__year=year)
        qs = qs.distinct().select_related("unit", "report").prefetch_related("categories")
        if level == access.CONTENT and query:
            qs = qs.prefetch_related("parties__person")
        for case in qs:
            if implicated is None or case.pk in implicated:
                continue
            if query:
                if level == access.CONTENT and not _matches(case, query):
                    continue
                if level == access.META and _norm(query) not in _norm(case.reference):
                    continue
            rows.append({"case": case, "level": level})
    overdue_ids = _overdue_ids([r["case"].pk for r in rows])
    for row in rows:
        row["overdue"] = row["case"].pk in overdue_ids
    if overdue:
        rows = [r for r in rows if r["overdue"]]
    rows.sort(key=lambda r: (r["case"].received_on, r["case"].pk), reverse=True)
    flows: dict[str, Any] = {}  # one workflow lookup per report type, not per row
    for row in rows:
        report_type = row["case"].report_type
        if report_type not in flows:
            flows[report_type] = config.workflow_for(organisation, report_type)
        row["status_label"] = workflow.state_label(flows[report_type], row["case"].status)
    return rows


def case_get_for(*, user: Any, organisation: Organisation, reference: str) -> tuple[Case, str]:
    """One case and the user's level of sight; 404 when not visible. A content view is audited."""
    case = (
        Case.objects.filter(organisation=organisation, reference=reference)
        .select_related("report", "unit")
        .first()
    )
    if case is None:
        raise Http404
    level = access.level_for(user, case)
    if level is None:
        raise Http404
    audit.record(
        user,
        "cases.case_viewed" if level == access.CONTENT else "cases.case_meta_viewed",
        organisation=organisation,
        obj=case,
    )
    return case, level


def case_file(*, case: Case, user: Any) -> dict[str, Any]:
    """Everything on the case page for a user with content sight: parties, triage, hearings, timeline, next steps."""
    flow = config.workflow_for(case.organisation, case.report_type)
    roles = access.acting_roles(user, case)
    now = timezone.now()
    actions = list(case.actions.order_by("due_at", "pk"))
    for action in actions:
        action.overdue = action.status == ActionStatus.OPEN and action.due_at < now
    due_next = [
        {"label": a.label, "due": a.due_at, "overdue": a.overdue}
        for a in actions
        if a.status == ActionStatus.OPEN
    ]
    for care in case.care_measures.filter(status=ActionStatus.OPEN, due_on__isnull=False):
        due = timezone.make_aware(dt.datetime.combine(care.due_on, dt.time(23, 59)))
        due_next.append({"label": _("Zorgmaatregel"), "due": due, "overdue": due < now})
    due_next.sort(key=lambda item: item["due"])
    return {
        "due_next": due_next[:5],
        "workflow": flow,
        "status_label": workflow.state_label(flow, case.status),
        "states": [
            {"code": s["code"], "label": config.label(s), "current": s["code"] == case.status}
            for s in flow["states"]
        ],
        "roles": roles,
        "next_steps": workflow.next_steps(flow, case, roles),
        "parties": list(case.parties.select_related("person")),
        "team": list(case.team.filter(removed_at__isnull=True).select_related("user")),
        "triage": case.triages.filter(is_current=True).select_related("recorded_by").first(),
        "triage_history": list(
            case.triages.select_related("recorded_by").order_by("-recorded_at", "-pk")
        ),
        "actions": actions,
        "hearings": list(case.hearings.select_related("party", "party__person")),
        "measures": list(case.measures.select_related("measure_type", "party")),
        "care_measures": list(case.care_measures.select_related("party")),
        "notifications": list(case.notifications.all()),
        "documents": list(case.documents.select_related("file")),
        "events": [
            (e, timeline_label(e)) for e in case.events.select_related("actor").order_by("at", "pk")
        ],
        "categories": list(case.categories.all()),
        "may_manage_team": access.may_manage_team(user, case),
    }


def case_document_for(*, case: Case, user: Any, document_id: int) -> Any:
    """One document of a case the user may read in full; 404 otherwise."""
    if access.level_for(user, case) != access.CONTENT:
        raise Http404
    doc = case.documents.filter(pk=document_id).select_related("file").first()
    if doc is None:
        raise Http404
    audit.record(
        user,
        "cases.document_viewed",
        organisation=case.organisation_id,
        obj=case,
        detail={"document": doc.pk},
    )
    return doc


def categories_for(organisation: Organisation, *, active_only: bool = True) -> list[Category]:
    """The organisation's categories (defaults created on first use)."""
    from intact.cases.services import categories_ensure_defaults

    categories_ensure_defaults(organisation)
    qs = Category.objects.filter(organisation=organisation)
    return list(qs.filter(active=True) if active_only else qs)


def measure_types_for(organisation: Organisation) -> list[MeasureType]:
    """The organisation's active measure types (defaults created on first use)."""
    from intact.cases.services import measure_types_ensure_defaults

    measure_types_ensure_defaults(organisation)
    return list(MeasureType.objects.filter(organisation=organisation, active=True))


def standard_categories() -> list[dict[str, Any]]:
    return config.defaults("categories")["standard"]


def reports_awaiting_case(*, user: Any, organisation: Organisation) -> list[Any]:
    """Reports the user may see that were taken into handling but have no case yet."""
    from intact.reporting import selectors as reporting_selectors

    if not policy.has_role(
        user, organisation, Role.COORDINATOR, Role.COMPETENT_AUTHORITY, Role.MANAGER
    ):
        return []
    reports = reporting_selectors.report_list_for(user=user, organisation=organisation).filter(
        status="case_opened", case__isnull=True
    )
    return list(reports[:50])


def report_for_case_open(*, user: Any, organisation: Organisation, reference: str) -> Any:
    """A report the user may open a case for (through reporting's selector, audited there); 404 otherwise."""
    from intact.reporting import selectors as reporting_selectors

    if not policy.has_role(
        user, organisation, Role.COORDINATOR, Role.COMPETENT_AUTHORITY, Role.MANAGER
    ):
        raise Http404
    return reporting_selectors.report_get_for(
        user=user, organisation=organisation, reference=reference
    )


def start_sections(user: Any, organisation: Organisation) -> list[dict]:
    """The start page: for coordinators open cases by stage and severity, and overdue actions of the user's cases."""
    if not policy.may_read_case_content(user, organisation):
        return []
    rows = [
        r
        for r in case_list_for(user=user, organisation=organisation)
        if r["case"].closed_at is None
    ]
    is_coordinator = policy.has_role(user, organisation, Role.COORDINATOR)
    if not rows and not is_coordinator:
        return []
    content_ids = [r["case"].pk for r in rows if r["level"] == access.CONTENT]
    now = timezone.now()
    overdue = list(
        TriageAction.objects.filter(
            case_id__in=content_ids, status=ActionStatus.OPEN, due_at__lt=now
        )
        .select_related("case")
        .order_by("due_at")[:50]
    )
    by_stage = Counter(r["status_label"] for r in rows)
    by_severity = Counter(r["case"].get_severity_display() or _("Nog niet getrieerd") for r in rows)
    return [
        {
            "title": _("Zaken"),
            "template": "cases/includes/start.html",
            "context": {
                "org_slug": organisation.slug,
                "open_count": len(rows),
                "by_stage": sorted(by_stage.items()),
                "by_severity": sorted(by_severity.items()),
                "overdue": overdue,
                "show_overview": is_coordinator,
            },
            "order": 20,
        }
    ]


# --- aggregates for the annual report ---------------------------------------------------------------


def _year_cases(organisation: Organisation, year: int) -> Any:
    return Case.objects.filter(organisation=organisation, received_on__year=year)


def case_statistics(organisation: Organisation, year: int) -> dict[str, Any]:
    """Counts for the annual report over cases received in ``year``; no personal data.

    Keys: total, closed, by_category, by_standard_category, by_channel,
    by_report_type, by_severity, by_outcome, by_measure, by_measure_group,
    by_origin. Anonymised cases count as well: what is counted survives retention.
    """
    cases = list(
        _year_cases(organisation, year).prefetch_related(
            "categories",
            Prefetch("measures", queryset=Measure.objects.only("case_id", "type_code", "group")),
        )
    )
    out: dict[str, Counter] = {
        k: Counter()
        for k in (
            "by_category",
            "by_standard_category",
            "by_channel",
            "by_report_type",
            "by_severity",
            "by_outcome",
            "by_measure",
            "by_measure_group",
            "by_origin",
        )
    }
    for case in cases:
        standards = set()
        for category in case.categories.all():
            out["by_category"][category.code] += 1
            standards.add(category.standard)
        for standard in standards:
            out["by_standard_category"][standard] += 1
        out["by_channel"][case.channel or "unknown"] += 1
        out["by_report_type"][case.report_type] += 1
        out["by_severity"][case.severity or "untriaged"] += 1
        out["by_origin"][case.origin] += 1
        if case.closed_at is None:
            outcome = "open"
        elif case.decision != "investigate":
            outcome = "not_investigated"
        else:
            outcome = case.conclusion or "undetermined"
        out["by_outcome"][outcome] += 1
        for measure in case.measures.all():
            out["by_measure"][measure.type_code] += 1
            out["by_measure_group"][measure.group] += 1
    return {
        "organisation": organisation.slug,
        "year": year,
        "total": len(cases),
        "closed": sum(1 for c in cases if c.closed_at is not None),
        **{k: dict(sorted(v.items())) for k, v in out.items()},
    }


def investigated_cases_table(organisation: Organisation, year: int) -> list[dict[str, str]]:
    """Rows of the Zuid-Holland table for cases received in ``year`` with a reviewed public summary.

    Columns: commissioning_authority, description, object_of_investigation,
    findings, consequence (from the reviewed public summary only, never the
    confidential description).
    """
    rows = []
    for case in (
        _year_cases(organisation, year).filter(summary_reviewed=True).order_by("received_on", "pk")
    ):
        rows.append(
            {
                "reference": case.reference,
                "commissioning_authority": case.commissioning_authority,
                "description": case.summary_description or "",
                "object_of_investigation": case.summary_object or "",
                "findings": case.summary_findings or "",
                "consequence": case.summary_consequence or "",
                "conclusion": case.conclusion,
            }
        )
    return rows


def timeline_label(event: CaseEvent) -> str:
    """A readable line for a timeline entry (no confidential content is stored in events)."""
    from intact.cases.timeline import describe

    return describe(event)


__all__ = [
    "Conclusion",
    "case_document_for",
    "case_file",
    "case_get_for",
    "case_list_for",
    "case_statistics",
    "categories_for",
    "investigated_cases_table",
    "measure_types_for",
    "reports_awaiting_case",
    "start_sections",
]
