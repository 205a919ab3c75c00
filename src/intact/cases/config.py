"""The cases app's rules as data: loading the YAML defaults and an organisation's own versions.

Defaults live in ``cases/data/*.yaml`` with their sources. An organisation
adapts the triage instrument or a workflow by storing its own version
(:class:`~intact.cases.models.CaseConfig`); the newest current version wins,
older ones stay for the record. Categories and measure types are copied into
per-organisation tables on first use, so organisations rename, switch off and
add them there.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import get_language

DATA = Path(__file__).resolve().parent / "data"


@cache
def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))


def defaults(name: str) -> dict[str, Any]:
    """A deep copy of ``data/<name>.yaml`` (callers may change it)."""
    return copy.deepcopy(_load(name))


def label(item: dict[str, Any]) -> str:
    """The ``nl``/``en`` label of a data item in the active language."""
    lang = get_language() or "nl"
    if lang.startswith("en") and item.get("en"):
        return str(item["en"])
    return str(item.get("nl") or item.get("code") or item.get("key") or "")


def _stored(organisation: Any, name: str) -> dict[str, Any] | None:
    from intact.cases.models import CaseConfig

    row = (
        CaseConfig.objects.filter(organisation=organisation, name=name, is_current=True)
        .order_by("-version")
        .first()
    )
    return copy.deepcopy(row.definition) if row is not None else None


def triage_instrument(organisation: Any) -> dict[str, Any]:
    """The organisation's triage instrument: its own current version, or the default."""
    return _stored(organisation, "triage") or defaults("triage")


def workflow_for(organisation: Any, report_type: str) -> dict[str, Any]:
    """The case workflow for one report type, with the report type's role overrides applied.

    An organisation's own version (``CaseConfig`` named ``workflow``) replaces
    the default as a whole.
    """
    base = _stored(organisation, "workflow") or defaults("workflow")
    overrides = (base.get("report_types") or {}).get(report_type or "", {}) or {}
    for transition in base["transitions"]:
        roles = (overrides.get("roles") or {}).get(transition["code"])
        if roles is not None:
            transition["roles"] = list(roles)
    return base


def retention_terms(organisation: Any) -> dict[str, Any]:
    """Retention terms per outcome (months after closing), the organisation's own or the default."""
    return (_stored(organisation, "retention") or defaults("retention"))["terms"]
