"""Routing of incoming reports along the organisation's reporting procedure.

Owned by the staff-side/procedures work; called by ``services.report_submit``.

The first position of the current procedure for the report's type names who
receives the report (roles, or an integrity organ linked to a person with a
login). Those users get ``ReportAccess`` through the reporting services;
users of the ``inform`` steps get an e-mail that something is waiting, but no
access to the content (need to know). Implicated persons are never given
access, whatever role they hold. A unit-scoped role holder receives the
report only when it concerns a person in their unit (or below); org-wide
holders always do. If that leaves nobody, the report falls back to the
organisation's integrity coordinators, then to every holder of the role, so
a report can never land with nobody.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intact.organisations.models import Membership, Role, Unit
from intact.reporting.models_procedures import ReportRoute, StepKind
from intact.security import audit


def _unit_with_descendants(unit_ids: set[int], organisation_id: int) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent in Unit.objects.filter(organisation_id=organisation_id).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    out: set[int] = set()
    stack = list(unit_ids)
    while stack:
        current = stack.pop()
        if current in out:
            continue
        out.add(current)
        stack.extend(children.get(current, []))
    return out


def implicated_user_ids(report: Any) -> set[int]:
    """User ids of the persons a report names as involved."""
    return {
        uid
        for uid in report.implicated.filter(person__user__isnull=False).values_list(
            "person__user_id", flat=True
        )
        if uid is not None
    }


def _report_unit_ids(report: Any) -> set[int]:
    return set(
        report.implicated.filter(person__unit__isnull=False).values_list("person__unit_id", flat=True)
    )


def users_for_steps(report: Any, steps: list[Any]) -> list[int]:
    """Users holding the steps' roles (unit scope respected) or linked to the steps' organs."""
    organisation_id = report.organisation_id
    report_units = _report_unit_ids(report)
    roles = {s.role for s in steps if s.role}
    chosen: set[int] = set()
    unit_scoped: set[int] = set()
    for m in Membership.objects.filter(
        organisation_id=organisation_id, role__in=roles, user__is_active=True
    ):
        if m.unit_id is None:
            chosen.add(m.user_id)
        else:
            unit_scoped.add(m.user_id)
            if report_units and report_units & _unit_with_descendants({m.unit_id}, organisation_id):
                chosen.add(m.user_id)
    for step in steps:
        organ = step.organ
        if organ is not None and organ.person_id and organ.person and organ.person.user_id:
            chosen.add(organ.person.user_id)
    if not chosen and unit_scoped:
        chosen = unit_scoped
    return sorted(chosen)


def _fallback_users(report: Any) -> list[int]:
    return sorted(
        set(
            Membership.objects.filter(
                organisation_id=report.organisation_id, role=Role.COORDINATOR, user__is_active=True
            ).values_list("user_id", flat=True)
        )
    )


def report_route(*, report: Any) -> None:
    """Give the report's first recipients access and inform who must be informed.

    Called inside the transaction of ``report_submit``. Implicated persons are
    never given access.
    """
    from intact.reporting import procedures, services
    from intact.security.models import User

    procedure = procedures.procedure_current(
        organisation=report.organisation, report_type=report.report_type
    )
    if procedure is None:
        return
    steps = list(procedure.steps.all())
    first = min((s.position for s in steps if s.kind == StepKind.RECEIVE), default=1)
    receive = [s for s in steps if s.kind == StepKind.RECEIVE and s.position == first]
    inform = [s for s in steps if s.kind == StepKind.INFORM and s.position == first]
    excluded = implicated_user_ids(report)
    recipients = [u for u in users_for_steps(report, receive) if u not in excluded]
    if not recipients:
        recipients = [u for u in _fallback_users(report) if u not in excluded]
    informed = [u for u in users_for_steps(report, inform) if u not in excluded and u not in recipients]
    with transaction.atomic():
        for user in User.objects.filter(pk__in=recipients):
            services.report_access_grant(
                report=report, user=user, reason="route", granted_by=None
            )
        ReportRoute.objects.create(
            report=report,
            procedure=procedure,
            position=first,
            recipient_ids=recipients,
            informed_ids=informed,
            excluded_count=len(excluded),
            created_at=timezone.now(),
        )
        audit.record(
            "system",
            "reporting.report_routed",
            organisation=report.organisation_id,
            obj=report,
            detail={
                "procedure": procedure.pk,
                "version": procedure.version,
                "recipients": len(recipients),
                "informed": len(informed),
            },
        )
        from intact.reporting.tasks import staff_waiting_mail_on_commit

        staff_waiting_mail_on_commit(user_ids=recipients + informed, organisation=report.organisation)


def next_escalation(report: Any) -> tuple[Any, int, list[Any]] | None:
    """(procedure, position, steps) of the next rung for ``report``, or None at the top of the ladder.

    The ladder is the procedure version the report came in under.
    """
    routes = list(ReportRoute.objects.filter(report=report).select_related("procedure").order_by("position", "pk"))
    if not routes:
        return None
    procedure = routes[0].procedure
    reached = max(r.position for r in routes)
    later = [s for s in procedure.steps.select_related("organ__person").all()
             if s.position > reached and s.kind in (StepKind.RECEIVE, StepKind.ESCALATE)]
    if not later:
        return None
    position = min(s.position for s in later)
    return procedure, position, [s for s in later if s.position == position]


def report_escalate(*, report: Any, user: Any) -> ReportRoute:
    """Move the report one rung up its procedure's ladder.

    Users holding the next rung's roles (or linked to its organ) get access,
    never implicated persons; an external party only gets a record (the
    handler contacts them outside Intact). Audited; on the timeline for
    handlers only.
    """
    from intact.reporting import services
    from intact.security.models import User

    step = next_escalation(report)
    if step is None:
        raise services.ReportInvalid({"escalate": [_("De melding staat al op de hoogste trede van de procedure.")]})
    procedure, position, steps = step
    excluded = implicated_user_ids(report)
    recipients = [u for u in users_for_steps(report, steps) if u not in excluded]
    with transaction.atomic():
        for target in User.objects.filter(pk__in=recipients):
            services.report_access_grant(report=report, user=target, reason="escalation", granted_by=user)
        route = ReportRoute.objects.create(
            report=report, procedure=procedure, position=position, recipient_ids=recipients,
            informed_ids=[], excluded_count=len(excluded), created_at=timezone.now(),
        )
        services._event(report, "escalated", actor_label=services._actor_label(user),
                        detail={"position": position, "recipients": len(recipients)})
        audit.record(user, "reporting.report_escalated", organisation=report.organisation_id, obj=report,
                     detail={"procedure": procedure.pk, "position": position, "recipients": len(recipients)})
        from intact.reporting.tasks import staff_waiting_mail_on_commit

        staff_waiting_mail_on_commit(user_ids=recipients, organisation=report.organisation)
    return route
