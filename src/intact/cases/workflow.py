"""The case workflow: states, the explicit table of allowed transitions, and guards.

The table is data (``data/workflow.yaml``, or an organisation's own version
through ``config.workflow_for``). This module reads it and implements the
guards the data names. ``services.case_transition`` applies a transition
under a row lock; this module only decides and explains.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intact.cases import config
from intact.organisations.models import Role


class TransitionRefused(Exception):
    """A transition that the workflow does not allow; ``message`` is for people (translated)."""

    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Transition:
    code: str
    source: str
    target: str
    roles: tuple[str, ...]
    guards: tuple[str, ...]
    label: str


def state_label(workflow: dict[str, Any], code: str) -> str:
    for state in workflow["states"]:
        if state["code"] == code:
            return config.label(state)
    return code


def state_def(workflow: dict[str, Any], code: str) -> dict[str, Any]:
    for state in workflow["states"]:
        if state["code"] == code:
            return state
    return {"code": code}


def transitions(workflow: dict[str, Any]) -> list[Transition]:
    """The allowed transitions, as read from the data."""
    return [
        Transition(
            code=t["code"],
            source=t["from"],
            target=t["to"],
            roles=tuple(t.get("roles") or ()),
            guards=tuple(t.get("guards") or ()),
            label=config.label(t),
        )
        for t in workflow["transitions"]
    ]


def allowed_table(workflow: dict[str, Any]) -> dict[str, set[str]]:
    """ALLOWED_STATUS_CHANGES: state -> the states it may go to."""
    table: dict[str, set[str]] = {s["code"]: set() for s in workflow["states"]}
    for t in transitions(workflow):
        table.setdefault(t.source, set()).add(t.target)
    return table


def find(workflow: dict[str, Any], source: str, target: str) -> Transition | None:
    for t in transitions(workflow):
        if t.source == source and t.target == target:
            return t
    return None


def _role_names(roles: tuple[str, ...]) -> str:
    names = []
    for role in roles:
        try:
            names.append(str(Role(role).label))
        except ValueError:
            names.append(role)
    return ", ".join(names)


# --- guards -------------------------------------------------------------------------

GUARD_MESSAGES: dict[str, Any] = {
    "triage_recorded": gettext_lazy("Leg eerst de triage vast."),
    "decided_to_investigate": gettext_lazy(
        "Leg eerst het besluit vast om onderzoek in te stellen, met motivering."
    ),
    "decided_not_to_investigate": gettext_lazy(
        "Leg eerst het besluit vast om geen onderzoek in te stellen, met motivering."
    ),
    "assignment_set": gettext_lazy("Leg eerst vast wie het onderzoek uitvoert."),
    "both_sides_heard": gettext_lazy(
        "Hoor en wederhoor is niet rond: hoor elke beschuldigde en ten minste één andere partij, "
        "en leg bij elk verslag van een beschuldigde de reactie vast (of dat deze afziet van reactie)."
    ),
    "findings_recorded": gettext_lazy("Leg eerst de bevindingen vast."),
    "conclusion_set": gettext_lazy(
        "Leg eerst de conclusie vast (gegrond, ongegrond of niet vast te stellen)."
    ),
    "measures_decided": gettext_lazy(
        "De zaak is gegrond: leg eerst een maatregel vast (of ‘geen maatregel’)."
    ),
    "care_completed": gettext_lazy("Rond eerst de zorgmaatregelen voor slachtoffers af."),
    "triage_actions_done": gettext_lazy("Rond eerst de verplichte acties uit de triage af."),
    "reporter_feedback_sent": gettext_lazy("Stuur eerst de terugkoppeling aan de melder."),
}


def _triage_recorded(case: Any) -> bool:
    return case.triages.filter(is_current=True).exists()


def _both_sides_heard(case: Any) -> bool:
    from intact.cases.models import PartyRole

    accused = list(case.parties.filter(role=PartyRole.ACCUSED))
    if not accused:
        return case.hearings.exists()
    hearings = list(case.hearings.select_related("party"))
    for party in accused:
        own = [h for h in hearings if h.party_id == party.pk]
        if not own or not all(h.response_settled for h in own):
            return False
    return any(h.party.role != PartyRole.ACCUSED for h in hearings)


def _measures_decided(case: Any) -> bool:
    from intact.cases.models import Conclusion

    return case.conclusion != Conclusion.FOUNDED or case.measures.exists()


def _care_completed(case: Any) -> bool:
    from intact.cases.models import ActionStatus

    return not case.care_measures.filter(status=ActionStatus.OPEN).exists()


def _triage_actions_done(case: Any) -> bool:
    from intact.cases.models import ActionStatus

    return not case.actions.filter(status=ActionStatus.OPEN).exists()


GUARDS: dict[str, Callable[[Any], bool]] = {
    "triage_recorded": _triage_recorded,
    "decided_to_investigate": lambda c: c.decision == "investigate" and bool(c.decision_motivation),
    "decided_not_to_investigate": lambda c: (
        c.decision == "no_investigation" and bool(c.decision_motivation)
    ),
    "assignment_set": lambda c: bool(c.assignment),
    "both_sides_heard": _both_sides_heard,
    "findings_recorded": lambda c: bool((c.findings or "").strip()),
    "conclusion_set": lambda c: bool(c.conclusion),
    "measures_decided": _measures_decided,
    "care_completed": _care_completed,
    "triage_actions_done": _triage_actions_done,
    "reporter_feedback_sent": lambda c: c.reporter_feedback_at is not None,
}


def unmet_guards(case: Any, transition: Transition) -> list[str]:
    """The guard names of ``transition`` that ``case`` does not meet yet."""
    unknown = [g for g in transition.guards if g not in GUARDS]
    if unknown:
        raise TransitionRefused(
            _("Onbekende voorwaarde in de procedure: %(g)s") % {"g": ", ".join(unknown)}
        )
    return [g for g in transition.guards if not GUARDS[g](case)]


def check(workflow: dict[str, Any], case: Any, target: str, roles: set[str]) -> Transition:
    """The transition from the case's state to ``target``, or :class:`TransitionRefused`.

    ``roles`` are the roles the acting user may act with in this case (their
    organisation roles, already limited by the case-team rules).
    """
    transition = find(workflow, case.status, target)
    if transition is None:
        raise TransitionRefused(
            _(
                "Deze stap is niet toegestaan: van ‘%(src)s’ naar ‘%(dst)s’ kan niet volgens de procedure."
            )
            % {"src": state_label(workflow, case.status), "dst": state_label(workflow, target)},
            code="not_allowed",
        )
    if not roles & set(transition.roles):
        raise TransitionRefused(
            _("Alleen %(roles)s mag de stap ‘%(step)s’ zetten.")
            % {"roles": _role_names(transition.roles), "step": transition.label},
            code="role",
        )
    unmet = unmet_guards(case, transition)
    if unmet:
        raise TransitionRefused(
            " ".join(str(GUARD_MESSAGES.get(g, g)) for g in unmet), code="guard"
        )
    return transition


def next_steps(workflow: dict[str, Any], case: Any, roles: set[str]) -> list[dict[str, Any]]:
    """What can happen next from the case's state: each transition, whether the user may, and what is missing."""
    out = []
    for t in transitions(workflow):
        if t.source != case.status:
            continue
        unmet = unmet_guards(case, t)
        out.append(
            {
                "transition": t,
                "may": bool(roles & set(t.roles)),
                "roles": _role_names(t.roles),
                "missing": [str(GUARD_MESSAGES.get(g, g)) for g in unmet],
            }
        )
    return out
