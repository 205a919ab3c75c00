"""Evidence sources: where Intact holds the evidence for a norm, it proposes a status.

A requirement in a framework file names an evidence key (``code_of_conduct``,
``oath`` …). :func:`propose` looks at the organisation's data through the other
apps' aggregate selectors and answers ``(status, reason)``, or ``None`` when
Intact cannot judge it. The assessor accepts or overrides the proposal.
Every source is guarded: an app that is not there (yet) gives no proposal.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

Proposal = tuple[str, str] | None


def _(message: str) -> str:
    """Mark a proposal text for translation but keep it in Dutch, the source language.

    Proposals are stored (``RequirementAssessment.proposed_reason``) and read
    later by people in either language: they are stored in Dutch and shown
    through :func:`reason_display`, which translates them when they are read.
    """
    return message


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    """Every proposal message of this module as (regex over the Dutch text, msgid)."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    messages = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }
    out = []
    for msgid in messages:
        pattern = ""
        for part in re.split(r"(%\(\w+\)s|%%)", msgid):
            m = re.fullmatch(r"%\((\w+)\)s", part)
            if m:
                pattern += f"(?P<{m.group(1)}>.+?)"
            elif part == "%%":
                pattern += "%"
            else:
                pattern += re.escape(part)
        out.append((re.compile(f"^{pattern}$", re.S), msgid))
    # Longer messages first, so a message that is a prefix of another never wins.
    return sorted(out, key=lambda p: -len(p[1]))


def reason_display(text: str) -> str:
    """A stored proposal reason in the active language (unchanged if it is not one of ours)."""
    if not text:
        return text
    for pattern, msgid in _patterns():
        m = pattern.match(text)
        if m:
            translated = gettext(msgid)
            return translated % m.groupdict() if m.groupdict() else translated.replace("%%", "%")
    return text


def _year() -> int:
    return timezone.localdate().year


def _counts(organisation: Any) -> dict[str, Any]:
    from intact.registers.selectors import register_counts

    return register_counts(organisation, _year())


def _plan_adopted(organisation: Any) -> Proposal:
    from intact.policy.selectors import adopted_plan_version

    version = adopted_plan_version(organisation)
    if version is None:
        return ("not_met", _("Er is geen vastgesteld integriteitsplan in Intact."))
    return (
        "met",
        _("Integriteitsplan versie %(n)s vastgesteld op %(date)s.")
        % {"n": version.number, "date": version.adopted_on.isoformat()},
    )


def _annual_report(organisation: Any) -> Proposal:
    try:
        from intact.accountability import selectors as accountability
    except ImportError:
        return None
    published = getattr(accountability, "annual_report_published", None)
    if published is None:
        return None
    last_year = _year() - 1
    if published(organisation, last_year):
        return (
            "met",
            _("Het jaarverslag integriteit over %(y)s is gepubliceerd.") % {"y": last_year},
        )
    return (
        "not_met",
        _("Het jaarverslag integriteit over %(y)s is niet gepubliceerd.") % {"y": last_year},
    )


def _code(organisation: Any) -> Proposal:
    counts = _counts(organisation)
    if not counts.get("code_version"):
        return ("not_met", _("Er is geen vastgestelde gedragscode in Intact."))
    pct = counts["code_acknowledged_percentage"]
    status = "met" if pct >= 90 else "partly"
    return (
        status,
        _("Gedragscode %(v)s vastgesteld; %(pct)s%% van de mensen heeft hem bevestigd.")
        % {"v": counts["code_version"], "pct": pct},
    )


def _oath(organisation: Any) -> Proposal:
    counts = _counts(organisation)
    taken = counts["oaths_taken"] + counts["integrity_declarations_signed"]
    overdue = counts["commitments_overdue"]
    if not taken and not overdue:
        return None
    status = "met" if not overdue else "partly"
    return (
        status,
        _("Dit jaar %(taken)s keer eed, belofte of verklaring geregistreerd; %(overdue)s te laat.")
        % {"taken": taken, "overdue": overdue},
    )


def _outside(organisation: Any) -> Proposal:
    counts = _counts(organisation)
    return (
        "met",
        _("Het register nevenwerkzaamheden wordt in Intact bijgehouden (%(n)s meldingen dit jaar).")
        % {"n": counts["outside_activities_declared"]},
    )


def _outside_published(organisation: Any) -> Proposal:
    from intact.registers.selectors import published_activities

    n = len(published_activities(organisation))
    if not n:
        return (
            "partly",
            _("Er zijn geen gepubliceerde nevenwerkzaamheden; controleer of dat klopt."),
        )
    return ("met", _("%(n)s nevenwerkzaamheden zijn openbaar gemaakt.") % {"n": n})


def _financial(organisation: Any) -> Proposal:
    n = _counts(organisation)["financial_designations"]
    if not n:
        return (
            "not_met",
            _("Er zijn geen functies aangewezen voor de melding van financiële belangen."),
        )
    return (
        "met",
        _("%(n)s functies aangewezen voor de melding van financiële belangen.") % {"n": n},
    )


def _gifts(organisation: Any) -> Proposal:
    n = _counts(organisation)["gifts_declared"]
    return ("met", _("Geschenken worden in Intact gemeld (%(n)s dit jaar).") % {"n": n})


def _vulnerable(organisation: Any) -> Proposal:
    n = _counts(organisation)["vulnerable_positions"]
    if not n:
        return ("not_met", _("Er is geen overzicht van kwetsbare functies."))
    return ("met", _("Het overzicht bevat %(n)s kwetsbare functies met maatregelen.") % {"n": n})


def _screening(organisation: Any) -> Proposal:
    n = _counts(organisation)["screening_checks_completed"]
    if not n:
        return None
    return ("met", _("%(n)s screenings afgerond dit jaar.") % {"n": n})


def _counsellor(organisation: Any) -> Proposal:
    from intact.organisations.models import OrganKind
    from intact.organisations.selectors import organ_list_public

    n = organ_list_public(organisation=organisation).filter(kind=OrganKind.COUNSELLOR).count()
    if not n:
        return (
            "not_met",
            _("Er staat geen vertrouwenspersoon in de lijst van integriteitsorganen."),
        )
    return ("met", _("%(n)s vertrouwenspersonen in de lijst van integriteitsorganen.") % {"n": n})


def _organs(organisation: Any) -> Proposal:
    from intact.organisations.selectors import organ_list_public

    kinds = set(organ_list_public(organisation=organisation).values_list("kind", flat=True))
    if not kinds:
        return ("not_met", _("Er zijn geen integriteitsorganen vastgelegd."))
    status = "met" if {"counsellor", "coordinator"} <= kinds else "partly"
    return (status, _("%(n)s soorten integriteitsorganen vastgelegd.") % {"n": len(kinds)})


def _reporting(organisation: Any) -> Proposal:
    from intact.reporting.procedures import procedure_list_current

    procedures = procedure_list_current(organisation=organisation)
    if not procedures:
        return ("not_met", _("Er is geen meldprocedure ingesteld."))
    return ("met", _("%(n)s meldprocedures ingesteld in Intact.") % {"n": len(procedures)})


def _investigation(organisation: Any) -> Proposal:
    from intact.cases.config import workflow_for

    if workflow_for(organisation, "business_integrity"):
        return (
            "met",
            _(
                "De behandeling en het onderzoek van zaken volgen de ingestelde werkwijze in Intact."
            ),
        )
    return None


def _training(organisation: Any) -> Proposal:
    from intact.learning.selectors import activity_totals

    totals = activity_totals(organisation, _year())
    if not totals["sessions"]:
        return ("not_met", _("Dit jaar zijn nog geen trainingen of sessies geregistreerd."))
    return (
        "met",
        _("Dit jaar %(n)s sessies met %(p)s deelnemers.")
        % {"n": totals["sessions"], "p": totals["participants"]},
    )


def _case_law(organisation: Any) -> Proposal:
    from intact.learning.selectors import activity_totals

    row = activity_totals(organisation, _year())["by_type_code"].get("moral_deliberation")
    if not row or not row["sessions"]:
        return ("not_met", _("Dit jaar geen moreel beraad geregistreerd."))
    return (
        "partly",
        _("%(n)s keer moreel beraad; leg de opgedane kennis vast als moresprudentie.")
        % {"n": row["sessions"]},
    )


SOURCES: dict[str, Callable[[Any], Proposal]] = {
    "plan_adopted": _plan_adopted,
    "annual_report_published": _annual_report,
    "code_of_conduct": _code,
    "oath": _oath,
    "outside_activities": _outside,
    "outside_activities_published": _outside_published,
    "financial_interests": _financial,
    "gifts": _gifts,
    "vulnerable_positions": _vulnerable,
    "screening": _screening,
    "counsellor": _counsellor,
    "organs": _organs,
    "reporting_procedure": _reporting,
    "investigation_procedure": _investigation,
    "training": _training,
    "case_law": _case_law,
}


def propose(key: str, organisation: Any) -> Proposal:
    """The proposed ``(status, reason)`` for evidence ``key``, or None."""
    source = SOURCES.get(key)
    if source is None:
        return None
    try:
        return source(organisation)
    except (ImportError, AttributeError, LookupError):
        return None
