"""Writes of the staff side that the reporting services do not cover.

Sealed identity (reveal requests decided by a custodian), intake on behalf of
a reporter (with the oral record and minutes the reporter checks), term
pauses and extensions with a reason, and the per-organisation settings.
Everything else goes through ``reporting.services``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intact.organisations.models import Role
from intact.reporting import deadlines, services
from intact.reporting.models import Channel, OralRecord, Report, ReporterIdentity
from intact.reporting.models_procedures import (
    IdentityRevealRequest,
    ReportingSettings,
    ReportTerm,
    RevealStatus,
)
from intact.security import audit, policy

ORAL_CHANNELS = (Channel.PHONE, Channel.IN_PERSON, Channel.VOICE_MESSAGE)
INTAKE_ROLES = (Role.COUNSELLOR, Role.MANAGER)


class StaffActionRefused(PermissionError):
    """The acting user may not do this (views answer 404)."""


def _timeline(report: Report, kind: str, user: Any, *, visible: bool = False,
              detail: dict[str, Any] | None = None) -> None:
    # The reporting services own ReportEvent; their writer is reused so the
    # timeline has one shape (see the report to the lead).
    services._event(report, kind, actor_label=services._actor_label(user), visible=visible,
                    detail=detail or {})


# --- settings --------------------------------------------------------------------


def reporting_settings_for(organisation: Any) -> ReportingSettings:
    """The organisation's reporting settings (created with defaults when missing)."""
    obj, _created = ReportingSettings.objects.get_or_create(organisation=organisation)
    return obj


def reporting_settings_update(*, actor: Any, organisation: Any, custodian_role: str,
                              reminder_days_before: int) -> ReportingSettings:
    """Change who is custodian of sealed identities and when reminders go out."""
    if custodian_role not in Role.values or custodian_role in (Role.TECHNICAL_ADMIN, Role.AUDITOR,
                                                             Role.EMPLOYEE):
        raise ValueError("custodian role not allowed")
    with transaction.atomic():
        obj = reporting_settings_for(organisation)
        obj.custodian_role = custodian_role
        obj.reminder_days_before = max(0, min(int(reminder_days_before), 30))
        obj.save()
        audit.record(actor, "reporting.settings_updated", organisation=organisation, obj=obj,
                     detail={"custodian_role": custodian_role, "reminder_days_before": obj.reminder_days_before})
    return obj


def is_custodian(user: Any, organisation: Any) -> bool:
    """True when ``user`` holds the organisation's custodian role."""
    return policy.has_role(user, organisation, reporting_settings_for(organisation).custodian_role)


# --- sealed identity ---------------------------------------------------------------


def identity_reveal_request(*, report: Report, user: Any, reason: str) -> IdentityRevealRequest:
    """A handler asks to see a sealed identity, with a reason. ``report`` came from ``report_get_for``."""
    reason = (reason or "").strip()
    if not reason:
        raise services.ReportInvalid({"reason": [_("Geef de reden waarom u de identiteit wilt zien.")]})
    identity = ReporterIdentity.objects.filter(report=report).first()
    if identity is None or not identity.sealed:
        raise services.ReportInvalid({"reason": [_("Deze melding heeft geen verzegelde identiteit.")]})
    with transaction.atomic():
        if IdentityRevealRequest.objects.filter(
            report=report, requested_by=user, status=RevealStatus.PENDING
        ).exists():
            raise services.ReportInvalid({"reason": [_("U heeft al een verzoek dat op een besluit wacht.")]})
        req = IdentityRevealRequest.objects.create(
            organisation_id=report.organisation_id,
            report=report,
            requested_by=user,
            reason=reason[:2000],
            created_at=timezone.now(),
        )
        _timeline(report, "identity_reveal_requested", user, detail={"request": req.pk})
        audit.record(user, "reporting.identity_reveal_requested", organisation=report.organisation_id,
                     obj=report, detail={"request": req.pk})
        custodians = _custodian_ids(report)
        from intact.reporting.tasks import staff_waiting_mail_on_commit

        staff_waiting_mail_on_commit(user_ids=custodians, organisation=report.organisation)
    return req


def _custodian_ids(report: Report) -> list[int]:
    from intact.organisations.models import Membership
    from intact.reporting.routing import implicated_user_ids

    role = reporting_settings_for(report.organisation).custodian_role
    excluded = implicated_user_ids(report)
    return sorted(
        {
            uid
            for uid in Membership.objects.filter(
                organisation_id=report.organisation_id, role=role, user__is_active=True
            ).values_list("user_id", flat=True)
            if uid not in excluded
        }
    )


def identity_reveal_decide(*, request: IdentityRevealRequest, user: Any, approve: bool,
                           note: str = "") -> IdentityRevealRequest:
    """A custodian approves or refuses a reveal request (never their own, never when implicated)."""
    report = request.report
    if not is_custodian(user, report.organisation) or request.requested_by_id == user.pk:
        raise StaffActionRefused
    if services._is_implicated(report, user):
        raise StaffActionRefused
    with transaction.atomic():
        locked = IdentityRevealRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RevealStatus.PENDING:
            raise services.ReportInvalid({"decision": [_("Over dit verzoek is al besloten.")]})
        locked.status = RevealStatus.APPROVED if approve else RevealStatus.REFUSED
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.decision_note = (note or "").strip()[:2000] or None
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        _timeline(report, "identity_reveal_approved" if approve else "identity_reveal_refused", user,
                  detail={"request": locked.pk})
        audit.record(user, "reporting.identity_reveal_" + ("approved" if approve else "refused"),
                     organisation=report.organisation_id, obj=report, detail={"request": locked.pk})
        from intact.reporting.tasks import staff_waiting_mail_on_commit

        staff_waiting_mail_on_commit(user_ids=[locked.requested_by_id], organisation=report.organisation)
    return locked


def identity_for(*, user: Any, report: Report) -> tuple[Any, str]:
    """The reporter identity ``user`` may see, and why: (identity|None, state).

    States: ``anonymous`` (none kept), ``open`` (named report), ``sealed``
    (pseudonym only), ``revealed`` (approved request of this user). A view
    of a revealed identity is audited.
    """
    try:
        identity = report.identity
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist
        identity = None
    if identity is None:
        return None, "anonymous"
    if not identity.sealed:
        return identity, "open"
    approved = IdentityRevealRequest.objects.filter(
        report=report, requested_by=user, status=RevealStatus.APPROVED
    ).exists()
    if not approved:
        return None, "sealed"
    audit.record(user, "reporting.identity_viewed", organisation=report.organisation_id, obj=report)
    return identity, "revealed"


# --- intake on behalf of a reporter ----------------------------------------------------


def report_register_on_behalf(
    *,
    organisation: Any,
    user: Any,
    channel: str,
    report_type: str,
    anonymity: str,
    answers: dict[str, Any],
    identity: dict[str, str] | None = None,
    implicated: list[Any] | None = None,
    attachments: list[Any] | None = None,
    oral_record: str = "",
    recording_consent: bool = False,
    minutes: str = "",
    through_counsellor: bool = False,
) -> tuple[Report, str]:
    """A counsellor or manager registers a report received by phone, letter, e-mail or in person.

    ``through_counsellor``: anonymous through the counsellor — the counsellor
    knows who reported, the record does not (anonymity forced to anonymous,
    no identity stored). Oral reports are kept as minutes (sent to the
    reporter's mailbox to check, correct and confirm) or, only with the
    reporter's consent, as a recording (an attachment).
    """
    if not policy.has_role(user, organisation, *INTAKE_ROLES):
        raise StaffActionRefused
    if channel == Channel.WEB:
        raise services.ReportInvalid({"channel": [_("Kies hoe de melding binnenkwam.")]})
    errors: dict[str, list[str]] = {}
    if through_counsellor:
        if not policy.has_role(user, organisation, Role.COUNSELLOR):
            errors["through_counsellor"] = [_("Alleen een vertrouwenspersoon kan anoniem via zichzelf registreren.")]
        anonymity = "anonymous"
        identity = None
    if channel in ORAL_CHANNELS:
        if oral_record not in (OralRecord.MINUTES, OralRecord.RECORDING):
            errors["oral_record"] = [_("Kies hoe de mondelinge melding wordt vastgelegd.")]
        elif oral_record == OralRecord.RECORDING and not recording_consent:
            errors["recording_consent"] = [_("Een opname mag alleen met toestemming van de melder.")]
        elif oral_record == OralRecord.RECORDING and not attachments:
            errors["attachments"] = [_("Voeg de opname toe.")]
        elif oral_record == OralRecord.MINUTES and not minutes.strip():
            errors["minutes"] = [_("Schrijf het verslag van het gesprek.")]
    else:
        oral_record = ""
        recording_consent = False
    if errors:
        raise services.ReportInvalid(errors)
    with transaction.atomic():
        report, receipt = services.report_submit(
            organisation=organisation,
            report_type=report_type,
            anonymity=anonymity,
            answers=answers,
            implicated=implicated or [],
            attachments=attachments or [],
            identity=identity,
            channel=Channel.COUNSELLOR if through_counsellor else channel,
            registered_by=user,
            language="nl",
        )
        if oral_record:
            # The oral-record fields belong to Report; report_submit does not take them yet.
            report.oral_record = oral_record
            report.recording_consent = bool(recording_consent)
            report.save(update_fields=["oral_record", "recording_consent"])
        _timeline(report, "registered_on_behalf", user, detail={"channel": channel,
                                                                 "oral_record": oral_record or ""})
        audit.record(user, "reporting.report_registered_on_behalf", organisation=organisation, obj=report,
                     detail={"channel": channel, "oral_record": oral_record or "",
                             "through_counsellor": through_counsellor})
        if oral_record == OralRecord.MINUTES:
            minutes_send(report=report, user=user, minutes=minutes)
    return report, receipt


def minutes_send(*, report: Report, user: Any, minutes: str) -> None:
    """Send the minutes of an oral report to the reporter's mailbox to check, correct and confirm."""
    minutes = (minutes or "").strip()
    if not minutes:
        raise services.ReportInvalid({"minutes": [_("Schrijf het verslag van het gesprek.")]})
    intro = _(
        "Verslag van uw mondelinge melding. Lees het goed. Klopt het, antwoord dan met "
        "\"Akkoord\". Wilt u iets verbeteren, stuur dan uw correcties als antwoord."
    )
    with transaction.atomic():
        services.handler_message_send(report=report, author=user, body=f"{intro}\n\n{minutes}")
        _timeline(report, "minutes_sent", user, visible=True)
        audit.record(user, "reporting.minutes_sent", organisation=report.organisation_id, obj=report)


def minutes_confirmed_register(*, report: Report, user: Any) -> Report:
    """Record that the reporter confirmed the minutes (their reply in the mailbox) — signed."""
    if report.oral_record != OralRecord.MINUTES:
        raise services.ReportInvalid({"minutes": [_("Deze melding heeft geen verslag.")]})
    with transaction.atomic():
        report.minutes_confirmed_at = timezone.now()
        report.save(update_fields=["minutes_confirmed_at"])
        _timeline(report, "minutes_confirmed", user, visible=True)
        audit.record(user, "reporting.minutes_confirmed", organisation=report.organisation_id, obj=report)
    return report


def minutes_confirm_by_reporter(*, report: Report) -> Report:
    """The reporter confirms (signs) the minutes from the mailbox. For the public mailbox page.

    ``report`` is the one the mailbox login returned. Idempotent.
    """
    if report.oral_record != OralRecord.MINUTES:
        raise services.ReportInvalid({"minutes": [_("Deze melding heeft geen verslag.")]})
    if report.minutes_confirmed_at is not None:
        return report
    with transaction.atomic():
        report.minutes_confirmed_at = timezone.now()
        report.save(update_fields=["minutes_confirmed_at"])
        services._event(report, "minutes_confirmed", actor_label=services.REPORTER, visible=True)
        audit.record(services.REPORTER, "reporting.minutes_confirmed", organisation=report.organisation_id,
                     obj=report, detail={"by": "reporter"})
        services._notify_handlers(report)
    return report


# --- terms ------------------------------------------------------------------------------


def term_for(*, report: Report, term_id: int) -> ReportTerm:
    """A term of a report the caller already may see; 404-like ``ReportTerm.DoesNotExist`` otherwise."""
    return ReportTerm.objects.select_related("definition", "report").get(report=report, pk=term_id)


def term_extend(*, report: Report, user: Any, term_id: int, days: int, reason: str) -> ReportTerm:
    """Extend a term that allows it, with a reason, on the timeline and in the audit log."""
    term = term_for(report=report, term_id=term_id)
    try:
        with transaction.atomic():
            deadlines.term_extend(term=term, actor=user, days=days, reason=reason)
            _timeline(report, "term_extended", user, detail={"term": term.definition.code, "days": days})
            audit.record(user, "reporting.term_extended", organisation=report.organisation_id, obj=report,
                         detail={"term": term.definition.code, "days": days})
    except ValueError as exc:
        raise services.ReportInvalid({"days": [_("Deze termijn kan niet zo worden verlengd.")]}) from exc
    return term


def term_pause_toggle(*, report: Report, user: Any, term_id: int, reason: str = "",
                      at: dt.datetime | None = None) -> ReportTerm:
    """Pause a running term (with a reason) or resume a paused one, where the term allows it."""
    term = term_for(report=report, term_id=term_id)
    try:
        with transaction.atomic():
            if term.status == "paused":
                deadlines.term_resume(term=term, actor=user, at=at)
                kind = "term_resumed"
            else:
                if not (reason or "").strip():
                    raise ValueError("reason")
                deadlines.term_pause(term=term, actor=user, reason=reason, at=at)
                kind = "term_paused"
            _timeline(report, kind, user, detail={"term": term.definition.code})
            audit.record(user, "reporting." + kind, organisation=report.organisation_id, obj=report,
                         detail={"term": term.definition.code})
    except ValueError as exc:
        raise services.ReportInvalid({"reason": [_("Deze termijn kan niet worden opgeschort.")]}) from exc
    return term
