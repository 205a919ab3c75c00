"""Demo data for the policy app: a multi-year integrity plan (adopted, with a new draft),
annual plans with measures for last year and this year (central and one unit's work
plan), action points taken from last year's report, a self-assessment against the
baseline norms (or the Partos code for an NGO) and inquiry rounds.

Fictional, shaped after the seeds: the VNG plan format, the Zuid-Holland report's
action points (half-yearly inquiry, follow-up of the staff survey, "hufter"
behaviour, a clearer reporting procedure, a workshop beside the dilemma game).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from intact.organisations.models import Membership, Organisation, Person, Role
from intact.policy import services
from intact.policy.models import (
    ActionPoint,
    AnnualPlan,
    Assessment,
    Framework,
    InquiryMatter,
    InquiryRequest,
    InquiryRound,
    IntegrityPlan,
    Measure,
    PlanVersion,
    ProgressEntry,
    RequirementAssessment,
    Responsibility,
    VersionStatus,
)

SECTIONS = {
    "mission": (
        "Inwoners, partners en collega's moeten erop kunnen vertrouwen dat wij ons werk zorgvuldig, "
        "onafhankelijk en eerlijk doen. Integriteit is geen apart onderwerp maar een manier van werken.\n\n"
        "Doel voor deze periode: iedereen kent de gedragscode en weet waar hij of zij terecht kan; leidinggevenden "
        "bespreken dilemma's in hun team; elke melding wordt zorgvuldig behandeld en we leggen er jaarlijks openbaar "
        "verantwoording over af. De directie draagt dit plan uit en bespreekt de voortgang elk kwartaal."
    ),
    "values": (
        "Onze kernwaarden zijn betrouwbaar, open, zorgvuldig en respectvol. De gedragscode vertaalt ze naar "
        "concrete afspraken over nevenwerkzaamheden, geschenken, vertrouwelijke informatie en omgangsvormen.\n\n"
        "In de zelfevaluatie toetsen we jaarlijks of we voldoen aan de basisnormen integriteit en de Ambtenarenwet; "
        "de stand van zaken staat in Intact."
    ),
    "structure": (
        "De integriteitscoördinator zit bij Bestuursondersteuning en rapporteert aan de secretaris-directeur. "
        "Kwetsbare functies zijn per afdeling geïnventariseerd, met maatregelen zoals het vier-ogenprincipe.\n\n"
        "Maatregelen: twaalf keer per jaar het dilemmaspel, risicoanalyses in drie afdelingen, twee keer per jaar "
        "een uitvraag bij leidinggevenden, vertrouwenspersonen en HR-adviseurs, en een workshop integriteit naast het dilemmaspel."
    ),
    "incidents": (
        "Vermoedens van misstanden, integriteitsschendingen en ongewenst gedrag kunnen worden gemeld bij de "
        "leidinggevende, de vertrouwenspersoon, de coördinator of anoniem via het meldpunt. De meldprocedure en de "
        "escalatieladder staan in Intact.\n\nOnderzoek gebeurt door de coördinator of een extern bureau; het bevoegd "
        "gezag besluit over maatregelen. Het jaarverslag geeft een geanonimiseerd overzicht van aard en omvang."
    ),
    "roles": (
        "Centraal: portefeuillehouder, integriteitscoördinator, vertrouwenspersonen. Decentraal: leidinggevenden, "
        "die integriteit bespreken in werkoverleg en jaargesprekken. P&O zorgt voor eed of belofte en screening; "
        "Juridische Zaken adviseert bij onderzoek; Communicatie maakt de gedragscode en de meldroutes bekend."
    ),
    "monitoring": (
        "Wat: de maatregelen van het jaarplan (output) en het vertrouwen en de meldingsbereidheid uit het "
        "medewerkersonderzoek (outcome). Hoe: Intact telt wat het kan zelf; de rest houden eigenaren bij. "
        "Wie: de coördinator, aan de directie en de ondernemingsraad. Hoe vaak: per kwartaal en in het jaarverslag."
    ),
    "resources": (
        "Budget: € 42.000 per jaar voor training, externe vertrouwenspersoon en onderzoek. Capaciteit: 1,2 fte "
        "coördinator en 0,4 fte voor de interne vertrouwenspersonen. Tijdlijn en indicatoren staan per maatregel in het jaarplan."
    ),
}


def _flatten(people: Any) -> list[Any]:
    if people is None:
        return []
    if isinstance(people, dict):
        return [p for group in people.values() for p in _flatten(group)]
    return list(people) if isinstance(people, Iterable) else []


def _user_with(organisation: Organisation, role: str) -> Any:
    m = (
        Membership.objects.filter(organisation=organisation, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return m.user if m else None


def _person_of(organisation: Organisation, user: Any) -> Person | None:
    return Person.objects.filter(organisation=organisation, user=user).first() if user else None


def demo_load(organisation: Organisation, people: Iterable[Any] | dict | None = None) -> None:
    """Fill the policy app of ``organisation`` with fictional data (idempotent: nothing when a plan exists)."""
    if IntegrityPlan.objects.filter(organisation=organisation).exists():
        return
    services.frameworks_ensure_builtin()
    today = timezone.localdate()
    last_year, this_year = today.year - 1, today.year
    coordinator = _user_with(organisation, Role.COORDINATOR)
    authority = _user_with(organisation, Role.COMPETENT_AUTHORITY)
    counsellor = _user_with(organisation, Role.COUNSELLOR)
    manager = _user_with(organisation, Role.MANAGER)
    ngo = organisation.kind == "ngo"
    persons = [
        p for p in _flatten(people) if getattr(p, "organisation_id", None) == organisation.pk
    ]
    units = sorted({p.unit for p in persons if getattr(p, "unit", None)}, key=lambda u: u.name)

    # --- the integrity plan: v1 adopted at the start of last year, v2 a draft ---------------------
    plan = IntegrityPlan.objects.create(
        organisation=organisation, title=f"Integriteitsplan {last_year}–{last_year + 3}"
    )
    body = "Raad van bestuur" if ngo else "College van Gedeputeerde Staten"
    v1 = PlanVersion.objects.create(
        plan=plan,
        number=1,
        status=VersionStatus.ADOPTED,
        author="Integriteitscoördinator",
        adopting_body=body,
        term_start=dt.date(last_year, 1, 1),
        term_end=dt.date(last_year + 3, 12, 31),
        sections=dict(SECTIONS),
        adopted_on=dt.date(last_year, 1, 21),
        adopted_by=authority,
        created_by=coordinator,
    )
    draft = dict(SECTIONS)
    draft["structure"] += (
        "\n\nNieuw in deze versie: de uitvraag gaat van één naar twee keer per jaar, en de uitkomsten van het "
        "medewerkersonderzoek krijgen een vaste plek in de werkplannen van de afdelingen."
    )
    PlanVersion.objects.create(
        plan=plan,
        number=2,
        author=v1.author,
        adopting_body=body,
        term_start=v1.term_start,
        term_end=v1.term_end,
        sections=draft,
        created_by=coordinator,
    )

    # --- annual plans and measures -----------------------------------------------------------------
    coordinator_person = _person_of(organisation, coordinator)
    counsellor_person = _person_of(organisation, counsellor)
    manager_person = _person_of(organisation, manager)

    def measures(annual: AnnualPlan, specs: list[dict[str, Any]]) -> list[Measure]:
        made = []
        for order, spec in enumerate(specs):
            people_ = spec.pop("people", [])
            progress = spec.pop("progress", [])
            m = Measure.objects.create(
                annual_plan=annual,
                order=order,
                start_on=spec.pop("start_on", dt.date(annual.year, 1, 1)),
                end_on=spec.pop("end_on", dt.date(annual.year, 12, 31)),
                **spec,
            )
            for role, person in people_:
                if person is not None:
                    Responsibility.objects.get_or_create(measure=m, role=role, person=person)
            for on, value, note in progress:
                if on <= today:
                    ProgressEntry.objects.create(
                        measure=m, on=on, value=Decimal(value), note=note, created_by=coordinator
                    )
            made.append(m)
        return made

    def year_specs(year: int) -> list[dict[str, Any]]:
        return [
            dict(
                title="Dilemmaspel in teams en voor nieuwe medewerkers",
                section="structure",
                target_value=12,
                target_unit="sessies",
                owner_role="coordinator",
                budget=Decimal("6000"),
                fte=Decimal("0.2"),
                indicator="activities:dilemma_game",
                people=[("coordinator", coordinator_person)],
            ),
            dict(
                title="Medewerkers bereikt met een integriteitsactiviteit",
                section="structure",
                target_value=200,
                target_unit="deelnemers",
                owner_role="coordinator",
                indicator="activities:participants",
            ),
            dict(
                title="Gedragscode bevestigd door iedereen",
                section="values",
                target_value=95,
                target_unit="%",
                is_percentage=True,
                owner_role="hr",
                indicator="code:acknowledged_pct",
                people=[("hr", manager_person)],
            ),
            dict(
                title="Risicoanalyse kwetsbare functies",
                section="structure",
                target_value=3,
                target_unit="afdelingen",
                owner_role="management",
                budget=Decimal("4000"),
                indicator="risk_analyses:units",
                people=[("management", manager_person), ("coordinator", coordinator_person)],
            ),
            dict(
                title="Moreel beraad",
                section="structure",
                target_value=6,
                target_unit="sessies",
                owner_role="counsellors",
                indicator="activities:moral_deliberation",
                people=[("counsellors", counsellor_person)],
            ),
            dict(
                title="Jaarverslag integriteit gepubliceerd vóór 1 mei",
                section="monitoring",
                target_value=1,
                target_unit="jaarverslag",
                owner_role="communication",
                end_on=dt.date(year, 4, 30),
                progress=[(dt.date(year, 4, 24), "1", "Gepubliceerd op de website.")],
            ),
        ]

    central_last = AnnualPlan.objects.create(
        organisation=organisation,
        plan=plan,
        year=last_year,
        title=f"Jaarplan integriteit {last_year}",
    )
    measures(central_last, year_specs(last_year))
    central = AnnualPlan.objects.create(
        organisation=organisation,
        plan=plan,
        year=this_year,
        title=f"Jaarplan integriteit {this_year}",
    )
    this_specs = year_specs(this_year) + [
        dict(
            title="Uitvraag integriteitszaken twee keer per jaar",
            section="monitoring",
            target_value=2,
            target_unit="rondes",
            owner_role="coordinator",
            indicator="inquiry:rounds",
            people=[("coordinator", coordinator_person)],
        ),
        dict(
            title="Workshop integriteit ontwikkelen naast het dilemmaspel",
            section="structure",
            target_value=1,
            target_unit="workshop",
            owner_role="hr",
            budget=Decimal("8000"),
            fte=Decimal("0.1"),
            start_on=dt.date(this_year, 2, 1),
            end_on=dt.date(this_year, 10, 31),
            progress=[
                (dt.date(this_year, 5, 15), "0.5", "Opzet besproken met de ondernemingsraad.")
            ],
            people=[("hr", manager_person), ("works_council", None)],
        ),
    ]
    made = measures(central, this_specs)
    if units:
        unit = units[0]
        work = AnnualPlan.objects.create(
            organisation=organisation,
            plan=plan,
            year=this_year,
            unit=unit,
            parent=central,
            title=f"Werkplan integriteit {this_year} – {unit.name}",
        )
        measures(
            work,
            [
                dict(
                    title="Integriteit als vast agendapunt in het werkoverleg",
                    target_value=10,
                    target_unit="overleggen",
                    owner_role="management",
                    progress=[(dt.date(this_year, 6, 30), "4", "Eerste halfjaar.")],
                    people=[("management", manager_person)],
                ),
                dict(
                    title="Uitkomsten medewerkersonderzoek besproken in het team",
                    target_value=1,
                    target_unit="bespreking",
                    owner_role="management",
                    end_on=dt.date(this_year, 6, 30),
                ),
            ],
        )

    # --- action points from last year's report -----------------------------------------------------
    report = f"Jaarverslag integriteit {last_year}"
    inquiry_point = ActionPoint.objects.create(
        organisation=organisation,
        title="Vaker uitvragen: iedere zes maanden in plaats van jaarlijks",
        source="annual_report",
        source_label=report,
        year=last_year,
        owner_role="coordinator",
        owner=coordinator_person,
        due_on=dt.date(this_year, 1, 31),
        status="carried_over",
        closed_on=dt.date(this_year, 1, 10),
        reason=f"Overgenomen in Jaarplan integriteit {this_year}.",
    )
    workshop_point = ActionPoint.objects.create(
        organisation=organisation,
        title="Workshop integriteit ontwikkelen naast het dilemmaspel",
        source="annual_report",
        source_label=report,
        year=last_year,
        owner_role="hr",
        due_on=dt.date(this_year, 10, 31),
        status="carried_over",
        closed_on=dt.date(this_year, 1, 10),
        reason=f"Overgenomen in Jaarplan integriteit {this_year}.",
    )
    for m in made:
        if m.indicator == "inquiry:rounds":
            m.action_point = inquiry_point
            m.save(update_fields=["action_point"])
        if m.title.startswith("Workshop"):
            m.action_point = workshop_point
            m.save(update_fields=["action_point"])
    ActionPoint.objects.create(
        organisation=organisation,
        title="Uitkomsten medewerkersonderzoek volgen in de afdelingsjaarplannen en over alle voortgang rapporteren, niet alleen over afwijkingen",
        source="evaluation",
        source_label=f"Halfjaarrapportage {last_year}",
        year=last_year,
        owner_role="management",
        due_on=dt.date(last_year, 12, 31),
    )
    ActionPoint.objects.create(
        organisation=organisation,
        title="Aanpak van onbehoorlijk gedrag van collega's en externen aan de balie",
        source="annual_report",
        source_label=report,
        year=this_year,
        owner_role="hr",
        due_on=dt.date(this_year, 12, 31),
        status="in_progress",
    )
    ActionPoint.objects.create(
        organisation=organisation,
        title="Meldprocedure en escalatieladder eenduidig beschrijven",
        source="annual_report",
        source_label=report,
        year=this_year,
        owner_role="legal",
        due_on=dt.date(this_year, 6, 30),
        status="done",
        closed_on=dt.date(this_year, 5, 20),
    )

    # --- self-assessment ---------------------------------------------------------------------------
    code = "partos-2019" if ngo else "basisnormen"
    framework = (
        Framework.objects.filter(organisation__isnull=True, code=code).order_by("-version").first()
    )
    if framework is not None:
        assessment = Assessment.objects.create(
            organisation=organisation,
            framework=framework,
            name=f"Zelfevaluatie {framework.name} {this_year}",
            started_on=dt.date(this_year, 3, 1),
            created_by=coordinator,
        )
        for i, requirement in enumerate(
            framework.requirements.filter(assessable=True).order_by("order")
        ):
            item = RequirementAssessment(assessment=assessment, requirement=requirement)
            services._propose(item, organisation)
            if i % 4 != 3:  # three in four assessed; the rest still open
                item.status = item.proposed_status or ("partly" if i % 3 else "met")
                item.evidence = item.proposed_reason or "Zie het integriteitsplan, hoofdstuk 3."
                item.owner = coordinator_person
                item.next_review = dt.date(this_year + 1, 3, 1)
                item.assessed_by = coordinator
                item.assessed_at = timezone.now()
            item.save()

    # --- periodic inquiry: last half-year's round, partly answered ---------------------------------
    settings_ = services.inquiry_settings(organisation)
    _n, start, _e = services._period_of(organisation, today, settings_.rounds_per_year)
    _n, p_start, p_end = services._period_of(
        organisation, start - dt.timedelta(days=1), settings_.rounds_per_year
    )
    _n, q_start, q_end = services._period_of(
        organisation, p_start - dt.timedelta(days=1), settings_.rounds_per_year
    )
    addressees = services._addressees(organisation, settings_)
    for s, e, closed in ((q_start, q_end, True), (p_start, p_end, False)):
        opened = min(e + dt.timedelta(days=3), today)
        round_ = InquiryRound.objects.create(
            organisation=organisation,
            year=s.year,
            number=InquiryRound.objects.filter(organisation=organisation, year=s.year).count() + 1,
            period_start=s,
            period_end=e,
            opened_on=opened,
            due_on=opened + dt.timedelta(days=settings_.answer_days),
            closed_on=(opened + dt.timedelta(days=settings_.answer_days + 7)) if closed else None,
            created_by=coordinator,
        )
        for index, (user, role, unit) in enumerate(addressees.values()):
            # In the open round the demo manager has not answered yet (the start page shows it).
            answered = closed or (index % 3 != 0 and user != manager)
            req = InquiryRequest.objects.create(
                round=round_,
                user=user,
                role=role,
                unit=unit,
                answered_at=timezone.now() if answered else None,
                nothing_to_report=answered and index % 4 != 1,
                reminders_sent=0 if answered else 1,
            )
            if answered and index % 4 == 1:
                InquiryMatter.objects.create(
                    request=req,
                    organisation=organisation,
                    category="undesirable_behaviour" if index % 2 else "business_integrity",
                    description=(
                        "Een externe bezoeker schold een medewerker aan de balie uit; de medewerker is opgevangen door het team."
                        if index % 2
                        else "Een leverancier bood een medewerker na de gunning een weekend weg aan; het aanbod is afgeslagen."
                    ),
                    already_reported=bool(index % 2),
                    handled_note="Besproken met de leidinggevende; geen zaak nodig."
                    if closed
                    else "",
                )
