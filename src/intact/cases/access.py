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
from django.db.models import CharField, Q, QuerySet, Value, When

from intact.cases import config
from intact.cases.models import Case, Party, PartyRole, TeamMember
from intact.organisations.models import Role
from intact.security import policy

CONTENT = "content"
META = "meta"


# Up to this many ids are passed to SQL as a literal list (the planner then looks the
# cases up by primary key); beyond it the subquery itself is used.
LITERAL_IDS_MAX = 2000


def _ids(qs: QuerySet[Any], field: str) -> list[Any] | QuerySet[Any]:
    """The values of ``field`` in ``qs``: a list when short, else the subquery (one query either way)."""
    qs = qs.order_by()
    ids = list(qs.values_list(field, flat=True)[: LITERAL_IDS_MAX + 1])
    return ids if len(ids) <= LITERAL_IDS_MAX else qs.values(field)


def _exclude_implicated(qs: QuerySet[Case], user: Any) -> QuerySet[Case]:
    """``qs`` without the cases in which ``user`` is an accused party or named in the report.

    Two small queries over the user's own rows (usually empty) instead of a
    check per case: the case list's count then needs no scan of the cases.
    """
    from intact.reporting import selectors as reporting

    accused = _ids(
        Party.objects.filter(role=PartyRole.ACCUSED, person__user=user, case__isnull=False),
        "case_id",
    )
    named = _ids(reporting.implications_of_user(user), "report_id")
    if not isinstance(accused, list) or accused:
        qs = qs.exclude(pk__in=accused)
    if not isinstance(named, list) or named:
        qs = qs.exclude(report_id__in=named)
    return qs


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
    from intact.reporting.choices import ReportType

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


def _sight_qs(user: Any, organisation: Any, *, literal: bool = False) -> tuple[Q, Q | None] | None:
    """(content condition, meta condition) on the cases of ``organisation``.

    None when the user sees nothing; a meta condition of None means every
    case (a coordinator for the whole organisation). Team conditions are
    ``id IN (the user's team cases)``: a subquery, evaluated once per query;
    with ``literal`` the ids themselves (see ``_ids``), for queries that should
    look the user's few cases up by primary key.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    if not policy.may_read_case_content(user, organisation):
        return None
    mine = TeamMember.objects.filter(user=user, removed_at__isnull=True)
    if literal:
        mine = mine.filter(case__organisation=organisation)

    def ids(qs: QuerySet[TeamMember]) -> Any:
        return _ids(qs, "case_id") if literal else qs.order_by().values("case_id")

    content_q = Q(pk__in=ids(mine.filter(declared_at__isnull=False, has_conflict=False)))
    if policy.has_role(user, organisation, Role.COMPETENT_AUTHORITY):
        content_q |= _authority_q(organisation)
    meta_q: Q | None = Q(pk__in=ids(mine.filter(declared_at__isnull=True)))
    if policy.has_role(user, organisation, Role.COORDINATOR):
        scope = policy.unit_scope(user, organisation, Role.COORDINATOR)
        meta_q = None if scope is None else Q(unit_id__in=scope) | meta_q
    return content_q, meta_q


def _base(user: Any, organisation: Any) -> QuerySet[Case]:
    """The organisation's cases without those in which ``user`` is implicated (party or report)."""
    return _exclude_implicated(Case.objects.filter(organisation=organisation), user)


def candidates(
    user: Any, organisation: Any, *, literal: bool = False
) -> tuple[QuerySet[Case], QuerySet[Case]]:
    """(content queryset, meta-only queryset) for ``user`` in ``organisation``, the implicated excluded."""
    conditions = _sight_qs(user, organisation, literal=literal)
    if conditions is None:
        return Case.objects.none(), Case.objects.none()
    content_q, meta_q = conditions
    base = _base(user, organisation)
    content = base.filter(content_q)
    meta = (base if meta_q is None else base.filter(meta_q)).exclude(content_q)
    return content, meta


def visible(user: Any, organisation: Any) -> QuerySet[Case]:
    """Every case ``user`` may see at all in ``organisation``, annotated with ``sight`` (content or meta).

    One queryset for lists: the same conditions as :func:`candidates`, so a
    page can be filtered, ordered, counted and sliced in SQL. The implicated
    (accused party, or named in the report) are excluded by id, read once per
    query from the user's own rows, not checked once per case.
    """
    conditions = _sight_qs(user, organisation)
    if conditions is None:
        return Case.objects.none().annotate(sight=Value(META))
    content_q, meta_q = conditions
    qs = _base(user, organisation)
    if meta_q is not None:
        qs = qs.filter(content_q | meta_q)
    return qs.annotate(
        sight=DbCase(
            When(content_q, then=Value(CONTENT)), default=Value(META), output_field=CharField()
        )
    )


def content_visible(user: Any, organisation: Any) -> QuerySet[Case]:
    """The cases whose content ``user`` may read (see :func:`candidates`), by their ids.

    For queries over these cases alone (search of their content, overdue
    actions): the ids make the database look them up by primary key.
    """
    return candidates(user, organisation, literal=True)[0]


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
