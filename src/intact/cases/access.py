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

from django.db.models import Case as DbCase
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value, When

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


def _implicated_via_report(user: Any) -> Exists:
    from intact.reporting.models import ImplicatedPerson

    return Exists(ImplicatedPerson.objects.filter(report=OuterRef("report"), person__user=user))


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
    """Cases in a state where the competent authority decides, per report type.

    The states come from each report type's workflow; report types without
    their own entry use the common workflow. No scan of the cases: the known
    report types (the reporting app's and the workflow's own) are enumerated.
    """
    from intact.reporting.models import ReportType

    known = set(ReportType.values)
    known |= set((config.workflow_for(organisation, "").get("report_types") or {}).keys())
    by_states: dict[frozenset[str], set[str]] = {}
    for report_type in sorted(known):
        states = frozenset(authority_states(organisation, report_type))
        by_states.setdefault(states, set()).add(report_type)
    q = Q(pk__in=[])
    for states, types in by_states.items():
        if states:
            q |= Q(report_type__in=sorted(types), status__in=sorted(states))
    other = authority_states(organisation, "")
    if other:
        q |= Q(status__in=sorted(other)) & ~Q(report_type__in=sorted(known))
    return q


def _sight_qs(user: Any, organisation: Any) -> tuple[Q, Q] | None:
    """(content condition, meta condition) on cases of ``organisation``; None when nothing is visible."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not policy.may_read_case_content(user, organisation):
        return None
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
    pending = TeamMember.objects.filter(
        case=OuterRef("pk"), user=user, removed_at__isnull=True, declared_at__isnull=True
    )
    meta_q = Q(Exists(pending))
    if policy.has_role(user, organisation, Role.COORDINATOR):
        scope = policy.unit_scope(user, organisation, Role.COORDINATOR)
        meta_q |= Q(pk__isnull=False) if scope is None else Q(unit_id__in=scope)
    return content_q, meta_q


def _base(user: Any, organisation: Any) -> QuerySet[Case]:
    """The organisation's cases without those in which ``user`` is implicated (party or report)."""
    return (
        Case.objects.filter(organisation=organisation)
        .exclude(_implicated_by_party(user))
        .exclude(_implicated_via_report(user))
    )


def candidates(user: Any, organisation: Any) -> tuple[QuerySet[Case], QuerySet[Case]]:
    """(content queryset, meta-only queryset) for ``user`` in ``organisation``, the implicated excluded."""
    conditions = _sight_qs(user, organisation)
    if conditions is None:
        return Case.objects.none(), Case.objects.none()
    content_q, meta_q = conditions
    base = _base(user, organisation)
    content = base.filter(content_q)
    meta = base.filter(meta_q).exclude(content_q)
    return content, meta


def visible(user: Any, organisation: Any) -> QuerySet[Case]:
    """Every case ``user`` may see at all in ``organisation``, annotated with ``sight`` (content or meta).

    One queryset for lists: the same conditions as :func:`candidates`, so a
    page can be filtered, ordered, counted and sliced in SQL. The implicated
    (accused party, or named in the report) are excluded with ``NOT EXISTS``.
    """
    conditions = _sight_qs(user, organisation)
    if conditions is None:
        return Case.objects.none().annotate(sight=Value(META))
    content_q, meta_q = conditions
    return (
        _base(user, organisation)
        .filter(content_q | meta_q)
        .annotate(
            sight=DbCase(
                When(content_q, then=Value(CONTENT)), default=Value(META), output_field=CharField()
            )
        )
    )


def content_visible(user: Any, organisation: Any) -> QuerySet[Case]:
    """The cases whose content ``user`` may read (see :func:`candidates`)."""
    return candidates(user, organisation)[0]


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
