"""Demo data for the registers (called by ``intact demo`` through ``demo_load``).

Realistic, fictional entries for the last full year and the current one:
two versions of the code of conduct with most people's acknowledgements,
oaths and declarations in monthly ceremonies (a few overdue), outside
activities (senior staff's published), gifts around the holidays, financial
declarations for designated positions, the inventory of vulnerable positions
and screening. Everything goes through the services, so the audit log and
the counts are exactly as in real use. Running it twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from intact.organisations.models import Membership
from intact.registers import rules, services
from intact.registers.models import CodeVersion, CommitmentRule, Measure, ScreeningProfile

CODE_TEXT = """1. Wij handelen integer, in het belang van de samenleving en van de mensen voor wie wij werken.
2. Wij gaan zorgvuldig om met geld, middelen en informatie van de organisatie.
3. Wij melden nevenwerkzaamheden, financiële belangen, geschenken en uitnodigingen.
4. Wij gaan respectvol met elkaar om; ongewenst gedrag accepteren wij niet.
5. Wie iets ziet dat niet klopt, bespreekt het of meldt het — ook anoniem."""

ACTIVITIES = [
    ("Penningmeester", "Voetbalvereniging", False),
    ("Bestuurslid", "Stichting buurthuis", False),
    ("Docent (gastcolleges)", "Hogeschool", True),
    ("Lid raad van toezicht", "Woningcorporatie", True),
    ("Vrijwilliger", "Voedselbank", False),
    ("Zelfstandig fotograaf", "Particulieren en bedrijven", True),
    ("Voorzitter", "Muziekvereniging", False),
    ("Adviseur", "Adviesbureau in de bouw", True),
]
GIVERS = [
    ("Ingenieursbureau Noord", "Kerstpakket"),
    ("Aannemer Wegenbouw BV", "Afronding project"),
    ("Gemeente Demodorp", "Afscheid collega"),
    ("Adviesbureau Stad & Land", "Nieuwjaarsreceptie"),
    ("Leverancier kantoorartikelen", "Relatiegeschenk"),
    ("Vervoersbedrijf Regio", "Uitnodiging congres"),
]


def _today() -> dt.date:
    return timezone.localdate()


def _on_or_before(day: dt.date, limit: dt.date) -> dt.date:
    return min(day, limit)


def demo_load(organisation: Any, people: list[Any]) -> None:
    """Fill the registers of a demo organisation; does nothing when they are filled already."""
    if CodeVersion.objects.filter(organisation=organisation).exists():
        return
    rng = random.Random(f"registers-{organisation.slug}")  # noqa: S311 - demo data
    today = _today()
    last_year = today.year - 1
    current = rules.settings_for(organisation)
    active = [p for p in people if p.end_date is None or p.end_date >= today]
    login_people = [p for p in people if p.user_id]
    demo_employee = next(
        (
            p
            for p in login_people
            if Membership.objects.filter(organisation=organisation, user_id=p.user_id).count() == 1
        ),
        None,
    )

    with transaction.atomic():
        # --- code of conduct: last year's version and this year's --------------------------
        v1 = services.code_version_create(
            actor="demo",
            organisation=organisation,
            title="Gedragscode",
            version=f"{last_year}.1",
            adopted_on=dt.date(last_year, 1, 15),
            text=CODE_TEXT,
        )
        v2_date = _on_or_before(dt.date(today.year, 3, 1), today)
        v2 = services.code_version_create(
            actor="demo",
            organisation=organisation,
            title="Gedragscode",
            version=f"{today.year}.1",
            adopted_on=v2_date,
            text=CODE_TEXT
            + "\n6. Wij gaan zorgvuldig om met sociale media en met AI-hulpmiddelen.",
        )
        for p in people:
            if p.start_date <= dt.date(last_year, 12, 31) and rng.random() < 0.9:
                day = max(v1.adopted_on, p.start_date) + dt.timedelta(days=rng.randint(3, 60))
                if day <= dt.date(last_year, 12, 31):
                    services.code_acknowledge(actor="demo", person=p, version=v1, on=day)
            if p in active and p != demo_employee and rng.random() < 0.78:
                day = _on_or_before(
                    max(v2.adopted_on, p.start_date) + dt.timedelta(days=rng.randint(2, 90)), today
                )
                services.code_acknowledge(actor="demo", person=p, version=v2, on=day)

        # --- oath, affirmation, integrity declaration ------------------------------------
        for p in people:
            required = rules.commitment_required(current, p)
            if required == CommitmentRule.NONE:
                continue
            recent = p.start_date.year >= last_year
            if recent and p != demo_employee and rng.random() < 0.12:
                continue  # some newcomers are still due or overdue
            if p == demo_employee and recent:
                continue
            # Ceremonies are held monthly, on the first Tuesday after the start.
            day = p.start_date + dt.timedelta(days=rng.randint(20, 55))
            day += dt.timedelta(days=(1 - day.weekday()) % 7)
            if day > today:
                continue
            form = (
                "declaration"
                if required == CommitmentRule.DECLARATION
                else rng.choice(["oath", "oath", "affirmation"])
            )
            services.commitment_register(
                actor="demo",
                person=p,
                form=form,
                taken_on=day,
                sworn_before="Provinciesecretaris"
                if organisation.kind == "government"
                else "Algemeen directeur",
                witness="Direct leidinggevende",
                ceremony=f"Bijeenkomst {day:%B %Y}" if recent else "",
            )

        # --- outside activities -------------------------------------------------------------
        candidates = [p for p in active if p.contract_type == "employee"]
        senior = [p for p in candidates if rules.is_published_person(current, p)]
        chosen = list(
            dict.fromkeys(
                senior
                + rng.sample(candidates, k=min(len(candidates), max(6, len(candidates) // 7)))
            )
        )
        if demo_employee and demo_employee not in chosen:
            chosen.append(demo_employee)
        for index, p in enumerate(chosen):
            what, whom, paid = ACTIVITIES[index % len(ACTIVITIES)]
            declared = dt.date(
                rng.choice([last_year, today.year]), rng.randint(1, 12), rng.randint(1, 28)
            )
            declared = _on_or_before(declared, today - dt.timedelta(days=3))
            conflict = what == "Adviseur"
            activity = services.activity_declare(
                actor="demo",
                person=p,
                description=what,
                for_whom=whom,
                hours_per_month=Decimal(rng.choice([2, 4, 6, 8, 12])),
                paid=paid,
                conflict_possible=conflict,
                conflict_explanation="Het bureau doet soms opdrachten voor de organisatie."
                if conflict
                else "",
                declared_on=declared,
            )
            pending = p == demo_employee or (
                declared.year == today.year and rng.random() < 0.25 and p not in senior
            )
            if pending:
                continue
            assessed = _on_or_before(declared + dt.timedelta(days=rng.randint(3, 25)), today)
            if conflict:
                services.activity_assess(
                    actor=None,
                    activity=activity,
                    outcome="allowed_with_conditions",
                    on=assessed,
                    reasons="Raakvlak met het werk; toegestaan met voorwaarden.",
                    conditions="Geen opdrachten voor of over de eigen afdeling; buiten werktijd.",
                )
            elif rng.random() < 0.08:
                services.activity_assess(
                    actor=None,
                    activity=activity,
                    outcome="refused",
                    on=assessed,
                    reasons="Niet te verenigen met de functie.",
                )
            else:
                services.activity_assess(
                    actor=None,
                    activity=activity,
                    outcome="allowed",
                    on=assessed,
                    reasons="Geen raakvlak met de functie.",
                )
                if declared.year == last_year and rng.random() < 0.6:
                    services.activity_confirm(
                        actor="demo",
                        activity=activity,
                        on=_on_or_before(assessed + dt.timedelta(days=330), today),
                    )

        # --- gifts and invitations -----------------------------------------------------------
        for _ in range(max(10, len(active) // 8)):
            p = rng.choice(candidates)
            giver, occasion = rng.choice(GIVERS)
            kind = "invitation" if occasion.startswith("Uitnodiging") else "gift"
            year = rng.choice([last_year, today.year])
            received = _on_or_before(
                dt.date(year, rng.choice([1, 6, 11, 12]), rng.randint(1, 28)),
                today - dt.timedelta(days=1),
            )
            gift = services.gift_declare(
                actor="demo",
                person=p,
                kind=kind,
                giver=giver,
                occasion=occasion,
                estimated_value=Decimal(rng.choice([15, 25, 35, 45, 60, 75, 120, 250])),
                received_on=received,
                declared_on=received,
            )
            if gift.needs_approval and (received.year == last_year or rng.random() < 0.6):
                decision = (
                    rng.choice(["keep", "hand_in", "hand_in", "refuse"])
                    if kind == "gift"
                    else rng.choice(["keep", "refuse"])
                )
                services.gift_decide(
                    actor=None,
                    gift=gift,
                    decision=decision,
                    on=_on_or_before(received + dt.timedelta(days=5), today),
                    note="Conform de geschenkenregeling.",
                )

        # --- financial interests --------------------------------------------------------------
        keywords = ("financ", "inkop", "controller", "procurement", "concessie")
        positions = sorted(
            {
                p.position
                for p in active
                if p.position and any(k in p.position.lower() for k in keywords)
            }
        )
        for position in positions:
            services.designation_create(
                actor="demo",
                organisation=organisation,
                position=position,
                reason="Toegang tot koersgevoelige of inkoopinformatie",
                designated_on=dt.date(last_year, 1, 1),
            )
        designated = [p for p in active if p.position in positions]
        for p in designated:
            for year in (last_year, today.year):
                declared = _on_or_before(dt.date(year, 2, rng.randint(1, 28)), today)
                if p.start_date > declared:
                    continue
                kind = rng.choice(["nil", "nil", "interest", "securities"])
                decl = services.financial_declare(
                    actor="demo",
                    person=p,
                    kind=kind,
                    declared_on=declared,
                    details=""
                    if kind == "nil"
                    else rng.choice(
                        [
                            "Aandelen in een beursgenoteerd bouwbedrijf",
                            "Aankoop obligaties",
                            "Belang in familiebedrijf",
                        ]
                    ),
                )
                if year == last_year or rng.random() < 0.5:
                    status = (
                        "measures" if kind == "interest" and rng.random() < 0.3 else "no_objection"
                    )
                    services.financial_review(
                        actor=None,
                        declaration=decl,
                        status=status,
                        on=_on_or_before(declared + dt.timedelta(days=14), today),
                        note="Belang afbouwen binnen zes maanden." if status == "measures" else "",
                    )

        # --- vulnerable positions ----------------------------------------------------------------
        seen = set()
        measure_sets = [
            [Measure.FOUR_EYES, Measure.SEGREGATION],
            [Measure.ROTATION, Measure.FOUR_EYES],
            [Measure.EXTRA_SCREENING, Measure.SEGREGATION],
            [Measure.FOUR_EYES, Measure.EXTRA_SCREENING],
        ]
        for p in people:
            if not p.vulnerable_position or not p.position or (p.unit_id, p.position) in seen:
                continue
            seen.add((p.unit_id, p.position))
            services.vulnerable_position_save(
                actor="demo",
                organisation=organisation,
                unit=p.unit,
                position=p.position,
                risk="Beslist over of heeft toegang tot geld, opdrachten, vergunningen of vertrouwelijke informatie.",
                measures=rng.choice(measure_sets),
                assessed_on=dt.date(last_year, 4, 1),
                review_on=dt.date(today.year + rng.choice([0, 1]), rng.randint(1, 12), 1),
                sync_flags=False,
            )
        services.vulnerable_flags_sync(actor="demo", organisation=organisation)

        # --- screening ------------------------------------------------------------------------------
        services.screening_profiles_seed(actor="demo", organisation=organisation)
        profiles = list(ScreeningProfile.objects.filter(organisation=organisation).order_by("pk"))
        for p in active:
            if p.start_date < dt.date(last_year - 1, 1, 1) and not p.vulnerable_position:
                continue
            profile = (
                profiles[-1]
                if (p.vulnerable_position or p.contract_type == "volunteer")
                else profiles[0]
            )
            checks = services.screening_start(actor="demo", person=p, profile=profile)
            for check in checks:
                if p.start_date > today - dt.timedelta(days=45) and rng.random() < 0.5:
                    continue  # still running for the newest people
                done = _on_or_before(p.start_date - dt.timedelta(days=rng.randint(5, 30)), today)
                if p.start_date < dt.date(last_year, 1, 1):
                    done = dt.date(
                        rng.choice([last_year, today.year]), rng.randint(1, 10), rng.randint(1, 28)
                    )
                    done = _on_or_before(done, today)
                services.screening_check_record(
                    actor="demo", check=check, status="passed", completed_on=done
                )
