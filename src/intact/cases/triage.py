"""The triage rules engine: criteria -> severity -> required actions. Pure functions.

The instrument is data (``data/triage.yaml`` or an organisation's own
version); nothing here touches the database, so the rules can be tested
exhaustively (tests/cases/test_triage_rules.py, property-based).

Rules, in short (the YAML file explains them with their sources):

* each chosen option or set flag may carry a minimum level; the severity is
  the highest of these, the lowest level when none applies;
* aggravating answers are counted; ``escalation.aggravating_threshold`` of
  them raise the severity by ``escalation.raise_by`` levels, capped;
* an action is required from its ``from_level`` up, or when all tags of one
  of its ``when`` groups are present; ``applies_to`` limits criteria and
  actions to a kind of organisation (government, ngo).

Both rules only ever add, so adding an answer never lowers the severity nor
removes an action.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

FLAG_TRUE = {True, "true", "on", "1", "yes"}


@dataclass(frozen=True)
class RequiredAction:
    key: str
    nl: str
    en: str
    term_hours: int
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class TriageResult:
    severity: str
    level: int
    tags: frozenset[str]
    aggravating: int
    actions: tuple[RequiredAction, ...] = field(default_factory=tuple)

    @property
    def action_keys(self) -> frozenset[str]:
        return frozenset(a.key for a in self.actions)


class InstrumentError(ValueError):
    """The instrument (data) is inconsistent."""


def levels(instrument: Mapping[str, Any]) -> list[str]:
    """The level codes, lowest first."""
    return [lvl["code"] for lvl in instrument["levels"]]


def _applies(item: Mapping[str, Any], kind: str) -> bool:
    allowed = item.get("applies_to")
    return not allowed or kind in allowed


def criteria_for(instrument: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    """The criteria that apply to an organisation of ``kind``."""
    return [c for c in instrument["criteria"] if _applies(c, kind)]


def clean_answers(
    instrument: Mapping[str, Any], answers: Mapping[str, Any], kind: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """Keep only known answers: (clean answers, errors per criterion key).

    Choice criteria take one of their option values (or nothing); flags are
    stored as ``True`` when set and left out otherwise.
    """
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for criterion in criteria_for(instrument, kind):
        key = criterion["key"]
        value = answers.get(key)
        if criterion.get("kind", "choice") == "flag":
            if value in FLAG_TRUE:
                clean[key] = True
            continue
        if value in (None, ""):
            continue
        allowed = {str(o["value"]) for o in criterion.get("options", [])}
        if str(value) not in allowed:
            errors[key] = "unknown option"
            continue
        clean[key] = str(value)
    return clean, errors


def _contributions(
    instrument: Mapping[str, Any], answers: Mapping[str, Any], kind: str
) -> list[dict[str, Any]]:
    """The option/flag definitions that the answers select."""
    chosen: list[dict[str, Any]] = []
    for criterion in criteria_for(instrument, kind):
        value = answers.get(criterion["key"])
        if criterion.get("kind", "choice") == "flag":
            if value in FLAG_TRUE:
                chosen.append(criterion)
            continue
        for option in criterion.get("options", []):
            if value is not None and str(option["value"]) == str(value):
                chosen.append(option)
    return chosen


def evaluate(
    instrument: Mapping[str, Any], answers: Mapping[str, Any], *, kind: str
) -> TriageResult:
    """Severity and required actions for ``answers`` under ``instrument`` for an organisation of ``kind``."""
    codes = levels(instrument)
    index = {code: i for i, code in enumerate(codes)}
    level = 0
    tags: set[str] = set()
    aggravating = 0
    for item in _contributions(instrument, answers, kind):
        if item.get("level"):
            if item["level"] not in index:
                raise InstrumentError(f"unknown level {item['level']!r}")
            level = max(level, index[item["level"]])
        tags.update(item.get("tags") or ())
        if item.get("aggravating"):
            aggravating += 1
    escalation = instrument.get("escalation") or {}
    threshold = int(escalation.get("aggravating_threshold") or 0)
    if threshold and aggravating >= threshold:
        level = min(len(codes) - 1, level + int(escalation.get("raise_by") or 1))
    actions = []
    for action in instrument.get("actions", []):
        if not _applies(action, kind):
            continue
        reasons: list[str] = []
        from_level = action.get("from_level")
        if from_level:
            if from_level not in index:
                raise InstrumentError(f"unknown level {from_level!r}")
            if level >= index[from_level]:
                reasons.append(f"level:{from_level}")
        for group in action.get("when") or ():
            if group and set(group) <= tags:
                reasons.append("tags:" + "+".join(group))
        if reasons:
            actions.append(
                RequiredAction(
                    key=action["key"],
                    nl=action.get("nl", action["key"]),
                    en=action.get("en", action.get("nl", action["key"])),
                    term_hours=int(action["term_hours"]),
                    reasons=tuple(reasons),
                )
            )
    return TriageResult(
        severity=codes[level],
        level=level,
        tags=frozenset(tags),
        aggravating=aggravating,
        actions=tuple(actions),
    )


def validate_instrument(instrument: Mapping[str, Any]) -> list[str]:
    """Problems in an instrument definition (empty when it is usable)."""
    problems: list[str] = []
    try:
        codes = levels(instrument)
    except (KeyError, TypeError):
        return ["levels missing"]
    if len(set(codes)) != len(codes) or not codes:
        problems.append("levels must be unique and not empty")
    keys = set()
    for criterion in instrument.get("criteria", []):
        if criterion.get("key") in keys:
            problems.append(f"criterion {criterion.get('key')} twice")
        keys.add(criterion.get("key"))
        items = [criterion] if criterion.get("kind") == "flag" else criterion.get("options", [])
        for item in items:
            if item.get("level") and item["level"] not in codes:
                problems.append(f"{criterion.get('key')}: unknown level {item['level']}")
    for action in instrument.get("actions", []):
        if action.get("from_level") and action["from_level"] not in codes:
            problems.append(f"action {action.get('key')}: unknown level")
        if not action.get("from_level") and not action.get("when"):
            problems.append(f"action {action.get('key')}: never required")
        if int(action.get("term_hours") or 0) <= 0:
            problems.append(f"action {action.get('key')}: term_hours must be positive")
    return problems
