"""Reporting procedures (escalation ladders) as versioned data per organisation.

Defaults come from ``data/procedures.yaml`` (the Zuid-Holland routes). An edit
never changes a version: ``procedure_update`` writes the next version and
makes it current, so each ``ReportRoute`` keeps pointing to the procedure as
it was when the report came in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.db import IntegrityError, transaction
from django.db.models import Max

from intact.organisations.models import IntegrityOrgan, Role
from intact.reporting.models_procedures import Procedure, ProcedureStep, StepKind
from intact.security import audit

DATA_FILE = Path(__file__).parent / "data" / "procedures.yaml"


@lru_cache(maxsize=1)
def default_procedures() -> dict[str, Any]:
    """The default procedures (``data/procedures.yaml``), parsed once."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass
class StepSpec:
    """One step as entered on the edit page or read from the defaults."""

    position: int
    kind: str
    role: str = ""
    organ_id: int | None = None
    label_nl: str = ""
    label_en: str = ""

    def validate(self) -> None:
        if self.kind not in StepKind.values:
            raise ValueError(f"unknown step kind {self.kind!r}")
        if self.role and self.role not in Role.values:
            raise ValueError(f"unknown role {self.role!r}")
        if not (self.role or self.organ_id or self.label_nl):
            raise ValueError("a step needs a role, an organ or a name")
        if self.position < 1:
            raise ValueError("positions start at 1")


def _create_steps(procedure: Procedure, steps: list[StepSpec]) -> None:
    for spec in steps:
        spec.validate()
        ProcedureStep.objects.create(
            procedure=procedure,
            position=spec.position,
            kind=spec.kind,
            role=spec.role,
            organ_id=spec.organ_id,
            label_nl=spec.label_nl,
            label_en=spec.label_en,
        )


def _default_steps(organisation: Any, raw: list[dict]) -> list[StepSpec]:
    steps = []
    for item in raw:
        organ_id = None
        if item.get("organ_kind"):
            organ = (
                IntegrityOrgan.objects.filter(organisation=organisation, kind=item["organ_kind"])
                .order_by("order", "pk")
                .first()
            )
            organ_id = organ.pk if organ else None
        steps.append(
            StepSpec(
                position=int(item["position"]),
                kind=item["kind"],
                role=item.get("role", ""),
                organ_id=organ_id,
                label_nl=item.get("external_nl", ""),
                label_en=item.get("external_en", ""),
            )
        )
    return steps


def procedures_ensure_defaults(organisation: Any) -> list[Procedure]:
    """Give ``organisation`` the default procedure for every report type it has none for."""
    data = default_procedures()
    created = []
    for report_type, spec in data["procedures"].items():
        if Procedure.objects.filter(organisation=organisation, report_type=report_type).exists():
            continue
        try:
            # A savepoint per type: two first requests at once must not fail each other.
            with transaction.atomic():
                procedure = Procedure.objects.create(
                    organisation=organisation,
                    report_type=report_type,
                    version=1,
                    is_current=True,
                    name_nl=spec["name_nl"],
                    name_en=spec.get("name_en", ""),
                    source=data.get("source", ""),
                )
                _create_steps(procedure, _default_steps(organisation, spec["steps"]))
        except IntegrityError:
            continue
        created.append(procedure)
    return created


def procedure_current(*, organisation: Any, report_type: str) -> Procedure | None:
    """The current procedure version for a report type (defaults created when missing)."""
    procedure = (
        Procedure.objects.filter(organisation=organisation, report_type=report_type, is_current=True)
        .prefetch_related("steps__organ")
        .first()
    )
    if procedure is None:
        procedures_ensure_defaults(organisation)
        procedure = (
            Procedure.objects.filter(
                organisation=organisation, report_type=report_type, is_current=True
            )
            .prefetch_related("steps__organ")
            .first()
        )
    return procedure


def procedure_current_with_steps(*, organisation: Any, report_type: str) -> tuple[Procedure | None, list[ProcedureStep]]:
    """The current procedure for a report type and its steps, in one query (defaults created when missing).

    A procedure version never changes (an edit writes the next one), so the
    steps read with it are exactly the ladder a report routed now follows.
    Organs are not joined: who an organ is linked to is read when it is needed.
    """
    steps = list(
        ProcedureStep.objects.filter(
            procedure__organisation=organisation, procedure__report_type=report_type, procedure__is_current=True
        )
        .select_related("procedure")
        .order_by("position", "pk")
    )
    if steps:
        return steps[0].procedure, steps
    procedure = procedure_current(organisation=organisation, report_type=report_type)
    return procedure, (list(procedure.steps.all()) if procedure is not None else [])


def procedure_list_current(*, organisation: Any) -> list[Procedure]:
    """All current procedures of an organisation, in the order of the defaults file."""
    procedures_ensure_defaults(organisation)
    order = list(default_procedures()["procedures"].keys())
    items = list(
        Procedure.objects.filter(organisation=organisation, is_current=True).prefetch_related(
            "steps__organ"
        )
    )
    return sorted(items, key=lambda p: order.index(p.report_type) if p.report_type in order else 99)


def procedure_update(
    *, actor: Any, procedure: Procedure, steps: list[StepSpec], name_nl: str | None = None,
    name_en: str | None = None, change_note: str = ""
) -> Procedure:
    """Write the next version of ``procedure`` with ``steps`` and make it current."""
    if not any(s.kind == StepKind.RECEIVE for s in steps):
        raise ValueError("a procedure needs at least one first recipient")
    for spec in steps:
        spec.validate()
        if spec.organ_id and not IntegrityOrgan.objects.filter(
            pk=spec.organ_id, organisation_id=procedure.organisation_id
        ).exists():
            raise ValueError("unknown organ")
    with transaction.atomic():
        locked = Procedure.objects.select_for_update().filter(
            organisation_id=procedure.organisation_id, report_type=procedure.report_type
        )
        last = locked.aggregate(m=Max("version"))["m"] or 0
        locked.filter(is_current=True).update(is_current=False)
        new = Procedure.objects.create(
            organisation_id=procedure.organisation_id,
            report_type=procedure.report_type,
            version=last + 1,
            is_current=True,
            name_nl=name_nl or procedure.name_nl,
            name_en=name_en if name_en is not None else procedure.name_en,
            change_note=change_note[:300],
            source=procedure.source,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _create_steps(new, steps)
        audit.record(
            actor,
            "reporting.procedure_updated",
            organisation=procedure.organisation_id,
            obj=new,
            detail={"report_type": new.report_type, "version": new.version, "steps": len(steps)},
        )
    return new


def steps_by_position(procedure: Procedure) -> list[dict[str, Any]]:
    """The ladder as positions, each with its receive/inform/escalate steps."""
    positions: dict[int, dict[str, Any]] = {}
    for step in procedure.steps.all():
        entry = positions.setdefault(
            step.position, {"position": step.position, "receive": [], "inform": [], "escalate": []}
        )
        entry[step.kind].append(step)
    return [positions[k] for k in sorted(positions)]
