"""Readable lines for the case timeline. Events hold state names and ids only, never content."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from intact.cases import config, workflow

LINES = {
    "opened": lambda d: _("Zaak geopend vanuit melding %(r)s") % {"r": d.get("report", "")},
    "registered": lambda d: _("Zaak geregistreerd (buiten Intact binnengekomen)"),
    "team_invited": lambda d: _("Teamlid uitgenodigd"),
    "team_declared": lambda d: (
        _("Verklaring belangenverstrengeling: belang gemeld, niet toegetreden")
        if d.get("conflict")
        else _("Verklaring belangenverstrengeling: geen belang, toegetreden")
    ),
    "team_removed": lambda d: _("Teamlid verwijderd"),
    "file_updated": lambda d: _("Dossiergegevens bijgewerkt"),
    "party_added": lambda d: _("Partij toegevoegd"),
    "triaged": lambda d: _("Triage vastgelegd: ernst %(s)s") % {"s": d.get("severity", "")},
    "retriaged": lambda d: _("Opnieuw getrieerd: ernst %(s)s") % {"s": d.get("severity", "")},
    "action_done": lambda d: _("Verplichte actie afgerond"),
    "decision": lambda d: (
        _("Besluit: onderzoek instellen")
        if d.get("decision") == "investigate"
        else _("Besluit: geen onderzoek")
    ),
    "assigned": lambda d: _("Onderzoek toegewezen"),
    "plan_updated": lambda d: _("Onderzoeksplan bijgewerkt"),
    "hearing": lambda d: _("Hoorverslag vastgelegd"),
    "hearing_response": lambda d: (
        _("Reactie op hoorverslag vastgelegd")
        if not d.get("waived")
        else _("Gehoorde ziet af van reactie")
    ),
    "findings": lambda d: _("Bevindingen en conclusie vastgelegd"),
    "measure": lambda d: _("Maatregel vastgelegd"),
    "care_added": lambda d: _("Zorgmaatregel toegevoegd"),
    "care_done": lambda d: _("Zorgmaatregel afgerond"),
    "notification": lambda d: _("Externe melding vastgelegd"),
    "reporter_feedback": lambda d: _("Terugkoppeling aan de melder verstuurd"),
    "summary": lambda d: _("Openbare samenvatting bijgewerkt"),
    "document": lambda d: _("Document toegevoegd"),
    "anonymised": lambda d: _("Bewaartermijn verstreken: persoonsgegevens verwijderd"),
}


def describe(event: Any) -> str:
    """The line for one event, in the active language."""
    detail = event.detail or {}
    if event.kind == "transition":
        flow = config.workflow_for(event.case.organisation, event.case.report_type)
        return _("Status: %(a)s → %(b)s") % {
            "a": workflow.state_label(flow, detail.get("source", "")),
            "b": workflow.state_label(flow, detail.get("target", "")),
        }
    line = LINES.get(event.kind)
    return line(detail) if line else event.kind
