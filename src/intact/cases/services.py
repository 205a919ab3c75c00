"""Every write of the cases app. One function per use case, keyword-only,
in one transaction, with its audit entry and timeline event in it.

Callers (pages, API, demo, tasks) check sight with the selectors first; the
services check what the acting user may *do* (``access.acting_roles``) and
refuse with :class:`CaseActionRefused` or :class:`workflow.TransitionRefused`,
whose messages are meant for people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from intact.cases import access, config, retention, triage, workflow
from intact.cases.models import (
    ActionStatus,
    Assignment,
    CareMeasure,
    Case,
    CaseConfig,
    CaseDocument,
    CaseEvent,
    CaseSequence,
    Category,
    Conclusion,
    ExternalNotification,
    Hearing,
    InvestigationDecision,
    Measure,
    MeasureType,
    NotificationKind,
    Origin,
    Party,
    PartyRole,
    TeamMember,
    TeamRole,
    TriageAction,
    TriageRecord,
)
from intact.organisations.models import Organisation, Person, Role
from intact.security import audit, files

# Which external notification fulfils which triage action.
NOTIFICATION_ACTIONS = {
    NotificationKind.POLICE: "police_report",
    NotificationKind.MINISTRY: "inform_ministry",
    NotificationKind.DONOR: "inform_donor",
    NotificationKind.CBF: "inform_cbf",
    NotificationKind.SUPERVISORY_BOARD: "inform_supervisory_board",
}
CONTENT_ROLES = (
    Role.COORDINATOR,
    Role.INVESTIGATOR,
    Role.MANAGER,
    Role.COMPETENT_AUTHORITY,
    Role.COUNSELLOR,
)


class CaseInvalid(ValueError):
    """Input that cannot be stored; ``errors`` maps field -> messages (for forms and problem+json)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors.items()))
        self.errors = errors


class CaseActionRefused(PermissionError):
    """The user may not do this in this case; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- helpers ---------------------------------------------------------------------------


def _label(user: Any) -> str:
    if user is None:
        return "system"
    if isinstance(user, str):
        return user
    return (user.get_full_name() or user.get_username())[:200]


def _event(
    case: Case, event_kind: str, user: Any, *, at: dt.datetime | None = None, **detail: Any
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=event_kind,
        at=at or timezone.now(),
        actor=user if getattr(user, "pk", None) else None,
        actor_label=_label(user),
        detail=detail,
    )


def _audit(user: Any, what: str, case: Case, **detail: Any) -> None:
    audit.record(user, f"cases.{what}", organisation=case.organisation_id, obj=case, detail=detail)


def _require(user: Any, case: Case, *roles: str) -> set[str]:
    """The acting roles of ``user``; refused unless one of ``roles`` (any content role if none given)."""
    held = access.acting_roles(user, case)
    wanted = set(roles or CONTENT_ROLES)
    if not held & wanted:
        raise CaseActionRefused(_("U mag dit niet doen in deze zaak."))
    return held


def _text(value: Any, field: str, *, required: bool = True, limit: int = 50000) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not text:
        raise CaseInvalid({field: [_("Vul dit veld in.")]})
    if len(text) > limit:
        raise CaseInvalid({field: [_("Deze tekst is te lang.")]})
    return text


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _next_reference(organisation: Organisation, year: int) -> str:
    seq, _created = CaseSequence.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    CaseSequence.objects.filter(pk=seq.pk).update(last=F("last") + 1)
    seq.refresh_from_db(fields=["last"])
    return f"Z-{year}-{seq.last:04d}"


# --- categories and measure types ------------------------------------------------------------


def categories_ensure_defaults(organisation: Organisation) -> int:
    """Copy the default category set of the organisation's kind; idempotent. Returns how many were made."""
    if Category.objects.filter(organisation=organisation).exists():
        return 0
    data = config.defaults("categories")
    kind = "ngo" if organisation.kind == "ngo" else "government"
    made = 0
    with transaction.atomic():
        for order, item in enumerate(data["sets"][kind]["categories"], start=1):
            Category.objects.create(
                organisation=organisation,
                code=item["code"],
                standard=item["standard"],
                name_nl=item["nl"],
                name_en=item.get("en", ""),
                order=order * 10,
            )
            made += 1
    return made


def category_add(
    *,
    organisation: Organisation,
    user: Any,
    code: str,
    standard: str,
    name_nl: str,
    name_en: str = "",
) -> Category:
    """Add an organisation's own category, mapped onto a standard category."""
    standards = {s["code"] for s in config.defaults("categories")["standard"]}
    errors: dict[str, list[str]] = {}
    if standard not in standards:
        errors["standard"] = [_("Kies een standaardcategorie.")]
    if not (code or "").strip():
        errors["code"] = [_("Vul dit veld in.")]
    elif Category.objects.filter(organisation=organisation, code=code).exists():
        errors["code"] = [_("Deze code bestaat al.")]
    if not (name_nl or "").strip():
        errors["name_nl"] = [_("Vul dit veld in.")]
    if errors:
        raise CaseInvalid(errors)
    with transaction.atomic():
        last = Category.objects.filter(organisation=organisation).order_by("-order").first()
        category = Category.objects.create(
            organisation=organisation,
            code=code.strip(),
            standard=standard,
            name_nl=name_nl.strip(),
            name_en=(name_en or "").strip(),
            order=(last.order + 10) if last else 10,
        )
        audit.record(user, "cases.category_added", organisation=organisation, obj=category)
    return category


def category_set_active(*, category: Category, user: Any, active: bool) -> Category:
    """Switch a category on or off (cases keep the categories they have)."""
    with transaction.atomic():
        category.active = bool(active)
        category.save(update_fields=["active"])
        audit.record(
            user,
            "cases.category_changed",
            organisation=category.organisation_id,
            obj=category,
            detail={"active": category.active},
        )
    return category


def measure_types_ensure_defaults(organisation: Organisation) -> int:
    """Copy the default measure groups that fit the organisation's kind; idempotent."""
    if MeasureType.objects.filter(organisation=organisation).exists():
        return 0
    kind = "ngo" if organisation.kind == "ngo" else "government"
    made = 0
    with transaction.atomic():
        order = 0
        for group in config.defaults("measures")["groups"]:
            if kind not in group.get("kinds", [kind]):
                continue
            for item in group["measures"]:
                order += 10
                MeasureType.objects.create(
                    organisation=organisation,
                    code=item["code"],
                    group=group["code"],
                    name_nl=item["nl"],
                    name_en=item.get("en", ""),
                    order=order,
                )
                made += 1
    return made


def case_config_set(
    *, organisation: Organisation, user: Any, name: str, definition: dict[str, Any], note: str = ""
) -> CaseConfig:
    """Store the organisation's own version of ``triage``, ``workflow`` or ``retention`` and make it current."""
    if name not in ("triage", "workflow", "retention"):
        raise CaseInvalid({"name": [_("Onbekende instelling.")]})
    if name == "triage":
        problems = triage.validate_instrument(definition)
        if problems:
            raise CaseInvalid({"definition": problems})
    if name == "workflow":
        codes = {s.get("code") for s in definition.get("states", [])}
        bad = [
            t.get("code")
            for t in definition.get("transitions", [])
            if t.get("from") not in codes
            or t.get("to") not in codes
            or any(g not in workflow.GUARDS for g in t.get("guards") or [])
        ]
        if not codes or bad or definition.get("initial") not in codes:
            raise CaseInvalid(
                {
                    "definition": [
                        _("De procedure klopt niet: %(t)s") % {"t": ", ".join(map(str, bad))}
                    ]
                }
            )
    with transaction.atomic():
        last = (
            CaseConfig.objects.filter(organisation=organisation, name=name)
            .order_by("-version")
            .first()
        )
        CaseConfig.objects.filter(organisation=organisation, name=name, is_current=True).update(
            is_current=False
        )
        row = CaseConfig.objects.create(
            organisation=organisation,
            name=name,
            version=(last.version + 1) if last else 1,
            definition=definition,
            note=note[:300],
            created_by=user,
        )
        audit.record(
            user,
            "cases.config_changed",
            organisation=organisation,
            obj=row,
            detail={"name": name, "version": row.version},
        )
    return row


# --- opening and registering ---------------------------------------------------------------


def _team_add(
    case: Case, member: Any, role: str, added_by: Any, at: dt.datetime
) -> TeamMember | None:
    if access.is_implicated(member, case):
        return None
    existing = TeamMember.objects.filter(case=case, user=member, removed_at__isnull=True).first()
    if existing is not None:
        return existing
    return TeamMember.objects.create(
        case=case, user=member, role=role, added_by=added_by, added_at=at
    )


def case_open(*, report: Any, user: Any, at: dt.datetime | None = None) -> Case:
    """Open the case for a report (1:1); idempotent.

    Marks the report as taken into handling when that has not happened yet
    (``reporting.services.report_take_into_handling``), copies the people the
    report names as involved into parties with the accused role, adds the
    reporter as a party (by pseudonym unless the report is named), and makes
    the opener and everyone with access to the report the case team. Each of
    them becomes active only after declaring that they have no conflict of
    interest. Implicated users are never added.
    """
    from intact.reporting import selectors as reporting
    from intact.reporting import services as reporting_services
    from intact.reporting import services_staff as reporting_staff
    from intact.reporting.choices import ReportStatus

    with transaction.atomic():
        existing = Case.objects.filter(report=report).first()
        if existing is not None:
            return existing
        if report.status == ReportStatus.CLOSED:
            raise CaseInvalid({"report": [_("Een afgesloten melding kan geen zaak meer worden.")]})
        if report.status != ReportStatus.CASE_OPENED:
            report = reporting_services.report_take_into_handling(report=report, user=user, at=at)
        now = at or timezone.now()
        organisation = report.organisation
        categories_ensure_defaults(organisation)
        answers = report.answers or {}
        case = Case.objects.create(
            organisation=organisation,
            reference=_next_reference(organisation, timezone.localdate(now).year),
            report=report,
            origin=Origin.REPORT,
            report_type=report.report_type,
            channel=report.channel,
            received_on=timezone.localdate(report.received_at),
            status=config.workflow_for(organisation, report.report_type)["initial"],
            description=str(answers.get("what") or ""),
            created_by=user,
        )
        identity, state = reporting_staff.identity_for(user=user, report=report)
        if state == "open" and identity is not None and identity.name:
            Party.objects.create(case=case, role=PartyRole.REPORTER, name=identity.name)
        else:
            Party.objects.create(
                case=case, role=PartyRole.REPORTER, name=report.pseudonym, is_pseudonym=True
            )
        for item in report.implicated.select_related("person").all():
            name = item.person.full_name if item.person is not None else item.description
            Party.objects.create(
                case=case,
                role=PartyRole.ACCUSED,
                name=name or "?",
                person=item.person,
                note=item.description if item.person is not None else None,
            )
        _team_add(case, user, TeamRole.LEAD, user, now)
        for grant in reporting.report_access_grants(report):
            _team_add(case, grant.user, TeamRole.MEMBER, user, now)
        _event(case, "opened", user, at=now, report=report.reference)
        _audit(user, "case_opened", case, report=report.pk)
    return case


def case_register(
    *,
    organisation: Organisation,
    user: Any,
    origin: str,
    report_type: str,
    received_on: dt.date,
    channel: str = "",
    unit: Any = None,
    commissioning_authority: str = "",
    description: str = "",
    object_of_investigation: str = "",
    categories: Iterable[Category] = (),
    parties: Iterable[dict[str, Any]] = (),
) -> Case:
    """Register a matter from outside the system (periodic inquiry, before Intact) with the same fields.

    The registering user leads the case and must still declare no conflict of interest.
    """
    from intact.reporting.choices import ReportType

    errors: dict[str, list[str]] = {}
    if origin not in Origin.values or origin == Origin.REPORT:
        errors["origin"] = [_("Kies de herkomst.")]
    if report_type not in ReportType.values:
        errors["report_type"] = [_("Kies de soort melding.")]
    if received_on is None or received_on > timezone.localdate():
        errors["received_on"] = [_("Vul een datum in die niet in de toekomst ligt.")]
    if unit is not None and unit.organisation_id != organisation.pk:
        errors["unit"] = [_("Onbekend organisatieonderdeel.")]
    if not (description or "").strip():
        errors["description"] = [_("Vul dit veld in.")]
    categories = list(categories)
    if any(c.organisation_id != organisation.pk for c in categories):
        errors["categories"] = [_("Onbekende categorie.")]
    if errors:
        raise CaseInvalid(errors)
    with transaction.atomic():
        now = timezone.now()
        categories_ensure_defaults(organisation)
        case = Case.objects.create(
            organisation=organisation,
            reference=_next_reference(organisation, received_on.year),
            origin=origin,
            report_type=report_type,
            channel=channel[:20],
            received_on=received_on,
            unit=unit,
            status=config.workflow_for(organisation, report_type)["initial"],
            commissioning_authority=commissioning_authority[:200],
            description=description.strip(),
            object_of_investigation=(object_of_investigation or "").strip() or None,
            created_by=user,
        )
        case.categories.set(categories)
        for item in parties:
            _party_create(
                case,
                role=item["role"],
                name=item.get("name", ""),
                person=item.get("person"),
                note=item.get("note", ""),
            )
        _team_add(case, user, TeamRole.LEAD, user, now)
        _event(case, "registered", user, at=now, origin=origin)
        _audit(user, "case_registered", case, origin=origin)
    return case


def case_close_historic(*, case: Case, user: Any, closed_on: dt.date, note: str = "") -> Case:
    """Close a case registered from before Intact on the day it was really closed.

    For the import of earlier years: such a case was handled outside Intact,
    so it skips the workflow and goes straight to the workflow's final state,
    with ``closed_at`` on ``closed_on`` (noon, local time) and the retention
    term counted from that day. Only for cases of origin ``before_intact``
    that are still open; ``closed_on`` may not lie before receipt or in the future.
    """
    errors: dict[str, list[str]] = {}
    if case.origin != Origin.BEFORE_INTACT:
        errors["origin"] = [_("Alleen zaken van vóór Intact kunnen zo worden afgesloten.")]
    if closed_on is None or closed_on > timezone.localdate() or closed_on < case.received_on:
        errors["closed_on"] = [
            _("Vul een datum in tussen de ontvangst en vandaag (niet in de toekomst).")
        ]
    if errors:
        raise CaseInvalid(errors)
    with transaction.atomic():
        case = _locked(case)
        if case.closed_at is not None:
            raise CaseInvalid({"closed_on": [_("De zaak is al afgesloten.")]})
        flow = config.workflow_for(case.organisation, case.report_type)
        final = next((s["code"] for s in flow["states"] if s.get("final")), "closed")
        source = case.status
        at = timezone.make_aware(dt.datetime.combine(closed_on, dt.time(12, 0)))
        case.status = final
        case.closed_at = at
        case.closure_note = (note or "").strip() or None
        case.retention_outcome = retention.outcome_of(case)
        case.retention_due = retention.due_date(case, closed_on)
        case.save()
        _event(
            case,
            "transition",
            user,
            source=source,
            target=final,
            transition="historic_close",
            closed_on=closed_on.isoformat(),
        )
        _audit(user, "case_closed_historic", case, source=source, target=final)
    return case


# --- team ------------------------------------------------------------------------------------------


def team_invite(*, case: Case, user: Any, member: Any, role: str = TeamRole.MEMBER) -> TeamMember:
    """Invite ``member`` to the team; they see the case file only after their declaration."""
    if not access.may_manage_team(user, case):
        raise CaseActionRefused(
            _("Alleen de regievoerder of een coördinator in het team kan teamleden toevoegen.")
        )
    if role not in TeamRole.values:
        raise CaseInvalid({"role": [_("Kies een rol.")]})
    if not policy_member(member, case):
        raise CaseInvalid({"member": [_("Deze gebruiker kan geen zaken inzien.")]})
    if access.is_implicated(member, case):
        raise CaseActionRefused(
            _("Deze persoon is betrokken bij de zaak en kan geen teamlid worden.")
        )
    with transaction.atomic():
        added = _team_add(case, member, role, user, timezone.now())
        assert added is not None
        _event(case, "team_invited", user, member=member.pk, role=role)
        _audit(user, "team_invited", case, member=member.pk, role=role)
    return added


def policy_member(member: Any, case: Case) -> bool:
    from intact.security import policy

    return policy.may_read_case_content(member, case.organisation_id)


def team_declare(*, case: Case, user: Any, has_conflict: bool, note: str = "") -> TeamMember:
    """Record the user's conflict-of-interest declaration; joins the team when there is no conflict.

    Coordinators in scope may join a case this way without an invitation.
    A declared conflict keeps them out (the note says why, encrypted).
    """
    if not access.may_join(user, case):
        raise CaseActionRefused(_("U kunt niet aan deze zaak deelnemen."))
    if has_conflict and not (note or "").strip():
        raise CaseInvalid({"note": [_("Beschrijf het mogelijke belang.")]})
    with transaction.atomic():
        now = timezone.now()
        member = access.pending_member(user, case)
        if member is None:
            member = TeamMember.objects.create(
                case=case, user=user, role=TeamRole.MEMBER, added_by=user, added_at=now
            )
        member.declared_at = now
        member.has_conflict = bool(has_conflict)
        member.conflict_note = (note or "").strip() or None
        if has_conflict:
            member.removed_at = now
        member.save()
        _event(case, "team_declared", user, conflict=bool(has_conflict))
        _audit(user, "team_declared", case, conflict=bool(has_conflict))
    return member


def team_remove(*, case: Case, user: Any, member: TeamMember) -> None:
    """End a team membership."""
    if member.case_id != case.pk:
        raise CaseInvalid({"member": [_("Onbekend teamlid.")]})
    if not access.may_manage_team(user, case) and member.user_id != user.pk:
        raise CaseActionRefused(_("U mag dit teamlid niet verwijderen."))
    with transaction.atomic():
        member.removed_at = timezone.now()
        member.save(update_fields=["removed_at"])
        _event(case, "team_removed", user, member=member.user_id)
        _audit(user, "team_removed", case, member=member.user_id)


# --- the file --------------------------------------------------------------------------------------


def case_update(
    *,
    case: Case,
    user: Any,
    commissioning_authority: str | None = None,
    description: str | None = None,
    object_of_investigation: str | None = None,
    unit: Any = None,
    categories: Iterable[Category] | None = None,
) -> Case:
    """Change the basic facts of the case file (only what is given)."""
    _require(
        user, case, Role.COORDINATOR, Role.INVESTIGATOR, Role.MANAGER, Role.COMPETENT_AUTHORITY
    )
    changed: list[str] = []
    with transaction.atomic():
        case = _locked(case)
        if commissioning_authority is not None:
            case.commissioning_authority = commissioning_authority.strip()[:200]
            changed.append("commissioning_authority")
        if description is not None:
            case.description = description.strip()
            changed.append("description")
        if object_of_investigation is not None:
            case.object_of_investigation = object_of_investigation.strip()
            changed.append("object_of_investigation")
        if unit is not None:
            if unit.organisation_id != case.organisation_id:
                raise CaseInvalid({"unit": [_("Onbekend organisatieonderdeel.")]})
            case.unit = unit
            changed.append("unit")
        case.save()
        if categories is not None:
            categories = list(categories)
            if any(c.organisation_id != case.organisation_id for c in categories):
                raise CaseInvalid({"categories": [_("Onbekende categorie.")]})
            case.categories.set(categories)
            changed.append("categories")
        _event(case, "file_updated", user, fields=changed)
        _audit(user, "case_updated", case, fields=changed)
    return case


def _party_create(
    case: Case, *, role: str, name: str, person: Person | None = None, note: str = ""
) -> Party:
    if role not in PartyRole.values:
        raise CaseInvalid({"role": [_("Kies een rol.")]})
    if person is not None and person.organisation_id != case.organisation_id:
        raise CaseInvalid({"person": [_("Onbekende persoon.")]})
    name = (name or "").strip() or (person.full_name if person is not None else "")
    if not name:
        raise CaseInvalid({"name": [_("Vul een naam of omschrijving in.")]})
    party = Party.objects.create(
        case=case, role=role, name=name[:300], person=person, note=(note or "").strip() or None
    )
    if role == PartyRole.ACCUSED and person is not None and person.user_id:
        # Excluded automatically: whoever is accused leaves the team at once.
        TeamMember.objects.filter(
            case=case, user_id=person.user_id, removed_at__isnull=True
        ).update(removed_at=timezone.now())
    return party


def party_add(
    *,
    case: Case,
    user: Any,
    role: str,
    name: str = "",
    person: Person | None = None,
    note: str = "",
) -> Party:
    """Add a party (reporter, accused, victim, witness); an accused with a login is excluded from the case."""
    _require(user, case)
    with transaction.atomic():
        party = _party_create(case, role=role, name=name, person=person, note=note)
        _event(case, "party_added", user, role=role, linked=person is not None)
        _audit(user, "party_added", case, role=role, linked=person is not None)
    return party


def triage_record(
    *, case: Case, user: Any, answers: dict[str, Any], motivation: str, severity: str | None = None
) -> TriageRecord:
    """Record a (re-)triage: severity from the instrument, required actions with due times.

    A coordinator may choose another severity than the computed one, with the
    motivation saying why. Re-triage keeps the earlier records; open actions
    that the new triage no longer requires lapse, actions it still requires
    keep their due time, new ones are added.
    """
    _require(user, case, Role.COORDINATOR)
    instrument = config.triage_instrument(case.organisation)
    clean, errors = triage.clean_answers(instrument, answers, case.organisation.kind)
    motivation = _text(motivation, "motivation")
    if errors:
        raise CaseInvalid({k: [_("Kies een van de mogelijkheden.")] for k in errors})
    result = triage.evaluate(instrument, clean, kind=case.organisation.kind)
    chosen = severity or result.severity
    if chosen not in triage.levels(instrument):
        raise CaseInvalid({"severity": [_("Kies een van de mogelijkheden.")]})
    with transaction.atomic():
        case = _locked(case)
        now = timezone.now()
        previous = case.triages.filter(is_current=True).first()
        case.triages.filter(is_current=True).update(is_current=False)
        record = TriageRecord.objects.create(
            case=case,
            answers=clean,
            computed_severity=result.severity,
            severity=chosen,
            motivation=motivation,
            instrument_version=str(instrument.get("version", "")),
            recorded_by=user,
            recorded_at=now,
        )
        required = {a.key: a for a in result.actions}
        for action in case.actions.filter(status=ActionStatus.OPEN):
            if action.key not in required:
                action.status = ActionStatus.CANCELLED
                action.done_at = now
                action.save(update_fields=["status", "done_at"])
        existing = set(
            case.actions.exclude(status=ActionStatus.CANCELLED).values_list("key", flat=True)
        )
        for key, action in required.items():
            if key in existing:
                continue
            TriageAction.objects.create(
                case=case,
                triage=record,
                key=key,
                label_nl=action.nl,
                label_en=action.en,
                term_hours=action.term_hours,
                due_at=now + dt.timedelta(hours=action.term_hours),
            )
        case.severity = chosen
        case.save(update_fields=["severity", "updated_at"])
        _event(
            case,
            "retriaged" if previous else "triaged",
            user,
            severity=chosen,
            computed=result.severity,
            actions=sorted(required),
        )
        _audit(user, "triage_recorded", case, severity=chosen, computed=result.severity)
    return record


def triage_action_complete(*, action: TriageAction, user: Any, note: str = "") -> TriageAction:
    """Mark a required action as done (with an optional note)."""
    case = action.case
    _require(user, case)
    with transaction.atomic():
        action = TriageAction.objects.select_for_update().get(pk=action.pk)
        if action.status != ActionStatus.OPEN:
            return action
        action.status = ActionStatus.DONE
        action.done_at = timezone.now()
        action.done_by = user
        action.note = (note or "").strip() or None
        action.save()
        _event(case, "action_done", user, action=action.key, late=action.done_at > action.due_at)
        _audit(user, "action_done", case, action=action.key)
    return action


def _reporter_message(case: Case, user: Any, body: str) -> None:
    if case.report_id is None:
        return
    from intact.reporting import services as reporting_services

    reporting_services.handler_message_send(report=case.report, author=user, body=body)


def decision_record(
    *, case: Case, user: Any, decision: str, motivation: str, message_to_reporter: str = ""
) -> Case:
    """Record the decision to investigate or not, with motivation; the reporter is told through the mailbox.

    The motivation stays internal; ``message_to_reporter`` (or a standard
    text) goes to the reporter's mailbox when the case came from a report.
    """
    _require(user, case, Role.COMPETENT_AUTHORITY, Role.COORDINATOR, Role.MANAGER)
    if decision not in (InvestigationDecision.INVESTIGATE, InvestigationDecision.NO_INVESTIGATION):
        raise CaseInvalid({"decision": [_("Kies een besluit.")]})
    motivation = _text(motivation, "motivation")
    if decision == InvestigationDecision.INVESTIGATE:
        default = _(
            "Er is besloten een onderzoek in te stellen naar uw melding. Wij houden u op de hoogte."
        )
    else:
        default = _("Er is besloten geen onderzoek in te stellen naar uw melding.")
    body = (message_to_reporter or "").strip() or default
    with transaction.atomic():
        case = _locked(case)
        case.decision = decision
        case.decision_motivation = motivation
        case.decided_at = timezone.now()
        case.decided_by = user
        case.save()
        _reporter_message(case, user, body)
        _event(
            case, "decision", user, decision=decision, reporter_informed=case.report_id is not None
        )
        _audit(user, "decision_recorded", case, decision=decision)
    return case


def assignment_set(
    *, case: Case, user: Any, assignment: str, assignee_label: str = "", plan: str = ""
) -> Case:
    """Who investigates (audit unit, manager, external bureau …) and the investigation plan."""
    _require(user, case, Role.COMPETENT_AUTHORITY, Role.COORDINATOR)
    if assignment not in Assignment.values or not assignment:
        raise CaseInvalid({"assignment": [_("Kies wie het onderzoek uitvoert.")]})
    with transaction.atomic():
        case = _locked(case)
        case.assignment = assignment
        case.assignee_label = (assignee_label or "").strip()[:200]
        if plan is not None and plan.strip():
            case.investigation_plan = plan.strip()
        case.save()
        _event(case, "assigned", user, assignment=assignment)
        _audit(user, "assignment_set", case, assignment=assignment)
    return case


def plan_update(*, case: Case, user: Any, plan: str) -> Case:
    """Write or change the investigation plan."""
    _require(user, case, Role.INVESTIGATOR, Role.COORDINATOR)
    plan = _text(plan, "plan")
    with transaction.atomic():
        case = _locked(case)
        case.investigation_plan = plan
        case.save()
        _event(case, "plan_updated", user)
        _audit(user, "plan_updated", case)
    return case


def hearing_record(
    *, case: Case, user: Any, party: Party, held_on: dt.date, record: str
) -> Hearing:
    """The written record of a hearing. The heard party may respond to it (hearing both sides)."""
    _require(user, case, Role.INVESTIGATOR, Role.COORDINATOR, Role.MANAGER)
    if party.case_id != case.pk:
        raise CaseInvalid({"party": [_("Onbekende partij.")]})
    record = _text(record, "record")
    if held_on is None or held_on > timezone.localdate():
        raise CaseInvalid({"held_on": [_("Vul een datum in die niet in de toekomst ligt.")]})
    with transaction.atomic():
        hearing = Hearing.objects.create(
            case=case, party=party, held_on=held_on, record=record, recorded_by=user
        )
        _event(case, "hearing", user, party_role=party.role, hearing=hearing.pk)
        _audit(user, "hearing_recorded", case, hearing=hearing.pk, party_role=party.role)
    return hearing


def hearing_response_record(
    *,
    hearing: Hearing,
    user: Any,
    response: str = "",
    waived: bool = False,
    responded_on: dt.date | None = None,
) -> Hearing:
    """The heard party's response to the record, or that they waive it."""
    case = hearing.case
    _require(user, case, Role.INVESTIGATOR, Role.COORDINATOR, Role.MANAGER)
    response = (response or "").strip()
    if not waived and not response:
        raise CaseInvalid(
            {
                "response": [
                    _("Vul de reactie in, of geef aan dat de gehoorde afziet van een reactie.")
                ]
            }
        )
    with transaction.atomic():
        hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
        hearing.response = response or None
        hearing.response_waived = bool(waived) and not response
        hearing.response_on = responded_on or timezone.localdate()
        hearing.save()
        _event(case, "hearing_response", user, hearing=hearing.pk, waived=hearing.response_waived)
        _audit(
            user,
            "hearing_response_recorded",
            case,
            hearing=hearing.pk,
            waived=hearing.response_waived,
        )
    return hearing


def findings_record(*, case: Case, user: Any, findings: str, conclusion: str) -> Case:
    """The findings and the conclusion (founded, unfounded, undetermined)."""
    _require(user, case, Role.INVESTIGATOR, Role.COORDINATOR)
    findings = _text(findings, "findings")
    if conclusion not in (Conclusion.FOUNDED, Conclusion.UNFOUNDED, Conclusion.UNDETERMINED):
        raise CaseInvalid({"conclusion": [_("Kies een conclusie.")]})
    with transaction.atomic():
        case = _locked(case)
        case.findings = findings
        case.conclusion = conclusion
        case.concluded_at = timezone.now()
        case.save()
        _event(case, "findings", user, conclusion=conclusion)
        _audit(user, "findings_recorded", case, conclusion=conclusion)
    return case


def measure_add(
    *,
    case: Case,
    user: Any,
    measure_type: MeasureType,
    party: Party | None = None,
    decided_on: dt.date | None = None,
    note: str = "",
) -> Measure:
    """A measure or sanction from the organisation's list (or ‘no measure’)."""
    _require(user, case, Role.COMPETENT_AUTHORITY, Role.COORDINATOR)
    if measure_type.organisation_id != case.organisation_id or not measure_type.active:
        raise CaseInvalid({"measure_type": [_("Kies een maatregel uit de lijst.")]})
    if party is not None and party.case_id != case.pk:
        raise CaseInvalid({"party": [_("Onbekende partij.")]})
    with transaction.atomic():
        measure = Measure.objects.create(
            case=case,
            measure_type=measure_type,
            type_code=measure_type.code,
            group=measure_type.group,
            party=party,
            decided_on=decided_on or timezone.localdate(),
            note=(note or "").strip() or None,
            decided_by=user,
        )
        _event(case, "measure", user, measure=measure_type.code)
        _audit(user, "measure_added", case, measure=measure_type.code)
    return measure


def care_measure_add(
    *,
    case: Case,
    user: Any,
    description: str,
    party: Party | None = None,
    due_on: dt.date | None = None,
) -> CareMeasure:
    """A care measure for a victim, to be tracked to completion."""
    _require(user, case)
    description = _text(description, "description", limit=5000)
    if party is not None and party.case_id != case.pk:
        raise CaseInvalid({"party": [_("Onbekende partij.")]})
    with transaction.atomic():
        item = CareMeasure.objects.create(
            case=case, party=party, description=description, due_on=due_on
        )
        _event(case, "care_added", user, care=item.pk)
        _audit(user, "care_measure_added", case, care=item.pk)
    return item


def care_measure_complete(*, item: CareMeasure, user: Any) -> CareMeasure:
    """Mark a care measure as completed."""
    case = item.case
    _require(user, case)
    with transaction.atomic():
        item = CareMeasure.objects.select_for_update().get(pk=item.pk)
        if item.status == ActionStatus.OPEN:
            item.status = ActionStatus.DONE
            item.done_at = timezone.now()
            item.save(update_fields=["status", "done_at"])
            _event(case, "care_done", user, care=item.pk)
            _audit(user, "care_measure_done", case, care=item.pk)
    return item


def notification_add(
    *,
    case: Case,
    user: Any,
    kind: str,
    sent_on: dt.date,
    recipient: str = "",
    external_reference: str = "",
    note: str = "",
) -> ExternalNotification:
    """An external notification (police report, ministry or donor incident report, supervisory board).

    It completes the matching open triage action.
    """
    _require(user, case)
    if kind not in NotificationKind.values:
        raise CaseInvalid({"kind": [_("Kies de soort melding.")]})
    if sent_on is None or sent_on > timezone.localdate():
        raise CaseInvalid({"sent_on": [_("Vul een datum in die niet in de toekomst ligt.")]})
    with transaction.atomic():
        item = ExternalNotification.objects.create(
            case=case,
            kind=kind,
            sent_on=sent_on,
            recipient=(recipient or "")[:200],
            external_reference=(external_reference or "")[:100],
            note=(note or "").strip() or None,
            recorded_by=user,
        )
        action_key = NOTIFICATION_ACTIONS.get(kind)
        if action_key:
            for action in case.actions.filter(key=action_key, status=ActionStatus.OPEN):
                action.status = ActionStatus.DONE
                action.done_at = timezone.now()
                action.done_by = user
                action.save(update_fields=["status", "done_at", "done_by"])
        _event(case, "notification", user, kind=kind, sent_on=sent_on.isoformat())
        _audit(user, "notification_added", case, kind=kind)
    return item


def reporter_feedback_send(*, case: Case, user: Any, body: str) -> Case:
    """Send the reporter the outcome through the mailbox (or record feedback given outside Intact)."""
    _require(user, case, Role.COORDINATOR, Role.COMPETENT_AUTHORITY, Role.MANAGER)
    body = _text(body, "body", limit=20000)
    with transaction.atomic():
        case = _locked(case)
        case.reporter_feedback = body
        case.reporter_feedback_at = timezone.now()
        case.save()
        _reporter_message(case, user, body)
        if case.report_id is not None:
            from intact.reporting import services as reporting_services

            reporting_services.report_feedback_given(report=case.report, user=user)
        _event(case, "reporter_feedback", user, mailbox=case.report_id is not None)
        _audit(user, "reporter_feedback_sent", case, mailbox=case.report_id is not None)
    return case


def summary_update(
    *,
    case: Case,
    user: Any,
    description: str,
    object_of_investigation: str,
    findings: str,
    consequence: str,
    reviewed: bool = False,
) -> Case:
    """The public summary for the annual report, separate from the confidential description.

    Only a coordinator marks it as reviewed; changing a reviewed summary
    makes it unreviewed again unless reviewed in the same step.
    """
    held = _require(user, case)
    if reviewed and Role.COORDINATOR not in held:
        raise CaseActionRefused(
            _("Alleen een coördinator kan de samenvatting als gecontroleerd markeren.")
        )
    with transaction.atomic():
        case = _locked(case)
        case.summary_description = (description or "").strip()[:1000]
        case.summary_object = (object_of_investigation or "").strip()[:1000]
        case.summary_findings = (findings or "").strip()[:2000]
        case.summary_consequence = (consequence or "").strip()[:1000]
        case.summary_reviewed = bool(reviewed)
        case.summary_reviewed_at = timezone.now() if reviewed else None
        case.summary_reviewed_by = user if reviewed else None
        case.save()
        _event(case, "summary", user, reviewed=bool(reviewed))
        _audit(user, "summary_updated", case, reviewed=bool(reviewed))
    return case


def document_add(
    *, case: Case, user: Any, name: str, content_type: str, data: bytes
) -> CaseDocument:
    """Add a file to the case file (stored encrypted)."""
    _require(user, case)
    if not data:
        raise CaseInvalid({"file": [_("Kies een bestand.")]})
    if len(data) > 20 * 1024 * 1024:
        raise CaseInvalid({"file": [_("Het bestand is te groot (ten hoogste 20 MB).")]})
    with transaction.atomic():
        stored = files.file_store(
            case.organisation, name, content_type or "application/octet-stream", data
        )
        doc = CaseDocument.objects.create(case=case, file=stored, name=name[:200], uploaded_by=user)
        _event(case, "document", user, document=doc.pk)
        _audit(user, "document_added", case, document=doc.pk)
    return doc


# --- workflow ---------------------------------------------------------------------------------------


def case_transition(
    *, case: Case, user: Any, target: str, expected_status: str | None = None, note: str = ""
) -> Case:
    """Move the case to ``target`` if the workflow table allows it for this user now.

    Runs under a row lock (``select_for_update``): two people pressing at
    the same time cannot both move the case, and ``expected_status`` (the
    state the user saw) refuses a step based on an outdated page. Refusals
    raise :class:`workflow.TransitionRefused` with a message for people.
    Closing sets the retention term and closes the report.
    """
    with transaction.atomic():
        case = _locked(case)
        if expected_status and case.status != expected_status:
            raise workflow.TransitionRefused(
                _(
                    "De zaak is intussen door iemand anders gewijzigd; bekijk de actuele stand en probeer het opnieuw."
                ),
                code="conflict",
            )
        flow = config.workflow_for(case.organisation, case.report_type)
        roles = access.acting_roles(user, case)
        transition = workflow.check(flow, case, target, roles)
        source = case.status
        case.status = transition.target
        now = timezone.now()
        if workflow.state_def(flow, transition.target).get("final"):
            case.closed_at = now
            case.closure_note = (note or "").strip() or None
            case.retention_outcome = retention.outcome_of(case)
            case.retention_due = retention.due_date(case, timezone.localdate(now))
        case.save()
        _event(
            case,
            "transition",
            user,
            at=now,
            source=source,
            target=transition.target,
            transition=transition.code,
        )
        _audit(user, "transition", case, source=source, target=transition.target)
        if case.closed_at and case.report_id is not None and case.report.status != "closed":
            from intact.reporting import services as reporting_services

            reporting_services.report_close(
                report=case.report,
                user=user,
                reason=_(
                    "De behandeling van uw melding is afgerond. De uitkomst staat in het bericht hierboven."
                ),
            )
    return case
