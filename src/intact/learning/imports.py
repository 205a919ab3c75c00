"""Import of activities and counsellor conversations from CSV or XLSX (spreadsheets of earlier years).

All rows are validated first; every error names its row (as numbered in the
spreadsheet, the header being row 1) and its column. Only when no row has an
error is anything written, in one transaction with one audit entry (DESIGN
rule 5: an import with an error changes nothing). Column names may be Dutch
or English; values may be codes or the labels shown in the application.
Conversation notes are never imported: a note belongs to the counsellor who
writes it in Intact.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intact.learning.models import (
    Activity,
    ActivityType,
    Audience,
    ContactForm,
    ConversationTopic,
    CounsellorConversation,
    Facilitator,
    FollowUp,
)
from intact.organisations.models import Organisation, Role
from intact.security import audit, policy

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_XLSX_UNPACKED = 50 * 1024 * 1024
KINDS = ("activities", "conversations")


@dataclass(frozen=True)
class Column:
    key: str
    names: tuple[str, ...]
    required: bool = True


COLUMNS: dict[str, tuple[Column, ...]] = {
    "activities": (
        Column("date", ("datum", "date")),
        Column("type", ("soort", "type")),
        Column("title", ("titel", "title")),
        Column("unit", ("onderdeel", "afdeling", "unit"), required=False),
        Column("audience", ("doelgroep", "audience")),
        Column("audience_detail", ("toelichting_doelgroep", "audience_detail"), required=False),
        Column("facilitators", ("begeleiders", "facilitators"), required=False),
        Column("participants", ("deelnemers", "aantal_deelnemers", "participants")),
        Column("notes", ("opmerkingen", "notes"), required=False),
    ),
    "conversations": (
        Column("date", ("datum", "date")),
        Column("topic", ("onderwerp", "topic")),
        Column("contact_form", ("contactvorm", "contact_form"), required=False),
        Column("follow_up", ("vervolg", "follow_up"), required=False),
    ),
}


@dataclass
class ImportIssue:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("rij %(row)s") % {"row": self.row}
        if self.column:
            where += ", " + _("kolom %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    facilitators_added: list[str] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(Exception):
    """The file as a whole cannot be read (type, size, encoding)."""


# --- reading ---------------------------------------------------------------------------


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _read_csv(data: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise ImportFileError(_("Het bestand is geen leesbare tekst (UTF-8)."))
    first = text.split("\n", 1)[0]
    try:
        dialect: Any = csv.Sniffer().sniff(first, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";" if first.count(";") >= first.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(data: bytes) -> list[list[Any]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED:
                raise ImportFileError(_("Het bestand is uitgepakt te groot."))
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("Het bestand is geen geldig XLSX-bestand.")) from exc
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any parse failure means an unreadable file
        raise ImportFileError(_("Het bestand is geen geldig XLSX-bestand.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(list(values))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_table(filename: str, data: bytes) -> list[list[Any]]:
    """The rows of a CSV or XLSX file (the first sheet), header included."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("Het bestand is groter dan 5 MB."))
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        rows = _read_xlsx(data)
    elif filename.lower().endswith((".csv", ".txt")):
        rows = _read_csv(data)
    else:
        raise ImportFileError(_("Kies een CSV- of XLSX-bestand."))
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileError(_("Het bestand heeft meer dan %(n)s regels.") % {"n": MAX_ROWS})
    return rows


# --- value parsing ------------------------------------------------------------------------


class _Invalid(Exception):
    pass


class _DryRun(Exception):
    """Rolls back a dry run."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _norm(value: str) -> str:
    return " ".join(value.lower().replace("_", " ").split())


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    else:
        text = _text(value)
        for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d"):
            try:
                result = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise _Invalid(
                _("'%(value)s' is geen datum (gebruik bijvoorbeeld 2019-03-14 of 14-03-2019).")
                % {"value": text}
            )
    if result > timezone.localdate():
        raise _Invalid(_("De datum ligt in de toekomst."))
    if result.year < 1990:
        raise _Invalid(_("De datum ligt vóór 1990."))
    return result


def _choice(choices: Any, value: Any) -> str:
    """A choice by its code or by its label in Dutch or English, whatever the active language."""
    from django.utils import translation

    text = _norm(_text(value))
    for code in choices.values:
        if text == _norm(code):
            return code
    for language in ("nl", "en"):
        with translation.override(language):
            for code, label in choices.choices:
                if text == _norm(str(label)):
                    return code
    allowed = ", ".join(choices.values)
    raise _Invalid(
        _("'%(value)s' is geen geldige waarde; kies uit: %(allowed)s.")
        % {"value": _text(value), "allowed": allowed}
    )


def _count(value: Any) -> int:
    if isinstance(value, bool):
        raise _Invalid(_("Vul een geheel getal in."))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        try:
            number = int(_text(value))
        except ValueError as exc:
            raise _Invalid(
                _("'%(value)s' is geen geheel getal.") % {"value": _text(value)}
            ) from exc
    if number < 0 or number > 100_000:
        raise _Invalid(_("Het aantal moet tussen 0 en 100.000 liggen."))
    return number


# --- the import ------------------------------------------------------------------------------


def _header(kind: str, header: list[Any], result: ImportResult) -> dict[str, int]:
    positions: dict[str, int] = {}
    by_name = {name: col for col in COLUMNS[kind] for name in col.names}
    for index, raw in enumerate(header):
        name = _norm(_text(raw)).replace(" ", "_")
        if not name:
            continue
        column = by_name.get(name)
        letter = _column_letter(index)
        if column is None:
            result.errors.append(ImportIssue(1, f"{letter} ({_text(raw)})", _("Onbekende kolom.")))
        elif column.key in positions:
            result.errors.append(
                ImportIssue(1, f"{letter} ({_text(raw)})", _("Deze kolom komt twee keer voor."))
            )
        else:
            positions[column.key] = index
    for column in COLUMNS[kind]:
        if column.required and column.key not in positions:
            result.errors.append(ImportIssue(1, column.names[0], _("Verplichte kolom ontbreekt.")))
    return positions


def _parse_rows(
    kind: str,
    rows: list[list[Any]],
    parsers: dict[str, Callable[[Any], Any]],
    result: ImportResult,
) -> list[tuple[int, dict[str, Any]]]:
    header = rows[0] if rows else []
    positions = _header(kind, header, result)
    if result.errors:
        return []
    parsed: list[tuple[int, dict[str, Any]]] = []
    columns = {c.key: c for c in COLUMNS[kind]}
    for number, row in enumerate(rows[1:], start=2):
        if all(_text(v) == "" for v in row):
            continue
        values: dict[str, Any] = {}
        for key, index in positions.items():
            raw = row[index] if index < len(row) else None
            column_name = f"{_column_letter(index)} ({_text(header[index])})"
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if columns[key].required:
                    result.errors.append(
                        ImportIssue(number, column_name, _("Dit veld is verplicht."))
                    )
                continue
            try:
                values[key] = parsers[key](raw)
            except _Invalid as exc:
                result.errors.append(ImportIssue(number, column_name, str(exc)))
        parsed.append((number, values))
    if not parsed and not result.errors:
        result.errors.append(
            ImportIssue(2, "", _("Het bestand bevat geen gegevens onder de kolomnamen."))
        )
    return parsed


def _lookup(mapping: dict[str, Any], what: str) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        found = mapping.get(_norm(_text(value)))
        if found is None:
            raise _Invalid(
                _("%(what)s '%(value)s' bestaat niet in deze organisatie.")
                % {"what": what, "value": _text(value)}
            )
        return found

    return parse


def _activities(
    *, actor: Any, organisation: Organisation, rows: list[list[Any]], result: ImportResult
) -> None:
    from intact.organisations.selectors import unit_list

    units: dict[str, Any] = {}
    # A command runs as the system (no user): it may name every unit of the organisation.
    known = (
        unit_list(user=actor, organisation=organisation)
        if getattr(actor, "is_authenticated", False)
        else organisation.units.all()
    )
    for unit in known:
        units[_norm(unit.name)] = unit
        if unit.code:
            units.setdefault(_norm(unit.code), unit)
    pool: dict[str, Facilitator] = {}
    for facilitator in Facilitator.objects.filter(organisation=organisation).select_related(
        "person"
    ):
        pool.setdefault(_norm(facilitator.display_name), facilitator)

    def names(value: Any) -> list[str]:
        # Separated by ",", ";" or "|" (whichever is not the file's own delimiter).
        return [n.strip() for n in re.split(r"[;,|]", _text(value)) if n.strip()]

    parsers: dict[str, Callable[[Any], Any]] = {
        "date": _date,
        "type": lambda v: _choice(ActivityType, v),
        "title": lambda v: _text(v)[:200],
        "unit": _lookup(units, _("Organisatieonderdeel")),
        "audience": lambda v: _choice(Audience, v),
        "audience_detail": lambda v: _text(v)[:200],
        "facilitators": names,
        "participants": _count,
        "notes": _text,
    }
    parsed = _parse_rows("activities", rows, parsers, result)
    if result.errors:
        return
    with transaction.atomic():
        new_names: list[str] = []
        for _number, values in parsed:
            for name in values.get("facilitators", []):
                if _norm(name) not in pool:
                    facilitator = Facilitator.objects.create(
                        organisation=organisation, external_name=name[:200]
                    )
                    pool[_norm(name)] = facilitator
                    new_names.append(name)
        activities = []
        for _number, values in parsed:
            activity = Activity(
                organisation=organisation,
                type=values["type"],
                title=values["title"],
                date=values["date"],
                unit=values.get("unit"),
                audience=values["audience"],
                audience_detail=values.get("audience_detail", ""),
                participants=values["participants"],
                notes=values.get("notes", ""),
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            activity.full_clean()
            activities.append(activity)
        created = Activity.objects.bulk_create(activities)
        through = Activity.facilitators.through
        links = []
        for activity, (_number, values) in zip(created, parsed, strict=True):
            for name in dict.fromkeys(_norm(n) for n in values.get("facilitators", [])):
                links.append(through(activity_id=activity.pk, facilitator_id=pool[name].pk))
        through.objects.bulk_create(links)
        audit.record(
            actor,
            "learning.import",
            organisation=organisation,
            object_type="learning.activity",
            detail={
                "kind": "activities",
                "rows": len(created),
                "facilitators_added": len(new_names),
            },
        )
    result.created = len(parsed)
    result.facilitators_added = new_names


def _conversations(
    *,
    actor: Any,
    organisation: Organisation,
    rows: list[list[Any]],
    result: ImportResult,
    counsellor: Any,
) -> None:
    topics: dict[str, ConversationTopic] = {}
    for topic in ConversationTopic.objects.filter(organisation=organisation).select_related(
        "parent"
    ):
        keys = {topic.code, topic.name, topic.name_en}
        if topic.parent_id:
            keys |= {
                f"{topic.parent.name} - {topic.name}",
                f"{topic.parent.name} – {topic.name}",
                f"{topic.parent.name}/{topic.name}",
            }
        for key in keys:
            if key:
                topics.setdefault(_norm(key), topic)

    def topic(value: Any) -> ConversationTopic:
        found = _lookup(topics, _("Onderwerp"))(value)
        if not found.is_active:
            raise _Invalid(
                _("Het onderwerp '%(value)s' is niet meer in gebruik.") % {"value": _text(value)}
            )
        return found

    parsers: dict[str, Callable[[Any], Any]] = {
        "date": _date,
        "topic": topic,
        "contact_form": lambda v: _choice(ContactForm, v),
        "follow_up": lambda v: _choice(FollowUp, v),
    }
    parsed = _parse_rows("conversations", rows, parsers, result)
    if result.errors:
        return
    with transaction.atomic():
        conversations = []
        for _number, values in parsed:
            conversation = CounsellorConversation(
                organisation=organisation,
                counsellor=counsellor,
                date=values["date"],
                topic=values["topic"],
                contact_form=values.get("contact_form", ContactForm.IN_PERSON),
                follow_up=values.get("follow_up", FollowUp.ADVICE),
                note=None,
                imported=True,
            )
            conversation.full_clean(exclude=["note"])
            conversations.append(conversation)
        CounsellorConversation.objects.bulk_create(conversations)
        audit.record(
            actor,
            "learning.import",
            organisation=organisation,
            object_type="learning.counsellorconversation",
            detail={
                "kind": "conversations",
                "rows": len(conversations),
                "counsellor_id": getattr(counsellor, "pk", None),
            },
        )
    result.created = len(parsed)


def learning_import(
    *,
    actor: Any,
    organisation: Organisation,
    kind: str,
    filename: str,
    data: bytes,
    counsellor: Any = None,
    dry_run: bool = False,
) -> ImportResult:
    """Validate and import a CSV/XLSX file of ``kind`` (activities or conversations).

    Returns the result with every error (row and column); nothing is written
    unless the whole file is valid. Imported conversations belong to
    ``counsellor`` (who must hold that role) or, when None, to nobody: such
    rows of earlier years only count. With ``dry_run`` everything is checked
    (the database included) and then rolled back.
    """
    if dry_run:
        result = ImportResult(kind=kind)
        try:
            with transaction.atomic():
                result = learning_import(
                    actor=actor,
                    organisation=organisation,
                    kind=kind,
                    filename=filename,
                    data=data,
                    counsellor=counsellor,
                )
                raise _DryRun
        except _DryRun:
            pass
        return result
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}")
    result = ImportResult(kind=kind)
    try:
        rows = read_table(filename, data)
    except ImportFileError as exc:
        result.errors.append(ImportIssue(0, "", str(exc)))
        return result
    if not rows:
        result.errors.append(ImportIssue(1, "", _("Het bestand is leeg.")))
        return result
    if kind == "activities":
        _activities(actor=actor, organisation=organisation, rows=rows, result=result)
    else:
        if counsellor is not None and not policy.has_role(
            counsellor, organisation, Role.COUNSELLOR
        ):
            result.errors.append(
                ImportIssue(
                    0, "", _("Deze gebruiker is geen vertrouwenspersoon in deze organisatie.")
                )
            )
            return result
        _conversations(
            actor=actor, organisation=organisation, rows=rows, result=result, counsellor=counsellor
        )
    return result
