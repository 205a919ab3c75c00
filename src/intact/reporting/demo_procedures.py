"""Demo data for the staff side of reporting: procedures, terms and settings.

Called by the demo loader (``intact demo``) for each demo organisation;
idempotent. The procedures and terms are the defaults from ``data/``; the
demo shows one edited procedure version so the history is visible.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from intact.organisations.models import Role
from intact.reporting import deadlines, procedures
from intact.reporting.models import ReportType
from intact.reporting.models_procedures import Procedure
from intact.reporting.services_staff import reporting_settings_for


def demo_procedures(organisation: Any, *, actor: Any = None) -> None:
    """Give ``organisation`` its default procedures and terms, and a second version of one procedure."""
    with transaction.atomic():
        procedures.procedures_ensure_defaults(organisation)
        deadlines.terms_ensure_defaults(organisation)
        reporting_settings_for(organisation)
        behaviour = procedures.procedure_current(organisation=organisation, report_type=ReportType.BEHAVIOUR)
        if behaviour is not None and not Procedure.objects.filter(
            organisation=organisation, report_type=ReportType.BEHAVIOUR, version__gt=1
        ).exists():
            steps = [
                procedures.StepSpec(position=s.position, kind=s.kind, role=s.role, organ_id=s.organ_id,
                                    label_nl=s.label_nl, label_en=s.label_en)
                for s in behaviour.steps.all()
            ]
            steps.append(procedures.StepSpec(position=1, kind="inform", role=Role.COORDINATOR))
            procedures.procedure_update(
                actor=actor or "demo", procedure=behaviour, steps=steps,
                change_note="Integriteitscoördinator wordt geïnformeerd (registratie)",
            )
