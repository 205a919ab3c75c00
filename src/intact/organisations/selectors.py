"""Reads of organisations, units, people and organs, through the access policy."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intact.organisations.models import (
    IntegrityOrgan,
    Membership,
    Organisation,
    Person,
    Role,
    Unit,
)
from intact.security import policy


def organisation_list_public() -> QuerySet[Organisation]:
    """Organisations whose public pages (report, mailbox, integrity page) are open."""
    return Organisation.objects.filter(is_active=True).order_by("name")


def organisation_get_public(*, slug: str) -> Organisation:
    """An active organisation by slug, for its public pages; 404 otherwise."""
    org = Organisation.objects.filter(slug=slug, is_active=True).first()
    if org is None:
        raise Http404
    return org


def organisations_for_user(*, user: Any) -> list[Organisation]:
    """The organisations where the user holds any role."""
    return policy.organisations_of(user)


def memberships_for_user(*, user: Any) -> list[Membership]:
    """The user's own role memberships."""
    return policy.memberships(user)


def organisation_for_user(*, user: Any, slug: str, roles: tuple[str, ...] = ()) -> Organisation:
    """The organisation if the user holds one of ``roles`` there (any role if empty); else 404."""
    return policy.organisation_for(user, slug, roles)


# Who may use which staff page of this app (see docs/decisions/0004).
UNIT_ROLES = policy.PEOPLE_ROLES
PERSON_WRITE_ROLES = frozenset({Role.COORDINATOR, Role.TECHNICAL_ADMIN})
MEMBERSHIP_ROLES = frozenset({Role.COORDINATOR, Role.TECHNICAL_ADMIN})
ORGAN_ROLES = frozenset({Role.COORDINATOR})


def unit_list(*, user: Any, organisation: Organisation) -> QuerySet[Unit]:
    """All units of the organisation, for every member (the tree itself is not confidential)."""
    if not policy.has_role(user, organisation):
        raise Http404
    return Unit.objects.filter(organisation=organisation).select_related("parent")


def _children_map(units: list[Unit]) -> dict[int | None, list[Unit]]:
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id].append(unit)
    return children


def unit_subtree_ids(*, organisation: Organisation | int, unit_ids: set[int]) -> set[int]:
    """The given units and every unit below them."""
    units = list(Unit.objects.filter(organisation=organisation).only("id", "parent_id"))
    children = _children_map(units)
    found: set[int] = set()
    stack = list(unit_ids)
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(child.pk for child in children.get(current, []))
    return found


def unit_tree(*, user: Any, organisation: Organisation) -> list[dict]:
    """The unit tree as nested dicts ``{unit, children, people}``, central units first.

    For the roles that keep the personnel overview; 404 for others.
    """
    if not policy.has_role(user, organisation, *UNIT_ROLES):
        raise Http404
    units = list(
        Unit.objects.filter(organisation=organisation).annotate(
            people_count=Count("people", filter=Q(people__end_date__isnull=True))
        )
    )
    children = _children_map(units)

    def build(parent_id: int | None) -> list[dict]:
        nodes = sorted(children.get(parent_id, []), key=lambda u: (not u.is_central, u.name))
        return [{"unit": u, "children": build(u.pk)} for u in nodes]

    return build(None)


def _people_scope(user: Any, organisation: Organisation) -> set[int] | None:
    """Unit ids whose people the user may see; None means all. 404 without a people role."""
    held = policy.roles_in(user, organisation) & set(policy.PEOPLE_ROLES)
    if not held:
        raise Http404
    scoped: set[int] = set()
    for role in held:
        units = policy.unit_scope(user, organisation, role)
        if units is None:
            return None
        scoped |= units
    return unit_subtree_ids(organisation=organisation, unit_ids=scoped)


def person_list(
    *,
    user: Any,
    organisation: Organisation,
    unit_id: int | None = None,
    contract_type: str = "",
    query: str = "",
    current_only: bool = False,
) -> QuerySet[Person]:
    """People of the organisation, for the roles that keep the personnel overview.

    A manager limited to a unit sees the people of that unit and the units
    below it. ``unit_id`` includes the units below it as well.
    """
    scope = _people_scope(user, organisation)
    people = Person.objects.filter(organisation=organisation).select_related("unit", "user")
    if scope is not None:
        people = people.filter(unit_id__in=scope)
    if unit_id is not None:
        people = people.filter(
            unit_id__in=unit_subtree_ids(organisation=organisation, unit_ids={unit_id})
        )
    if contract_type:
        people = people.filter(contract_type=contract_type)
    if query:
        for word in query.split()[:5]:
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(employee_number__iexact=word)
                | Q(position__icontains=word)
            )
    if current_only:
        people = people.filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
    return people


def person_get(*, user: Any, organisation: Organisation, pk: int) -> Person:
    """One person, if the user may see them; 404 otherwise (also for another organisation's)."""
    person = person_list(user=user, organisation=organisation).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def person_get_for_change(*, user: Any, organisation: Organisation, pk: int) -> Person:
    """A person the user may edit (coordinator or technical administrator); 404 otherwise."""
    if not policy.has_role(user, organisation, *PERSON_WRITE_ROLES):
        raise Http404
    return person_get(user=user, organisation=organisation, pk=pk)


def person_counts(*, user: Any, organisation: Organisation) -> dict[str, int]:
    """Current people by contract type, within what the user may see."""
    people = person_list(user=user, organisation=organisation, current_only=True)
    counts = {row["contract_type"]: row["n"] for row in people.values("contract_type").annotate(n=Count("id"))}
    counts["total"] = sum(counts.values())
    return counts


def membership_list(*, user: Any, organisation: Organisation) -> QuerySet[Membership]:
    """Role memberships of the organisation, for coordinators and technical administrators."""
    if not policy.has_role(user, organisation, *MEMBERSHIP_ROLES):
        raise Http404
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "unit")
        .order_by("role", "user__last_name", "user__username")
    )


def membership_get(*, user: Any, organisation: Organisation, pk: int) -> Membership:
    """One membership of the organisation, for those who manage roles; 404 otherwise."""
    membership = membership_list(user=user, organisation=organisation).filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def grantable_roles(*, user: Any, organisation: Organisation) -> list[str]:
    """The roles ``user`` may grant (and revoke) in the organisation.

    The coordinator manages every role. The technical administrator manages
    accounts but never the roles that read case content: otherwise they could
    grant themselves access to what they must never read (issue 2, point 4).
    """
    held = policy.roles_in(user, organisation)
    if Role.COORDINATOR in held:
        return list(Role.values)
    if Role.TECHNICAL_ADMIN in held:
        return [r for r in Role.values if r not in policy.CASE_CONTENT_ROLES]
    return []


def people_with_account(*, user: Any, organisation: Organisation) -> QuerySet[Person]:
    """People with a login, to whom a role can be granted."""
    if not policy.has_role(user, organisation, *MEMBERSHIP_ROLES):
        raise Http404
    return Person.objects.filter(organisation=organisation, user__isnull=False).select_related("user")


def organ_list(*, user: Any, organisation: Organisation) -> QuerySet[IntegrityOrgan]:
    """The organs directory for its keeper, the integrity coordinator."""
    if not policy.has_role(user, organisation, *ORGAN_ROLES):
        raise Http404
    return IntegrityOrgan.objects.filter(organisation=organisation).select_related("person")


def organ_get(*, user: Any, organisation: Organisation, pk: int) -> IntegrityOrgan:
    """One directory entry, for the coordinator; 404 otherwise."""
    organ = organ_list(user=user, organisation=organisation).filter(pk=pk).first()
    if organ is None:
        raise Http404
    return organ


def person_for_user(*, user: Any, organisation: Organisation) -> Person | None:
    """The user's own person record in the organisation, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(organisation=organisation, user=user).first()


def organ_list_public(*, organisation: Organisation) -> QuerySet[IntegrityOrgan]:
    """The integrity organs directory: public by design (who to turn to)."""
    return IntegrityOrgan.objects.filter(organisation=organisation).select_related("person")


def start_sections(user: Any, organisation: Organisation) -> list[dict]:
    """Start-page sections of this app, one per kind of work the user's roles involve.

    * every member: "your details" (their own person record and roles);
    * people roles: counts of people and units, links to the overviews;
    * coordinator / technical administrator: roles and the organs directory.
    """
    held = policy.roles_in(user, organisation)
    if not held:
        return []
    org = organisation.slug
    sections: list[dict] = []
    if held & set(UNIT_ROLES):
        counts = person_counts(user=user, organisation=organisation)
        links = [
            (_("Mensen"), reverse("organisations:person_list", kwargs={"org": org})),
            (_("Organisatieonderdelen"), reverse("organisations:unit_tree", kwargs={"org": org})),
        ]
        if held & MEMBERSHIP_ROLES:
            links.append((_("Rollen en toegang"), reverse("organisations:membership_list", kwargs={"org": org})))
        if held & ORGAN_ROLES:
            links.append(
                (_("Integriteitsorganen"), reverse("organisations:organ_list", kwargs={"org": org}))
            )
        sections.append(
            {
                "title": _("Organisatie en mensen"),
                "template": "organisations/start_overview.html",
                "order": 80,
                "context": {
                    "people": counts.get("total", 0),
                    "employees": counts.get("employee", 0),
                    "volunteers": counts.get("volunteer", 0),
                    "externals": counts.get("external", 0),
                    "units": Unit.objects.filter(organisation=organisation).count(),
                    "organs": IntegrityOrgan.objects.filter(organisation=organisation).count(),
                    "links": links,
                },
            }
        )
    person = person_for_user(user=user, organisation=organisation)
    sections.append(
        {
            "title": _("Uw gegevens"),
            "template": "organisations/start_you.html",
            "order": 90,
            "context": {
                "person": person,
                "roles": [
                    m for m in policy.memberships(user) if m.organisation_id == organisation.pk
                ],
                "integrity_url": reverse("organisations_public:integrity", kwargs={"org": org}),
            },
        }
    )
    return sections
