"""Reads of the registers, through the access policy.

Who sees what (DESIGN rule 1; anything else answers 404):

* every person sees their own entries (the employee portal);
* a manager sees the entries of the people in their units (and below) and
  assesses their outside activities and gifts — never their own;
* the integrity coordinator sees everything in the organisation (or in their
  units, when the role is limited to units) and reviews financial interests;
* auditors and the competent authority see counts only;
* technical administrators see nothing personal;
* another organisation sees nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intact.organisations.models import Person, Role, Unit
from intact.registers import rules
from intact.registers.models import (
    ActivityStatus,
    CheckStatus,
    CodeAcknowledgement,
    CodeVersion,
    Commitment,
    CommitmentForm,
    CommitmentRule,
    FinancialDeclaration,
    FinancialDesignation,
    GiftDecision,
    GiftDeclaration,
    OutsideActivity,
    ReviewStatus,
    ScreeningCheck,
    ScreeningProfile,
    VulnerablePosition,
)
from intact.security import audit, policy

# Roles that may see the aggregated figures of the registers (never names).
COUNT_ROLES = frozenset({Role.COORDINATOR, Role.MANAGER, Role.AUDITOR, Role.COMPETENT_AUTHORITY})
# Roles that keep (part of) the registers.
REGISTER_ROLES = frozenset({Role.COORDINATOR, Role.MANAGER})


def _today() -> dt.date:
    return timezone.localdate()


@dataclass
class Access:
    """What one user may see in one organisation's registers."""

    organisation: Any
    person: Person | None
    coordinator: bool = False
    manager: bool = False
    all_units: bool = False  # the register role covers the whole organisation
    units: set[int] = field(default_factory=set)  # else: these units (descendants included)

    @property
    def keeps_registers(self) -> bool:
        return self.coordinator or self.manager

    def people_q(self, prefix: str = "") -> Q:
        """A filter on people (``prefix`` e.g. ``"person__"``) this user may see as register keeper."""
        if self.all_units:
            # Not Q(): "Q(a) | Q()" is Q(a) in Django, which would drop the scope.
            return Q(pk__isnull=False)
        if not self.units:
            return Q(pk__in=[])
        return Q(**{f"{prefix}unit_id__in": self.units})


def _descendants(organisation: Any, roots: set[int]) -> set[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Unit.objects.filter(organisation=organisation).values_list("pk", "parent_id"):
        children[parent].append(pk)
    found, todo = set(), list(roots)
    while todo:
        unit = todo.pop()
        if unit not in found:
            found.add(unit)
            todo.extend(children.get(unit, []))
    return found


def access_for(user: Any, organisation: Any) -> Access:
    """The user's view of the registers; 404 when they are no member of the organisation."""
    if not policy.has_role(user, organisation):
        raise Http404
    person = (
        Person.objects.filter(organisation=organisation, user=user).select_related("unit").first()
    )
    acc = Access(organisation=organisation, person=person)
    roots: set[int] = set()
    for role in (Role.COORDINATOR, Role.MANAGER):
        if not policy.has_role(user, organisation, role):
            continue
        setattr(acc, "coordinator" if role == Role.COORDINATOR else "manager", True)
        scope = policy.unit_scope(user, organisation, role)
        if scope is None:
            acc.all_units = True
        else:
            roots |= scope
    if not acc.all_units and roots:
        acc.units = _descendants(organisation, roots)
    return acc


def _keeper(user: Any, organisation: Any, *, coordinator_only: bool = False) -> Access:
    acc = access_for(user, organisation)
    if not (acc.coordinator if coordinator_only else acc.keeps_registers):
        raise Http404
    return acc


def keeper_access(user: Any, organisation: Any, *, coordinator_only: bool = False) -> Access:
    """The access of a register keeper (manager or coordinator; or coordinator only); else 404."""
    return _keeper(user, organisation, coordinator_only=coordinator_only)


def own_person(user: Any, organisation: Any) -> Person:
    """The user's own person record; 404 when they have none in this organisation."""
    acc = access_for(user, organisation)
    if acc.person is None:
        raise Http404
    return acc.person


def register_viewed(*, user: Any, organisation: Any, register: str, count: int) -> None:
    """Audit that ``user`` looked at a list of a register (how many rows, never which)."""
    _log_view(user, organisation, register, count)


def _log_view(user: Any, organisation: Any, register: str, count: int) -> None:
    audit.record(
        user,
        "registers.view",
        organisation=organisation,
        object_type="registers." + register,
        detail={"register": register, "rows": count},
    )


def _active_people(organisation: Any, on: dt.date) -> QuerySet[Person]:
    return Person.objects.filter(organisation=organisation, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )


def visible(
    model: Any, *, user: Any, organisation: Any, coordinator_only: bool = False
) -> QuerySet:
    """Entries of a personal register the user may see: their own, plus their scope as keeper.

    ``coordinator_only`` limits the keeper part to coordinators (financial
    interests are reviewed by the coordinator, not by line managers).
    """
    acc = access_for(user, organisation)
    scope = Q(person__user=user)
    if acc.coordinator or (acc.manager and not coordinator_only):
        scope |= acc.people_q("person__")
    return (
        model.objects.filter(organisation=organisation)
        .filter(scope)
        .select_related("person", "person__unit")
    )


# --- 1. oath ---------------------------------------------------------------------------


@dataclass
class CommitmentRow:
    person: Person
    required: str
    due_on: dt.date | None
    commitment: Commitment | None
    state: str  # taken | overdue | due | not_required

    @property
    def state_label(self) -> str:
        return str(COMMITMENT_STATES.get(self.state, self.state))

    @property
    def required_label(self) -> str:
        return str(dict(CommitmentRule.choices).get(self.required, self.required))


COMMITMENT_STATES = {
    "taken": _("Afgelegd"),
    "overdue": _("Te laat"),
    "due": _("Nog af te leggen"),
    "not_required": _("Niet vereist"),
}


def _commitment_row(
    current: Any, person: Person, commitment: Commitment | None, today: dt.date
) -> CommitmentRow:
    required = rules.commitment_required(current, person)
    due = rules.commitment_due(current, person) if required != CommitmentRule.NONE else None
    if commitment is not None:
        state = "taken"
    elif required == CommitmentRule.NONE:
        state = "not_required"
    elif due is not None and due < today:
        state = "overdue"
    else:
        state = "due"
    return CommitmentRow(person, required, due, commitment, state)


def commitment_rows(
    *, user: Any, organisation: Any, state: str = "", audited: bool = True
) -> list[CommitmentRow]:
    """The oath register: per active person what they owe, by when, and whether it was taken."""
    acc = _keeper(user, organisation)
    today = _today()
    current = rules.settings_for(organisation)
    people = _active_people(organisation, today).filter(acc.people_q()).select_related("unit")
    taken = {c.person_id: c for c in Commitment.objects.filter(organisation=organisation)}
    rows = [_commitment_row(current, p, taken.get(p.pk), today) for p in people]
    if state:
        rows = [r for r in rows if r.state == state]
    rows.sort(key=lambda r: (r.state != "overdue", r.due_on or dt.date.max, r.person.last_name))
    if audited:  # the start page only counts: no names shown, nothing to audit
        _log_view(user, organisation, "commitments", len(rows))
    return rows


def commitment_owed_counts(*, user: Any, organisation: Any) -> dict[str, int]:
    """How many people in the user's scope owe the oath or declaration: ``{"overdue": n, "due": n}``.

    For the start page: only the people without a registered commitment are
    read (in an organisation where most have taken it, a handful of rows),
    nothing is shown by name, so nothing is audited.
    """
    acc = _keeper(user, organisation)
    today = _today()
    current = rules.settings_for(organisation)
    owing = (
        _active_people(organisation, today)
        .filter(acc.people_q())
        .exclude(
            Exists(Commitment.objects.filter(organisation=organisation, person=OuterRef("pk")))
        )
    )
    counts = {"overdue": 0, "due": 0}
    for person in owing.iterator(chunk_size=2000):
        state = _commitment_row(current, person, None, today).state
        if state in counts:
            counts[state] += 1
    return counts


def commitment_list(*, user: Any, organisation: Any) -> QuerySet[Commitment]:
    """Registered oaths, affirmations and declarations the user may see."""
    acc = _keeper(user, organisation)
    return (
        Commitment.objects.filter(organisation=organisation)
        .filter(acc.people_q("person__"))
        .select_related("person", "person__unit")
    )


def commitment_candidates(*, user: Any, organisation: Any) -> list[CommitmentRow]:
    """People who still owe the oath or declaration (for the ceremony form)."""
    return [
        r
        for r in commitment_rows(user=user, organisation=organisation)
        if r.state in ("due", "overdue")
    ]


# --- 2. code of conduct --------------------------------------------------------------------


def code_current(organisation: Any, on: dt.date | None = None) -> CodeVersion | None:
    """The version in force: the latest adopted on or before ``on`` (public by nature)."""
    return (
        CodeVersion.objects.filter(organisation=organisation, adopted_on__lte=on or _today())
        .order_by("-adopted_on", "-pk")
        .first()
    )


def code_versions(*, user: Any, organisation: Any) -> QuerySet[CodeVersion]:
    """All versions of the code; every member of the organisation may read them."""
    access_for(user, organisation)
    return CodeVersion.objects.filter(organisation=organisation).annotate(
        n_ack=Count("acknowledgements")
    )


def code_version_get(*, user: Any, organisation: Any, pk: int) -> CodeVersion:
    """One version of the code, for any member of the organisation."""
    found = code_versions(user=user, organisation=organisation).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass
class UnitAck:
    unit: str
    people: int
    acknowledged: int

    @property
    def percentage(self) -> float:
        return round(100.0 * self.acknowledged / self.people, 1) if self.people else 0.0


def _ack_per_unit(
    organisation: Any, people: QuerySet[Person], version: CodeVersion | None
) -> list[UnitAck]:
    done = set()
    if version is not None:
        done = set(
            CodeAcknowledgement.objects.filter(version=version).values_list("person_id", flat=True)
        )
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for p in people.select_related("unit"):
        key = p.unit.name if p.unit else str(_("(geen onderdeel)"))
        per[key][0] += 1
        per[key][1] += p.pk in done
    return [UnitAck(name, n, a) for name, (n, a) in sorted(per.items())]


def code_acknowledgement_by_unit(*, user: Any, organisation: Any) -> list[UnitAck]:
    """Share of active people per unit who acknowledged the current code (counts only)."""
    acc = access_for(user, organisation)
    if not (acc.keeps_registers or policy.has_role(user, organisation, *COUNT_ROLES)):
        raise Http404
    people = _active_people(organisation, _today()).filter(
        acc.people_q() if acc.keeps_registers else Q()
    )
    return _ack_per_unit(organisation, people, code_current(organisation))


def code_missing(*, user: Any, organisation: Any) -> QuerySet[Person]:
    """People (in the user's scope) who have not acknowledged the current code."""
    acc = _keeper(user, organisation)
    version = code_current(organisation)
    people = _active_people(organisation, _today()).filter(acc.people_q()).select_related("unit")
    if version is None:
        return people.none()
    return people.exclude(code_acknowledgements__version=version)


# --- 3. outside activities ------------------------------------------------------------------


def activity_list(*, user: Any, organisation: Any, status: str = "") -> QuerySet[OutsideActivity]:
    """The register of outside activities the user keeps (manager: their units)."""
    acc = _keeper(user, organisation)
    qs = OutsideActivity.objects.filter(organisation=organisation).filter(acc.people_q("person__"))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("person", "person__unit")


def activity_get(*, user: Any, organisation: Any, pk: int) -> OutsideActivity:
    """One activity: the person's own, or one in the keeper's scope; audited."""
    acc = access_for(user, organisation)
    qs = OutsideActivity.objects.filter(organisation=organisation, pk=pk)
    scope = Q(person__user=user)
    if acc.keeps_registers:
        scope |= acc.people_q("person__")
    found = qs.filter(scope).select_related("person", "person__unit").first()
    if found is None:
        raise Http404
    audit.record(user, "registers.activity.view", organisation=organisation, obj=found)
    return found


def activity_for_assessment(*, user: Any, organisation: Any, pk: int) -> OutsideActivity:
    """An activity the user may assess: in their scope and not their own."""
    found = (
        activity_list(user=user, organisation=organisation)
        .filter(pk=pk)
        .exclude(person__user=user)
        .first()
    )
    if found is None:
        raise Http404
    return found


def activities_awaiting(*, user: Any, organisation: Any) -> QuerySet[OutsideActivity]:
    """Declared activities waiting for this user's assessment (never their own)."""
    return activity_list(
        user=user, organisation=organisation, status=ActivityStatus.DECLARED
    ).exclude(person__user=user)


def activity_reconfirm_due(
    organisation: Any, activities: Any, on: dt.date | None = None
) -> list[OutsideActivity]:
    """Active activities whose yearly re-confirmation date has passed."""
    current = rules.settings_for(organisation)
    on = on or _today()
    return [a for a in activities if a.is_active and rules.reconfirm_due(current, a) <= on]


def published_activities(organisation: Any) -> list[dict[str, Any]]:
    """Outside activities of senior staff that the organisation publishes (public).

    What Dutch public bodies publish: name, position, the activity, for whom,
    and whether it is paid. Only activities that are allowed and not ended,
    of people still in service.
    """
    current = rules.settings_for(organisation)
    today = _today()
    rows = []
    qs = (
        OutsideActivity.objects.filter(
            organisation=organisation,
            status__in=(ActivityStatus.ALLOWED, ActivityStatus.ALLOWED_WITH_CONDITIONS),
        )
        .filter(Q(person__end_date__isnull=True) | Q(person__end_date__gte=today))
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "description")
    )
    for a in qs:
        if rules.is_published_person(current, a.person):
            rows.append(
                {
                    "name": a.person.full_name,
                    "position": a.person.position,
                    "activity": a.description,
                    "for_whom": a.for_whom,
                    "paid": a.paid,
                }
            )
    return rows


def public_integrity_sections(organisation: Any) -> list[dict[str, Any]]:
    """The block on ``/o/<slug>/integriteit/``: published outside activities of senior staff."""
    current = rules.settings_for(organisation)
    return [
        {
            "title": _("Nevenwerkzaamheden van hogere functionarissen"),
            "template": "registers/public_activities.html",
            "context": {
                "rows": published_activities(organisation),
                "min_scale": current.publish_min_salary_scale,
            },
            "order": 50,
        }
    ]


# --- 4. financial interests ----------------------------------------------------------------


def must_declare_financial(person: Person) -> bool:
    """Whether the person's position (or the person) is designated to declare financial interests."""
    designations = FinancialDesignation.objects.filter(organisation_id=person.organisation_id)
    title = (person.position or "").strip().lower()
    for d in designations:
        if d.person_id == person.pk or (
            d.position and d.position.strip().lower() == title and title
        ):
            return True
    return False


def designation_list(*, user: Any, organisation: Any) -> QuerySet[FinancialDesignation]:
    """The designations (positions and persons); for register keepers."""
    _keeper(user, organisation)
    return FinancialDesignation.objects.filter(organisation=organisation).select_related("person")


def designation_get(*, user: Any, organisation: Any, pk: int) -> FinancialDesignation:
    """One designation, for the coordinator (who manages them)."""
    _keeper(user, organisation, coordinator_only=True)
    found = FinancialDesignation.objects.filter(organisation=organisation, pk=pk).first()
    if found is None:
        raise Http404
    return found


def financial_list(*, user: Any, organisation: Any) -> QuerySet[FinancialDeclaration]:
    """Declarations of financial interests; reviewed by the coordinator, so only they see them."""
    acc = _keeper(user, organisation, coordinator_only=True)
    return (
        FinancialDeclaration.objects.filter(organisation=organisation)
        .filter(acc.people_q("person__"))
        .select_related("person", "person__unit")
    )


def financial_get(*, user: Any, organisation: Any, pk: int) -> FinancialDeclaration:
    """One declaration: the person's own, or any in the coordinator's scope; audited."""
    acc = access_for(user, organisation)
    scope = Q(person__user=user)
    if acc.coordinator:
        scope |= acc.people_q("person__")
    found = (
        FinancialDeclaration.objects.filter(organisation=organisation, pk=pk)
        .filter(scope)
        .select_related("person")
        .first()
    )
    if found is None:
        raise Http404
    audit.record(user, "registers.financial.view", organisation=organisation, obj=found)
    return found


def financial_for_review(*, user: Any, organisation: Any, pk: int) -> FinancialDeclaration:
    """A declaration the coordinator may review (not their own)."""
    found = (
        financial_list(user=user, organisation=organisation)
        .filter(pk=pk)
        .exclude(person__user=user)
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- 5. gifts ----------------------------------------------------------------------------------


def gift_list(*, user: Any, organisation: Any, decision: str = "") -> QuerySet[GiftDeclaration]:
    """The register of gifts and invitations the user keeps."""
    acc = _keeper(user, organisation)
    qs = GiftDeclaration.objects.filter(organisation=organisation).filter(acc.people_q("person__"))
    if decision:
        qs = qs.filter(decision=decision)
    return qs.select_related("person", "person__unit")


def gift_get(*, user: Any, organisation: Any, pk: int) -> GiftDeclaration:
    """One declaration: own, or in the keeper's scope; audited."""
    acc = access_for(user, organisation)
    scope = Q(person__user=user)
    if acc.keeps_registers:
        scope |= acc.people_q("person__")
    found = (
        GiftDeclaration.objects.filter(organisation=organisation, pk=pk)
        .filter(scope)
        .select_related("person")
        .first()
    )
    if found is None:
        raise Http404
    audit.record(user, "registers.gift.view", organisation=organisation, obj=found)
    return found


def gift_for_decision(*, user: Any, organisation: Any, pk: int) -> GiftDeclaration:
    """A gift the user may decide on: in scope, not their own."""
    found = (
        gift_list(user=user, organisation=organisation)
        .filter(pk=pk)
        .exclude(person__user=user)
        .first()
    )
    if found is None:
        raise Http404
    return found


def gifts_awaiting(*, user: Any, organisation: Any) -> QuerySet[GiftDeclaration]:
    """Gifts that need a decision by this user (never their own)."""
    return gift_list(user=user, organisation=organisation, decision=GiftDecision.PENDING).exclude(
        person__user=user
    )


# --- 6. vulnerable positions -------------------------------------------------------------------


def vulnerable_list(*, user: Any, organisation: Any) -> QuerySet[VulnerablePosition]:
    """The inventory of vulnerable positions (manager: their units)."""
    acc = _keeper(user, organisation)
    qs = VulnerablePosition.objects.filter(organisation=organisation).select_related("unit")
    if not acc.all_units:
        qs = qs.filter(unit_id__in=acc.units)
    return qs


def vulnerable_get(*, user: Any, organisation: Any, pk: int) -> VulnerablePosition:
    """One inventory entry the user may change (coordinator)."""
    _keeper(user, organisation, coordinator_only=True)
    found = vulnerable_list(user=user, organisation=organisation).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# --- 7. screening ---------------------------------------------------------------------------------


def screening_profiles(*, user: Any, organisation: Any) -> QuerySet[ScreeningProfile]:
    """The screening profiles (not personal); for register keepers."""
    _keeper(user, organisation)
    return ScreeningProfile.objects.filter(organisation=organisation)


def screening_profile_get(*, user: Any, organisation: Any, pk: int) -> ScreeningProfile:
    found = screening_profiles(user=user, organisation=organisation).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def screening_checks(*, user: Any, organisation: Any) -> QuerySet[ScreeningCheck]:
    """Screening status per person and check, in the keeper's scope."""
    acc = _keeper(user, organisation)
    return (
        ScreeningCheck.objects.filter(organisation=organisation)
        .filter(acc.people_q("person__"))
        .select_related("person", "person__unit", "profile")
    )


def screening_check_get(*, user: Any, organisation: Any, pk: int) -> ScreeningCheck:
    found = screening_checks(user=user, organisation=organisation).filter(pk=pk).first()
    if found is None:
        raise Http404
    audit.record(user, "registers.screening.view", organisation=organisation, obj=found)
    return found


def screening_person(*, user: Any, organisation: Any, pk: int) -> Person:
    """A person whose screening the keeper may see and record."""
    acc = _keeper(user, organisation)
    found = Person.objects.filter(organisation=organisation, pk=pk).filter(acc.people_q()).first()
    if found is None:
        raise Http404
    return found


def scoped_people(*, user: Any, organisation: Any) -> QuerySet[Person]:
    """Active people in the keeper's scope (for choosing people in forms)."""
    acc = _keeper(user, organisation)
    return _active_people(organisation, _today()).filter(acc.people_q()).select_related("unit")


def rescreen_due(
    *, user: Any, organisation: Any, on: dt.date | None = None
) -> QuerySet[ScreeningCheck]:
    """Passed checks whose re-screening date has come."""
    return screening_checks(user=user, organisation=organisation).filter(
        status=CheckStatus.PASSED, rescreen_on__lte=on or _today()
    )


# --- 11. the employee portal ---------------------------------------------------------------------


def portal(*, user: Any, organisation: Any) -> dict[str, Any]:
    """Everything one person owes and has declared, for their own portal page."""
    person = own_person(user, organisation)
    today = _today()
    current = rules.settings_for(organisation)
    commitment = Commitment.objects.filter(person=person).first()
    oath = _commitment_row(current, person, commitment, today)
    code = code_current(organisation)
    ack = CodeAcknowledgement.objects.filter(version=code, person=person).first() if code else None
    activities = list(OutsideActivity.objects.filter(person=person))
    reconfirm = activity_reconfirm_due(organisation, activities, today)
    gifts = list(GiftDeclaration.objects.filter(person=person))
    financial = list(FinancialDeclaration.objects.filter(person=person))
    checks = list(ScreeningCheck.objects.filter(person=person))
    todos = []
    if oath.state in ("due", "overdue"):
        todos.append(
            _("%(what)s afleggen vóór %(date)s")
            % {"what": oath.required_label, "date": oath.due_on.strftime("%d-%m-%Y")}
        )
    if code and ack is None:
        todos.append(_("De gedragscode lezen en onderschrijven"))
    for a in reconfirm:
        todos.append(_("Nevenwerkzaamheid bevestigen: %(what)s") % {"what": a.description})
    designated = must_declare_financial(person)
    if designated and not any(d.declared_on.year == today.year for d in financial):
        todos.append(_("Financiële belangen melden voor %(year)s") % {"year": today.year})
    return {
        "person": person,
        "oath": oath,
        "code": code,
        "code_ack": ack,
        "activities": activities,
        "reconfirm": reconfirm,
        "gifts": gifts,
        "financial": financial,
        "financial_designated": designated,
        "checks": checks,
        "todos": todos,
        "threshold": current.gift_threshold,
    }


def start_sections(user: Any, organisation: Any) -> list[dict[str, Any]]:
    """Start-page blocks: own to-dos, what awaits a manager, and the coordinator's counts."""
    if not policy.has_role(user, organisation):
        return []
    acc = access_for(user, organisation)
    sections = []
    if acc.person is not None:
        mine = portal(user=user, organisation=organisation)
        sections.append(
            {
                "title": _("Mijn integriteit"),
                "template": "registers/start_mine.html",
                "context": {"todos": mine["todos"], "organisation": organisation},
                "order": 20,
            }
        )
    if acc.keeps_registers:
        context: dict[str, Any] = {
            "organisation": organisation,
            "activities": activities_awaiting(user=user, organisation=organisation).count(),
            "gifts": gifts_awaiting(user=user, organisation=organisation).count(),
            "coordinator": acc.coordinator,
        }
        if acc.coordinator:
            owed = commitment_owed_counts(user=user, organisation=organisation)
            context["oaths_overdue"] = owed["overdue"]
            context["oaths_due"] = owed["due"]
            context["financial"] = (
                financial_list(user=user, organisation=organisation)
                .filter(status=ReviewStatus.SUBMITTED)
                .count()
            )
            context["rescreen"] = rescreen_due(user=user, organisation=organisation).count()
            context["vulnerable_review"] = (
                vulnerable_list(user=user, organisation=organisation)
                .filter(review_on__lte=_today())
                .count()
            )
        sections.append(
            {
                "title": _("Registers: wacht op u"),
                "template": "registers/start_keeper.html",
                "context": context,
                "order": 30,
            }
        )
    elif policy.has_role(user, organisation, *COUNT_ROLES):
        sections.append(
            {
                "title": _("Registers: cijfers"),
                "template": "registers/start_counts.html",
                "context": {"organisation": organisation},
                "order": 30,
            }
        )
    return sections


# --- counts for the annual report ----------------------------------------------------------------


def register_counts(organisation: Any, year: int) -> dict[str, Any]:
    """Aggregated figures of all registers for ``year`` (no names; for the annual report).

    Point-in-time figures (acknowledgement share, overdue oaths) are taken at
    the end of the year, or today for the current year.
    """
    end = min(dt.date(year, 12, 31), _today())
    in_year = {"taken_on__year": year}
    commitments = Commitment.objects.filter(organisation=organisation, **in_year)
    current = rules.settings_for(organisation)
    active = list(_active_people(organisation, end))
    taken_ids = set(
        Commitment.objects.filter(organisation=organisation, taken_on__lte=end).values_list(
            "person_id", flat=True
        )
    )
    overdue = 0
    for p in active:
        if rules.commitment_required(current, p) != CommitmentRule.NONE and p.pk not in taken_ids:
            overdue += rules.commitment_due(current, p) < end
    code = code_current(organisation, end)
    acked = 0
    if code is not None:
        acked = CodeAcknowledgement.objects.filter(
            version=code, person__in=active, acknowledged_on__lte=end
        ).count()
    activities = OutsideActivity.objects.filter(organisation=organisation, declared_on__year=year)
    assessed = OutsideActivity.objects.filter(organisation=organisation, assessed_on__year=year)
    gifts = GiftDeclaration.objects.filter(organisation=organisation, received_on__year=year)
    financial = FinancialDeclaration.objects.filter(
        organisation=organisation, declared_on__year=year
    )
    checks = ScreeningCheck.objects.filter(organisation=organisation, completed_on__year=year)

    def by(qs: QuerySet, field: str) -> dict[str, int]:
        return {
            row[field]: row["n"] for row in qs.values(field).annotate(n=Count("pk")).order_by(field)
        }

    return {
        "year": year,
        "oaths_taken": commitments.filter(
            form__in=(CommitmentForm.OATH, CommitmentForm.AFFIRMATION)
        ).count(),
        "oaths": by(commitments, "form"),
        "integrity_declarations_signed": commitments.filter(
            form=CommitmentForm.DECLARATION
        ).count(),
        "commitments_overdue": overdue,
        "code_version": code.version if code else None,
        "code_people": len(active),
        "code_acknowledged": acked,
        "code_acknowledged_percentage": round(100.0 * acked / len(active), 1)
        if active and code
        else 0.0,
        "outside_activities_declared": activities.count(),
        "outside_activities_assessed": by(assessed, "status"),
        "outside_activities_published": len(published_activities(organisation))
        if end == _today()
        else None,
        "gifts_declared": gifts.count(),
        "gifts_needing_approval": gifts.filter(needs_approval=True).count(),
        "gifts_by_decision": by(gifts, "decision"),
        "financial_declarations": financial.count(),
        "financial_by_kind": by(financial, "kind"),
        "financial_designations": FinancialDesignation.objects.filter(
            organisation=organisation
        ).count(),
        "vulnerable_positions": VulnerablePosition.objects.filter(
            organisation=organisation
        ).count(),
        "screening_checks_completed": checks.count(),
        "screening_by_kind": by(checks, "kind"),
    }


def counts_for(*, user: Any, organisation: Any, year: int) -> dict[str, Any]:
    """:func:`register_counts` for a user allowed to see figures (coordinator, manager, auditor …)."""
    if not policy.has_role(user, organisation, *COUNT_ROLES):
        raise Http404
    return register_counts(organisation, year)


def oaths_taken_count_for_report(organisation: Any, year: int) -> int:
    """Oaths and affirmations taken in ``year``; user-free: only a count leaves it.

    The one figure of :func:`register_counts` the annual report compares over
    earlier years, without that selector's person-by-person overdue check.
    """
    return Commitment.objects.filter(
        organisation=organisation,
        taken_on__year=year,
        form__in=(CommitmentForm.OATH, CommitmentForm.AFFIRMATION),
    ).count()


def vulnerable_units_for_report(organisation: Any, year: int, on: dt.date) -> set[int]:
    """Ids of the units with a vulnerable position assessed in ``year`` or due for review by ``on``.

    User-free: only unit ids leave it (no names, no content).
    """
    return set(
        VulnerablePosition.objects.filter(organisation=organisation, unit__isnull=False)
        .filter(Q(assessed_on__year=year) | Q(review_on__year=year, review_on__lte=on))
        .values_list("unit_id", flat=True)
    )
