"""The register rules as data: defaults from ``data/defaults.yaml``, per organisation in
:class:`~intact.registers.models.RegisterSettings`, and the date arithmetic they need."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from intact.registers.models import CommitmentRule, RegisterSettings

DATA = Path(__file__).resolve().parent / "data" / "defaults.yaml"


@cache
def defaults() -> dict[str, Any]:
    """The default rules (read once); see the file for the source of each value."""
    with DATA.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def settings_for(organisation: Any) -> RegisterSettings:
    """The organisation's register rules, created from the defaults on first use."""
    found = RegisterSettings.objects.filter(organisation=organisation).first()
    if found is not None:
        return found
    d = defaults()
    by_type = d["oath"]["by_contract_type"]
    rules, _created = RegisterSettings.objects.get_or_create(
        organisation=organisation,
        defaults={
            "oath_term_months": d["oath"]["term_months"],
            "commitment_employee": by_type.get("employee", CommitmentRule.NONE),
            "commitment_external": by_type.get("external", CommitmentRule.NONE),
            "commitment_volunteer": by_type.get("volunteer", CommitmentRule.NONE),
            "publish_min_salary_scale": d["outside_activities"]["publish_min_salary_scale"],
            "publish_positions": list(d["outside_activities"]["publish_positions"]),
            "reconfirm_months": d["outside_activities"]["reconfirm_months"],
            "gift_threshold": Decimal(str(d["gifts"]["approval_threshold_eur"])),
            "invitations_need_approval": d["gifts"]["invitations_always_need_approval"],
            "code_reminder_after_days": d["code_of_conduct"]["reminder_after_days"],
            "code_reminder_interval_days": d["code_of_conduct"]["reminder_interval_days"],
            "source": f"data/defaults.yaml v{d['version']}",
        },
    )
    return rules


def commitment_required(rules: RegisterSettings, person: Any) -> str:
    """What the person owes: ``oath``, ``declaration`` or ``none`` (by contract type)."""
    return rules.commitment_for(person.contract_type)


def commitment_due(rules: RegisterSettings, person: Any) -> dt.date:
    """The date by which the oath or declaration must be taken: start + the organisation's term."""
    return add_months(person.start_date, rules.oath_term_months)


def gift_needs_approval(rules: RegisterSettings, *, kind: str, value: Decimal) -> bool:
    """The organisation's gifts rule: above the threshold, or any invitation if so configured."""
    if kind == "invitation" and rules.invitations_need_approval:
        return True
    return Decimal(value) > rules.gift_threshold


def is_published_person(rules: RegisterSettings, person: Any) -> bool:
    """Whether a person's outside activities are published (senior staff by scale or position)."""
    positions = {p.strip().lower() for p in rules.publish_positions or [] if p.strip()}
    if person.position and person.position.strip().lower() in positions:
        return True
    threshold = rules.publish_min_salary_scale
    return bool(threshold and person.salary_scale and person.salary_scale >= threshold)


def reconfirm_due(rules: RegisterSettings, activity: Any) -> dt.date:
    """When an active outside activity must be confirmed again."""
    base = activity.last_confirmed_on or activity.assessed_on or activity.declared_on
    return add_months(base, rules.reconfirm_months)


def screening_profiles_default(kind: str) -> list[dict[str, Any]]:
    """The default screening profiles for an organisation of ``kind`` (government or ngo)."""
    return list(defaults()["screening_profiles"].get(kind, []))
