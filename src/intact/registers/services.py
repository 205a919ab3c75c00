"""Writes for the registers: one keyword-only function per use case.

Each function runs in one transaction and writes its audit entry inside it
(details name ids and states, never the content of a declaration). The
access policy is applied by the selectors the views and the API call first;
the functions check the invariants that hold whoever calls them (same
organisation, a manager never assesses their own declaration, allowed
outcomes). Mail goes out with ``transaction.on_commit`` and says only that
something is waiting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intact.organisations import services as org_services
from intact.registers import rules
from intact.registers.models import (
    ActivityStatus,
    CheckKind,
    CheckStatus,
    CodeAcknowledgement,
    CodeReminder,
    CodeVersion,
    Commitment,
    CommitmentForm,
    CommitmentRule,
    FinancialDeclaration,
    FinancialDesignation,
    FinancialKind,
    GiftDecision,
    GiftDeclaration,
    GiftKind,
    Measure,
    OutsideActivity,
    RegisterSettings,
    ReviewStatus,
    ScreeningCheck,
    ScreeningProfile,
    VulnerablePosition,
)
from intact.security import audit

SETTINGS_FIELDS = (
    "oath_term_months",
    "commitment_employee",
    "commitment_external",
    "commitment_volunteer",
    "publish_min_salary_scale",
    "publish_positions",
    "reconfirm_months",
    "gift_threshold",
    "invitations_need_approval",
    "code_reminder_after_days",
    "code_reminder_interval_days",
)


def _today() -> dt.date:
    return timezone.localdate()


def _same_org(organisation: Any, obj: Any, field: str) -> None:
    if obj is not None and obj.organisation_id != getattr(organisation, "pk", organisation):
        raise ValidationError({field: _("Hoort niet bij deze organisatie.")})


def _not_own(actor: Any, person: Any) -> None:
    if actor is not None and getattr(actor, "pk", None) and person.user_id == actor.pk:
        raise ValidationError(_("U kunt niet over uw eigen melding beslissen."))


def _is_active(person: Any, on: dt.date) -> bool:
    return person.start_date <= on and (person.end_date is None or person.end_date >= on)


# --- settings ------------------------------------------------------------------


def settings_update(*, actor: Any, organisation: Any, **changes: Any) -> RegisterSettings:
    """Change the organisation's register rules; the audit entry names the changed fields."""
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"settings_update does not change {sorted(unknown)}")
    with transaction.atomic():
        current = rules.settings_for(organisation)
        changed = [f for f, v in changes.items() if getattr(current, f) != v]
        for field in changed:
            setattr(current, field, changes[field])
        if changed:
            current.source = _("aangepast door de organisatie")
            current.full_clean()
            current.save()
            audit.record(
                actor,
                "registers.settings.update",
                organisation=organisation,
                obj=current,
                detail={"fields": sorted(changed)},
            )
    return current


# --- 1. oath, affirmation, integrity declaration ------------------------------------


def _check_form(required: str, form: str) -> None:
    if form not in CommitmentForm.values:
        raise ValidationError({"form": _("Kies eed, belofte of integriteitsverklaring.")})
    if required == CommitmentRule.OATH and form == CommitmentForm.DECLARATION:
        raise ValidationError({"form": _("Voor deze persoon geldt de eed of belofte.")})
    if required == CommitmentRule.DECLARATION and form != CommitmentForm.DECLARATION:
        raise ValidationError({"form": _("Voor deze persoon geldt een integriteitsverklaring.")})


def commitment_register(
    *,
    actor: Any,
    person: Any,
    form: str,
    taken_on: dt.date,
    witness: str = "",
    sworn_before: str = "",
    ceremony: str = "",
) -> Commitment:
    """Register that ``person`` swore the oath, made the affirmation or signed the declaration.

    The form must fit what the organisation's rules ask of the person's
    contract type; registering twice for one person is refused.
    """
    with transaction.atomic():
        current = rules.settings_for(person.organisation)
        required = rules.commitment_required(current, person)
        if required == CommitmentRule.NONE:
            raise ValidationError(
                _("Voor deze persoon is geen eed, belofte of verklaring vereist.")
            )
        _check_form(required, form)
        if taken_on > _today():
            raise ValidationError({"taken_on": _("De datum ligt in de toekomst.")})
        if Commitment.objects.filter(person=person).exists():
            raise ValidationError(
                _("Voor deze persoon is al een eed, belofte of verklaring geregistreerd.")
            )
        commitment = Commitment.objects.create(
            organisation_id=person.organisation_id,
            person=person,
            form=form,
            taken_on=taken_on,
            witness=witness.strip(),
            sworn_before=sworn_before.strip(),
            ceremony=ceremony.strip(),
            registered_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor,
            "registers.commitment.register",
            organisation=person.organisation_id,
            obj=commitment,
            detail={"person_id": person.pk, "form": form},
        )
    return commitment


def commitment_register_bulk(
    *,
    actor: Any,
    organisation: Any,
    people: Sequence[Any],
    taken_on: dt.date,
    oath_form: str = CommitmentForm.OATH,
    forms: dict[int, str] | None = None,
    witness: str = "",
    sworn_before: str = "",
    ceremony: str = "",
) -> list[Commitment]:
    """Register a ceremony: many people, one date, witness and official; all or nothing.

    People who owe the oath get ``oath_form`` (or their own choice from
    ``forms``, keyed by person id); people who owe a declaration get the
    declaration.
    """
    if not people:
        raise ValidationError(_("Kies ten minste één persoon."))
    forms = forms or {}
    created = []
    with transaction.atomic():
        current = rules.settings_for(organisation)
        for person in people:
            _same_org(organisation, person, "people")
            required = rules.commitment_required(current, person)
            if required == CommitmentRule.DECLARATION:
                form = CommitmentForm.DECLARATION
            else:
                form = forms.get(person.pk, oath_form)
            try:
                created.append(
                    commitment_register(
                        actor=actor,
                        person=person,
                        form=form,
                        taken_on=taken_on,
                        witness=witness,
                        sworn_before=sworn_before,
                        ceremony=ceremony,
                    )
                )
            except ValidationError as exc:
                raise ValidationError(f"{person.full_name}: {'; '.join(exc.messages)}") from exc
    return created


# --- 2. code of conduct -------------------------------------------------------------


def code_version_create(
    *,
    actor: Any,
    organisation: Any,
    title: str,
    version: str,
    adopted_on: dt.date,
    text: str = "",
    file_name: str = "",
    file_content_type: str = "",
    file_data: bytes | None = None,
) -> CodeVersion:
    """Add a version of the code of conduct (its text, a file, or both). The newest is current."""
    if not text.strip() and not file_data:
        raise ValidationError(_("Geef de tekst van de gedragscode of voeg een bestand toe."))
    with transaction.atomic():
        stored = None
        if file_data:
            from intact.security.files import file_store

            stored = file_store(
                organisation, file_name or "gedragscode", file_content_type, file_data
            )
        code = CodeVersion(
            organisation=organisation,
            title=title.strip(),
            version=version.strip(),
            adopted_on=adopted_on,
            text=text,
            file=stored,
        )
        code.full_clean()
        code.save()
        audit.record(
            actor,
            "registers.code.create",
            organisation=organisation,
            obj=code,
            detail={"version": code.version, "file": stored is not None},
        )
    return code


def code_acknowledge(
    *, actor: Any, person: Any, version: CodeVersion, on: dt.date | None = None
) -> CodeAcknowledgement:
    """Record that ``person`` read and subscribes to ``version``; a repeat returns the first."""
    _same_org(version.organisation_id, person, "person")
    with transaction.atomic():
        ack, created = CodeAcknowledgement.objects.get_or_create(
            version=version,
            person=person,
            defaults={"organisation_id": person.organisation_id, "acknowledged_on": on or _today()},
        )
        if created:
            audit.record(
                actor,
                "registers.code.acknowledge",
                organisation=person.organisation_id,
                obj=ack,
                detail={"person_id": person.pk, "version_id": version.pk},
            )
    return ack


def _mail_waiting(address: str, subject: str, body: str) -> None:
    if address:
        transaction.on_commit(
            lambda: send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True
            )
        )


def code_reminders_send(*, organisation: Any, today: dt.date | None = None) -> int:
    """Remind everyone who has not acknowledged the current code in time; returns how many.

    A person is reminded ``code_reminder_after_days`` after the version was
    adopted or after they started (whichever is later), then every
    ``code_reminder_interval_days``. The mail only says that something waits.
    """
    from intact.organisations.models import Person

    today = today or _today()
    current = rules.settings_for(organisation)
    code = (
        CodeVersion.objects.filter(organisation=organisation, adopted_on__lte=today)
        .order_by("-adopted_on", "-pk")
        .first()
    )
    if code is None:
        return 0
    done = set(CodeAcknowledgement.objects.filter(version=code).values_list("person_id", flat=True))
    last = {r.person_id: r for r in CodeReminder.objects.filter(version=code)}
    sent = 0
    base = getattr(settings, "INTACT_PUBLIC_BASE_URL", "").rstrip("/")
    with transaction.atomic():
        for person in Person.objects.filter(organisation=organisation).select_related("user"):
            if person.pk in done or not _is_active(person, today):
                continue
            start = max(code.adopted_on, person.start_date)
            if (today - start).days < current.code_reminder_after_days:
                continue
            previous = last.get(person.pk)
            if previous and (today - previous.sent_on).days < current.code_reminder_interval_days:
                continue
            address = person.email or (person.user.email if person.user else "")
            _mail_waiting(
                address,
                _("Intact: er wacht iets op u"),
                _("Er wacht iets op u in Intact: %(url)s")
                % {"url": f"{base}/app/{organisation.slug}/mijn-integriteit/"},
            )
            if previous:
                previous.sent_on = today
                previous.count += 1
                previous.save(update_fields=["sent_on", "count"])
            else:
                CodeReminder.objects.create(version=code, person=person, sent_on=today)
            sent += 1
        if sent:
            audit.record(
                None,
                "registers.code.remind",
                organisation=organisation,
                obj=code,
                detail={"reminded": sent},
            )
    return sent


# --- 3. outside activities ----------------------------------------------------------------


def _decimal(value: Any, field: str, *, minimum: Decimal = Decimal(0)) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("Geef een getal.")}) from exc
    if not number.is_finite() or number < minimum:
        raise ValidationError({field: _("Geef een getal van %(min)s of meer.") % {"min": minimum}})
    return number


def activity_declare(
    *,
    actor: Any,
    person: Any,
    description: str,
    for_whom: str,
    hours_per_month: Any,
    paid: bool,
    conflict_possible: bool,
    conflict_explanation: str = "",
    started_on: dt.date | None = None,
    declared_on: dt.date | None = None,
) -> OutsideActivity:
    """A person declares an outside activity; it waits for the manager's assessment."""
    hours = _decimal(hours_per_month, "hours_per_month")
    if hours > 744:
        raise ValidationError({"hours_per_month": _("Een maand heeft niet zoveel uren.")})
    if conflict_possible and not conflict_explanation.strip():
        raise ValidationError(
            {"conflict_explanation": _("Licht toe waar belangenverstrengeling kan ontstaan.")}
        )
    if not description.strip() or not for_whom.strip():
        raise ValidationError(_("Vul in wat u doet en voor wie."))
    with transaction.atomic():
        activity = OutsideActivity.objects.create(
            organisation_id=person.organisation_id,
            person=person,
            description=description.strip(),
            for_whom=for_whom.strip(),
            hours_per_month=hours,
            paid=paid,
            conflict_possible=conflict_possible,
            conflict_explanation=conflict_explanation.strip() or None,
            started_on=started_on,
            declared_on=declared_on or _today(),
        )
        audit.record(
            actor,
            "registers.activity.declare",
            organisation=person.organisation_id,
            obj=activity,
            detail={"person_id": person.pk},
        )
    return activity


ASSESSMENT_OUTCOMES = (
    ActivityStatus.ALLOWED,
    ActivityStatus.ALLOWED_WITH_CONDITIONS,
    ActivityStatus.REFUSED,
)


def activity_assess(
    *,
    actor: Any,
    activity: OutsideActivity,
    outcome: str,
    reasons: str,
    conditions: str = "",
    on: dt.date | None = None,
) -> OutsideActivity:
    """The manager assesses a declared activity: allowed, allowed with conditions or refused.

    Reasons are always required; conditions when the outcome has them. A
    manager cannot assess their own activity. Re-assessment (e.g. after a
    change) is allowed and audited.
    """
    if outcome not in ASSESSMENT_OUTCOMES:
        raise ValidationError({"outcome": _("Kies een oordeel.")})
    if not reasons.strip():
        raise ValidationError({"reasons": _("Geef de motivering van het oordeel.")})
    if outcome == ActivityStatus.ALLOWED_WITH_CONDITIONS and not conditions.strip():
        raise ValidationError({"conditions": _("Geef de voorwaarden.")})
    if activity.status == ActivityStatus.ENDED:
        raise ValidationError(_("Deze nevenwerkzaamheid is beëindigd."))
    _not_own(actor, activity.person)
    with transaction.atomic():
        previous = activity.status
        activity.status = outcome
        activity.reasons = reasons.strip()
        activity.conditions = conditions.strip() or None
        activity.assessed_by = actor if getattr(actor, "pk", None) else None
        activity.assessed_on = on or _today()
        activity.save()
        audit.record(
            actor,
            "registers.activity.assess",
            organisation=activity.organisation_id,
            obj=activity,
            detail={"from": previous, "to": outcome},
        )
    return activity


def activity_confirm(
    *, actor: Any, activity: OutsideActivity, on: dt.date | None = None
) -> OutsideActivity:
    """The yearly re-confirmation: the person states the activity is unchanged."""
    if not activity.is_active:
        raise ValidationError(_("Alleen een toegestane nevenwerkzaamheid kan worden bevestigd."))
    with transaction.atomic():
        activity.last_confirmed_on = on or _today()
        activity.save(update_fields=["last_confirmed_on"])
        audit.record(
            actor, "registers.activity.confirm", organisation=activity.organisation_id, obj=activity
        )
    return activity


def activity_end(
    *, actor: Any, activity: OutsideActivity, ended_on: dt.date | None = None
) -> OutsideActivity:
    """The person (or coordinator) records that the activity has stopped."""
    if activity.status == ActivityStatus.ENDED:
        raise ValidationError(_("Deze nevenwerkzaamheid is al beëindigd."))
    with transaction.atomic():
        activity.status = ActivityStatus.ENDED
        activity.ended_on = ended_on or _today()
        activity.save(update_fields=["status", "ended_on"])
        audit.record(
            actor, "registers.activity.end", organisation=activity.organisation_id, obj=activity
        )
    return activity


# --- 4. financial interests ------------------------------------------------------------------


def designation_create(
    *,
    actor: Any,
    organisation: Any,
    position: str = "",
    person: Any = None,
    reason: str = "",
    designated_on: dt.date | None = None,
) -> FinancialDesignation:
    """Designate a position title (or one person) that must declare financial interests."""
    position = position.strip()
    if bool(position) == bool(person):
        raise ValidationError(_("Wijs een functie of een persoon aan, niet allebei."))
    _same_org(organisation, person, "person")
    with transaction.atomic():
        designation = FinancialDesignation.objects.create(
            organisation=organisation,
            position=position,
            person=person,
            reason=reason.strip(),
            designated_on=designated_on or _today(),
        )
        audit.record(
            actor, "registers.designation.create", organisation=organisation, obj=designation
        )
    return designation


def designation_delete(*, actor: Any, designation: FinancialDesignation) -> None:
    """Withdraw a designation (declarations already made stay in the register)."""
    with transaction.atomic():
        audit.record(
            actor,
            "registers.designation.delete",
            organisation=designation.organisation_id,
            obj=designation,
        )
        designation.delete()


def financial_declare(
    *, actor: Any, person: Any, kind: str, details: str = "", declared_on: dt.date | None = None
) -> FinancialDeclaration:
    """A person declares a financial interest, a securities transaction, or that there is none."""
    if kind not in FinancialKind.values:
        raise ValidationError({"kind": _("Kies een soort melding.")})
    if kind != FinancialKind.NIL and not details.strip():
        raise ValidationError({"details": _("Omschrijf het belang of de transactie.")})
    with transaction.atomic():
        declaration = FinancialDeclaration.objects.create(
            organisation_id=person.organisation_id,
            person=person,
            kind=kind,
            details=details.strip() or None,
            declared_on=declared_on or _today(),
        )
        audit.record(
            actor,
            "registers.financial.declare",
            organisation=person.organisation_id,
            obj=declaration,
            detail={"person_id": person.pk, "kind": kind},
        )
    return declaration


def financial_review(
    *,
    actor: Any,
    declaration: FinancialDeclaration,
    status: str,
    note: str = "",
    on: dt.date | None = None,
) -> FinancialDeclaration:
    """The coordinator reviews a declaration: no objection, or measures needed (with a note)."""
    if status not in (ReviewStatus.NO_OBJECTION, ReviewStatus.MEASURES):
        raise ValidationError({"status": _("Kies een oordeel.")})
    if status == ReviewStatus.MEASURES and not note.strip():
        raise ValidationError({"note": _("Beschrijf de maatregelen.")})
    _not_own(actor, declaration.person)
    with transaction.atomic():
        declaration.status = status
        declaration.review_note = note.strip() or None
        declaration.reviewed_by = actor if getattr(actor, "pk", None) else None
        declaration.reviewed_on = on or _today()
        declaration.save()
        audit.record(
            actor,
            "registers.financial.review",
            organisation=declaration.organisation_id,
            obj=declaration,
            detail={"status": status},
        )
    return declaration


# --- 5. gifts and invitations -------------------------------------------------------------------


def gift_declare(
    *,
    actor: Any,
    person: Any,
    kind: str,
    giver: str,
    occasion: str,
    estimated_value: Any,
    received_on: dt.date,
    declared_on: dt.date | None = None,
) -> GiftDeclaration:
    """A person declares a gift or invitation; the organisation's rule decides if it needs a decision.

    Below the threshold a gift may be kept: it is registered as kept at once.
    """
    if kind not in GiftKind.values:
        raise ValidationError({"kind": _("Kies geschenk of uitnodiging.")})
    value = _decimal(estimated_value, "estimated_value")
    if value >= Decimal("10000000"):
        raise ValidationError({"estimated_value": _("Dat bedrag is te hoog.")})
    if not giver.strip() or not occasion.strip():
        raise ValidationError(_("Vul de gever en de aanleiding in."))
    if received_on > _today():
        raise ValidationError({"received_on": _("De datum ligt in de toekomst.")})
    with transaction.atomic():
        current = rules.settings_for(person.organisation)
        needs = rules.gift_needs_approval(current, kind=kind, value=value)
        gift = GiftDeclaration.objects.create(
            organisation_id=person.organisation_id,
            person=person,
            kind=kind,
            giver=giver.strip(),
            occasion=occasion.strip(),
            estimated_value=value,
            received_on=received_on,
            declared_on=declared_on or _today(),
            needs_approval=needs,
            threshold_applied=current.gift_threshold,
            decision=GiftDecision.PENDING if needs else GiftDecision.KEEP,
            decided_on=None if needs else (declared_on or _today()),
        )
        audit.record(
            actor,
            "registers.gift.declare",
            organisation=person.organisation_id,
            obj=gift,
            detail={"person_id": person.pk, "needs_approval": needs},
        )
    return gift


def gift_decide(
    *, actor: Any, gift: GiftDeclaration, decision: str, note: str = "", on: dt.date | None = None
) -> GiftDeclaration:
    """The manager decides: keep, refuse (return) or hand in to the organisation."""
    if decision not in (GiftDecision.KEEP, GiftDecision.REFUSE, GiftDecision.HAND_IN):
        raise ValidationError({"decision": _("Kies een besluit.")})
    _not_own(actor, gift.person)
    with transaction.atomic():
        previous = gift.decision
        gift.decision = decision
        gift.decision_note = note.strip() or None
        gift.decided_by = actor if getattr(actor, "pk", None) else None
        gift.decided_on = on or _today()
        gift.save()
        audit.record(
            actor,
            "registers.gift.decide",
            organisation=gift.organisation_id,
            obj=gift,
            detail={"from": previous, "to": decision},
        )
    return gift


# --- 6. vulnerable positions ---------------------------------------------------------------------


def vulnerable_position_save(
    *,
    actor: Any,
    organisation: Any,
    position: str,
    risk: str,
    measures: Iterable[str],
    assessed_on: dt.date,
    unit: Any = None,
    other_measure: str = "",
    review_on: dt.date | None = None,
    instance: VulnerablePosition | None = None,
    sync_flags: bool = True,
) -> VulnerablePosition:
    """Add or change an entry in the inventory of vulnerable positions, then update the flags.

    The people whose position (in that unit, or anywhere when no unit is
    given) is in the inventory get ``Person.vulnerable_position`` set.
    """
    measures = list(dict.fromkeys(measures))
    bad = [m for m in measures if m not in Measure.values]
    if bad:
        raise ValidationError({"measures": _("Onbekende maatregel: %(m)s") % {"m": ", ".join(bad)}})
    if Measure.OTHER in measures and not other_measure.strip():
        raise ValidationError({"other_measure": _("Beschrijf de andere maatregel.")})
    if review_on and review_on < assessed_on:
        raise ValidationError({"review_on": _("De herbeoordeling ligt vóór de inventarisatie.")})
    _same_org(organisation, unit, "unit")
    with transaction.atomic():
        entry = instance or VulnerablePosition(organisation=organisation)
        if instance is not None:
            _same_org(organisation, instance, "instance")
        entry.unit = unit
        entry.position = position.strip()
        entry.risk = risk.strip()
        entry.measures = measures
        entry.other_measure = other_measure.strip()
        entry.assessed_on = assessed_on
        entry.review_on = review_on
        entry.full_clean()
        entry.save()
        audit.record(
            actor,
            "registers.vulnerable.update" if instance else "registers.vulnerable.create",
            organisation=organisation,
            obj=entry,
        )
        if sync_flags:
            vulnerable_flags_sync(actor=actor, organisation=organisation)
    return entry


def vulnerable_position_delete(*, actor: Any, entry: VulnerablePosition) -> None:
    """Remove an entry from the inventory and update the flags."""
    organisation = entry.organisation
    with transaction.atomic():
        audit.record(actor, "registers.vulnerable.delete", organisation=organisation, obj=entry)
        entry.delete()
        vulnerable_flags_sync(actor=actor, organisation=organisation)


def vulnerable_flags_sync(*, actor: Any, organisation: Any) -> int:
    """Set ``Person.vulnerable_position`` from the inventory; returns how many people changed.

    Writes go through the organisations app's ``person_update`` service.
    """
    from intact.organisations.models import Person

    entries = list(VulnerablePosition.objects.filter(organisation=organisation))
    anywhere = {e.position.lower() for e in entries if e.unit_id is None}
    per_unit = {(e.unit_id, e.position.lower()) for e in entries if e.unit_id is not None}
    changed = 0
    with transaction.atomic():
        for person in Person.objects.filter(organisation=organisation):
            title = (person.position or "").strip().lower()
            flag = bool(title) and (title in anywhere or (person.unit_id, title) in per_unit)
            if person.vulnerable_position != flag:
                org_services.person_update(actor=actor, person=person, vulnerable_position=flag)
                changed += 1
    return changed


# --- 7. screening -------------------------------------------------------------------------------


def screening_profile_save(
    *,
    actor: Any,
    organisation: Any,
    name: str,
    checks: Iterable[str],
    positions: Iterable[str] = (),
    rescreen_months: int | None = None,
    instance: ScreeningProfile | None = None,
) -> ScreeningProfile:
    """Add or change a screening profile: the checks a group of positions requires."""
    checks = list(dict.fromkeys(checks))
    if not checks:
        raise ValidationError({"checks": _("Kies ten minste één controle.")})
    bad = [c for c in checks if c not in CheckKind.values]
    if bad:
        raise ValidationError({"checks": _("Onbekende controle: %(c)s") % {"c": ", ".join(bad)}})
    with transaction.atomic():
        profile = instance or ScreeningProfile(organisation=organisation)
        if instance is not None:
            _same_org(organisation, instance, "instance")
        profile.name = name.strip()
        profile.checks = checks
        profile.positions = [p.strip() for p in positions if p.strip()]
        profile.rescreen_months = rescreen_months
        profile.full_clean()
        profile.save()
        audit.record(
            actor,
            "registers.screening_profile.update"
            if instance
            else "registers.screening_profile.create",
            organisation=organisation,
            obj=profile,
        )
    return profile


def screening_profiles_seed(*, actor: Any, organisation: Any) -> list[ScreeningProfile]:
    """Create the default screening profiles for the organisation's kind if it has none."""
    if ScreeningProfile.objects.filter(organisation=organisation).exists():
        return []
    return [
        screening_profile_save(
            actor=actor,
            organisation=organisation,
            name=p["name"],
            checks=p["checks"],
            rescreen_months=p.get("rescreen_months"),
        )
        for p in rules.screening_profiles_default(organisation.kind)
    ]


def screening_start(*, actor: Any, person: Any, profile: ScreeningProfile) -> list[ScreeningCheck]:
    """Open the checks of ``profile`` for ``person`` (checks already there are kept)."""
    _same_org(person.organisation_id, profile, "profile")
    created = []
    with transaction.atomic():
        for kind in profile.checks:
            check, made = ScreeningCheck.objects.get_or_create(
                person=person,
                kind=kind,
                defaults={"organisation_id": person.organisation_id, "profile": profile},
            )
            if made:
                created.append(check)
        audit.record(
            actor,
            "registers.screening.start",
            organisation=person.organisation_id,
            obj=profile,
            detail={"person_id": person.pk, "opened": len(created)},
        )
    return created


def screening_check_open(
    *, actor: Any, person: Any, kind: str, profile: ScreeningProfile | None = None
) -> ScreeningCheck:
    """Open one check for a person (or return the one already open)."""
    if kind not in CheckKind.values:
        raise ValidationError({"kind": _("Onbekende controle.")})
    with transaction.atomic():
        check, made = ScreeningCheck.objects.get_or_create(
            person=person,
            kind=kind,
            defaults={"organisation_id": person.organisation_id, "profile": profile},
        )
        if made:
            audit.record(
                actor,
                "registers.screening.open",
                organisation=person.organisation_id,
                obj=check,
                detail={"person_id": person.pk, "kind": kind},
            )
    return check


def screening_check_record(
    *,
    actor: Any,
    check: ScreeningCheck,
    status: str,
    completed_on: dt.date | None = None,
    note: str = "",
    rescreen_on: dt.date | None = None,
) -> ScreeningCheck:
    """Record the outcome of a check; the re-screening date follows from the profile unless given."""
    if status not in CheckStatus.values:
        raise ValidationError({"status": _("Kies een status.")})
    if status != CheckStatus.PENDING and completed_on is None:
        completed_on = _today()
    if completed_on and completed_on > _today():
        raise ValidationError({"completed_on": _("De datum ligt in de toekomst.")})
    with transaction.atomic():
        previous = check.status
        check.status = status
        check.completed_on = completed_on if status != CheckStatus.PENDING else None
        if (
            rescreen_on is None
            and status == CheckStatus.PASSED
            and check.profile
            and check.profile.rescreen_months
        ):
            rescreen_on = rules.add_months(completed_on, check.profile.rescreen_months)
        check.rescreen_on = rescreen_on if status == CheckStatus.PASSED else None
        if note.strip():
            check.note = note.strip()
        check.save()
        audit.record(
            actor,
            "registers.screening.record",
            organisation=check.organisation_id,
            obj=check,
            detail={"from": previous, "to": status, "kind": check.kind},
        )
    return check
