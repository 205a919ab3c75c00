"""Reads of the policy app, through the access policy.

Who reads what:

* plans, annual plans and the monitoring dashboard: coordinator, competent
  authority, managers, counsellors, investigators and auditors / works council;
  auditors get the aggregated view (no names of people);
* frameworks, self-assessments and action points: coordinator, competent
  authority, auditor (owners' names hidden for the auditor);
* the periodic inquiry: completeness per unit for coordinator, competent
  authority and auditor; names of addressees and the matters reported only for
  the coordinator (every opening of matters is audited); each addressee sees
  their own requests.

What may not be seen answers 404 (``Http404``), like what does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intact.organisations.models import Organisation, Role
from intact.policy import indicators
from intact.policy.models import (
    CLOSED_ACTION_STATUSES,
    ActionPoint,
    AnnualPlan,
    Assessment,
    Compliance,
    Framework,
    InquiryMatter,
    InquiryRequest,
    InquiryRound,
    IntegrityPlan,
    Measure,
    PlanVersion,
    RequirementAssessment,
    VersionStatus,
)
from intact.security import audit, policy

EDIT_ROLES = frozenset({Role.COORDINATOR})
ADOPT_ROLES = frozenset({Role.COMPETENT_AUTHORITY})
PLAN_READ_ROLES = frozenset(
    {
        Role.COORDINATOR,
        Role.COMPETENT_AUTHORITY,
        Role.MANAGER,
        Role.COUNSELLOR,
        Role.INVESTIGATOR,
        Role.AUDITOR,
    }
)
NORMS_READ_ROLES = frozenset({Role.COORDINATOR, Role.COMPETENT_AUTHORITY, Role.AUDITOR})
INQUIRY_READ_ROLES = frozenset({Role.COORDINATOR, Role.COMPETENT_AUTHORITY, Role.AUDITOR})


def _require(user: Any, organisation: Organisation, roles: frozenset[str]) -> None:
    if not policy.has_role(user, organisation, *roles):
        raise Http404


def shows_names(user: Any, organisation: Organisation) -> bool:
    """Auditors and works council members read aggregates only: no names of people."""
    return policy.has_role(
        user,
        organisation,
        Role.COORDINATOR,
        Role.COMPETENT_AUTHORITY,
        Role.MANAGER,
        Role.COUNSELLOR,
        Role.INVESTIGATOR,
    )


def _today() -> dt.date:
    return timezone.localdate()


# --- plans -------------------------------------------------------------------------------------


def plan_list(*, user: Any, organisation: Organisation) -> QuerySet[IntegrityPlan]:
    """The organisation's integrity plans with their versions."""
    _require(user, organisation, PLAN_READ_ROLES)
    return (
        IntegrityPlan.objects.filter(organisation=organisation)
        .select_related("unit")
        .prefetch_related("versions")
    )


def plan_get(*, user: Any, organisation: Organisation, pk: int) -> IntegrityPlan:
    """One plan of the organisation, or 404."""
    try:
        return plan_list(user=user, organisation=organisation).get(pk=pk)
    except IntegrityPlan.DoesNotExist:
        raise Http404 from None


def version_get(*, user: Any, organisation: Organisation, pk: int) -> PlanVersion:
    """One plan version of the organisation, or 404."""
    _require(user, organisation, PLAN_READ_ROLES)
    try:
        return PlanVersion.objects.select_related("plan", "plan__unit", "adopted_by").get(
            pk=pk, plan__organisation=organisation
        )
    except PlanVersion.DoesNotExist:
        raise Http404 from None


def adopted_plan_version(organisation: Organisation) -> PlanVersion | None:
    """The organisation-wide plan version in force (aggregate; no user): adopted, newest first."""
    return (
        PlanVersion.objects.filter(
            plan__organisation=organisation, plan__unit__isnull=True, status=VersionStatus.ADOPTED
        )
        .order_by("-adopted_on", "-number")
        .first()
    )


def plan_sections_for_report(organisation: Organisation) -> dict[str, Any] | None:
    """For the annual report: the adopted plan's metadata and section texts (no user; public content)."""
    version = adopted_plan_version(organisation)
    if version is None:
        return None
    from intact.policy import data

    return {
        "title": version.plan.title,
        "version": version.number,
        "adopted_on": version.adopted_on,
        "term_start": version.term_start,
        "term_end": version.term_end,
        "sections": [
            {"code": s["code"], "title": s["title"], "text": version.sections.get(s["code"], "")}
            for s in data.plan_format()["sections"]
        ],
    }


# --- annual plans, measures, monitoring ---------------------------------------------------------


def annual_plan_list(*, user: Any, organisation: Organisation) -> QuerySet[AnnualPlan]:
    """Annual plans (central) and work plans (units) of the organisation."""
    _require(user, organisation, PLAN_READ_ROLES)
    return AnnualPlan.objects.filter(organisation=organisation).select_related(
        "unit", "parent", "plan"
    )


def annual_plan_get(*, user: Any, organisation: Organisation, pk: int) -> AnnualPlan:
    """One annual or work plan, or 404."""
    try:
        return annual_plan_list(user=user, organisation=organisation).get(pk=pk)
    except AnnualPlan.DoesNotExist:
        raise Http404 from None


def measure_get(*, user: Any, organisation: Organisation, pk: int) -> Measure:
    """One measure, or 404."""
    _require(user, organisation, PLAN_READ_ROLES | {Role.EMPLOYEE})
    try:
        measure = Measure.objects.select_related("annual_plan", "annual_plan__unit").get(
            pk=pk, annual_plan__organisation=organisation
        )
    except Measure.DoesNotExist:
        raise Http404 from None
    if (
        not policy.has_role(user, organisation, *PLAN_READ_ROLES)
        and not measure.responsibilities.filter(person__user=user).exists()
    ):
        raise Http404
    return measure


def _unit_ids(annual: AnnualPlan) -> set[int] | None:
    if annual.unit_id is None:
        return None
    from intact.organisations.selectors import unit_subtree_ids

    return unit_subtree_ids(organisation=annual.organisation_id, unit_ids={annual.unit_id})


def _fraction_elapsed(measure: Measure, on: dt.date) -> Decimal:
    if on >= measure.end_on:
        return Decimal(1)
    if on < measure.start_on:
        return Decimal(0)
    total = (measure.end_on - measure.start_on).days + 1
    return Decimal((on - measure.start_on).days + 1) / Decimal(total)


def measure_status(
    measure: Measure, *, on: dt.date | None = None, cache: dict | None = None
) -> dict[str, Any]:
    """How far a measure is: realised, target, percentage, the time-proportional expectation and the status.

    Realisation comes from the indicator when the measure has one (computed for the
    plan's year, and for a unit's work plan its units where the indicator can), else
    from the newest hand-entered progress. Status: ``done`` when the target is reached;
    ``behind`` when the realisation is below the target times the share of the time
    line that has passed; ``on_track`` otherwise; ``not_started`` before the start.
    """
    on = on or _today()
    annual = measure.annual_plan
    source = "manual"
    realised: Decimal | None = None
    if measure.indicator:
        key = (measure.indicator, annual.year, annual.unit_id)
        if cache is not None and key in cache:
            realised = cache[key]
        else:
            realised = indicators.compute(
                measure.indicator, annual.organisation, annual.year, _unit_ids(annual)
            )
            if cache is not None:
                cache[key] = realised
        source = "computed" if realised is not None else "unavailable"
    if realised is None:
        latest = measure.progress.order_by("-on", "-pk").first()
        realised = latest.value if latest else Decimal(0)
        if source != "unavailable":
            source = "manual"
    target = measure.target_value
    percent = int(min(Decimal(100), realised * 100 / target)) if target else 0
    expected = (target * _fraction_elapsed(measure, on)).quantize(Decimal("0.1"))
    if realised >= target:
        status = "done"
    elif on < measure.start_on:
        status = "not_started"
    elif realised < expected:
        status = "behind"
    else:
        status = "on_track"
    indicator = indicators.get(measure.indicator) if measure.indicator else None
    return {
        "measure": measure,
        "realised": realised,
        "target": target,
        "percent": percent,
        "expected": expected,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "source": source,
        "indicator_label": indicator.label if indicator else "",
        "organisation_wide": bool(indicator and annual.unit_id and not indicator.unit_aware),
    }


STATUS_LABELS = {
    "done": _("Gereed"),
    "on_track": _("Op schema"),
    "behind": _("Achter op schema"),
    "not_started": _("Nog niet begonnen"),
}


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    counts = Counter(r["status"] for r in rows)
    return {
        "measures": len(rows),
        "done": counts["done"],
        "on_track": counts["on_track"],
        "behind": counts["behind"],
        "not_started": counts["not_started"],
        "percent": round(sum(r["percent"] for r in rows) / len(rows)) if rows else 0,
        "budget": sum((r["measure"].budget or 0) for r in rows),
        "fte": sum((r["measure"].fte or 0) for r in rows),
    }


def dashboard(*, user: Any, annual_plan: AnnualPlan, on: dt.date | None = None) -> dict[str, Any]:
    """The monitoring view of a plan: each measure's progress, and the work plans rolled up into the central plan."""
    organisation = annual_plan.organisation
    _require(user, organisation, PLAN_READ_ROLES)
    cache: dict = {}
    names = shows_names(user, organisation)
    measures = list(
        annual_plan.measures.prefetch_related("progress", "responsibilities__person").order_by(
            "order", "pk"
        )
    )
    rows = [measure_status(m, on=on, cache=cache) for m in measures]
    for row in rows:
        row["people"] = (
            [
                (r.get_role_display(), r.person.full_name)
                for r in row["measure"].responsibilities.all()
            ]
            if names
            else []
        )
    children = []
    for child in annual_plan.children.select_related("unit").order_by("unit__name"):
        child_rows = [
            measure_status(m, on=on, cache=cache)
            for m in child.measures.prefetch_related("progress").order_by("order", "pk")
        ]
        children.append({"plan": child, "summary": _summary(child_rows), "rows": child_rows})
    all_rows = rows + [r for c in children for r in c["rows"]]
    return {
        "plan": annual_plan,
        "rows": rows,
        "summary": _summary(rows),
        "children": children,
        "total": _summary(all_rows),
        "show_names": names,
    }


def my_measures(*, user: Any, organisation: Organisation) -> list[dict[str, Any]]:
    """The measures the user is named responsible for, with their role and progress."""
    _require(user, organisation, frozenset())
    measures = (
        Measure.objects.filter(
            annual_plan__organisation=organisation, responsibilities__person__user=user
        )
        .select_related("annual_plan", "annual_plan__unit")
        .prefetch_related("responsibilities__person", "progress")
        .distinct()
        .order_by("-annual_plan__year", "end_on")
    )
    cache: dict = {}
    rows = []
    for measure in measures:
        row = measure_status(measure, cache=cache)
        row["my_roles"] = [
            r.get_role_display()
            for r in measure.responsibilities.all()
            if r.person.user_id == user.pk
        ]
        rows.append(row)
    return rows


# --- frameworks and self-assessment --------------------------------------------------------------


def framework_list(*, user: Any, organisation: Organisation) -> QuerySet[Framework]:
    """Built-in frameworks and the organisation's own."""
    _require(user, organisation, NORMS_READ_ROLES)
    from django.db.models import Q

    return Framework.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation))


def framework_get(*, user: Any, organisation: Organisation, pk: int) -> Framework:
    """One framework (built in or the organisation's own), or 404."""
    try:
        return framework_list(user=user, organisation=organisation).get(pk=pk)
    except Framework.DoesNotExist:
        raise Http404 from None


def requirement_tree(framework: Framework) -> list[dict[str, Any]]:
    """The framework's requirements as a flat list in order with their depth."""
    items = list(framework.requirements.order_by("order"))
    depth: dict[int, int] = {}
    out = []
    for item in items:
        depth[item.pk] = depth.get(item.parent_id, -1) + 1 if item.parent_id else 0
        out.append({"requirement": item, "depth": depth[item.pk]})
    return out


def assessment_list(*, user: Any, organisation: Organisation) -> QuerySet[Assessment]:
    """The organisation's self-assessments."""
    _require(user, organisation, NORMS_READ_ROLES)
    return Assessment.objects.filter(organisation=organisation).select_related("framework")


def assessment_get(*, user: Any, organisation: Organisation, pk: int) -> Assessment:
    """One self-assessment, or 404."""
    try:
        return assessment_list(user=user, organisation=organisation).get(pk=pk)
    except Assessment.DoesNotExist:
        raise Http404 from None


def item_get(*, user: Any, organisation: Organisation, pk: int) -> RequirementAssessment:
    """One assessed norm, or 404."""
    _require(user, organisation, NORMS_READ_ROLES)
    try:
        return RequirementAssessment.objects.select_related(
            "assessment", "requirement", "owner"
        ).get(pk=pk, assessment__organisation=organisation)
    except RequirementAssessment.DoesNotExist:
        raise Http404 from None


def compliance_overview(assessment: Assessment) -> dict[str, Any]:
    """Counts per status and the share met (not-applicable left out), for one assessment."""
    items = list(
        assessment.items.select_related("requirement", "owner").order_by("requirement__order")
    )
    counts = Counter(i.status for i in items)
    applicable = len(items) - counts[Compliance.NOT_APPLICABLE]
    score = (
        (counts[Compliance.MET] + 0.5 * counts[Compliance.PARTLY]) / applicable if applicable else 0
    )
    return {
        "items": items,
        "total": len(items),
        "counts": [(label, counts[value]) for value, label in Compliance.choices],
        "met": counts[Compliance.MET],
        "partly": counts[Compliance.PARTLY],
        "not_met": counts[Compliance.NOT_MET],
        "not_applicable": counts[Compliance.NOT_APPLICABLE],
        "not_assessed": counts[""],
        "percent_met": round(100 * counts[Compliance.MET] / applicable) if applicable else 0,
        "score": round(100 * score),
    }


def compliance_summary(organisation: Organisation) -> list[dict[str, Any]]:
    """For the annual report and start page: the newest assessment per framework with its overview (no names)."""
    latest: dict[int, Assessment] = {}
    for a in (
        Assessment.objects.filter(organisation=organisation)
        .select_related("framework")
        .order_by("started_on", "pk")
    ):
        latest[a.framework_id] = a
    out = []
    for a in latest.values():
        overview = compliance_overview(a)
        overview.pop("items")
        out.append(
            {
                "framework": a.framework.name,
                "assessment": a.name,
                "started_on": a.started_on,
                **overview,
            }
        )
    return out


def _number(value: Any) -> float | int:
    """A Decimal as a JSON number: an int when it is whole, else a float."""
    value = Decimal(value or 0)
    return int(value) if value == value.to_integral_value() else float(value)


def targets_for_report(
    organisation: Organisation, year: int, *, on: dt.date | None = None
) -> dict[str, Any]:
    """For the annual and half-year report: the targets of ``year``'s annual plan and work plans (no user, no names).

    One entry per plan (the central annual plan first, then the units' work
    plans by unit name); per measure the target, the realisation (computed by
    its indicator, or the newest hand-entered progress) and the status as in
    :func:`measure_status`, judged on 31 December of ``year`` (or today while
    the year runs), or on ``on`` (the end of a half-year report's period).
    Returns ``{"year", "judged_on", "plans": [...], "summary"}``;
    ``plans`` is empty when the organisation has no annual plan for ``year``.
    Unit names are included (``unit``); the report decides whether to show them.
    Only plain JSON values (str, int, float, bool, None).
    """
    on = min(_today(), on or dt.date(year, 12, 31))
    plans = list(
        AnnualPlan.objects.filter(organisation=organisation, year=year)
        .select_related("unit")
        .prefetch_related("measures__progress")
    )
    plans.sort(key=lambda p: (p.unit_id is not None, p.unit.name if p.unit else ""))
    cache: dict = {}
    out_plans = []
    all_rows: list[dict[str, Any]] = []
    for plan in plans:
        rows = [
            measure_status(m, on=on, cache=cache)
            for m in sorted(plan.measures.all(), key=lambda m: (m.order, m.pk))
        ]
        all_rows.extend(rows)
        out_plans.append(
            {
                "title": plan.title,
                "central": plan.is_central,
                "unit": plan.unit.name if plan.unit else None,
                "measures": [
                    {
                        "title": r["measure"].title,
                        "section": r["measure"].section,
                        "target": _number(r["target"]),
                        "realised": _number(r["realised"]),
                        "measured_in": r["measure"].target_unit,
                        "is_percentage": r["measure"].is_percentage,
                        "percent": r["percent"],
                        "status": r["status"],
                        "source": r["source"],
                        "indicator": r["measure"].indicator,
                        "end_on": r["measure"].end_on.isoformat(),
                    }
                    for r in rows
                ],
                "summary": _report_summary(rows),
            }
        )
    return {
        "year": year,
        "judged_on": on.isoformat(),
        "plans": out_plans,
        "summary": _report_summary(all_rows),
    }


def _report_summary(rows: list[dict[str, Any]]) -> dict[str, int]:
    summary = _summary(rows)
    return {
        k: int(summary[k])
        for k in ("measures", "done", "on_track", "behind", "not_started", "percent")
    }


def self_assessment_for_report(
    organisation: Organisation, year: int | None = None
) -> dict[str, Any]:
    """For the annual report: the newest self-assessment per norm framework with its scores (no user, no names).

    With ``year`` only assessments started on or before 31 December of that
    year count. Per framework: its name, code and version, the assessment's
    name and status (``open``/``done``), the day it started and the day a
    norm was last judged (``assessed_on``, None before any judgement), the
    number of norms and how many were judged, the counts per compliance
    status, ``percent_met`` (met / applicable) and ``score`` (met + half of
    partly, over applicable, 0–100). Returns ``{"assessments": [...]}``,
    an empty list when there is no self-assessment. Plain JSON values only.
    """
    from django.db.models import Max

    qs = Assessment.objects.filter(organisation=organisation).select_related("framework")
    if year is not None:
        qs = qs.filter(started_on__lte=dt.date(year, 12, 31))
    latest: dict[int, Assessment] = {}
    for a in qs.order_by("started_on", "pk"):
        latest[a.framework_id] = a
    out = []
    for a in sorted(latest.values(), key=lambda a: (a.framework.name, a.pk)):
        overview = compliance_overview(a)
        last = a.items.aggregate(m=Max("assessed_at"))["m"]
        out.append(
            {
                "framework": a.framework.name_display,
                "framework_code": a.framework.code,
                "framework_version": a.framework.version,
                "assessment": a.name,
                "status": a.status,
                "started_on": a.started_on.isoformat(),
                "assessed_on": timezone.localdate(last).isoformat() if last else None,
                "norms": overview["total"],
                "assessed": overview["total"] - overview["not_assessed"],
                "met": overview["met"],
                "partly": overview["partly"],
                "not_met": overview["not_met"],
                "not_applicable": overview["not_applicable"],
                "not_assessed": overview["not_assessed"],
                "percent_met": overview["percent_met"],
                "score": overview["score"],
            }
        )
    return {"assessments": out}


# --- action points -------------------------------------------------------------------------------


def action_list(
    *, user: Any, organisation: Organisation, include_closed: bool = False
) -> QuerySet[ActionPoint]:
    """Action points; open ones always, including those past their year (nothing drops out silently)."""
    _require(user, organisation, NORMS_READ_ROLES)
    qs = ActionPoint.objects.filter(organisation=organisation).select_related(
        "owner", "item__requirement"
    )
    if not include_closed:
        qs = qs.exclude(status__in=CLOSED_ACTION_STATUSES)
    return qs


def action_get(*, user: Any, organisation: Organisation, pk: int) -> ActionPoint:
    """One action point, or 404."""
    try:
        return action_list(user=user, organisation=organisation, include_closed=True).get(pk=pk)
    except ActionPoint.DoesNotExist:
        raise Http404 from None


def action_points_for_report(
    organisation: Organisation, year: int
) -> dict[str, list[dict[str, Any]]]:
    """For the annual report: action points of the year and earlier ones still open (no names)."""
    rows = ActionPoint.objects.filter(organisation=organisation, year__lte=year).order_by(
        "due_on", "pk"
    )
    out: dict[str, list[dict[str, Any]]] = {
        "of_year": [],
        "still_open_from_earlier": [],
        "next_year": [],
    }
    for a in rows:
        item = {
            "title": a.title,
            "status": a.status,
            "due_on": a.due_on,
            "owner_role": a.owner_role,
            "source": a.source,
            "reason": a.reason,
        }
        if a.year == year:
            out["of_year"].append(item)
        elif not a.is_closed:
            out["still_open_from_earlier"].append(item)
    out["next_year"] = [
        {
            "title": a.title,
            "status": a.status,
            "due_on": a.due_on,
            "owner_role": a.owner_role,
            "source": a.source,
            "reason": a.reason,
        }
        for a in ActionPoint.objects.filter(organisation=organisation, year=year + 1)
    ]
    return out


# --- periodic inquiry ---------------------------------------------------------------------------


def round_list(*, user: Any, organisation: Organisation) -> QuerySet[InquiryRound]:
    """The inquiry rounds."""
    _require(user, organisation, INQUIRY_READ_ROLES)
    return InquiryRound.objects.filter(organisation=organisation)


def round_get(*, user: Any, organisation: Organisation, pk: int) -> InquiryRound:
    """One round, or 404."""
    try:
        return round_list(user=user, organisation=organisation).get(pk=pk)
    except InquiryRound.DoesNotExist:
        raise Http404 from None


def completeness(round_: InquiryRound, unit_ids: set[int] | None = None) -> dict[str, Any]:
    """Answered / asked per unit and in total (no names)."""
    per_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    requests = round_.requests.select_related("unit")
    if unit_ids is not None:
        requests = requests.filter(unit_id__in=unit_ids)
    for req in requests:
        key = req.unit.name if req.unit else str(_("Hele organisatie"))
        per_unit[key][1] += 1
        per_unit[key][0] += req.answered_at is not None
    rows = [
        {"unit": unit, "answered": a, "asked": n, "percent": round(100 * a / n) if n else 100}
        for unit, (a, n) in sorted(per_unit.items())
    ]
    answered = sum(r["answered"] for r in rows)
    asked = sum(r["asked"] for r in rows)
    return {
        "rows": rows,
        "answered": answered,
        "asked": asked,
        "percent": round(100 * answered / asked) if asked else 100,
        "matters": InquiryMatter.objects.filter(request__round=round_).count(),
        "nothing": round_.requests.filter(nothing_to_report=True).count(),
    }


def round_requests(
    *, user: Any, organisation: Organisation, round_: InquiryRound
) -> QuerySet[InquiryRequest]:
    """Who was asked and whether they answered (names): coordinator only."""
    _require(user, organisation, EDIT_ROLES)
    return round_.requests.select_related("user", "unit").order_by("unit__name", "user__last_name")


def round_matters(
    *, user: Any, organisation: Organisation, round_: InquiryRound
) -> list[InquiryMatter]:
    """The matters reported in a round (confidential): coordinator only; the opening is audited."""
    _require(user, organisation, EDIT_ROLES)
    matters = list(
        InquiryMatter.objects.filter(request__round=round_).select_related(
            "request", "request__user", "request__unit"
        )
    )
    audit.record(
        user,
        "policy_matters_viewed",
        organisation=organisation,
        obj=round_,
        detail={"count": len(matters)},
    )
    return matters


def matter_get(*, user: Any, organisation: Organisation, pk: int) -> InquiryMatter:
    """One reported matter for the coordinator, or 404."""
    _require(user, organisation, EDIT_ROLES)
    try:
        return InquiryMatter.objects.select_related(
            "request", "request__round", "request__unit"
        ).get(pk=pk, organisation=organisation)
    except InquiryMatter.DoesNotExist:
        raise Http404 from None


def my_requests(*, user: Any, organisation: Organisation) -> QuerySet[InquiryRequest]:
    """The user's own inquiry requests, newest first."""
    _require(user, organisation, frozenset())
    return (
        InquiryRequest.objects.filter(round__organisation=organisation, user=user)
        .select_related("round")
        .order_by("-round__opened_on")
    )


def my_request_get(*, user: Any, organisation: Organisation, pk: int) -> InquiryRequest:
    """The user's own request to answer, or 404 (also for somebody else's)."""
    try:
        return my_requests(user=user, organisation=organisation).get(pk=pk)
    except InquiryRequest.DoesNotExist:
        raise Http404 from None


def inquiry_rounds_held(organisation: Organisation | int, year: int) -> int:
    """Rounds opened in ``year`` (aggregate, for monitoring)."""
    return InquiryRound.objects.filter(organisation=organisation, year=year).count()


def inquiry_completeness_year(
    organisation: Organisation | int, year: int, unit_ids: set[int] | None = None
) -> float:
    """Share of requests of ``year``'s rounds that were answered (aggregate, for monitoring)."""
    qs = InquiryRequest.objects.filter(round__organisation=organisation, round__year=year)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    asked = qs.count()
    return 100 * qs.filter(answered_at__isnull=False).count() / asked if asked else 0.0


def inquiry_figures(organisation: Organisation, year: int) -> dict[str, Any]:
    """For the annual and half-year reports: per round the completeness and the count of matters (no names)."""
    out = []
    for r in InquiryRound.objects.filter(organisation=organisation, year=year).order_by("number"):
        c = completeness(r)
        out.append(
            {
                "round": r.number,
                "period_start": r.period_start,
                "period_end": r.period_end,
                **{k: v for k, v in c.items() if k != "rows"},
            }
        )
    return {"year": year, "rounds": out}


# --- start page ---------------------------------------------------------------------------------


def start_sections(user: Any, organisation: Organisation) -> list[dict]:
    """Coordinator, competent authority, auditor: plan status (drafts awaiting adoption), measures
    behind, open action points, inquiry completeness (aggregates, no names).
    Everyone with an open inquiry request: the request to answer. Everyone named on a measure: my measures."""
    sections: list[dict] = []
    slug = organisation.slug
    today = _today()
    if policy.has_role(user, organisation, *NORMS_READ_ROLES):
        version = adopted_plan_version(organisation)
        draft = PlanVersion.objects.filter(
            plan__organisation=organisation, status=VersionStatus.DRAFT
        ).count()
        annual = AnnualPlan.objects.filter(
            organisation=organisation, year=today.year, unit=None
        ).first()
        behind = []
        if annual is not None:
            board = dashboard(user=user, annual_plan=annual)
            behind = [
                r
                for r in board["rows"] + [x for c in board["children"] for x in c["rows"]]
                if r["status"] == "behind"
            ]
        actions = ActionPoint.objects.filter(organisation=organisation).exclude(
            status__in=CLOSED_ACTION_STATUSES
        )
        open_round = (
            InquiryRound.objects.filter(organisation=organisation, closed_on__isnull=True)
            .order_by("-opened_on")
            .first()
        )
        sections.append(
            {
                "title": _("Integriteitsbeleid"),
                "template": "policy/start/coordinator.html",
                "context": {
                    "version": version,
                    "drafts": draft,
                    "annual": annual,
                    "behind": behind[:5],
                    "behind_count": len(behind),
                    "open_actions": actions.count(),
                    "overdue_actions": actions.filter(due_on__lt=today).count(),
                    "round": open_round,
                    "completeness": completeness(open_round) if open_round else None,
                    "plans_url": reverse("policy:plan_list", kwargs={"org": slug}),
                    "annual_url": reverse(
                        "policy:annual_detail", kwargs={"org": slug, "pk": annual.pk}
                    )
                    if annual
                    else reverse("policy:annual_list", kwargs={"org": slug}),
                    "actions_url": reverse("policy:action_list", kwargs={"org": slug}),
                    "round_url": reverse(
                        "policy:round_detail", kwargs={"org": slug, "pk": open_round.pk}
                    )
                    if open_round
                    else reverse("policy:round_list", kwargs={"org": slug}),
                },
                "order": 40,
            }
        )
    if policy.has_role(user, organisation):
        pending = list(
            InquiryRequest.objects.filter(
                round__organisation=organisation,
                user=user,
                answered_at__isnull=True,
                round__closed_on__isnull=True,
            ).select_related("round")
        )
        if pending:
            sections.append(
                {
                    "title": _("Uitvraag integriteit"),
                    "template": "policy/start/inquiry.html",
                    "context": {
                        "pending": [
                            {
                                "request": r,
                                "url": reverse(
                                    "policy:inquiry_answer", kwargs={"org": slug, "pk": r.pk}
                                ),
                            }
                            for r in pending
                        ]
                    },
                    "order": 15,
                }
            )
        mine = (
            Measure.objects.filter(
                annual_plan__organisation=organisation,
                responsibilities__person__user=user,
                annual_plan__year=today.year,
            )
            .distinct()
            .count()
        )
        if mine:
            sections.append(
                {
                    "title": _("Mijn maatregelen"),
                    "template": "policy/start/mine.html",
                    "context": {
                        "count": mine,
                        "url": reverse("policy:my_measures", kwargs={"org": slug}),
                    },
                    "order": 70,
                }
            )
    return sections
