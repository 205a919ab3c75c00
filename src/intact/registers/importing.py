"""Filling the registers from CSV or XLSX files (migration from spreadsheets).

Two steps, both usable from the page, the API and ``intact registers_import``:

1. :func:`import_validate` reads the file and checks every row without
   writing anything; the report names the row (as the spreadsheet numbers
   it: the header is row 1) and the column of every error.
2. :func:`import_apply` validates again and, only when there is no error,
   writes every row through the register services in ONE transaction. If a
   service refuses a row after all, the whole import is rolled back and the
   report names that row: nothing is imported when any row is wrong
   (DESIGN rule 5).

The columns of each register are documented in ``docs/import.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intact.organisations.models import Person, Unit
from intact.registers import services
from intact.registers.models import (
    ActivityStatus,
    CheckKind,
    CheckStatus,
    CodeVersion,
    Commitment,
    CommitmentForm,
    FinancialKind,
    GiftDecision,
    GiftKind,
    Measure,
    ScreeningCheck,
)
from intact.security import audit

MAX_ROWS = 20000


class ImportFailed(Exception):
    """The file has errors; nothing was imported. ``report`` says what and where."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.errors)} error(s)")
        self.report = report


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


@dataclass
class ImportReport:
    register: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    cleaned: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    imported: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def as_dict(self) -> dict[str, Any]:
        return {
            "register": self.register,
            "rows": self.rows,
            "ok": self.ok,
            "imported": self.imported,
            "errors": [e.as_dict() for e in self.errors],
        }


# --- value parsers: each returns the value or raises ValueError with a message ---------------

_TRUE = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
_FALSE = {"nee", "n", "no", "false", "onwaar", "0", ""}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(_("Verwacht ja of nee."))


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Geen geldige datum (gebruik JJJJ-MM-DD of DD-MM-JJJJ)."))


def parse_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(_("Geen geldig getal."))
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace("€", "").replace(" ", "")
        if "," in text and "." in text:
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(_("Geen geldig getal.")) from exc
    if not number.is_finite() or number < 0:
        raise ValueError(_("Geef een getal van 0 of meer."))
    if number >= Decimal("10000000"):
        raise ValueError(_("Dat getal is te groot."))
    return number


def parse_text(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = str(value).strip()
        if len(text) > max_length:
            raise ValueError(_("Te lang (hoogstens %(n)s tekens).") % {"n": max_length})
        return text

    return parse


def parse_choice(mapping: dict[str, str]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        key = str(value).strip().lower().replace(" ", "_").replace("-", "_")
        if key in mapping:
            return mapping[key]
        allowed = ", ".join(sorted({k for k in mapping if not k.isdigit()}))
        raise ValueError(_("Onbekende waarde; kies uit: %(allowed)s.") % {"allowed": allowed})

    return parse


def parse_list(mapping: dict[str, str]) -> Callable[[Any], list[str]]:
    one = parse_choice(mapping)

    def parse(value: Any) -> list[str]:
        parts = [p for p in str(value).replace(";", ",").split(",") if p.strip()]
        return [one(p) for p in parts]

    return parse


# --- register specifications ---------------------------------------------------------------


@dataclass
class Column:
    name: str
    parse: Callable[[Any], Any]
    required: bool = True
    aliases: tuple[str, ...] = ()


PERSON = Column("personeelsnummer", parse_text(200), aliases=("employee_number", "person", "email"))

FORMS = {
    "eed": "oath",
    "oath": "oath",
    "belofte": "affirmation",
    "affirmation": "affirmation",
    "verklaring": "declaration",
    "integriteitsverklaring": "declaration",
    "declaration": "declaration",
}
ACTIVITY_STATUS = {
    "gemeld": ActivityStatus.DECLARED,
    "declared": ActivityStatus.DECLARED,
    "toegestaan": ActivityStatus.ALLOWED,
    "allowed": ActivityStatus.ALLOWED,
    "voorwaarden": ActivityStatus.ALLOWED_WITH_CONDITIONS,
    "toegestaan_onder_voorwaarden": ActivityStatus.ALLOWED_WITH_CONDITIONS,
    "allowed_with_conditions": ActivityStatus.ALLOWED_WITH_CONDITIONS,
    "geweigerd": ActivityStatus.REFUSED,
    "niet_toegestaan": ActivityStatus.REFUSED,
    "refused": ActivityStatus.REFUSED,
    "beeindigd": ActivityStatus.ENDED,
    "beëindigd": ActivityStatus.ENDED,
    "ended": ActivityStatus.ENDED,
}
GIFT_KINDS = {
    "geschenk": GiftKind.GIFT,
    "gift": GiftKind.GIFT,
    "uitnodiging": GiftKind.INVITATION,
    "invitation": GiftKind.INVITATION,
}
GIFT_DECISIONS = {
    "behouden": GiftDecision.KEEP,
    "keep": GiftDecision.KEEP,
    "weigeren": GiftDecision.REFUSE,
    "teruggeven": GiftDecision.REFUSE,
    "refuse": GiftDecision.REFUSE,
    "inleveren": GiftDecision.HAND_IN,
    "hand_in": GiftDecision.HAND_IN,
}
FINANCIAL_KINDS = {
    "belang": FinancialKind.INTEREST,
    "interest": FinancialKind.INTEREST,
    "effecten": FinancialKind.SECURITIES,
    "effectentransactie": FinancialKind.SECURITIES,
    "securities": FinancialKind.SECURITIES,
    "nihil": FinancialKind.NIL,
    "nil": FinancialKind.NIL,
}
MEASURES = {
    "roulatie": Measure.ROTATION,
    "functieroulatie": Measure.ROTATION,
    "functiescheiding": Measure.SEGREGATION,
    "extra_screening": Measure.EXTRA_SCREENING,
    "vier_ogen": Measure.FOUR_EYES,
    "vier_ogenprincipe": Measure.FOUR_EYES,
    "anders": Measure.OTHER,
    **{m.value: m.value for m in Measure},
}
CHECKS = {
    "vog": CheckKind.VOG,
    "referenties": CheckKind.REFERENCES,
    "diploma": CheckKind.DIPLOMA,
    "identiteit": CheckKind.IDENTITY,
    "safeguarding": CheckKind.SAFEGUARDING_REFERENCES,
    "referenties_safeguarding": CheckKind.SAFEGUARDING_REFERENCES,
    "misconduct_disclosure": CheckKind.MISCONDUCT_DISCLOSURE,
    "mds": CheckKind.MISCONDUCT_DISCLOSURE,
    **{c.value: c.value for c in CheckKind},
}
CHECK_STATUS = {
    "te_doen": CheckStatus.PENDING,
    "in_orde": CheckStatus.PASSED,
    "niet_in_orde": CheckStatus.FAILED,
    "nvt": CheckStatus.WAIVED,
    "niet_van_toepassing": CheckStatus.WAIVED,
    **{s.value: s.value for s in CheckStatus},
}

REGISTERS: dict[str, dict[str, Any]] = {
    "oath": {
        "label": gettext_lazy("Eed, belofte en integriteitsverklaring"),
        "columns": [
            PERSON,
            Column("vorm", parse_choice(FORMS), aliases=("form",)),
            Column("datum", parse_date, aliases=("taken_on", "date")),
            Column("getuige", parse_text(200), False, ("witness",)),
            Column("ten_overstaan_van", parse_text(200), False, ("sworn_before",)),
            Column("bijeenkomst", parse_text(200), False, ("ceremony",)),
        ],
    },
    "code_acknowledgements": {
        "label": gettext_lazy("Kennisname gedragscode"),
        "columns": [
            PERSON,
            Column("versie", parse_text(40), aliases=("version",)),
            Column("datum", parse_date, aliases=("acknowledged_on", "date")),
        ],
    },
    "outside_activities": {
        "label": gettext_lazy("Nevenwerkzaamheden"),
        "columns": [
            PERSON,
            Column("omschrijving", parse_text(300), aliases=("description",)),
            Column("voor_wie", parse_text(300), aliases=("for_whom",)),
            Column("uren_per_maand", parse_decimal, aliases=("hours_per_month",)),
            Column("betaald", parse_bool, aliases=("paid",)),
            Column("belangenverstrengeling", parse_bool, False, ("conflict_possible",)),
            Column("toelichting", parse_text(2000), False, ("conflict_explanation",)),
            Column("gemeld_op", parse_date, aliases=("declared_on",)),
            Column("status", parse_choice(ACTIVITY_STATUS), False),
            Column("voorwaarden", parse_text(2000), False, ("conditions",)),
            Column("motivering", parse_text(2000), False, ("reasons",)),
            Column("beoordeeld_op", parse_date, False, ("assessed_on",)),
            Column("laatst_bevestigd_op", parse_date, False, ("last_confirmed_on",)),
        ],
    },
    "gifts": {
        "label": gettext_lazy("Geschenken en uitnodigingen"),
        "columns": [
            PERSON,
            Column("soort", parse_choice(GIFT_KINDS), aliases=("kind",)),
            Column("gever", parse_text(200), aliases=("giver",)),
            Column("aanleiding", parse_text(300), aliases=("occasion",)),
            Column("waarde", parse_decimal, aliases=("estimated_value", "value")),
            Column("datum", parse_date, aliases=("received_on", "date")),
            Column("besluit", parse_choice(GIFT_DECISIONS), False, ("decision",)),
            Column("toelichting", parse_text(2000), False, ("note",)),
        ],
    },
    "financial_interests": {
        "label": gettext_lazy("Financiële belangen en effectentransacties"),
        "columns": [
            PERSON,
            Column("soort", parse_choice(FINANCIAL_KINDS), aliases=("kind",)),
            Column("omschrijving", parse_text(2000), False, ("details",)),
            Column("gemeld_op", parse_date, aliases=("declared_on",)),
        ],
    },
    "vulnerable_positions": {
        "label": gettext_lazy("Kwetsbare functies"),
        "columns": [
            Column("onderdeel", parse_text(200), False, ("unit",)),
            Column("functie", parse_text(200), aliases=("position",)),
            Column("risico", parse_text(4000), aliases=("risk",)),
            Column("maatregelen", parse_list(MEASURES), False, ("measures",)),
            Column("andere_maatregel", parse_text(300), False, ("other_measure",)),
            Column("geinventariseerd_op", parse_date, aliases=("assessed_on",)),
            Column("herbeoordelen_op", parse_date, False, ("review_on",)),
        ],
    },
    "screening": {
        "label": gettext_lazy("Screening"),
        "columns": [
            PERSON,
            Column("controle", parse_choice(CHECKS), aliases=("check", "kind")),
            Column("status", parse_choice(CHECK_STATUS)),
            Column("uitgevoerd_op", parse_date, False, ("completed_on",)),
            Column("opnieuw_op", parse_date, False, ("rescreen_on",)),
        ],
    },
}


def register_choices() -> list[tuple[str, str]]:
    return [(key, str(spec["label"])) for key, spec in REGISTERS.items()]


# --- reading the file -----------------------------------------------------------------------------


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def read_table(filename: str, data: bytes) -> list[list[Any]]:
    """The file as rows of cells (first row: the header). Raises ValueError when unreadable."""
    if filename.lower().endswith(".xlsx"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any parse failure is "not a readable XLSX"
            raise ValueError(_("Het XLSX-bestand kan niet worden gelezen.")) from exc
        sheet = book.worksheets[0]
        rows = [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise ValueError(_("Het CSV-bestand kan niet worden gelezen."))
    if "\x00" in text:
        raise ValueError(_("Het CSV-bestand kan niet worden gelezen."))
    first = text.splitlines()[0] if text else ""
    delimiter = max((";", ",", "\t"), key=first.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _normalise(header: Any) -> str:
    return str(header).strip().lower().replace(" ", "_").replace("-", "_")


# --- validation -----------------------------------------------------------------------------------


def _people(organisation: Any) -> tuple[dict[str, Person], dict[str, Person]]:
    by_number, by_email = {}, {}
    for p in Person.objects.filter(organisation=organisation):
        if p.employee_number:
            by_number[p.employee_number.strip().lower()] = p
        if p.email:
            by_email[p.email.strip().lower()] = p
    return by_number, by_email


def import_validate(
    *, organisation: Any, register: str, filename: str, data: bytes
) -> ImportReport:
    """Check a file against the register's columns and the organisation's data; writes nothing."""
    if register not in REGISTERS:
        raise ValueError(f"unknown register {register!r}")
    report = ImportReport(register=register)
    try:
        table = read_table(filename, data)
    except ValueError as exc:
        report.add(0, "", str(exc))
        return report
    table = [row for row in table if any(str(c).strip() for c in row)]
    if not table:
        report.add(1, "", _("Het bestand is leeg."))
        return report
    if len(table) - 1 > MAX_ROWS:
        report.add(0, "", _("Te veel regels (hoogstens %(n)s).") % {"n": MAX_ROWS})
        return report
    columns: list[Column] = REGISTERS[register]["columns"]
    lookup = {}
    for col in columns:
        for name in (col.name, *col.aliases):
            lookup[name] = col
    header = [_normalise(h) for h in table[0]]
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        col = lookup.get(name)
        if col is None:
            if name:
                report.add(
                    1,
                    _column_letter(index),
                    _("Onbekende kolom '%(name)s'.") % {"name": table[0][index]},
                )
            continue
        if col.name in positions:
            report.add(
                1,
                _column_letter(index),
                _("Kolom '%(name)s' komt twee keer voor.") % {"name": col.name},
            )
        positions[col.name] = index
    for col in columns:
        if col.required and col.name not in positions:
            report.add(
                1, col.name, _("Verplichte kolom '%(name)s' ontbreekt.") % {"name": col.name}
            )
    if report.errors:
        return report

    by_number, by_email = _people(organisation)
    context = _Context(organisation)
    for offset, raw in enumerate(table[1:], start=2):
        report.rows += 1
        values: dict[str, Any] = {}
        for col in columns:
            index = positions.get(col.name)
            cell = raw[index] if index is not None and index < len(raw) else ""
            where = f"{_column_letter(index)} ({col.name})" if index is not None else col.name
            if str(cell).strip() == "":
                if col.required:
                    report.add(offset, where, _("Verplicht veld is leeg."))
                continue
            try:
                values[col.name] = col.parse(cell)
            except ValueError as exc:
                report.add(offset, where, str(exc))
        if "personeelsnummer" in values:
            key = values["personeelsnummer"].lower()
            person = by_number.get(key) or (by_email.get(key) if "@" in key else None)
            if person is None:
                where = f"{_column_letter(positions['personeelsnummer'])} (personeelsnummer)"
                report.add(
                    offset, where, _("Geen persoon met dit personeelsnummer of e-mailadres.")
                )
            else:
                values["person"] = person
        if not any(e.row == offset for e in report.errors):
            for column, message in CHECKS_PER_ROW[register](values, context):
                index = positions.get(column)
                where = f"{_column_letter(index)} ({column})" if index is not None else column
                report.add(offset, where, message)
        report.cleaned.append((offset, values))
    return report


class _Context:
    """Facts about the organisation and the file so far, for checks across rows."""

    def __init__(self, organisation: Any) -> None:
        self.organisation = organisation
        self.seen: set[Any] = set()
        self.today = dt.date.today()
        self.units = {
            u.name.strip().lower(): u for u in Unit.objects.filter(organisation=organisation)
        }
        self.codes = {
            c.version.strip().lower(): c
            for c in CodeVersion.objects.filter(organisation=organisation)
        }
        self.sworn = set(
            Commitment.objects.filter(organisation=organisation).values_list("person_id", flat=True)
        )
        self.checks = set(
            ScreeningCheck.objects.filter(organisation=organisation).values_list(
                "person_id", "kind"
            )
        )

    def once(self, key: Any) -> bool:
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


def _future(values: dict[str, Any], ctx: _Context, *columns: str) -> list[tuple[str, str]]:
    return [
        (c, _("De datum ligt in de toekomst."))
        for c in columns
        if values.get(c) and values[c] > ctx.today
    ]


def _check_oath(values: dict[str, Any], ctx: _Context) -> list[tuple[str, str]]:
    from intact.registers import rules

    errors = _future(values, ctx, "datum")
    person = values["person"]
    required = rules.commitment_required(rules.settings_for(ctx.organisation), person)
    if required == "none":
        errors.append(
            ("personeelsnummer", _("Voor deze persoon is geen eed, belofte of verklaring vereist."))
        )
    elif required == "declaration" and values["vorm"] != CommitmentForm.DECLARATION:
        errors.append(("vorm", _("Voor deze persoon geldt een integriteitsverklaring.")))
    elif required == "oath" and values["vorm"] == CommitmentForm.DECLARATION:
        errors.append(("vorm", _("Voor deze persoon geldt de eed of belofte.")))
    if person.pk in ctx.sworn:
        errors.append(
            (
                "personeelsnummer",
                _("Voor deze persoon is al een eed, belofte of verklaring geregistreerd."),
            )
        )
    elif not ctx.once(("oath", person.pk)):
        errors.append(("personeelsnummer", _("Deze persoon staat twee keer in het bestand.")))
    return errors


def _check_ack(values: dict[str, Any], ctx: _Context) -> list[tuple[str, str]]:
    errors = _future(values, ctx, "datum")
    code = ctx.codes.get(values["versie"].lower())
    if code is None:
        errors.append(("versie", _("Deze versie van de gedragscode bestaat niet.")))
    else:
        values["code"] = code
        if not ctx.once(("ack", values["person"].pk, code.pk)):
            errors.append(("personeelsnummer", _("Deze persoon staat twee keer in het bestand.")))
    return errors


def _check_activity(values: dict[str, Any], ctx: _Context) -> list[tuple[str, str]]:
    errors = _future(values, ctx, "gemeld_op", "beoordeeld_op", "laatst_bevestigd_op")
    if values["uren_per_maand"] > 744:
        errors.append(("uren_per_maand", _("Een maand heeft niet zoveel uren.")))
    if values.get("belangenverstrengeling") and not values.get("toelichting"):
        errors.append(("toelichting", _("Licht toe waar belangenverstrengeling kan ontstaan.")))
    status = values.get("status", ActivityStatus.DECLARED)
    if status in (
        ActivityStatus.ALLOWED,
        ActivityStatus.ALLOWED_WITH_CONDITIONS,
        ActivityStatus.REFUSED,
    ):
        if not values.get("motivering"):
            errors.append(("motivering", _("Geef de motivering van het oordeel.")))
        if status == ActivityStatus.ALLOWED_WITH_CONDITIONS and not values.get("voorwaarden"):
            errors.append(("voorwaarden", _("Geef de voorwaarden.")))
    return errors


def _check_gift(values: dict[str, Any], ctx: _Context) -> list[tuple[str, str]]:
    return _future(values, ctx, "datum")


def _check_financial(values: dict[str, Any], ctx: _Context) -> list[tuple[str, str]]:
    errors = _future(values, ctx, "gemeld_op")
    if values["soort"] != FinancialKind.NIL and not values.get("omschrijving"):
        errors.append(("omschrijving", _("Omschrijf het belang of de transactie.")))
    return errors


def _check_vulnerable(values: dict[str, Any], ctx: _Context) -> list[tuple[str, str]]:
    errors = []
    if values.get("onderdeel"):
        unit = ctx.units.get(values["onderdeel"].lower())
        if unit is None:
            errors.append(("onderdeel", _("Onbekend organisatieonderdeel.")))
        values["unit"] = unit
    if Measure.OTHER in values.get("maatregelen", []) and not values.get("andere_maatregel"):
        errors.append(("andere_maatregel", _("Beschrijf de andere maatregel.")))
    if (
        values.get("herbeoordelen_op")
        and values["herbeoordelen_op"] < values["geinventariseerd_op"]
    ):
        errors.append(("herbeoordelen_op", _("De herbeoordeling ligt vóór de inventarisatie.")))
    return errors


def _check_screening(values: dict[str, Any], ctx: _Context) -> list[tuple[str, str]]:
    errors = _future(values, ctx, "uitgevoerd_op")
    key = (values["person"].pk, values["controle"])
    if key in ctx.checks or not ctx.once(("screening", *key)):
        errors.append(("controle", _("Deze controle staat al voor deze persoon geregistreerd.")))
    return errors


CHECKS_PER_ROW: dict[str, Callable[[dict[str, Any], _Context], list[tuple[str, str]]]] = {
    "oath": _check_oath,
    "code_acknowledgements": _check_ack,
    "outside_activities": _check_activity,
    "gifts": _check_gift,
    "financial_interests": _check_financial,
    "vulnerable_positions": _check_vulnerable,
    "screening": _check_screening,
}


# --- applying ---------------------------------------------------------------------------------------


def _apply_row(actor: Any, organisation: Any, register: str, v: dict[str, Any]) -> None:
    person = v.get("person")
    if register == "oath":
        services.commitment_register(
            actor=actor,
            person=person,
            form=v["vorm"],
            taken_on=v["datum"],
            witness=v.get("getuige", ""),
            sworn_before=v.get("ten_overstaan_van", ""),
            ceremony=v.get("bijeenkomst", ""),
        )
    elif register == "code_acknowledgements":
        services.code_acknowledge(actor=actor, person=person, version=v["code"], on=v["datum"])
    elif register == "outside_activities":
        activity = services.activity_declare(
            actor=actor,
            person=person,
            description=v["omschrijving"],
            for_whom=v["voor_wie"],
            hours_per_month=v["uren_per_maand"],
            paid=v["betaald"],
            conflict_possible=v.get("belangenverstrengeling", False),
            conflict_explanation=v.get("toelichting", ""),
            declared_on=v["gemeld_op"],
        )
        status = v.get("status", ActivityStatus.DECLARED)
        if status in services.ASSESSMENT_OUTCOMES:
            services.activity_assess(
                actor=None,
                activity=activity,
                outcome=status,
                reasons=v.get("motivering", ""),
                conditions=v.get("voorwaarden", ""),
                on=v.get("beoordeeld_op") or v["gemeld_op"],
            )
            if v.get("laatst_bevestigd_op"):
                services.activity_confirm(
                    actor=actor, activity=activity, on=v["laatst_bevestigd_op"]
                )
        elif status == ActivityStatus.ENDED:
            services.activity_end(
                actor=actor, activity=activity, ended_on=v.get("beoordeeld_op") or v["gemeld_op"]
            )
    elif register == "gifts":
        gift = services.gift_declare(
            actor=actor,
            person=person,
            kind=v["soort"],
            giver=v["gever"],
            occasion=v["aanleiding"],
            estimated_value=v["waarde"],
            received_on=v["datum"],
            declared_on=v["datum"],
        )
        if v.get("besluit") and (gift.needs_approval or v["besluit"] != GiftDecision.KEEP):
            services.gift_decide(
                actor=None,
                gift=gift,
                decision=v["besluit"],
                note=v.get("toelichting", ""),
                on=v["datum"],
            )
    elif register == "financial_interests":
        services.financial_declare(
            actor=actor,
            person=person,
            kind=v["soort"],
            details=v.get("omschrijving", ""),
            declared_on=v["gemeld_op"],
        )
    elif register == "vulnerable_positions":
        services.vulnerable_position_save(
            actor=actor,
            organisation=organisation,
            unit=v.get("unit"),
            position=v["functie"],
            risk=v["risico"],
            measures=v.get("maatregelen", []),
            other_measure=v.get("andere_maatregel", ""),
            assessed_on=v["geinventariseerd_op"],
            review_on=v.get("herbeoordelen_op"),
            sync_flags=False,
        )
    elif register == "screening":
        check = services.screening_check_open(actor=actor, person=person, kind=v["controle"])
        services.screening_check_record(
            actor=actor,
            check=check,
            status=v["status"],
            completed_on=v.get("uitgevoerd_op"),
            rescreen_on=v.get("opnieuw_op"),
        )
    else:  # pragma: no cover - guarded by import_validate
        raise ValueError(register)


def import_apply(
    *, actor: Any, organisation: Any, register: str, filename: str, data: bytes
) -> ImportReport:
    """Validate and import the whole file in one transaction; raises :class:`ImportFailed` on any error."""
    report = import_validate(
        organisation=organisation, register=register, filename=filename, data=data
    )
    if not report.ok:
        raise ImportFailed(report)
    try:
        with transaction.atomic():
            for row, values in report.cleaned:
                try:
                    _apply_row(actor, organisation, register, values)
                except ValidationError as exc:
                    report.add(row, "", "; ".join(exc.messages))
                    raise
            if register == "vulnerable_positions":
                services.vulnerable_flags_sync(actor=actor, organisation=organisation)
            report.imported = len(report.cleaned)
            audit.record(
                actor,
                "registers.import",
                organisation=organisation,
                object_type="registers." + register,
                detail={"register": register, "rows": report.imported},
            )
    except ValidationError:
        report.imported = 0
        raise ImportFailed(report) from None
    return report
