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

from intact.organisations.models import IntegrityOrgan, Membership, Role, Unit
from intact.reporting.models_procedures import ReportRoute, StepKind
from intact.security import audit


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
    below = None
    for m in Membership.objects.filter(
        organisation_id=organisation_id, role__in=roles, user__is_active=True
    ):
        if m.unit_id is None:
            chosen.add(m.user_id)
        else:
            unit_scoped.add(m.user_id)
            if report_units:
                if below is None:  # the unit tree once, not once per unit-scoped member
                    below = _descendants(organisation_id)
                if report_units & below(m.unit_id):
                    chosen.add(m.user_id)
    for step in steps:
        organ = step.organ
        if organ is not None and organ.person_id and organ.person and organ.person.user_id:
            chosen.add(organ.person.user_id)
    if not chosen and unit_scoped:
        chosen = unit_scoped
    return sorted(chosen)


def _descendants(organisation_id: int) -> Any:
    """A function unit id -> that unit and every unit below it (one query for the tree)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Unit.objects.filter(organisation_id=organisation_id).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)

    def below(unit_id: int) -> set[int]:
        out: set[int] = set()
        stack = [unit_id]
        while stack:
            current = stack.pop()
            if current not in out:
                out.add(current)
                stack.extend(children.get(current, []))
        return out

    return below


def _recipients(report: Any, receive: list[Any], inform: list[Any], excluded: set[int],
                report_units: set[int]) -> tuple[list[int], list[int], set[int]]:
    """(first recipients, informed, users with a mail address) with the rules of :func:`users_for_steps`.

    One membership query covers both step groups and the coordinators of the
    fallback; the unit tree and the organs are read only when needed.
    """
    roles = {s.role for s in receive + inform if s.role} | {Role.COORDINATOR}
    rows = []
    mailable: set[int] = set()
    for user_id, role, unit_id, email in Membership.objects.filter(
        organisation_id=report.organisation_id, role__in=roles, user__is_active=True
    ).values_list("user_id", "role", "unit_id", "user__email"):
        rows.append((user_id, role, unit_id))
        if email:
            mailable.add(user_id)
    organ_ids = {s.organ_id for s in receive + inform if s.organ_id}
    organ_users: dict[int, int] = {}
    if organ_ids:
        organ_users = {
            pk: uid
            for pk, uid in IntegrityOrgan.objects.filter(pk__in=organ_ids).values_list("pk", "person__user_id")
            if uid is not None
        }
    below = None

    def pick(steps: list[Any]) -> list[int]:
        nonlocal below
        step_roles = {s.role for s in steps if s.role}
        chosen: set[int] = set()
        unit_scoped: set[int] = set()
        for user_id, role, unit_id in rows:
            if role not in step_roles:
                continue
            if unit_id is None:
                chosen.add(user_id)
                continue
            unit_scoped.add(user_id)
            if report_units:
                if below is None:
                    below = _descendants(report.organisation_id)
                if report_units & below(unit_id):
                    chosen.add(user_id)
        chosen |= {organ_users[s.organ_id] for s in steps if s.organ_id in organ_users}
        if not chosen and unit_scoped:
            chosen = unit_scoped
        return sorted(chosen)

    recipients = [u for u in pick(receive) if u not in excluded]
    if not recipients:
        recipients = sorted({u for u, role, _unit in rows if role == Role.COORDINATOR} - excluded)
    informed = [u for u in pick(inform) if u not in excluded and u not in recipients]
    # Who can be told by mail: users with an address (an organ's user is checked when mailing).
    mailable |= {uid for uid in organ_users.values()}
    return recipients, informed, mailable


def report_route(*, report: Any, implicated: list[tuple[int | None, int | None]] | None = None,
                 granted: set[int] | None = None, writes: Any = None) -> None:
    """Give the report's first recipients access and inform who must be informed.

    Called inside the transaction of ``report_submit``. Implicated persons are
    never given access. ``report_submit`` passes what it already knows, to
    save queries: ``implicated`` as (user id, unit id) of the linked persons,
    ``granted`` the users who already have access, and ``writes``
    (:class:`intact.reporting.writes.Writes`) to collect the timeline events
    and audit entries it writes at the end of its transaction.
    """
    from intact.reporting import procedures
    from intact.reporting.models import ReportAccess
    from intact.reporting.writes import Writes

    procedure, steps = procedures.procedure_current_with_steps(
        organisation=report.organisation, report_type=report.report_type
    )
    if procedure is None:
        return
    first = min((s.position for s in steps if s.kind == StepKind.RECEIVE), default=1)
    receive = [s for s in steps if s.kind == StepKind.RECEIVE and s.position == first]
    inform = [s for s in steps if s.kind == StepKind.INFORM and s.position == first]
    if implicated is None:
        implicated = list(
            report.implicated.filter(person__isnull=False).values_list("person__user_id", "person__unit_id")
        )
    excluded = {user_id for user_id, _unit in implicated if user_id is not None}
    report_units = {unit_id for _user, unit_id in implicated if unit_id is not None}
    recipients, informed, mailable = _recipients(report, receive, inform, excluded, report_units)
    own = writes is None
    if own:
        writes = Writes()
    with transaction.atomic(savepoint=False):
        if granted is None:
            granted = set(
                ReportAccess.objects.filter(report=report, revoked_at__isnull=True).values_list("user_id", flat=True)
            )
        now = timezone.now()
        new = [u for u in recipients if u not in granted]
        ReportAccess.objects.bulk_create(
            [ReportAccess(report=report, user_id=u, reason="route", granted_at=now) for u in new]
        )
        for user_id in new:
            # What report_access_grant(granted_by=None) writes, for each recipient.
            writes.event(report, "access_granted", actor_label="system", detail={"user": user_id, "reason": "route"},
                         at=now)
            writes.record("system", "reporting.access_granted", organisation=report.organisation_id, obj=report,
                          detail={"user": user_id, "reason": "route"})
        ReportRoute.objects.create(
            report=report,
            procedure=procedure,
            position=first,
            recipient_ids=recipients,
            informed_ids=informed,
            excluded_count=len(excluded),
            created_at=now,
        )
        writes.record(
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
        if own:
            writes.flush()
        from intact.reporting.tasks import staff_waiting_mail_on_commit

        # Only who has an address can be told; nobody to tell, nothing to send or store.
        staff_waiting_mail_on_commit(user_ids=[u for u in recipients + informed if u in mailable],
                                     organisation=report.organisation)


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
