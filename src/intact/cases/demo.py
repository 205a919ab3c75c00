"""Demo data for cases: realistic, fictional cases for last year and this year.

Everything goes through the services, so teams, declarations, triage
actions, hearings, the timeline and the audit log are real. Dates of
received cases lie in the past; closing dates are moved back afterwards
(plain fields only) so the overview looks like a year of work. Cases are
opened for the reports the reporting demo took into handling, and old
matters (last year's periodic inquiry) are registered by hand after the
table of investigated reports in the Zuid-Holland report. Idempotent: an
organisation that has cases is left alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from intact.cases import retention, selectors, services
from intact.cases.models import Case, CaseEvent, MeasureType, TriageAction
from intact.organisations.models import Organisation, Person, Role

# (month of last year, report type, category codes, commissioning authority, description, object, triage,
#  conclusion, measure code, public summary (description, object, findings, consequence))
_GOV = [
    (
        2,
        "business_integrity",
        ["information"],
        "Directeur",
        "Een medewerker zou zonder aanleiding een gevoelig personeelsdossier hebben ingezien.",
        "Ongeautoriseerde inzage in gevoelig digitaal dossier.",
        {"nature": "serious_misconduct"},
        "unfounded",
        None,
        (
            "Mogelijk niet-geautoriseerde inzage in een gevoelig dossier.",
            "Ongeautoriseerde inzage in gevoelig digitaal dossier.",
            "Na intern onderzoek en hoor en wederhoor is niet gebleken dat bewust is gezocht naar informatie; de inzage hoorde bij de functie.",
            "Op basis van de bevindingen geen gevolgen.",
        ),
    ),
    (
        5,
        "business_integrity",
        ["conflict_of_interest"],
        "Bureauhoofd",
        "Een vertrekregeling zou een draaideurconstructie mogelijk maken met een bedrijf waarmee de afdeling zaken doet.",
        "Maatwerk vertrekregeling.",
        {"nature": "serious_misconduct", "reputational_risk": True},
        "founded",
        "process_change",
        (
            "Mogelijke schending van de gedragscode: draaideurconstructie.",
            "Maatwerk vertrekregeling.",
            "De voorgestelde regeling bleek in strijd met de gedragscode.",
            "De vertrekregeling is niet uitgevoerd.",
        ),
    ),
    (
        8,
        "undesirable_behaviour",
        ["aggression"],
        "Bureauhoofd",
        "Een medewerker zou zich verbaal agressief hebben gedragen tegenover een externe relatie.",
        "Ervaren verbaal agressief gedrag.",
        {"nature": "norm_breach", "harm": "limited"},
        "founded",
        "written_warning",
        (
            "Mogelijke schending van sociale integriteit (verbale agressie) naar een externe relatie.",
            "Ervaren verbaal agressief gedrag.",
            "Onderzoek op basis van hoor en wederhoor; de medewerker heeft het gedrag schriftelijk erkend.",
            "Schriftelijke waarschuwing; de medewerker heeft spijt betoond.",
        ),
    ),
    (
        11,
        "undesirable_behaviour",
        ["bullying", "discrimination"],
        "Bureauhoofd",
        "Binnen een team zou sprake zijn van pesten en discriminerende opmerkingen.",
        "Ervaren pest- en discriminerend gedrag.",
        {"nature": "serious_misconduct", "repetition": True, "harm": "limited"},
        "founded",
        "team_development",
        (
            "Mogelijke schending van sociale integriteit (pesten en discriminatie) binnen een team.",
            "Ervaren pest- en discriminerend gedrag.",
            "Onderzoek met een externe coach: binnen het team heerst een duidelijk gevoel van onveiligheid.",
            "Teamontwikkelingstraject ingezet; notitie in de dossiers van betrokkenen.",
        ),
    ),
]
_NGO = [
    (
        3,
        "business_integrity",
        ["misuse_of_funds"],
        "Directeur",
        "In een landenkantoor zouden uitgaven uit een subsidie van het ministerie dubbel zijn gedeclareerd.",
        "Declaraties landenkantoor, subsidie BZ.",
        {"nature": "fraud_corruption", "amount": "medium", "ministry_grant": True},
        "founded",
        "summary_dismissal",
        (
            "Vermoeden van fraude met subsidiegeld in een landenkantoor.",
            "Declaraties van het landenkantoor.",
            "Dubbele declaraties vastgesteld; het ministerie is binnen 24 uur geïnformeerd en het bedrag is terugbetaald.",
            "Ontslag op staande voet; extra controle op declaraties.",
        ),
    ),
    (
        9,
        "undesirable_behaviour",
        ["seah"],
        "Directeur",
        "Een vrijwilliger zou een begunstigde in een project seksueel hebben benaderd.",
        "Gedrag vrijwilliger in project.",
        {"nature": "sexual_misconduct", "vulnerable": True},
        "founded",
        "end_volunteer_agreement",
        (
            "Seksueel grensoverschrijdend gedrag tegenover een begunstigde.",
            "Gedrag van een vrijwilliger in een project.",
            "Het gedrag is vastgesteld; het slachtoffer kreeg zorg en begeleiding.",
            "Vrijwilligersovereenkomst beëindigd; melding aan CBF en donor.",
        ),
    ),
]


def _last_year(month: int) -> dt.date:
    return dt.date(timezone.localdate().year - 1, month, 5)


def _past(day: dt.date) -> dt.date:
    return min(day, timezone.localdate())


def _invite_investigator(case: Case, coordinator: Any) -> None:
    """Put the demo investigator on ``case``'s team (declared, so active), when there is one."""
    from django.contrib.auth import get_user_model

    from intact.cases.models import TeamRole
    from intact.core.demo import demo_username

    investigator = get_user_model().objects.filter(
        username=demo_username(Role.INVESTIGATOR, case.organisation.slug)
    ).first()
    if investigator is None or investigator == coordinator:
        return
    try:
        services.team_invite(case=case, user=coordinator, member=investigator, role=TeamRole.INVESTIGATOR)
    except (services.CaseActionRefused, services.CaseInvalid):
        return  # e.g. the investigator is implicated: then they stay off this case
    services.team_declare(case=case, user=investigator, has_conflict=False)


def _login(organisation: Organisation, role: str) -> Any:
    from intact.core.demo import demo_login

    return demo_login(organisation, role)


def _work_through(
    case: Case,
    coordinator: Any,
    *,
    triage_answers: dict[str, Any],
    conclusion: str,
    measure_code: str | None,
    summary: tuple[str, str, str, str] | None,
    close: bool,
) -> Case:
    """Triage, decide, hear both sides, conclude, add measures and care, and (optionally) close."""
    org = case.organisation
    start = case.received_on
    services.triage_record(
        case=case,
        user=coordinator,
        answers=triage_answers,
        motivation="Ingeschat met het triage-instrument; zie de kenmerken.",
    )
    for action in case.actions.filter(status="open"):
        kind = {
            "inform_ministry": "ministry",
            "inform_donor": "donor",
            "inform_cbf": "cbf",
            "police_report": "police_report",
            "inform_supervisory_board": "supervisory_board",
        }.get(action.key)
        if kind:
            services.notification_add(
                case=case, user=coordinator, kind=kind, sent_on=_past(start + dt.timedelta(days=1))
            )
        else:
            services.triage_action_complete(action=action, user=coordinator, note="Gedaan.")
    services.case_transition(case=case, user=coordinator, target="triaged")
    services.decision_record(
        case=case,
        user=coordinator,
        decision="investigate",
        motivation="Het vermoeden rust op redelijke gronden.",
    )
    services.assignment_set(
        case=case,
        user=coordinator,
        assignment="audit_unit",
        assignee_label="Eenheid Audit en Advies",
        plan="Dossieronderzoek en gesprekken met alle partijen.",
    )
    if case.report_type == "wrongdoing":
        services.case_transition(
            case=case, user=_login(org, Role.COMPETENT_AUTHORITY), target="investigating"
        )
    else:
        services.case_transition(case=case, user=coordinator, target="investigating")
    if not case.parties.filter(role="accused").exists():
        services.party_add(case=case, user=coordinator, role="accused", name="Betrokken medewerker")
    if not case.parties.exclude(role="accused").exists():
        services.party_add(case=case, user=coordinator, role="witness", name="Collega uit het team")
    for party in case.parties.all():
        hearing = services.hearing_record(
            case=case,
            user=coordinator,
            party=party,
            held_on=_past(start + dt.timedelta(days=20)),
            record="Verslag van het gesprek, door de gehoorde ontvangen.",
        )
        if party.role == "accused":
            services.hearing_response_record(
                hearing=hearing,
                user=coordinator,
                response="Ik heb het verslag gelezen en vul het op twee punten aan.",
            )
        else:
            services.hearing_response_record(hearing=hearing, user=coordinator, waived=True)
    services.findings_record(
        case=case,
        user=coordinator,
        findings="De feiten zijn in hoor en wederhoor vastgesteld.",
        conclusion=conclusion,
    )
    if not close:
        return case
    services.case_transition(case=case, user=coordinator, target="concluded")
    if measure_code:
        measure_type = MeasureType.objects.filter(organisation=org, code=measure_code).first()
        if measure_type is not None:
            services.measure_add(
                case=case,
                user=coordinator,
                measure_type=measure_type,
                decided_on=_past(start + dt.timedelta(days=50)),
            )
    if triage_answers.get("vulnerable") or triage_answers.get("nature") == "sexual_misconduct":
        victim = services.party_add(
            case=case, user=coordinator, role="victim", name="Begunstigde (pseudoniem)"
        )
        care = services.care_measure_add(
            case=case,
            user=coordinator,
            party=victim,
            description="Psychosociale begeleiding via een lokale partner.",
        )
        services.care_measure_complete(item=care, user=coordinator)
    if summary:
        services.summary_update(
            case=case,
            user=coordinator,
            description=summary[0],
            object_of_investigation=summary[1],
            findings=summary[2],
            consequence=summary[3],
            reviewed=True,
        )
    services.reporter_feedback_send(
        case=case,
        user=coordinator,
        body="Uw melding is onderzocht en afgehandeld. Dank voor uw melding.",
    )
    case = services.case_transition(case=case, user=coordinator, target="closed")
    closed_on = _past(start + dt.timedelta(days=60))
    closed_at = timezone.make_aware(dt.datetime.combine(closed_on, dt.time(15, 0)))
    Case.objects.filter(pk=case.pk).update(
        closed_at=closed_at, retention_due=retention.due_date(case, closed_on)
    )
    CaseEvent.objects.filter(case=case, kind="transition", detail__target="closed").update(
        at=closed_at
    )
    return case


def demo_load(organisation: Organisation, people: list[Person]) -> None:
    """Create the demo cases of one demo organisation (idempotent)."""
    if Case.objects.filter(organisation=organisation).exists():
        return
    services.categories_ensure_defaults(organisation)
    services.measure_types_ensure_defaults(organisation)
    coordinator = _login(organisation, Role.COORDINATOR)
    categories = {c.code: c for c in selectors.categories_for(organisation)}
    staff = [p for p in people[8:40] if p.user_id is None]

    # Matters from last year's periodic inquiry, registered by hand.
    for i, (
        month,
        report_type,
        cats,
        authority,
        description,
        obj,
        answers,
        conclusion,
        measure,
        summary,
    ) in enumerate(_NGO if organisation.kind == "ngo" else _GOV):
        accused = staff[i] if i < len(staff) else None
        case = services.case_register(
            organisation=organisation,
            user=coordinator,
            origin="periodic_inquiry",
            report_type=report_type,
            received_on=_last_year(month),
            channel="in_person",
            unit=accused.unit if accused else None,
            commissioning_authority=authority,
            description=description,
            object_of_investigation=obj,
            categories=[categories[c] for c in cats if c in categories],
            parties=[{"role": "accused", "person": accused}] if accused else [],
        )
        services.team_declare(case=case, user=coordinator, has_conflict=False)
        _work_through(
            case,
            coordinator,
            triage_answers=answers,
            conclusion=conclusion,
            measure_code=measure,
            summary=summary,
            close=True,
        )

    # Cases for the reports the reporting demo took into handling (this year and last).
    from intact.reporting import selectors as reporting_selectors

    seen: set[int] = set()
    opened: list[tuple[Any, Any]] = []
    for role in (Role.COORDINATOR, Role.COMPETENT_AUTHORITY, Role.MANAGER, Role.COUNSELLOR):
        user = _login(organisation, role)
        for report in (
            reporting_selectors.report_list_for(user=user, organisation=organisation)
            .filter(status="case_opened", case__isnull=True)
            .order_by("received_at")
        ):
            if report.pk not in seen:
                seen.add(report.pk)
                opened.append((report, user))
    for index, (report, opener) in enumerate(opened):
        case = services.case_open(report=report, user=opener)
        services.team_declare(case=case, user=opener, has_conflict=False)
        if opener != coordinator:
            services.team_invite(case=case, user=opener, member=coordinator)
            services.team_declare(case=case, user=coordinator, has_conflict=False)
        first = next(iter(categories.values()))
        code = "financial" if "financial" in categories else "fraud"
        services.case_update(case=case, user=coordinator, categories=[categories.get(code, first)])
        if index % 2 == 0:
            _work_through(
                case,
                coordinator,
                triage_answers={"nature": "fraud_corruption", "amount": "small"},
                conclusion="undetermined",
                measure_code=None,
                summary=None,
                close=False,
            )
            if index == 0:
                # The investigator's start page shows a case of their own.
                _invite_investigator(case, coordinator)
        else:
            services.triage_record(
                case=case,
                user=coordinator,
                answers={"nature": "serious_misconduct", "reporter_risk": True},
                motivation="Risico van benadeling van de melder; eerst bescherming regelen.",
            )
            # Shows an overdue action on the start page: the protection was due yesterday.
            TriageAction.objects.filter(case=case, key="protect_reporter_victims").update(
                due_at=timezone.now() - dt.timedelta(days=1)
            )

    # One fresh case this year, still to be triaged.
    services.case_register(
        organisation=organisation,
        user=coordinator,
        origin="before_intact",
        report_type="business_integrity",
        received_on=_past(timezone.localdate().replace(month=1, day=10)),
        channel="letter",
        description="Oude zaak uit het archief van vóór Intact, opgenomen voor de volledigheid.",
        commissioning_authority="Directeur",
    )
