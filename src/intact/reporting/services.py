"""Every write of the reporting app: intake, the mailbox, and what handlers do.

Each service runs in one transaction, writes its audit entry in it, and sends
mail only after commit. Both the reporter's pages/API and the staff side call
these functions; keep the names and keyword-only signatures stable.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.core.mail import send_mail
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from intact.organisations.models import Organisation, Person
from intact.reporting import dbbusy, deadlines, receipts, routing, uploads
from intact.reporting.models import (
    Anonymity,
    Attachment,
    Channel,
    Decision,
    ImplicatedPerson,
    InternalNote,
    MailboxThrottle,
    Message,
    MessageDirection,
    Question,
    QuestionKind,
    Report,
    ReportAccess,
    ReporterIdentity,
    ReportEvent,
    ReportSequence,
    ReportStatus,
    ReportType,
)
from intact.reporting.writes import Writes
from intact.security import audit, files

logger = logging.getLogger(__name__)
DATA = Path(__file__).resolve().parent / "data"

REPORTER = "reporter"


# --- errors ---------------------------------------------------------------------------


class InvalidReceipt(Exception):
    """The receipt does not open a mailbox (malformed, unknown or wrong). One message for all."""


class MailboxBusy(Exception):
    """Too many key derivations or failed logins right now; try again shortly."""

    retry_after = 5


class MailboxLocked(Exception):
    """Too many wrong receipts for this lookup part; shown like :class:`InvalidReceipt`."""


class MailboxBlocked(MailboxLocked):
    """The handler blocked this mailbox because of abuse; shown as a neutral message."""


class ReportInvalid(ValueError):
    """The submission is incomplete or wrong; ``errors`` maps field -> list of messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class AccessRefused(PermissionError):
    """The user may not be given access (e.g. implicated in the report)."""


# --- data -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def questionnaire_defaults() -> dict[str, Any]:
    """The default questionnaire per report type (``data/questionnaire.yaml``)."""
    return yaml.safe_load((DATA / "questionnaire.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def mailbox_policy() -> dict[str, Any]:
    """Throttling and session limits of the mailbox (``data/mailbox.yaml``)."""
    return yaml.safe_load((DATA / "mailbox.yaml").read_text(encoding="utf-8"))


def questionnaire_ensure_defaults(organisation: Organisation) -> int:
    """Create the default questions for every report type the organisation lacks; idempotent.

    Returns the number of default questions written for the types that had
    none. Existing (possibly adapted) questions are left alone.
    """
    created = 0
    data = questionnaire_defaults()["types"]
    for report_type, questions in data.items():
        if Question.objects.filter(organisation=organisation, report_type=report_type).exists():
            continue
        # Two first submissions at the same moment may both get here (seen under load on
        # PostgreSQL): ignore_conflicts lets the second one pass over the rows the first made.
        rows = [
            Question(
                organisation=organisation,
                report_type=report_type,
                order=order * 10,
                key=q["key"],
                kind=q["kind"],
                required=bool(q.get("required")),
                text_nl=q["nl"],
                text_en=q.get("en", ""),
                help_nl=q.get("help_nl", ""),
                help_en=q.get("help_en", ""),
                choices=q.get("choices", []),
                translations=q.get("translations", {}),
            )
            for order, q in enumerate(questions, start=1)
        ]
        created += len(Question.objects.bulk_create(rows, ignore_conflicts=True))
    return created


QUESTION_FIELDS = (
    "order", "kind", "required", "text_nl", "text_en", "help_nl", "help_en", "choices", "active", "translations",
)


def _question_check(kind: str, choices: Any, text_nl: str) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in QuestionKind.values:
        errors["kind"] = [_("Onbekende soort vraag.")]
    if not (text_nl or "").strip():
        errors["text_nl"] = [_("Vul de vraag in.")]
    if kind == QuestionKind.CHOICE:
        ok = isinstance(choices, list) and choices and all(
            isinstance(c, dict) and c.get("value") and c.get("nl") for c in choices
        )
        if not ok:
            errors["choices"] = [_("Een keuzevraag heeft keuzes nodig, elk met een waarde en een Nederlandse tekst.")]
    if errors:
        raise ReportInvalid(errors)


def question_create(*, organisation: Organisation, user: Any, report_type: str, key: str, kind: str,
                    text_nl: str, text_en: str = "", help_nl: str = "", help_en: str = "",
                    required: bool = False, choices: list[dict[str, str]] | None = None,
                    order: int | None = None) -> Question:
    """Add a question to the organisation's questionnaire for one report type."""
    from django.utils.text import slugify

    if report_type not in ReportType.values:
        raise ReportInvalid({"report_type": [_("Kies waar uw melding over gaat.")]})
    _question_check(kind, choices or [], text_nl)
    key = slugify(key or text_nl)[:60].replace("-", "_") or "vraag"
    with transaction.atomic():
        questionnaire_ensure_defaults(organisation)
        if Question.objects.filter(organisation=organisation, report_type=report_type, key=key).exists():
            raise ReportInvalid({"key": [_("Er is al een vraag met deze sleutel.")]})
        if order is None:
            last = Question.objects.filter(organisation=organisation, report_type=report_type).order_by("-order").first()
            order = (last.order + 10) if last else 10
        question = Question.objects.create(
            organisation=organisation, report_type=report_type, key=key, kind=kind, order=order,
            required=required, text_nl=text_nl.strip(), text_en=(text_en or "").strip(),
            help_nl=help_nl or "", help_en=help_en or "", choices=choices or [],
        )
        audit.record(user, "reporting.question_created", organisation=organisation, obj=question,
                     detail={"report_type": report_type, "key": key})
    return question


def question_update(*, question: Question, user: Any, **changes: Any) -> Question:
    """Change a question (text, help, kind, choices, order, required, active).

    The key stays: answers already given refer to it. Reports keep the
    answers they were given; a changed question only affects new reports.
    """
    unknown = set(changes) - set(QUESTION_FIELDS)
    if unknown:
        raise ReportInvalid({k: [_("Dit kan niet worden gewijzigd.")] for k in sorted(unknown)})
    for field, value in changes.items():
        setattr(question, field, value)
    _question_check(question.kind, question.choices, question.text_nl)
    with transaction.atomic():
        question.save(update_fields=sorted(changes) or None)
        audit.record(user, "reporting.question_changed", organisation=question.organisation_id,
                     obj=question, detail={"fields": sorted(changes)})
    return question


def questions_for(organisation: Organisation, report_type: str) -> list[Question]:
    """The active questions for a report type, defaults created on first use (one query when they exist)."""
    rows = list(Question.objects.filter(organisation=organisation, report_type=report_type).order_by("order", "pk"))
    if not rows:
        questionnaire_ensure_defaults(organisation)
        rows = list(
            Question.objects.filter(organisation=organisation, report_type=report_type).order_by("order", "pk")
        )
    return [q for q in rows if q.active]


def answers_validate(
    organisation: Organisation, report_type: str, answers: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Clean answers against the questionnaire: (clean answers, errors per question key)."""
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for q in questions_for(organisation, report_type):
        raw = answers.get(q.key, "")
        value = raw.strip() if isinstance(raw, str) else raw
        if value in ("", None):
            if q.required:
                errors[q.key] = [_("Beantwoord deze vraag.")]
            continue
        if q.kind == QuestionKind.CHOICE:
            allowed = {c["value"] for c in q.choices}
            if value not in allowed:
                errors[q.key] = [_("Kies een van de mogelijkheden.")]
                continue
        elif q.kind == QuestionKind.YESNO:
            if value not in ("yes", "no", "unknown"):
                errors[q.key] = [_("Kies ja, nee of weet ik niet.")]
                continue
        elif q.kind == QuestionKind.DATE:
            try:
                dt.date.fromisoformat(str(value))
            except ValueError:
                errors[q.key] = [_("Vul een datum in als JJJJ-MM-DD.")]
                continue
        else:
            value = str(value)
            limit = 20000 if q.kind == QuestionKind.TEXTAREA else 500
            if len(value) > limit:
                errors[q.key] = [_("Dit antwoord is te lang (ten hoogste %(n)s tekens).") % {"n": limit}]
                continue
        clean[q.key] = value
    return clean, errors


# --- helpers ----------------------------------------------------------------------------


def _event(report: Report, kind: str, *, actor_label: str = "", visible: bool = False,
           detail: dict[str, Any] | None = None, at: dt.datetime | None = None) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        kind=kind,
        at=at or timezone.now(),
        actor_label=actor_label[:200],
        detail=detail or {},
        visible_to_reporter=visible,
    )


def _actor_label(user: Any) -> str:
    if user is None:
        return REPORTER
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return name or user.get_username()


def _count_up(model: Any, column: str, **key: Any) -> int:
    """Add one to ``column`` of the ``model`` row with ``key`` (created at 1) and return the new value.

    One ``INSERT … ON CONFLICT (key) DO UPDATE … RETURNING`` statement
    (SQLite ≥ 3.35, PostgreSQL): no read-then-write race, and on PostgreSQL
    the row stays locked until the calling transaction ends. ``key`` must be
    the columns of a unique constraint, with values already adapted for the
    database.
    """
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    col = qn(column)
    names = ", ".join(qn(k) for k in key)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}, {col}) VALUES ({', '.join(['%s'] * len(key))}, 1) "  # noqa: S608
            f"ON CONFLICT ({names}) DO UPDATE SET {col} = {table}.{col} + 1 RETURNING {col}",
            list(key.values()),
        )
        return cursor.fetchone()[0]


def _next_reference(organisation: Organisation, year: int) -> str:
    """The next reference of the organisation's year, counted in one statement.

    ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (SQLite ≥ 3.35 and
    PostgreSQL) creates the year's counter or increments it and returns the
    new value at once; on PostgreSQL the row stays locked until the calling
    transaction ends, so two submissions never get the same number.
    """
    number = _count_up(ReportSequence, "last", organisation_id=organisation.pk, year=year)
    return f"M-{year}-{number:04d}"


def _pseudonym() -> str:
    return "Melder " + "".join(secrets.choice(receipts.ALPHABET) for _ in range(4))


def _read_upload(item: Any) -> tuple[str, bytes]:
    if isinstance(item, tuple):
        name, data = item
        return str(name), bytes(data)
    name = getattr(item, "name", "") or "bestand"
    if hasattr(item, "seek"):
        item.seek(0)
    return name, item.read()


def _store_attachments(
    report: Report, cleaned: Sequence[uploads.CleanFile], *, message: Message | None,
    from_reporter: bool, stored: list[str]
) -> list[Attachment]:
    out = []
    now = timezone.now()
    for f in cleaned:
        enc = files.file_store(report.organisation, f.name, f.content_type, f.data)
        stored.append(enc.storage_name)
        out.append(
            Attachment.objects.create(
                report=report,
                message=message,
                file=enc,
                name=f.name,
                content_type=f.content_type,
                size=len(f.data),
                stripped_metadata=f.stripped_metadata,
                from_reporter=from_reporter,
                created_at=now,
            )
        )
    return out


def _discard(stored: list[str]) -> None:
    """Remove blobs written by a transaction that rolled back (nothing partial stays)."""
    from django.core.files.storage import default_storage

    for name in stored:
        try:
            if default_storage.exists(name):
                default_storage.delete(name)
        except OSError:  # pragma: no cover - best effort; the blob is ciphertext anyway
            logger.warning("could not remove an orphaned encrypted blob")


def _is_implicated(report: Report, user: Any) -> bool:
    return ImplicatedPerson.objects.filter(report=report, person__user=user).exists()


def clean_email(value: str) -> str:
    """A trimmed e-mail address or '' ; raises ReportInvalid when it is not one."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    value = (value or "").strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError as exc:
        raise ReportInvalid({"notify_email": [_("Vul een geldig e-mailadres in.")]}) from exc
    return value


# --- intake -----------------------------------------------------------------------------


@dataclass
class Identity:
    name: str = ""
    email: str = ""
    phone: str = ""


def report_submit(
    *,
    organisation: Organisation,
    report_type: str,
    anonymity: str,
    answers: dict[str, Any],
    implicated: Iterable[Any] = (),
    attachments: Iterable[Any] = (),
    identity: Identity | dict[str, str] | None = None,
    notify_email: str = "",
    channel: str = "web",
    registered_by: Any = None,
    language: str = "nl",
    meeting_requested: bool = False,
    received_at: dt.datetime | None = None,
) -> tuple[Report, str]:
    """Store a new report and return it with its receipt (shown once, never stored).

    Everything is checked before anything is written; the report, its
    identity, implicated persons, files, access and first terms are written
    in one transaction. ``implicated`` holds free-text descriptions or
    ``Person`` objects (or dicts with ``person``/``description``).
    ``attachments`` holds ``(name, bytes)`` pairs or uploaded files.
    ``received_at`` is for intake on behalf of a reporter (a letter or call
    received earlier) and for demo data; it cannot lie in the future.
    Raises :class:`ReportInvalid`, :class:`uploads.UploadRejected` or
    :class:`MailboxBusy` (no key-derivation slot; nothing stored).
    """
    errors: dict[str, list[str]] = {}
    if report_type not in ReportType.values:
        errors["report_type"] = [_("Kies waar uw melding over gaat.")]
    if anonymity not in Anonymity.values:
        errors["anonymity"] = [_("Kies hoe u wilt melden.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Onbekend kanaal.")]
    if errors:
        raise ReportInvalid(errors)
    clean_answers, answer_errors = answers_validate(organisation, report_type, answers or {})
    errors.update(answer_errors)
    if isinstance(identity, dict):
        identity = Identity(**{k: (identity.get(k) or "").strip() for k in ("name", "email", "phone")})
    if anonymity == Anonymity.ANONYMOUS:
        identity = None
    elif identity is None or not identity.name.strip():
        errors["name"] = [_("Vul uw naam in, of kies voor anoniem melden.")]
    elif identity.email:
        try:
            identity.email = clean_email(identity.email)
        except ReportInvalid:
            errors["email"] = [_("Vul een geldig e-mailadres in.")]
    try:
        notify_email = clean_email(notify_email)
    except ReportInvalid as exc:
        errors.update(exc.errors)
    implicated_items: list[tuple[Person | None, str]] = []
    for item in implicated or ():
        if isinstance(item, Person):
            person, text = item, ""
        elif isinstance(item, dict):
            person, text = item.get("person"), str(item.get("description") or "").strip()
        else:
            person, text = None, str(item or "").strip()
        if person is not None and person.organisation_id != organisation.pk:
            errors["implicated"] = [_("Onbekende betrokkene.")]
            continue
        if person is None and not text:
            continue
        if len(text) > 500:
            errors["implicated"] = [_("Een omschrijving van een betrokkene is te lang.")]
            continue
        implicated_items.append((person, text))
    if errors:
        raise ReportInvalid(errors)
    cleaned = uploads.clean_all([_read_upload(a) for a in attachments or ()])

    stored: list[str] = []
    try:
        # Hash first, outside the transaction: a busy KDF must not hold a write lock.
        # Lookup parts are unique per installation (HMAC of organisation + part).
        for _attempt in range(20):
            receipt = receipts.generate()
            lookup, secret = receipts.split(receipt)
            digest = receipts.lookup_digest(organisation.pk, lookup)
            if not Report.objects.filter(receipt_lookup=digest).exists():
                break
        try:
            secret_hash = receipts.hash_secret(secret, timeout=30.0)
        except receipts.KdfBusy as exc:
            raise MailboxBusy from exc
        now = timezone.now()
        if received_at is not None and received_at < now:
            now = received_at
        with transaction.atomic():
            report = Report.objects.create(
                organisation=organisation,
                reference=_next_reference(organisation, timezone.localdate(now).year),
                report_type=report_type,
                anonymity=anonymity,
                channel=channel,
                status=ReportStatus.RECEIVED,
                answers=clean_answers,
                language=(language or "nl")[:10],
                pseudonym=_pseudonym(),
                meeting_requested=bool(meeting_requested),
                received_at=now,
                receipt_lookup=digest,
                receipt_hash=secret_hash,
                notify_email=notify_email or None,
                registered_by=registered_by,
            )
            # Timeline events and audit entries are collected and written together at the
            # end of this transaction (one chain-head read for all audit entries).
            writes = Writes()
            if identity is not None:
                ReporterIdentity.objects.create(
                    report=report,
                    name=identity.name.strip()[:200],
                    email=identity.email.strip()[:254],
                    phone=identity.phone.strip()[:40],
                    sealed=anonymity == Anonymity.CONFIDENTIAL,
                )
            if implicated_items:
                ImplicatedPerson.objects.bulk_create([
                    ImplicatedPerson(report=report, person=person, description=text, added_by=registered_by)
                    for person, text in implicated_items
                ])
            _store_attachments(report, cleaned, message=None, from_reporter=True, stored=stored)
            writes.event(
                report,
                "received",
                actor_label=REPORTER if registered_by is None else _actor_label(registered_by),
                visible=True,
                detail={"channel": channel, "attachments": len(cleaned)},
                at=now,
            )
            if meeting_requested:
                writes.event(report, "meeting_requested", actor_label=REPORTER, visible=True, at=now)
            writes.record(
                registered_by if registered_by is not None else REPORTER,
                "reporting.report_submitted",
                organisation=organisation,
                obj=report,
                detail={
                    "report_type": report_type,
                    "anonymity": anonymity,
                    "channel": channel,
                    "attachments": len(cleaned),
                    "implicated": len(implicated_items),
                },
            )
            linked = [(p.user_id, p.unit_id) for p, _text in implicated_items if p is not None]
            granted: set[int] = set()
            if registered_by is not None and registered_by.pk not in {u for u, _unit in linked}:
                ReportAccess.objects.create(report=report, user=registered_by, reason="intake",
                                            granted_by=None, granted_at=timezone.now())
                writes.event(report, "access_granted", actor_label="system",
                             detail={"user": registered_by.pk, "reason": "intake"})
                writes.record("system", "reporting.access_granted", organisation=organisation, obj=report,
                              detail={"user": registered_by.pk, "reason": "intake"})
                granted.add(registered_by.pk)
            routing.report_route(report=report, implicated=linked, granted=granted, writes=writes)
            deadlines.term_event(report=report, event="received", at=now, fresh=True)
            writes.flush()
    except IntegrityError as exc:
        _discard(stored)
        # A lookup collision between two concurrent submissions; nothing stored.
        raise MailboxBusy from exc
    except OperationalError as exc:
        _discard(stored)
        if dbbusy.is_busy_error(exc):
            # The database gave up waiting for a lock; the transaction rolled back, nothing stored.
            raise MailboxBusy from exc
        raise
    except BaseException:
        _discard(stored)
        raise
    return report, receipt


# --- mailbox (reporter side) ---------------------------------------------------------------


def _minute(now: dt.datetime) -> dt.datetime:
    return now.replace(second=0, microsecond=0)


def _global_failures(now: dt.datetime) -> int:
    row = MailboxThrottle.objects.filter(window_start=_minute(now)).first()
    return row.failures if row else 0


def _global_fail(now: dt.datetime) -> None:
    """Count one failed login in this minute's window: one statement, no transaction held open.

    Under a login flood this is the write every failure makes, so it must hold
    the (SQLite: installation-wide) write lock as briefly as possible. The
    windows older than an hour are removed when a new window starts.
    """
    window = _minute(now)
    failures = _count_up(
        MailboxThrottle, "failures", window_start=connection.ops.adapt_datetimefield_value(window)
    )
    if failures == 1:
        MailboxThrottle.objects.filter(window_start__lt=window - dt.timedelta(hours=1)).delete()


def _lock_for(failures: int) -> dt.timedelta | None:
    policy = mailbox_policy()
    over = failures - int(policy["failures_before_lock"])
    if over < 0:
        return None
    minutes = int(policy["lock_minutes_first"]) * (2 ** min(over, 16))
    return min(dt.timedelta(minutes=minutes), dt.timedelta(hours=int(policy["lock_hours_max"])))


def mailbox_login(*, organisation: Organisation, receipt: str) -> Report:
    """The report that ``receipt`` opens, or one of three errors.

    See :func:`_mailbox_login`; a database that is locked or overloaded right
    now (a login flood on SQLite) raises :class:`MailboxBusy`, like an
    exhausted key derivation: "busy, try again", never a server error.
    """
    try:
        return _mailbox_login(organisation=organisation, receipt=receipt)
    except OperationalError as exc:
        if dbbusy.is_busy_error(exc):
            raise MailboxBusy from exc
        raise


def _mailbox_login(*, organisation: Organisation, receipt: str) -> Report:
    """The report that ``receipt`` opens, or one of three errors.

    :class:`InvalidReceipt` for anything malformed, unknown or wrong (one
    message for all; unknown lookups still cost one Argon2id so timing tells
    nothing), :class:`MailboxLocked` after repeated wrong secrets for one
    lookup part (the page shows it like an invalid receipt),
    :class:`MailboxBlocked` when a handler blocked the mailbox, and
    :class:`MailboxBusy` when the key derivation or the installation-wide
    failure budget is exhausted.
    """
    try:
        lookup, secret = receipts.split(receipt)
    except receipts.MalformedReceipt as exc:
        raise InvalidReceipt from exc
    now = timezone.now()
    if _global_failures(now) >= int(mailbox_policy()["global_failures_per_minute"]):
        raise MailboxBusy
    digest = receipts.lookup_digest(organisation.pk, lookup)
    # The encrypted columns are not needed to log in: not decrypted here (read when used).
    report = (
        Report.objects.filter(organisation=organisation, receipt_lookup=digest)
        .defer("answers", "close_reason", "notify_email")
        .first()
    )
    try:
        if report is None:
            receipts.verify_dummy(secret)
            _global_fail(now)
            raise InvalidReceipt
        if report.receipt_locked_until and report.receipt_locked_until > now:
            receipts.verify_dummy(secret)
            _global_fail(now)
            raise MailboxLocked
        ok = receipts.verify_secret(report.receipt_hash, secret)
    except receipts.KdfBusy as exc:
        raise MailboxBusy from exc
    if not ok:
        with transaction.atomic():
            locked = Report.objects.select_for_update().get(pk=report.pk)
            failures = locked.receipt_failures + 1
            lock = _lock_for(failures)
            Report.objects.filter(pk=report.pk).update(
                receipt_failures=failures,
                receipt_locked_until=(now + lock) if lock else locked.receipt_locked_until,
            )
            if lock:
                audit.record(
                    "system",
                    "reporting.mailbox_locked",
                    organisation=organisation,
                    obj=report,
                    detail={"failures": failures, "minutes": int(lock.total_seconds() // 60)},
                )
        _global_fail(now)
        raise InvalidReceipt
    with transaction.atomic():
        if report.receipt_failures or report.receipt_locked_until:
            Report.objects.filter(pk=report.pk).update(receipt_failures=0, receipt_locked_until=None)
        if report.mailbox_blocked:
            audit.record(REPORTER, "reporting.mailbox_login_blocked", organisation=organisation, obj=report)
        else:
            audit.record(REPORTER, "reporting.mailbox_login", organisation=organisation, obj=report)
    if report.mailbox_blocked:
        raise MailboxBlocked
    report.receipt_failures = 0
    report.receipt_locked_until = None
    return report


def reporter_message_send(*, report: Report, body: str, attachments: Iterable[Any] = (),
                          at: dt.datetime | None = None) -> Message:
    """A message (and files) from the reporter to the handlers, from the mailbox."""
    body = (body or "").strip()
    if report.mailbox_blocked:
        raise MailboxBlocked
    errors: dict[str, list[str]] = {}
    if report.status == ReportStatus.CLOSED:
        raise ReportInvalid({"body": [_("Deze melding is afgesloten. Wilt u iets nieuws melden, doe dan een nieuwe melding.")]})
    items = [_read_upload(a) for a in attachments or ()]
    if not body and not items:
        errors["body"] = [_("Schrijf een bericht of voeg een bestand toe.")]
    if len(body) > 20000:
        errors["body"] = [_("Het bericht is te lang (ten hoogste %(n)s tekens).") % {"n": 20000}]
    if errors:
        raise ReportInvalid(errors)
    cleaned = uploads.clean_all(items)
    stored: list[str] = []
    try:
        with transaction.atomic():
            message = Message.objects.create(
                report=report,
                direction=MessageDirection.FROM_REPORTER,
                body=body,
                created_at=at or timezone.now(),
            )
            _store_attachments(report, cleaned, message=message, from_reporter=True, stored=stored)
            _event(report, "message_from_reporter", actor_label=REPORTER, visible=True,
                   detail={"attachments": len(cleaned)}, at=at)
            audit.record(REPORTER, "reporting.message_from_reporter", organisation=report.organisation_id,
                         obj=message, detail={"report": report.pk, "attachments": len(cleaned)})
            _notify_handlers(report)
    except BaseException:
        _discard(stored)
        raise
    return message


def _notify_handlers(report: Report) -> None:
    """Tell the report's handlers that something waits (never what), after commit."""
    try:
        from intact.reporting.tasks import staff_waiting_mail_on_commit
    except ImportError:  # pragma: no cover - staff side not installed yet
        return
    user_ids = list(
        ReportAccess.objects.filter(report=report, revoked_at__isnull=True).values_list("user_id", flat=True)
    )
    if user_ids:
        staff_waiting_mail_on_commit(user_ids=user_ids, organisation=report.organisation)


def mailbox_mark_read(*, report: Report) -> int:
    """Mark the handlers' messages as read by the reporter; returns how many."""
    with transaction.atomic():
        count = Message.objects.filter(
            report=report, direction=MessageDirection.TO_REPORTER, read_at__isnull=True
        ).update(read_at=timezone.now())
        audit.record(REPORTER, "reporting.mailbox_viewed", organisation=report.organisation_id,
                     obj=report, detail={"marked_read": count})
    return count


def mailbox_report_viewed(*, report: Report) -> None:
    """Record that the reporter looked at the status and timeline (audit only)."""
    audit.record(REPORTER, "reporting.mailbox_report_viewed", organisation=report.organisation_id, obj=report)


def reporter_notify_email_set(*, report: Report, email: str) -> None:
    """Set or clear the address that is told (without content) about new messages."""
    email = clean_email(email)
    with transaction.atomic():
        report.notify_email = email or None
        report.save(update_fields=["notify_email"])
        audit.record(REPORTER, "reporting.notify_email_changed", organisation=report.organisation_id,
                     obj=report, detail={"set": bool(email)})


def reporter_meeting_request(*, report: Report) -> None:
    """The reporter asks for a personal meeting (from the mailbox)."""
    with transaction.atomic():
        if not report.meeting_requested:
            report.meeting_requested = True
            report.save(update_fields=["meeting_requested"])
        _event(report, "meeting_requested", actor_label=REPORTER, visible=True)
        audit.record(REPORTER, "reporting.meeting_requested", organisation=report.organisation_id, obj=report)
        _notify_handlers(report)


# --- handlers (staff side) ------------------------------------------------------------------


def _reporter_notice(report: Report) -> None:
    """After commit: tell the reporter's notification address that a message waits (no content)."""
    address = report.notify_email
    if not address:
        return
    org_name = report.organisation.name
    language = report.language or "nl"
    from django.conf import settings
    from django.urls import reverse

    def send() -> None:
        with translation.override(language):
            try:
                url = settings.INTACT_PUBLIC_BASE_URL.rstrip("/") + reverse(
                    "reporting_public:mailbox", kwargs={"org": report.organisation.slug}
                )
            except Exception:  # noqa: BLE001
                url = settings.INTACT_PUBLIC_BASE_URL
            subject = _("Er is een nieuw bericht voor u")
            body = _(
                "Er staat een nieuw bericht voor u klaar bij %(org)s.\n\n"
                "Log in op de postbus met uw ontvangstbewijs om het te lezen:\n%(url)s\n\n"
                "Dit bericht bevat bewust geen inhoud."
            ) % {"org": org_name, "url": url}
        try:
            send_mail(subject, body, None, [address])
        except Exception:  # noqa: BLE001 - never log the address
            logger.warning("notification mail for a reporter could not be sent")

    transaction.on_commit(send)


def handler_message_send(*, report: Report, author: Any, body: str, attachments: Iterable[Any] = (),
                         at: dt.datetime | None = None) -> Message:
    """A handler's message to the reporter; the reporter's address (if any) is told, without content."""
    body = (body or "").strip()
    if not body:
        raise ReportInvalid({"body": [_("Schrijf een bericht.")]})
    cleaned = uploads.clean_all([_read_upload(a) for a in attachments or ()])
    stored: list[str] = []
    try:
        with transaction.atomic():
            message = Message.objects.create(
                report=report,
                direction=MessageDirection.TO_REPORTER,
                body=body,
                author=author,
                created_at=at or timezone.now(),
            )
            _store_attachments(report, cleaned, message=message, from_reporter=False, stored=stored)
            _event(report, "message_to_reporter", actor_label=_actor_label(author), visible=True,
                   detail={"attachments": len(cleaned)}, at=at)
            audit.record(author, "reporting.message_to_reporter", organisation=report.organisation_id,
                         obj=message, detail={"report": report.pk})
            _reporter_notice(report)
    except BaseException:
        _discard(stored)
        raise
    return message


def handler_messages_mark_read(*, report: Report, user: Any) -> int:
    """Mark the reporter's messages as read by the handlers."""
    with transaction.atomic():
        count = Message.objects.filter(
            report=report, direction=MessageDirection.FROM_REPORTER, read_at__isnull=True
        ).update(read_at=timezone.now())
        if count:
            audit.record(user, "reporting.messages_read", organisation=report.organisation_id,
                         obj=report, detail={"count": count})
    return count


def report_acknowledge(*, report: Report, user: Any, at: dt.datetime | None = None) -> Report:
    """Confirm receipt to the reporter (Wbk: within 7 days); starts the feedback term."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.acknowledged_at is not None:
            return report
        now = at or timezone.now()
        report.acknowledged_at = now
        if report.status == ReportStatus.RECEIVED:
            report.status = ReportStatus.ACKNOWLEDGED
        report.save(update_fields=["acknowledged_at", "status"])
        _event(report, "acknowledged", actor_label=_actor_label(user), visible=True, at=now)
        audit.record(user, "reporting.report_acknowledged", organisation=report.organisation_id, obj=report)
        deadlines.term_event(report=report, event="acknowledged", at=now)
        _reporter_notice(report)
    return report


def report_feedback_given(*, report: Report, user: Any, at: dt.datetime | None = None) -> Report:
    """Record that the reporter was informed of the assessment and follow-up (Wbk: 3 months)."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        now = at or timezone.now()
        report.feedback_given_at = now
        if report.status in (ReportStatus.RECEIVED, ReportStatus.ACKNOWLEDGED):
            report.status = ReportStatus.IN_PROGRESS
        report.save(update_fields=["feedback_given_at", "status"])
        _event(report, "feedback_given", actor_label=_actor_label(user), visible=True, at=now)
        audit.record(user, "reporting.report_feedback_given", organisation=report.organisation_id, obj=report)
        deadlines.term_event(report=report, event="feedback_given", at=now)
        _reporter_notice(report)
    return report


def report_take_into_handling(*, report: Report, user: Any, at: dt.datetime | None = None) -> Report:
    """Decide to handle the report as a case (the cases app hooks in here later)."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status == ReportStatus.CLOSED:
            raise ReportInvalid({"status": [_("Een afgesloten melding kan niet meer in behandeling worden genomen.")]})
        now = at or timezone.now()
        report.status = ReportStatus.CASE_OPENED
        report.decision = Decision.CASE
        report.decided_at = now
        report.decided_by = user
        report.save(update_fields=["status", "decision", "decided_at", "decided_by"])
        _event(report, "case_opened", actor_label=_actor_label(user), visible=True, at=now)
        audit.record(user, "reporting.report_taken_into_handling", organisation=report.organisation_id, obj=report)
        deadlines.term_event(report=report, event="case_opened", at=now)
        _reporter_notice(report)
    return report


def report_close(*, report: Report, user: Any, reason: str, at: dt.datetime | None = None) -> Report:
    """Close the report with a reason that the reporter is shown."""
    reason = (reason or "").strip()
    if not reason:
        raise ReportInvalid({"reason": [_("Geef de reden van afsluiten; de melder krijgt die te zien.")]})
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        now = at or timezone.now()
        report.status = ReportStatus.CLOSED
        report.closed_at = now
        report.close_reason = reason
        if report.decision == Decision.NONE:
            report.decision = Decision.CLOSED
            report.decided_at = now
            report.decided_by = user
        report.save(update_fields=["status", "closed_at", "close_reason", "decision", "decided_at", "decided_by"])
        _event(report, "closed", actor_label=_actor_label(user), visible=True, at=now)
        audit.record(user, "reporting.report_closed", organisation=report.organisation_id, obj=report)
        deadlines.term_event(report=report, event="closed", at=now)
        _reporter_notice(report)
    return report


def internal_note_add(*, report: Report, author: Any, body: str, at: dt.datetime | None = None) -> InternalNote:
    """A note for the handlers only; the reporter never sees it."""
    body = (body or "").strip()
    if not body:
        raise ReportInvalid({"body": [_("Schrijf een notitie.")]})
    with transaction.atomic():
        note = InternalNote.objects.create(report=report, author=author, body=body, created_at=at or timezone.now())
        _event(report, "note_added", actor_label=_actor_label(author), visible=False, at=at)
        audit.record(author, "reporting.internal_note_added", organisation=report.organisation_id,
                     obj=note, detail={"report": report.pk})
    return note


def mailbox_block(*, report: Report, user: Any, blocked: bool) -> Report:
    """Block (or unblock) a mailbox that is used for abuse."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        report.mailbox_blocked = bool(blocked)
        report.save(update_fields=["mailbox_blocked"])
        _event(report, "mailbox_blocked" if blocked else "mailbox_unblocked", actor_label=_actor_label(user))
        audit.record(user, "reporting.mailbox_blocked" if blocked else "reporting.mailbox_unblocked",
                     organisation=report.organisation_id, obj=report)
    return report


def report_access_grant(*, report: Report, user: Any, reason: str, granted_by: Any = None) -> ReportAccess:
    """Give ``user`` access to the report. Refused for anyone implicated in it."""
    if _is_implicated(report, user):
        raise AccessRefused("implicated")
    with transaction.atomic():
        existing = ReportAccess.objects.filter(report=report, user=user, revoked_at__isnull=True).first()
        if existing is not None:
            return existing
        access = ReportAccess.objects.create(
            report=report, user=user, reason=(reason or "")[:200], granted_by=granted_by,
            granted_at=timezone.now(),
        )
        _event(report, "access_granted", actor_label=_actor_label(granted_by) if granted_by else "system",
               detail={"user": user.pk, "reason": access.reason})
        audit.record(granted_by or "system", "reporting.access_granted", organisation=report.organisation_id,
                     obj=report, detail={"user": user.pk, "reason": access.reason})
    return access


def report_access_revoke(*, report: Report, user: Any, revoked_by: Any = None) -> int:
    """End ``user``'s access to the report; returns how many grants ended."""
    with transaction.atomic():
        count = ReportAccess.objects.filter(report=report, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if count:
            _event(report, "access_revoked", actor_label=_actor_label(revoked_by) if revoked_by else "system",
                   detail={"user": user.pk})
            audit.record(revoked_by or "system", "reporting.access_revoked", organisation=report.organisation_id,
                         obj=report, detail={"user": user.pk})
    return count


def implicated_add(*, report: Report, user: Any, person: Person | None = None, description: str = "") -> ImplicatedPerson:
    """Record (or link) a person the report is about; their user loses any access at once."""
    if person is not None and person.organisation_id != report.organisation_id:
        raise ReportInvalid({"person": [_("Onbekende persoon.")]})
    with transaction.atomic():
        item = ImplicatedPerson.objects.create(
            report=report, person=person, description=(description or "").strip(), added_by=user
        )
        if person is not None and person.user_id:
            ReportAccess.objects.filter(report=report, user_id=person.user_id, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
        _event(report, "implicated_added", actor_label=_actor_label(user))
        audit.record(user, "reporting.implicated_added", organisation=report.organisation_id,
                     obj=report, detail={"linked": person is not None})
    return item


def implicated_link(*, item: ImplicatedPerson, user: Any, person: Person) -> ImplicatedPerson:
    """Link a free-text implicated person to a person record; their user loses access at once."""
    if person.organisation_id != item.report.organisation_id:
        raise ReportInvalid({"person": [_("Onbekende persoon.")]})
    with transaction.atomic():
        item.person = person
        item.save(update_fields=["person"])
        if person.user_id:
            ReportAccess.objects.filter(report=item.report, user_id=person.user_id, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
        audit.record(user, "reporting.implicated_linked", organisation=item.report.organisation_id,
                     obj=item.report, detail={"item": item.pk})
    return item
