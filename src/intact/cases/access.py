"""Who may see and do what in a case. Used by the selectors and services; built on ``security.policy``.

Three levels of sight:

* ``content`` — the case file: active team members (joined with a
  conflict-of-interest declaration) and the competent authority while the
  case waits for its decision;
* ``meta`` — reference, stage and severity only, with the form to join:
  coordinators (within their unit scope) and invited team members who have
  not declared yet;
* nothing — everyone else, and always anyone implicated: a party with the
  accused role linked to their person, or a person the report names as
  involved, even when they hold a coordinator role. They get 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from intact.cases import config
from intact.cases.models import Case, Party, PartyRole, TeamMember
from intact.organisations.models import Role
from intact.security import policy

CONTENT = "content"
META = "meta"


def _implicated_by_party(user: Any) -> Exists:
    return Exists(
        Party.objects.filter(case=OuterRef("pk"), role=PartyRole.ACCUSED, person__user=user)
    )


def is_implicated(user: Any, case: Case) -> bool:
    """True when ``user`` is an accused party of the case or named as involved in its report."""
    if not getattr(user, "is_authenticated", False):
        return True
    if Party.objects.filter(case=case, role=PartyRole.ACCUSED, person__user=user).exists():
        return True
    if case.report_id:
        from intact.reporting import selectors as reporting_selectors

        return reporting_selectors.user_is_implicated(user=user, report=case.report)
    return False


def implicated_case_ids(user: Any, organisation: Any) -> set[int]:
    """Ids of the organisation's cases in which ``user`` is implicated (see ``is_implicated``).

    The set form for lists: two queries instead of two per case.
    """
    from intact.reporting import selectors as reporting_selectors

    accused = Party.objects.filter(
        case__organisation=organisation, role=PartyRole.ACCUSED, person__user=user
    ).values_list("case_id", flat=True)
    reports = reporting_selectors.report_ids_implicating(user=user, organisation=organisation)
    via_report = Case.objects.filter(organisation=organisation, report_id__in=reports).values_list(
        "pk", flat=True
    )
    return set(accused) | set(via_report)


def active_member(user: Any, case: Case) -> TeamMember | None:
    return TeamMember.objects.filter(
        case=case, user=user, removed_at__isnull=True, declared_at__isnull=False, has_conflict=False
    ).first()


def pending_member(user: Any, case: Case) -> TeamMember | None:
    return TeamMember.objects.filter(
        case=case, user=user, removed_at__isnull=True, declared_at__isnull=True
    ).first()


def authority_states(organisation: Any, report_type: str) -> set[str]:
    workflow = config.workflow_for(organisation, report_type)
    return {
        s["code"] for s in workflow["states"] if s.get("decision_role") == Role.COMPETENT_AUTHORITY
    }


def _authority_q(organisation: Any) -> Q:
    q = Q(pk__in=[])
    for report_type in set(
        Case.objects.filter(organisation=organisation).values_list("report_type", flat=True)
    ):
        q |= Q(report_type=report_type, status__in=authority_states(organisation, report_type))
    return q


def candidates(user: Any, organisation: Any) -> tuple[QuerySet[Case], QuerySet[Case]]:
    """(content queryset, meta-only queryset) for ``user`` in ``organisation``, before the report check."""
    if not policy.may_read_case_content(user, organisation):
        return Case.objects.none(), Case.objects.none()
    base = Case.objects.filter(organisation=organisation).exclude(_implicated_by_party(user))
    member = TeamMember.objects.filter(
        case=OuterRef("pk"),
        user=user,
        removed_at__isnull=True,
        declared_at__isnull=False,
        has_conflict=False,
    )
    content_q = Q(Exists(member))
    if policy.has_role(user, organisation, Role.COMPETENT_AUTHORITY):
        content_q |= _authority_q(organisation)
    content = base.filter(content_q)
    pending = TeamMember.objects.filter(
        case=OuterRef("pk"), user=user, removed_at__isnull=True, declared_at__isnull=True
    )
    meta_q = Q(Exists(pending))
    if policy.has_role(user, organisation, Role.COORDINATOR):
        scope = policy.unit_scope(user, organisation, Role.COORDINATOR)
        meta_q |= Q(pk__isnull=False) if scope is None else Q(unit_id__in=scope)
    meta = base.filter(meta_q).exclude(pk__in=content.values("pk"))
    return content, meta


def level_for(user: Any, case: Case) -> str | None:
    """``content``, ``meta`` or None for one case (None: answer 404)."""
    content, meta = candidates(user, case.organisation)
    if content.filter(pk=case.pk).exists():
        level = CONTENT
    elif meta.filter(pk=case.pk).exists():
        level = META
    else:
        return None
    if is_implicated(user, case):
        return None
    return level


def acting_roles(user: Any, case: Case) -> set[str]:
    """The roles ``user`` may act with in this case (empty when they may do nothing)."""
    if is_implicated(user, case):
        return set()
    held = policy.roles_in(user, case.organisation_id) & set(policy.CASE_CONTENT_ROLES)
    roles: set[str] = set()
    if active_member(user, case) is not None:
        roles |= held
    status = Case.objects.filter(pk=case.pk).values_list("status", flat=True).first() or case.status
    if Role.COMPETENT_AUTHORITY in held and status in authority_states(
        case.organisation, case.report_type
    ):
        roles.add(Role.COMPETENT_AUTHORITY)
    return roles


def may_manage_team(user: Any, case: Case) -> bool:
    """Active members who are coordinators, and the case lead, may invite and remove members."""
    member = active_member(user, case)
    if member is None or is_implicated(user, case):
        return False
    return member.role == "lead" or policy.has_role(user, case.organisation_id, Role.COORDINATOR)


def may_join(user: Any, case: Case) -> bool:
    """Coordinators in scope may ask to join (and so declare); invited members must declare."""
    if is_implicated(user, case) or active_member(user, case) is not None:
        return False
    if pending_member(user, case) is not None:
        return True
    if not policy.has_role(user, case.organisation_id, Role.COORDINATOR):
        return False
    scope = policy.unit_scope(user, case.organisation_id, Role.COORDINATOR)
    return scope is None or case.unit_id in scope
