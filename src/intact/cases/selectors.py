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

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
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
    Party,
    Severity,
    TriageAction,
)
from intact.core.paging import Page, slice_page
from intact.organisations.models import Organisation, Role
from intact.security import audit, policy


def _norm(text: str) -> str:
    text = text or ""
    if text.isascii():  # nothing to decompose: the common case, and 10x faster
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _overdue_exists() -> Exists:
    return Exists(
        TriageAction.objects.filter(
            case=OuterRef("pk"), status=ActionStatus.OPEN, due_at__lt=timezone.now()
        )
    )


# What a row of the list shows (and the API's list serializer): metadata only. The
# encrypted columns are never read for a list, so nothing is decrypted for it.
LIST_COLUMNS = (
    "pk",
    "organisation_id",
    "reference",
    "origin",
    "report_type",
    "channel",
    "received_on",
    "status",
    "severity",
    "unit_id",
    "closed_at",
)
PAGE_SIZE = 50


def _filtered(
    qs: QuerySet[Case],
    *,
    status: str = "",
    category: str = "",
    severity: str = "",
    unit: int | None = None,
    year: int | None = None,
    overdue: bool = False,
) -> QuerySet[Case]:
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(
            Exists(
                Case.categories.through.objects.filter(
                    case_id=OuterRef("pk"), category__code=category
                )
            )
        )
    if severity:
        qs = qs.filter(severity=severity)
    if unit:
        qs = qs.filter(unit_id=unit)
    if year:
        qs = qs.filter(received_on__year=year)
    if overdue:
        qs = qs.filter(_overdue_exists())
    return qs


def _content_matches(content: QuerySet[Case], needle: str) -> list[int]:
    """Ids of the cases in ``content`` whose party names or public summary contain ``needle``.

    These columns are encrypted, so they are decrypted here: only for the
    cases the user may read in full (a handful per user), never for the rest.
    Two queries: the summaries, then the parties of those cases.
    """
    content = content.order_by()
    texts: dict[int, list[str]] = {
        pk: [description or "", consequence or ""]
        for pk, description, consequence in content.values_list(
            "pk", "summary_description", "summary_consequence"
        )
    }
    if not texts:
        return []
    parties = Party.objects.filter(case__in=content.values("pk")).select_related("person")
    for party in parties.only(
        "case_id", "name", "is_pseudonym", "person_id", "person__first_name", "person__last_name"
    ):
        texts[party.case_id].append(party.display_name())
    return [pk for pk, haystack in texts.items() if any(needle in _norm(h) for h in haystack)]


def case_queryset_for(
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
) -> QuerySet[Case]:
    """The cases ``user`` may see, filtered and ordered in SQL, newest first; metadata columns only.

    Each case carries ``sight`` (``content`` or ``meta``) and ``overdue``
    (an open triage action past its term). The query matches the reference of
    every visible case (in SQL); party names and the public summary only of
    cases the user may read in full (decrypted, see ``_content_matches``).
    Evaluate it a page at a time (``case_page_for``, the API's paginator).
    Not audited: rows hold no confidential content (the search text is not logged).
    """
    filters = {
        "status": status,
        "category": category,
        "severity": severity,
        "unit": unit,
        "year": year,
        "overdue": overdue,
    }
    qs = _filtered(access.visible(user, organisation), **filters)
    query = (query or "").strip()
    if query:
        needle = _norm(query)
        # References are ASCII, so a case-insensitive LIKE matches what ``_norm`` would.
        match = Q(reference__icontains=needle)
        content = _filtered(access.content_visible(user, organisation), **filters)
        found = _content_matches(content, needle)
        if found:
            match |= Q(pk__in=found)
        qs = qs.filter(match)
    return (
        qs.only(*LIST_COLUMNS)
        .annotate(overdue=_overdue_exists())
        .order_by("-received_on", "-pk")
        .prefetch_related("categories")
    )


CasePage = Page  # one page of the case list (rows: case, level, overdue, status_label)


def status_labels(organisation: Organisation, report_types: Any) -> dict[str, dict[str, str]]:
    """{report type: {status code: label}}: one workflow lookup per report type, not per case."""
    out = {}
    for report_type in sorted(set(report_types)):
        flow = config.workflow_for(organisation, report_type)
        out[report_type] = {s["code"]: config.label(s) for s in flow["states"]}
    return out


def case_page_for(
    *,
    user: Any,
    organisation: Organisation,
    page: Any = 1,
    per_page: int = PAGE_SIZE,
    **filters: Any,
) -> CasePage:
    """One page of ``case_queryset_for``: the count and at most ``per_page`` rows.

    Each row: ``case``, ``level`` (content or meta), ``overdue``, ``status_label``.
    A page number out of range (or not a number) gives the nearest page.
    """
    qs = case_queryset_for(user=user, organisation=organisation, **filters)
    cases, count, number = slice_page(qs, page, per_page)
    labels = status_labels(organisation, (c.report_type for c in cases))
    rows = [
        {
            "case": c,
            "level": c.sight,
            "overdue": bool(c.overdue),
            "status_label": labels[c.report_type].get(c.status, c.status),
        }
        for c in cases
    ]
    return CasePage(rows, count, number, per_page)


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
    """The start page: for coordinators open cases by stage and severity, and overdue actions of the user's cases.

    Counted with one ``GROUP BY`` over the visible open cases (no case is loaded);
    the overdue actions come from the open cases the user may read in full.
    """
    if not policy.may_read_case_content(user, organisation):
        return []
    groups = list(
        access.visible(user, organisation)
        .filter(closed_at__isnull=True)
        .order_by()
        .values("status", "severity", "report_type")  # the order of case_open_idx
        .annotate(n=Count("pk"))
    )
    open_count = sum(g["n"] for g in groups)
    is_coordinator = policy.has_role(user, organisation, Role.COORDINATOR)
    if not open_count and not is_coordinator:
        return []
    now = timezone.now()
    # The closed check on the outer query: inside the subquery SQLite (no statistics)
    # would scan an index of all open cases instead of looking up the user's few cases.
    content = access.content_visible(user, organisation).order_by().values("pk")
    overdue = list(
        TriageAction.objects.filter(
            case__in=content,
            case__closed_at__isnull=True,
            status=ActionStatus.OPEN,
            due_at__lt=now,
        )
        .select_related("case")
        .only(
            "pk",
            "case_id",
            "label_nl",
            "label_en",
            "due_at",
            "case__reference",
            "case__organisation_id",
        )
        .order_by("due_at")[:50]
    )
    labels = status_labels(organisation, (g["report_type"] for g in groups))
    severities = dict(Severity.choices)
    by_stage: Counter[str] = Counter()
    by_severity: Counter[str] = Counter()
    for g in groups:
        by_stage[labels[g["report_type"]].get(g["status"], g["status"])] += g["n"]
        severity = severities.get(g["severity"], g["severity"]) if g["severity"] else ""
        by_severity[str(severity) or _("Nog niet getrieerd")] += g["n"]
    return [
        {
            "title": _("Zaken"),
            "template": "cases/includes/start.html",
            "context": {
                "org_slug": organisation.slug,
                "open_count": open_count,
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
    return investigated_cases_for_report(organisation, year)


def committee_count_for_report(organisation: Organisation, year: int) -> int:
    """Cases received in ``year`` assigned to the complaints committee; user-free: only a count leaves it."""
    return Case.objects.filter(
        organisation=organisation, received_on__year=year, assignment="committee"
    ).count()


def case_counts_for_report(organisation: Organisation, year: int) -> dict[str, Any]:
    """The counts of :func:`case_statistics` by SQL aggregation (no row loaded or decrypted).

    User-free: only counts leave it. Same definitions: a case counts once per
    category and once per standard category (however many of its categories
    map onto it); an empty channel is "unknown", an empty severity
    "untriaged"; the outcome is "open" while the case is not closed,
    "not_investigated" when closed without the decision to investigate, else
    its conclusion (or "undetermined").
    """
    cases = _year_cases(organisation, year).order_by()
    links = Case.categories.through.objects.filter(
        case__organisation=organisation, case__received_on__year=year
    ).order_by()
    measures = Measure.objects.filter(
        case__organisation=organisation, case__received_on__year=year
    ).order_by()

    def grouped(qs: Any, field: str, **agg: Any) -> list[tuple[Any, ...]]:
        return list(qs.values_list(field).annotate(n=Count("pk"), **agg).order_by())

    def tally(rows: Any, empty: str | None = None) -> dict[str, int]:
        out: Counter = Counter()
        for key, n in rows:
            out[(key or empty) if empty else key] += n
        return dict(sorted((k, v) for k, v in out.items() if v))

    outcome: Counter = Counter()
    total = closed = 0
    for decision, conclusion, n, still_open in cases.values_list("decision", "conclusion").annotate(
        n=Count("pk"), still_open=Count("pk", filter=Q(closed_at__isnull=True))
    ):
        total += n
        closed += n - still_open
        outcome["open"] += still_open
        if decision != "investigate":
            outcome["not_investigated"] += n - still_open
        else:
            outcome[conclusion or "undetermined"] += n - still_open
    return {
        "total": total,
        "closed": closed,
        "by_category": tally(grouped(links, "category__code")),
        "by_standard_category": tally(
            links.values_list("category__standard")
            .annotate(n=Count("case_id", distinct=True))
            .order_by()
        ),
        "by_channel": tally(grouped(cases, "channel"), "unknown"),
        "by_report_type": tally(grouped(cases, "report_type")),
        "by_outcome": dict(sorted((k, v) for k, v in outcome.items() if v)),
        "by_measure": tally(grouped(measures, "type_code")),
        "by_measure_group": tally(grouped(measures, "group")),
        "by_severity": tally(grouped(cases, "severity"), "untriaged"),
        "by_origin": tally(grouped(cases, "origin")),
    }


# The columns of :func:`investigated_cases_table`: that selector loads whole
# cases, so each row decrypts all eleven confidential fields (description,
# findings, notes …) to publish four reviewed summaries.
SUMMARY_FIELDS = (
    "summary_description",
    "summary_object",
    "summary_findings",
    "summary_consequence",
)


def investigated_cases_for_report(organisation: Organisation, year: int) -> list[dict[str, str]]:
    """The table of investigated cases, decrypting only the public summaries.

    User-free: only the reviewed public summaries, reference, commissioning
    authority and conclusion leave it. Cases of ``year`` with a reviewed
    public summary, oldest first; the same columns and order.
    """
    rows = []
    qs = (
        _year_cases(organisation, year)
        .order_by()
        .filter(summary_reviewed=True)
        .only(
            "organisation_id", "reference", "commissioning_authority", "conclusion", *SUMMARY_FIELDS
        )
        .order_by("received_on", "pk")
    )
    for case in qs.iterator(chunk_size=500):
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


def investigated_count_for_report(organisation: Organisation, year: int) -> int:
    """How many rows :func:`investigated_cases_for_report` has for ``year``; user-free: only a count leaves it."""
    return _year_cases(organisation, year).order_by().filter(summary_reviewed=True).count()


def cases_in_year_exist(year: int) -> Exists:
    """An EXISTS over cases received in ``year`` of ``OuterRef("organisation_id")``.

    User-free: for the sector overview's filter on organisations taking part;
    only whether a case exists leaves it.
    """
    return Exists(
        Case.objects.filter(organisation_id=OuterRef("organisation_id"), received_on__year=year)
    )


def standard_counts_for_sector(year: int, organisation_ids: Any) -> list[tuple[str, int, int]]:
    """(standard category, cases, organisations) for cases of ``year`` of ``organisation_ids``.

    User-free: only counts leave it. A case with two categories under the
    same standard counts once for it (``COUNT(DISTINCT case)``), as in
    :func:`case_statistics`; grouped in SQL.
    """
    return list(
        Case.categories.through.objects.filter(
            case__received_on__year=year,
            case__organisation_id__in=organisation_ids,
        )
        .order_by()
        .values("category__standard")
        .annotate(
            cases=Count("case_id", distinct=True),
            organisations=Count("case__organisation_id", distinct=True),
        )
        .values_list("category__standard", "cases", "organisations")
    )


def case_reloaded(case: Case) -> Case:
    """``case`` read again from the database (for a writer holding a stale instance); no user involved."""
    return Case.objects.get(pk=case.pk)


def timeline_label(event: CaseEvent) -> str:
    """A readable line for a timeline entry (no confidential content is stored in events)."""
    from intact.cases.timeline import describe

    return describe(event)


__all__ = [
    "Conclusion",
    "case_document_for",
    "case_file",
    "case_get_for",
    "case_page_for",
    "case_queryset_for",
    "case_statistics",
    "categories_for",
    "investigated_cases_table",
    "measure_types_for",
    "reports_awaiting_case",
    "start_sections",
]
