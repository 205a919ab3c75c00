"""The indicator registry: realisation of a measure computed from Intact's own data.

Each indicator has a key (``activities:dilemma_game``), a label, whether it is a
count or a percentage, and a function ``(organisation, year, unit_ids) -> Decimal``.
The functions read other apps only through their aggregate selectors
(``learning.selectors.activity_totals``, ``registers.selectors.register_counts``,
``cases.selectors.case_statistics`` …), never through names or content.

Figures are organisation-wide: the other apps count per organisation and year.
Only ``risk_analyses:units`` and ``inquiry:*`` can be narrowed to the units of a
decentral work plan (``unit_ids``); the others ignore it and say so
(``unit_aware`` False), and the dashboard shows that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Any
    percentage: bool
    compute: Callable[[Any, int, set[int] | None], Decimal]
    unit_aware: bool = False


def _d(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- sources -------------------------------------------------------------------------------------


def _activities(organisation: Any, year: int) -> dict[str, Any]:
    from intact.learning.selectors import activity_totals

    return activity_totals(organisation, year)


def _registers(organisation: Any, year: int) -> dict[str, Any]:
    from intact.registers.selectors import register_counts

    return register_counts(organisation, year)


def _cases(organisation: Any, year: int) -> dict[str, Any]:
    from intact.cases.selectors import case_statistics

    return case_statistics(organisation, year)


def _activity_type(code: str) -> Callable[[Any, int, set[int] | None], Decimal]:
    def compute(organisation: Any, year: int, unit_ids: set[int] | None) -> Decimal:
        row = _activities(organisation, year)["by_type_code"].get(code)
        return _d(row["sessions"] if row else 0)

    return compute


def _participants(organisation: Any, year: int, unit_ids: set[int] | None) -> Decimal:
    return _d(_activities(organisation, year)["participants"])


def _sessions(organisation: Any, year: int, unit_ids: set[int] | None) -> Decimal:
    return _d(_activities(organisation, year)["sessions"])


def _register(key: str) -> Callable[[Any, int, set[int] | None], Decimal]:
    def compute(organisation: Any, year: int, unit_ids: set[int] | None) -> Decimal:
        return _d(_registers(organisation, year).get(key))

    return compute


def _oaths_taken(organisation: Any, year: int, unit_ids: set[int] | None) -> Decimal:
    counts = _registers(organisation, year)
    return _d(counts["oaths_taken"] + counts["integrity_declarations_signed"])


def _oath_on_time_pct(organisation: Any, year: int, unit_ids: set[int] | None) -> Decimal:
    """Share of the oaths/declarations owed this year that were taken in time.

    The registers app exposes the number overdue at the end of the year and the
    number taken in the year; "on time" is taken minus those taken late is not
    available, so this is 100 × taken / (taken + still overdue).
    """
    counts = _registers(organisation, year)
    taken = counts["oaths_taken"] + counts["integrity_declarations_signed"]
    owed = taken + counts["commitments_overdue"]
    return _d(100 * taken / owed) if owed else _d(100 if taken else 0)


def _published(organisation: Any, year: int, unit_ids: set[int] | None) -> Decimal:
    from intact.registers.selectors import published_activities

    return _d(len(published_activities(organisation)))


def _risk_units(organisation: Any, year: int, unit_ids: set[int] | None) -> Decimal:
    """Units with a vulnerable-positions inventory (risk analysis) made or reviewed in the year."""
    from intact.registers import selectors as registers

    units = _vulnerable_units(registers, organisation, year)
    if unit_ids is not None:
        units = units & unit_ids
    return _d(len(units))


def _vulnerable_units(registers: Any, organisation: Any, year: int) -> set[int]:
    # The registers app's user-free aggregate: the unit ids of its inventory, no names, no content.
    return registers.vulnerable_units_for_report(organisation, year, today())


def _cases_registered(organisation: Any, year: int, unit_ids: set[int] | None) -> Decimal:
    return _d(_cases(organisation, year)["total"])


def _cases_closed(organisation: Any, year: int, unit_ids: set[int] | None) -> Decimal:
    return _d(_cases(organisation, year)["closed"])


def _conversations(organisation: Any, year: int, unit_ids: set[int] | None) -> Decimal:
    from intact.learning.selectors import counsellor_topic_counts

    return _d(counsellor_topic_counts(organisation, year)["total"])


def _inquiry_rounds(organisation: Any, year: int, unit_ids: set[int] | None) -> Decimal:
    from intact.policy.selectors import inquiry_rounds_held

    return _d(inquiry_rounds_held(organisation, year))


def _inquiry_completeness(organisation: Any, year: int, unit_ids: set[int] | None) -> Decimal:
    from intact.policy.selectors import inquiry_completeness_year

    return _d(inquiry_completeness_year(organisation, year, unit_ids))


def _build() -> dict[str, Indicator]:
    from intact.learning.choices import ActivityType

    registry: dict[str, Indicator] = {}

    def add(
        key: str, label: Any, compute: Any, *, percentage: bool = False, unit_aware: bool = False
    ) -> None:
        registry[key] = Indicator(key, label, percentage, compute, unit_aware)

    for code, label in ActivityType.choices:
        add(
            f"activities:{code}",
            format_lazy(_("Activiteiten: {type} (aantal keer)"), type=label),
            _activity_type(code),
        )
    add("activities:sessions", _("Activiteiten: alle soorten (aantal keer)"), _sessions)
    add("activities:participants", _("Activiteiten: deelnemers"), _participants)
    add("oath:taken", _("Eed, belofte of integriteitsverklaring afgelegd"), _oaths_taken)
    add("oath:on_time_pct", _("Eed of belofte op tijd (%)"), _oath_on_time_pct, percentage=True)
    add(
        "code:acknowledged_pct",
        _("Gedragscode bevestigd (%)"),
        _register("code_acknowledged_percentage"),
        percentage=True,
    )
    add(
        "outside_activities:declared",
        _("Nevenwerkzaamheden gemeld"),
        _register("outside_activities_declared"),
    )
    add("outside_activities:published", _("Nevenwerkzaamheden gepubliceerd"), _published)
    add("gifts:declared", _("Geschenken en uitnodigingen gemeld"), _register("gifts_declared"))
    add(
        "financial:declarations",
        _("Meldingen financiële belangen"),
        _register("financial_declarations"),
    )
    add("screening:completed", _("Screenings afgerond"), _register("screening_checks_completed"))
    add(
        "risk_analyses:units",
        _("Onderdelen met inventarisatie kwetsbare functies"),
        _risk_units,
        unit_aware=True,
    )
    add("cases:registered", _("Zaken geregistreerd"), _cases_registered)
    add("cases:closed", _("Zaken afgesloten"), _cases_closed)
    add("counsellor:conversations", _("Gesprekken met vertrouwenspersonen"), _conversations)
    add("inquiry:rounds", _("Uitvraagrondes gehouden"), _inquiry_rounds)
    add(
        "inquiry:completeness_pct",
        _("Uitvraag beantwoord (%)"),
        _inquiry_completeness,
        percentage=True,
        unit_aware=True,
    )
    return registry


_REGISTRY: dict[str, Indicator] | None = None


def registry() -> dict[str, Indicator]:
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = _build()
    return _REGISTRY


def choices() -> list[tuple[str, str]]:
    """(key, label) pairs for a select, with "by hand" first."""
    return [("", str(_("Met de hand bijhouden")))] + [
        (k, str(i.label)) for k, i in registry().items()
    ]


def get(key: str) -> Indicator | None:
    return registry().get(key)


def compute(
    key: str, organisation: Any, year: int, unit_ids: set[int] | None = None
) -> Decimal | None:
    """The computed value of indicator ``key``; None when the key is unknown or its source is absent."""
    indicator = get(key)
    if indicator is None:
        return None
    try:
        return indicator.compute(organisation, year, unit_ids)
    except (ImportError, AttributeError):
        # The app that holds the data is not (yet) installed or lacks the selector.
        return None


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
