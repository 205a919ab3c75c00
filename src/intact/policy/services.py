"""Every write of the policy app: one keyword-only function per use case.

Each runs in ``transaction.atomic()`` and writes its audit entry in the same
transaction. Access: the integrity coordinator edits; the competent authority
adopts plan versions; addressees answer the periodic inquiry; everything else
is refused with ``PermissionDenied`` (views and API answer 404 before that).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intact.organisations.models import Membership, Organisation, Person, Role, Unit
from intact.policy import data, indicators
from intact.policy.models import (
    ActionPoint,
    ActionSource,
    ActionStatus,
    AnnualPlan,
    Assessment,
    AssessmentStatus,
    Compliance,
    Framework,
    InquiryMatter,
    InquiryRequest,
    InquiryRound,
    InquirySettings,
    IntegrityPlan,
    MatterCategory,
    Measure,
    OwnerRole,
    PlanVersion,
    ProgressEntry,
    Requirement,
    RequirementAssessment,
    Responsibility,
    VersionStatus,
)
from intact.security import audit, policy

EDIT = (Role.COORDINATOR,)
ADOPT = (Role.COMPETENT_AUTHORITY,)


def _require(actor: Any, organisation: Organisation | int, *roles: str) -> None:
    if not policy.has_role(actor, organisation, *roles):
        raise PermissionDenied


def _same_org(organisation: Organisation, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and obj.organisation_id != organisation.pk:
            raise ValidationError(_("Dit hoort niet bij deze organisatie."))


def _today() -> dt.date:
    return timezone.localdate()


# --- integrity plan ------------------------------------------------------------------------------


def plan_create(
    *,
    actor: Any,
    organisation: Organisation,
    title: str,
    unit: Unit | None = None,
    author: str = "",
    adopting_body: str = "",
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
) -> IntegrityPlan:
    """Start a multi-year integrity plan with an empty first draft version."""
    _require(actor, organisation, *EDIT)
    _same_org(organisation, unit)
    if not (title or "").strip():
        raise ValidationError({"title": _("Vul een titel in.")})
    _check_term(term_start, term_end)
    with transaction.atomic():
        plan = IntegrityPlan.objects.create(
            organisation=organisation, unit=unit, title=title.strip()
        )
        PlanVersion.objects.create(
            plan=plan,
            number=1,
            author=author,
            adopting_body=adopting_body,
            term_start=term_start,
            term_end=term_end,
            sections={s["code"]: "" for s in data.plan_format()["sections"]},
            created_by=actor,
        )
        audit.record(actor, "policy_plan_created", organisation=organisation, obj=plan)
    return plan


def _check_term(start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end < start:
        raise ValidationError({"term_end": _("Het einde van de looptijd ligt vóór het begin.")})


def version_update(
    *, actor: Any, version: PlanVersion, sections: dict[str, str] | None = None, **meta: Any
) -> PlanVersion:
    """Change a draft's metadata and section texts; an adopted version is frozen."""
    organisation = version.plan.organisation
    _require(actor, organisation, *EDIT)
    allowed = {"author", "adopting_body", "term_start", "term_end"}
    unknown = set(meta) - allowed
    if unknown:
        raise ValidationError(_("Onbekende velden: %(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().get(pk=version.pk)
        if version.is_frozen:
            raise ValidationError(
                _("Een vastgestelde versie kan niet meer worden gewijzigd; maak een nieuwe versie.")
            )
        for key, value in meta.items():
            setattr(version, key, value)
        _check_term(version.term_start, version.term_end)
        if sections is not None:
            codes = {s["code"] for s in data.plan_format()["sections"]}
            version.sections = {
                **version.sections,
                **{k: v for k, v in sections.items() if k in codes},
            }
        version.save()
        audit.record(actor, "policy_version_updated", organisation=organisation, obj=version)
    return version


def version_adopt(
    *, actor: Any, version: PlanVersion, adopted_on: dt.date | None = None
) -> PlanVersion:
    """The competent authority adopts a draft: date recorded, version frozen, the previous one superseded."""
    organisation = version.plan.organisation
    _require(actor, organisation, *ADOPT)
    adopted_on = adopted_on or _today()
    if adopted_on > _today():
        raise ValidationError({"adopted_on": _("De datum van vaststelling ligt in de toekomst.")})
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != VersionStatus.DRAFT:
            raise ValidationError(_("Alleen een conceptversie kan worden vastgesteld."))
        missing = [
            s["title"]
            for s in data.plan_format()["sections"]
            if not (version.sections.get(s["code"]) or "").strip()
        ]
        if missing:
            raise ValidationError(
                _("Deze hoofdstukken zijn nog leeg: %(s)s.") % {"s": ", ".join(missing)}
            )
        if not (version.term_start and version.term_end):
            raise ValidationError(_("Vul de looptijd in voordat het plan wordt vastgesteld."))
        PlanVersion.objects.filter(plan=version.plan, status=VersionStatus.ADOPTED).update(
            status=VersionStatus.SUPERSEDED
        )
        version.status = VersionStatus.ADOPTED
        version.adopted_on = adopted_on
        version.adopted_by = actor
        version.save()
        audit.record(
            actor,
            "policy_version_adopted",
            organisation=organisation,
            obj=version,
            detail={"number": version.number, "adopted_on": adopted_on.isoformat()},
        )
    return version


def version_new_draft(*, actor: Any, plan: IntegrityPlan) -> PlanVersion:
    """A new draft version that starts from the newest version (there is at most one draft)."""
    _require(actor, plan.organisation, *EDIT)
    with transaction.atomic():
        versions = list(
            PlanVersion.objects.select_for_update().filter(plan=plan).order_by("-number")
        )
        if any(v.status == VersionStatus.DRAFT for v in versions):
            raise ValidationError(_("Er is al een conceptversie van dit plan."))
        base = versions[0] if versions else None
        version = PlanVersion.objects.create(
            plan=plan,
            number=(base.number + 1) if base else 1,
            author=base.author if base else "",
            adopting_body=base.adopting_body if base else "",
            term_start=base.term_start if base else None,
            term_end=base.term_end if base else None,
            sections=dict(base.sections) if base else {},
            created_by=actor,
        )
        audit.record(actor, "policy_version_created", organisation=plan.organisation, obj=version)
    return version


# --- annual plans and measures -------------------------------------------------------------------


def annual_plan_create(
    *,
    actor: Any,
    organisation: Organisation,
    year: int,
    unit: Unit | None = None,
    plan: IntegrityPlan | None = None,
    title: str = "",
) -> AnnualPlan:
    """An annual plan (central) or a unit's work plan for ``year``; a work plan hangs under the central one."""
    _require(actor, organisation, *EDIT)
    _same_org(organisation, unit, plan)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Onbekend jaar.")})
    if AnnualPlan.objects.filter(organisation=organisation, year=year, unit=unit).exists():
        raise ValidationError(_("Voor dit jaar en onderdeel bestaat al een plan."))
    with transaction.atomic():
        parent = None
        if unit is not None:
            parent = AnnualPlan.objects.filter(
                organisation=organisation, year=year, unit=None
            ).first()
            if parent is None:
                parent = AnnualPlan.objects.create(
                    organisation=organisation,
                    year=year,
                    plan=plan,
                    title=_("Jaarplan integriteit %(y)s") % {"y": year},
                )
        if not title:
            title = (
                _("Werkplan integriteit %(y)s – %(u)s") % {"y": year, "u": unit.name}
                if unit
                else _("Jaarplan integriteit %(y)s") % {"y": year}
            )
        annual = AnnualPlan.objects.create(
            organisation=organisation,
            year=year,
            unit=unit,
            plan=plan or (parent.plan if parent else None),
            parent=parent,
            title=title,
        )
        audit.record(actor, "policy_annual_plan_created", organisation=organisation, obj=annual)
    return annual


MEASURE_FIELDS = (
    "title",
    "description",
    "section",
    "target_value",
    "target_unit",
    "is_percentage",
    "owner_role",
    "budget",
    "fte",
    "start_on",
    "end_on",
    "indicator",
)


def _clean_measure(annual: AnnualPlan, values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if not (values.get("title") or "").strip():
        errors["title"] = [_("Vul de maatregel in.")]
    try:
        target = Decimal(str(values.get("target_value")))
        if target <= 0:
            raise InvalidOperation
    except (InvalidOperation, TypeError, ValueError):
        errors["target_value"] = [_("Vul een doel groter dan 0 in.")]
    else:
        if values.get("is_percentage") and target > 100:
            errors["target_value"] = [_("Een percentage is ten hoogste 100.")]
    if values.get("owner_role") not in OwnerRole.values:
        errors["owner_role"] = [_("Kies de rol die eigenaar is.")]
    start, end = values.get("start_on"), values.get("end_on")
    if not start or not end:
        errors["end_on"] = [_("Vul begin en einde in.")]
    elif end < start:
        errors["end_on"] = [_("Het einde ligt vóór het begin.")]
    key = values.get("indicator") or ""
    if key and indicators.get(key) is None:
        errors["indicator"] = [_("Onbekende indicator.")]
    elif key and bool(values.get("is_percentage")) != indicators.get(key).percentage:
        errors["is_percentage"] = [
            _("Deze indicator is een percentage.")
            if indicators.get(key).percentage
            else _("Deze indicator is een aantal, geen percentage.")
        ]
    if errors:
        raise ValidationError(errors)


def measure_create(*, actor: Any, annual_plan: AnnualPlan, **values: Any) -> Measure:
    """Add a measure with a concrete target, owner role, budget, FTE, time line and indicator."""
    _require(actor, annual_plan.organisation_id, *EDIT)
    unknown = set(values) - set(MEASURE_FIELDS) - {"action_point"}
    if unknown:
        raise ValidationError(_("Onbekende velden: %(f)s") % {"f": ", ".join(sorted(unknown))})
    values.setdefault("is_percentage", False)
    values.setdefault("indicator", "")
    _clean_measure(annual_plan, values)
    with transaction.atomic():
        order = annual_plan.measures.count()
        measure = Measure.objects.create(annual_plan=annual_plan, order=order, **values)
        audit.record(
            actor, "policy_measure_created", organisation=annual_plan.organisation_id, obj=measure
        )
    return measure


def measure_update(*, actor: Any, measure: Measure, **values: Any) -> Measure:
    """Change a measure (target, owner, time line, indicator …)."""
    _require(actor, measure.annual_plan.organisation_id, *EDIT)
    unknown = set(values) - set(MEASURE_FIELDS)
    if unknown:
        raise ValidationError(_("Onbekende velden: %(f)s") % {"f": ", ".join(sorted(unknown))})
    merged = {f: getattr(measure, f) for f in MEASURE_FIELDS} | values
    _clean_measure(measure.annual_plan, merged)
    with transaction.atomic():
        for key, value in values.items():
            setattr(measure, key, value)
        measure.save()
        audit.record(
            actor,
            "policy_measure_updated",
            organisation=measure.annual_plan.organisation_id,
            obj=measure,
        )
    return measure


def measure_delete(*, actor: Any, measure: Measure) -> None:
    """Remove a measure; an action point carried into it is open again (nothing silently drops out)."""
    organisation_id = measure.annual_plan.organisation_id
    _require(actor, organisation_id, *EDIT)
    with transaction.atomic():
        ActionPoint.objects.filter(measures=measure, status=ActionStatus.CARRIED_OVER).update(
            status=ActionStatus.OPEN, closed_on=None
        )
        audit.record(actor, "policy_measure_deleted", organisation=organisation_id, obj=measure)
        measure.delete()


def responsibility_add(
    *, actor: Any, measure: Measure, role: str, person: Person
) -> Responsibility:
    """Name a person as holding ``role`` for a measure."""
    organisation_id = measure.annual_plan.organisation_id
    _require(actor, organisation_id, *EDIT)
    if person.organisation_id != organisation_id:
        raise ValidationError({"person": _("Onbekende persoon.")})
    if role not in OwnerRole.values:
        raise ValidationError({"role": _("Kies een rol.")})
    with transaction.atomic():
        item, _created = Responsibility.objects.get_or_create(
            measure=measure, role=role, person=person
        )
        audit.record(actor, "policy_responsibility_added", organisation=organisation_id, obj=item)
    return item


def responsibility_remove(*, actor: Any, responsibility: Responsibility) -> None:
    """Take a person off a measure."""
    organisation_id = responsibility.measure.annual_plan.organisation_id
    _require(actor, organisation_id, *EDIT)
    with transaction.atomic():
        audit.record(
            actor, "policy_responsibility_removed", organisation=organisation_id, obj=responsibility
        )
        responsibility.delete()


def progress_add(
    *, actor: Any, measure: Measure, on: dt.date, value: Any, note: str = ""
) -> ProgressEntry:
    """Record by hand how far a measure is (the coordinator or a person responsible for it)."""
    organisation_id = measure.annual_plan.organisation_id
    responsible = measure.responsibilities.filter(person__user=actor).exists()
    if not (
        policy.has_role(actor, organisation_id, *EDIT)
        or (responsible and policy.has_role(actor, organisation_id))
    ):
        raise PermissionDenied
    try:
        amount = Decimal(str(value))
        if amount < 0:
            raise InvalidOperation
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"value": _("Vul een getal van 0 of meer in.")}) from None
    if on is None or on > _today():
        raise ValidationError({"on": _("Vul een datum in die niet in de toekomst ligt.")})
    with transaction.atomic():
        entry = ProgressEntry.objects.create(
            measure=measure, on=on, value=amount, note=note or "", created_by=actor
        )
        audit.record(actor, "policy_progress_added", organisation=organisation_id, obj=entry)
    return entry


# --- frameworks --------------------------------------------------------------------------------


def _framework_from_data(spec: dict[str, Any], organisation: Organisation | None) -> Framework:
    framework = Framework.objects.create(
        organisation=organisation,
        code=spec["code"],
        version=str(spec["version"]),
        name=spec["name"],
        description=spec.get("description", ""),
        source=spec.get("source", ""),
        kind=spec.get("kind", "norms"),
        applies_to=spec.get("applies_to", "") or "",
    )
    counter = [0]

    def add(items: list[dict[str, Any]], parent: Requirement | None) -> None:
        for item in items:
            counter[0] += 1
            req = Requirement.objects.create(
                framework=framework,
                parent=parent,
                ref_id=str(item["ref_id"]),
                name=item["name"],
                description=item.get("description", ""),
                assessable=item.get("assessable", True),
                evidence=item.get("evidence", ""),
                order=counter[0],
            )
            add(item.get("children", []), req)

    add(spec.get("requirements", []), None)
    return framework


def frameworks_ensure_builtin() -> int:
    """Load the built-in frameworks from ``data/frameworks/*.yaml`` (each version once); returns how many were added."""
    added = 0
    for spec in data.builtin_frameworks():
        exists = Framework.objects.filter(
            organisation__isnull=True, code=spec["code"], version=str(spec["version"])
        ).exists()
        if not exists:
            with transaction.atomic():
                _framework_from_data(spec, None)
            added += 1
    return added


def framework_import(*, actor: Any, organisation: Organisation, text: str) -> Framework:
    """Add the organisation's own framework from YAML text (the format of the built-in files)."""
    _require(actor, organisation, *EDIT)
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValidationError(
            _("Dit is geen geldige YAML: %(e)s") % {"e": str(exc).splitlines()[0]}
        ) from None
    errors = data.framework_errors(spec)
    if errors:
        raise ValidationError(errors)
    if Framework.objects.filter(
        organisation=organisation, code=spec["code"], version=str(spec["version"])
    ).exists():
        raise ValidationError(_("Dit normenkader bestaat al in deze versie."))
    with transaction.atomic():
        framework = _framework_from_data(spec, organisation)
        audit.record(actor, "policy_framework_imported", organisation=organisation, obj=framework)
    return framework


def framework_create(
    *,
    actor: Any,
    organisation: Organisation,
    name: str,
    version: str,
    requirements: list[str],
    source: str = "",
    description: str = "",
) -> Framework:
    """Create the organisation's own framework in the UI: one norm per line."""
    from django.utils.text import slugify

    spec = {
        "code": slugify(name)[:70] or "eigen-kader",
        "version": version or "1",
        "name": name,
        "source": source,
        "description": description,
        "kind": "own",
        "requirements": [
            {"ref_id": str(i), "name": line}
            for i, line in enumerate((r.strip() for r in requirements if r.strip()), 1)
        ],
    }
    return framework_import(
        actor=actor, organisation=organisation, text=yaml.safe_dump(spec, allow_unicode=True)
    )


# --- self-assessment -----------------------------------------------------------------------------


def _propose(item: RequirementAssessment, organisation: Organisation) -> None:
    from intact.policy import evidence

    proposal = (
        evidence.propose(item.requirement.evidence, organisation)
        if item.requirement.evidence
        else None
    )
    item.proposed_status, item.proposed_reason = proposal if proposal else ("", "")


def assessment_start(
    *, actor: Any, organisation: Organisation, framework: Framework, name: str = ""
) -> Assessment:
    """Start a self-assessment: one item per assessable norm, with Intact's proposals where it holds evidence."""
    _require(actor, organisation, *EDIT)
    if framework.organisation_id not in (None, organisation.pk):
        raise ValidationError(_("Onbekend normenkader."))
    with transaction.atomic():
        assessment = Assessment.objects.create(
            organisation=organisation,
            framework=framework,
            name=name or _("%(f)s – %(d)s") % {"f": framework.name, "d": _today().isoformat()},
            started_on=_today(),
            created_by=actor,
        )
        for requirement in framework.requirements.filter(assessable=True).order_by("order"):
            item = RequirementAssessment(assessment=assessment, requirement=requirement)
            _propose(item, organisation)
            item.save()
        audit.record(actor, "policy_assessment_started", organisation=organisation, obj=assessment)
    return assessment


def assessment_refresh_proposals(*, actor: Any, assessment: Assessment) -> int:
    """Ask the evidence sources again (the data changed); returns how many proposals changed."""
    _require(actor, assessment.organisation_id, *EDIT)
    changed = 0
    with transaction.atomic():
        for item in assessment.items.select_related("requirement"):
            before = (item.proposed_status, item.proposed_reason)
            _propose(item, assessment.organisation)
            if before != (item.proposed_status, item.proposed_reason):
                item.save(update_fields=["proposed_status", "proposed_reason"])
                changed += 1
        audit.record(
            actor,
            "policy_assessment_refreshed",
            organisation=assessment.organisation_id,
            obj=assessment,
        )
    return changed


def item_assess(
    *,
    actor: Any,
    item: RequirementAssessment,
    status: str,
    evidence: str = "",
    note: str = "",
    owner: Person | None = None,
    next_review: dt.date | None = None,
) -> RequirementAssessment:
    """The assessor's judgement of one norm (accepting Intact's proposal or overriding it)."""
    organisation = item.assessment.organisation
    _require(actor, organisation, *EDIT)
    if status not in Compliance.values:
        raise ValidationError({"status": _("Kies een status.")})
    if owner is not None and owner.organisation_id != organisation.pk:
        raise ValidationError({"owner": _("Onbekende persoon.")})
    with transaction.atomic():
        item.status = status
        item.evidence = evidence or ""
        item.note = note or ""
        item.owner = owner
        item.next_review = next_review
        item.assessed_by = actor
        item.assessed_at = timezone.now()
        item.save()
        audit.record(
            actor,
            "policy_item_assessed",
            organisation=organisation,
            obj=item,
            detail={"status": status},
        )
    return item


def item_accept_proposal(*, actor: Any, item: RequirementAssessment) -> RequirementAssessment:
    """Take over Intact's proposed status, with its reason as evidence."""
    if not item.proposed_status:
        raise ValidationError(_("Intact heeft voor deze norm geen voorstel."))
    evidence = "\n".join(filter(None, [item.evidence, item.proposed_reason]))
    return item_assess(
        actor=actor,
        item=item,
        status=item.proposed_status,
        evidence=evidence,
        note=item.note,
        owner=item.owner,
        next_review=item.next_review,
    )


def assessment_complete(*, actor: Any, assessment: Assessment) -> Assessment:
    """Close a self-assessment once every norm has a status."""
    _require(actor, assessment.organisation_id, *EDIT)
    if assessment.items.filter(status="").exists():
        raise ValidationError(_("Nog niet alle normen zijn beoordeeld."))
    with transaction.atomic():
        assessment.status = AssessmentStatus.DONE
        assessment.save(update_fields=["status"])
        audit.record(
            actor,
            "policy_assessment_completed",
            organisation=assessment.organisation_id,
            obj=assessment,
        )
    return assessment


# --- action points -------------------------------------------------------------------------------


def action_create(
    *,
    actor: Any,
    organisation: Organisation,
    title: str,
    source: str,
    due_on: dt.date,
    owner_role: str,
    year: int | None = None,
    description: str = "",
    source_label: str = "",
    owner: Person | None = None,
    item: RequirementAssessment | None = None,
) -> ActionPoint:
    """Register an improvement point from an evaluation, annual report, self-assessment or inquiry."""
    _require(actor, organisation, *EDIT)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("Vul het actiepunt in.")]
    if source not in ActionSource.values:
        errors["source"] = [_("Kies de bron.")]
    if owner_role not in OwnerRole.values:
        errors["owner_role"] = [_("Kies de rol die eigenaar is.")]
    if due_on is None:
        errors["due_on"] = [_("Vul een datum in.")]
    if owner is not None and owner.organisation_id != organisation.pk:
        errors["owner"] = [_("Onbekende persoon.")]
    if item is not None and item.assessment.organisation_id != organisation.pk:
        errors["item"] = [_("Onbekende norm.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = ActionPoint.objects.create(
            organisation=organisation,
            title=title.strip(),
            description=description or "",
            source=source,
            source_label=source_label or "",
            item=item,
            year=year or due_on.year,
            owner_role=owner_role,
            owner=owner,
            due_on=due_on,
        )
        audit.record(actor, "policy_action_created", organisation=organisation, obj=action)
    return action


def action_set_status(
    *, actor: Any, action: ActionPoint, status: str, reason: str = ""
) -> ActionPoint:
    """Move an action point on; cancelling needs a reason; carrying over goes through :func:`action_carry_over`."""
    _require(actor, action.organisation_id, *EDIT)
    if status not in ActionStatus.values or status == ActionStatus.CARRIED_OVER:
        raise ValidationError({"status": _("Kies een status.")})
    if status == ActionStatus.CANCELLED and not (reason or "").strip():
        raise ValidationError({"reason": _("Geef de reden waarom het actiepunt vervalt.")})
    with transaction.atomic():
        action.status = status
        action.reason = (reason or "").strip() or action.reason
        action.closed_on = (
            _today() if status in (ActionStatus.DONE, ActionStatus.CANCELLED) else None
        )
        action.save()
        audit.record(
            actor,
            "policy_action_status",
            organisation=action.organisation_id,
            obj=action,
            detail={"status": status},
        )
    return action


def action_carry_over(
    *,
    actor: Any,
    action: ActionPoint,
    annual_plan: AnnualPlan,
    target_value: Any,
    target_unit: str,
    start_on: dt.date | None = None,
    end_on: dt.date | None = None,
    is_percentage: bool = False,
    indicator: str = "",
) -> Measure:
    """Carry an open action point into an annual plan as a measure; the point is closed as carried over."""
    _require(actor, action.organisation_id, *EDIT)
    if annual_plan.organisation_id != action.organisation_id:
        raise ValidationError(_("Onbekend jaarplan."))
    if action.is_closed:
        raise ValidationError(_("Dit actiepunt is al gesloten."))
    with transaction.atomic():
        measure = measure_create(
            actor=actor,
            annual_plan=annual_plan,
            title=action.title,
            description=action.description,
            target_value=target_value,
            target_unit=target_unit,
            is_percentage=is_percentage,
            owner_role=action.owner_role,
            start_on=start_on or dt.date(annual_plan.year, 1, 1),
            end_on=end_on or dt.date(annual_plan.year, 12, 31),
            indicator=indicator,
            action_point=action,
        )
        if action.owner is not None:
            Responsibility.objects.get_or_create(
                measure=measure, role=action.owner_role, person=action.owner
            )
        action.status = ActionStatus.CARRIED_OVER
        action.closed_on = _today()
        action.reason = _("Overgenomen in %(p)s.") % {"p": annual_plan.title}
        action.save()
        audit.record(
            actor,
            "policy_action_carried_over",
            organisation=action.organisation_id,
            obj=action,
            detail={"measure": measure.pk},
        )
    return measure


# --- periodic inquiry ----------------------------------------------------------------------------

DEFAULT_INQUIRY_ROLES = [Role.MANAGER.value, Role.COUNSELLOR.value]


def inquiry_settings(organisation: Organisation) -> InquirySettings:
    """The organisation's inquiry settings (defaults: twice a year, managers and counsellors)."""
    item, _created = InquirySettings.objects.get_or_create(
        organisation=organisation, defaults={"roles": list(DEFAULT_INQUIRY_ROLES)}
    )
    return item


def inquiry_settings_update(
    *,
    actor: Any,
    organisation: Organisation,
    rounds_per_year: int,
    roles: list[str],
    extra_people: list[Person] = (),
    answer_days: int = 21,
    reminder_days: int = 7,
) -> InquirySettings:
    """Set how often the inquiry runs and whom it asks (roles, plus people such as HR advisers)."""
    _require(actor, organisation, *EDIT)
    if not 1 <= int(rounds_per_year) <= 12:
        raise ValidationError({"rounds_per_year": _("Kies 1 tot 12 rondes per jaar.")})
    if set(roles) - set(Role.values) or not roles and not extra_people:
        raise ValidationError({"roles": _("Kies wie de uitvraag krijgt.")})
    if any(p.organisation_id != organisation.pk for p in extra_people):
        raise ValidationError({"extra_people": _("Onbekende persoon.")})
    with transaction.atomic():
        item = inquiry_settings(organisation)
        item.rounds_per_year = rounds_per_year
        item.roles = list(roles)
        item.answer_days = answer_days
        item.reminder_days = reminder_days
        item.save()
        item.extra_people.set(extra_people)
        audit.record(actor, "policy_inquiry_settings", organisation=organisation, obj=item)
    return item


def _period_of(
    organisation: Organisation, on: dt.date, per_year: int
) -> tuple[int, dt.date, dt.date]:
    """The round number and period (the months since the previous round) that ends on or before ``on``."""
    months = 12 // per_year
    index = max((on.month - 1) // months, 0)
    start = dt.date(on.year, index * months + 1, 1)
    end_month = start.month + months
    end = (dt.date(on.year + (end_month > 12), (end_month - 1) % 12 + 1, 1)) - dt.timedelta(days=1)
    return index + 1, start, end


def _addressees(
    organisation: Organisation, settings_: InquirySettings
) -> dict[int, tuple[Any, str, Unit | None]]:
    found: dict[int, tuple[Any, str, Unit | None]] = {}
    memberships = (
        Membership.objects.filter(
            organisation=organisation, role__in=settings_.roles, user__is_active=True
        )
        .select_related("user", "unit")
        .order_by("pk")
    )
    for m in memberships:
        found.setdefault(m.user_id, (m.user, m.role, m.unit))
    for person in settings_.extra_people.filter(
        user__isnull=False, user__is_active=True
    ).select_related("user", "unit"):
        found.setdefault(person.user_id, (person.user, "hr", person.unit))
    return found


def inquiry_round_open(
    *,
    actor: Any,
    organisation: Organisation,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    due_on: dt.date | None = None,
) -> InquiryRound:
    """Open a round: every addressee (by role, plus the extra people) gets a request and a mail."""
    if actor is not None:
        _require(actor, organisation, *EDIT)
    settings_ = inquiry_settings(organisation)
    today = _today()
    if period_start is None or period_end is None:
        _n, period_start, period_end = _period_of(organisation, today, settings_.rounds_per_year)
    if period_end < period_start:
        raise ValidationError({"period_end": _("Het einde ligt vóór het begin.")})
    due_on = due_on or today + dt.timedelta(days=settings_.answer_days)
    with transaction.atomic():
        number = (
            InquiryRound.objects.filter(organisation=organisation, year=period_start.year).count()
            + 1
        )
        round_ = InquiryRound.objects.create(
            organisation=organisation,
            year=period_start.year,
            number=number,
            period_start=period_start,
            period_end=period_end,
            opened_on=today,
            due_on=due_on,
            created_by=actor,
        )
        people = _addressees(organisation, settings_)
        InquiryRequest.objects.bulk_create(
            InquiryRequest(round=round_, user=user, role=role, unit=unit)
            for user, role, unit in people.values()
        )
        audit.record(
            actor or "system",
            "policy_inquiry_opened",
            organisation=organisation,
            obj=round_,
            detail={"addressees": len(people)},
        )
        emails = [u.email for u, _r, _u in people.values() if u.email]
        _mail_later(organisation, emails, reminder=False)
    return round_


def _mail_later(organisation: Organisation, emails: list[str], *, reminder: bool) -> None:
    if not emails:
        return
    subject = _("Herinnering: uitvraag integriteit") if reminder else _("Uitvraag integriteit")
    url = reverse("policy:inquiry_mine", kwargs={"org": organisation.slug})
    body = _(
        "Er staat een uitvraag integriteit voor u klaar in Intact: welke integriteitszaken hebben "
        "in de afgelopen periode gespeeld? Ook als er niets te melden is, vragen wij u dat aan te geven.\n\n%(url)s"
    ) % {"url": url}
    for email in emails:
        transaction.on_commit(
            lambda email=email: send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=True
            )
        )


def inquiry_answer(
    *,
    actor: Any,
    request: InquiryRequest,
    nothing_to_report: bool,
    matters: list[dict[str, Any]] = (),
) -> InquiryRequest:
    """The addressee's answer: either "nothing to report" or one or more matters (category, description, reported already)."""
    round_ = request.round
    if request.user_id != actor.pk or not policy.has_role(actor, round_.organisation_id):
        raise PermissionDenied
    if not round_.is_open:
        raise ValidationError(_("Deze ronde is gesloten."))
    matters = [m for m in matters if (m.get("description") or "").strip()]
    if nothing_to_report and matters:
        raise ValidationError(
            _("Kies: niets te melden, of beschrijf wat er speelde, niet allebei.")
        )
    if not nothing_to_report and not matters:
        raise ValidationError(_("Beschrijf wat er speelde, of geef aan dat er niets te melden is."))
    errors = [m for m in matters if m.get("category") not in MatterCategory.values]
    if errors:
        raise ValidationError({"category": _("Kies de soort voor elke zaak.")})
    with transaction.atomic():
        request = InquiryRequest.objects.select_for_update().get(pk=request.pk)
        for m in matters:
            InquiryMatter.objects.create(
                request=request,
                organisation_id=round_.organisation_id,
                category=m["category"],
                occurred_on=m.get("occurred_on"),
                description=m["description"].strip(),
                already_reported=bool(m.get("already_reported")),
            )
        request.nothing_to_report = bool(nothing_to_report and not request.matters.exists())
        request.answered_at = timezone.now()
        request.save()
        audit.record(
            actor,
            "policy_inquiry_answered",
            organisation=round_.organisation_id,
            obj=request,
            detail={"matters": len(matters), "nothing_to_report": bool(nothing_to_report)},
        )
    return request


def inquiry_round_close(*, actor: Any, round: InquiryRound) -> InquiryRound:
    """Close a round (those who did not answer stay visible as not answered)."""
    _require(actor, round.organisation_id, *EDIT)
    with transaction.atomic():
        round.closed_on = _today()
        round.save(update_fields=["closed_on"])
        audit.record(actor, "policy_inquiry_closed", organisation=round.organisation_id, obj=round)
    return round


def inquiry_reminders_send(*, organisation: Organisation, now: dt.datetime | None = None) -> int:
    """Remind every addressee of an open round who has not answered, at most once per ``reminder_days``."""
    now = now or timezone.now()
    settings_ = inquiry_settings(organisation)
    wait = dt.timedelta(days=settings_.reminder_days)
    sent = 0
    with transaction.atomic():
        pending = (
            InquiryRequest.objects.select_for_update(of=("self",))
            .order_by("pk")
            .filter(
                round__organisation=organisation,
                round__closed_on__isnull=True,
                answered_at__isnull=True,
            )
            .select_related("user", "round")
        )
        emails = []
        for req in pending:
            last = req.last_reminded_at or timezone.make_aware(
                dt.datetime.combine(req.round.opened_on, dt.time.min)
            )
            if now - last < wait:
                continue
            req.reminders_sent += 1
            req.last_reminded_at = now
            req.save(update_fields=["reminders_sent", "last_reminded_at"])
            if req.user.email:
                emails.append(req.user.email)
            sent += 1
        if sent:
            audit.record(
                "system",
                "policy_inquiry_reminded",
                organisation=organisation,
                detail={"reminders": sent},
            )
        _mail_later(organisation, emails, reminder=True)
    return sent


def inquiry_rounds_schedule(
    *, organisation: Organisation, today: dt.date | None = None
) -> InquiryRound | None:
    """Open the round of the current period when it is due and not yet opened (the daily job)."""
    today = today or _today()
    settings_ = inquiry_settings(organisation)
    _number, start, _end = _period_of(organisation, today, settings_.rounds_per_year)
    # A round asks about the period that just ended; it opens once, early in the next period.
    _n, p_start, p_end = _period_of(
        organisation, start - dt.timedelta(days=1), settings_.rounds_per_year
    )
    if InquiryRound.objects.filter(organisation=organisation, period_start=p_start).exists():
        return None
    if not _addressees(organisation, settings_):
        return None
    return inquiry_round_open(
        actor=None, organisation=organisation, period_start=p_start, period_end=p_end
    )


def matter_register_case(
    *, actor: Any, matter: InquiryMatter, report_type: str | None = None
) -> str:
    """Register a matter from the inquiry as a case (origin "periodic inquiry") in the case app; returns its reference."""
    _require(actor, matter.organisation_id, *EDIT)
    from intact.cases import services as cases

    if not matter.needs_registration:
        raise ValidationError(_("Deze zaak is al verwerkt."))
    round_ = matter.request.round
    received = min(
        _today(), matter.request.answered_at.date() if matter.request.answered_at else _today()
    )
    try:
        case = cases.case_register(
            organisation=round_.organisation,
            user=actor,
            origin="periodic_inquiry",
            report_type=report_type or matter.category,
            received_on=received,
            unit=matter.request.unit,
            description=matter.description,
        )
    except cases.CaseInvalid as exc:
        raise ValidationError(exc.errors) from None
    with transaction.atomic():
        matter.case_reference = case.reference
        matter.save(update_fields=["case_reference"])
        audit.record(
            actor,
            "policy_matter_registered",
            organisation=matter.organisation_id,
            obj=matter,
            detail={"case": case.reference},
        )
    return case.reference


def matter_mark_handled(*, actor: Any, matter: InquiryMatter, note: str) -> InquiryMatter:
    """Close a matter without a new case (e.g. it is already case X, or a question answered), with a note."""
    _require(actor, matter.organisation_id, *EDIT)
    if not (note or "").strip():
        raise ValidationError({"note": _("Geef aan hoe deze zaak is verwerkt.")})
    with transaction.atomic():
        matter.handled_note = note.strip()[:200]
        matter.save(update_fields=["handled_note"])
        audit.record(
            actor, "policy_matter_handled", organisation=matter.organisation_id, obj=matter
        )
    return matter
