"""Demo data for the learning app: activities, a facilitator pool, counsellor
conversations and moral case law for the last full year and this year.

Fictional, but shaped after the Zuid-Holland 2019 report in the seeds: the
last full year has the dilemma game played 14 times (6 for new employees, 4
for departments, 4 for professional groups) reaching 233 people, 25 counsellor
conversations split 2 / 9 / 0 / 5 / 4 / 5 over the report's topics, three
network meetings and four works council consultations.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from intact.learning import services
from intact.learning.models import (
    Activity,
    ActivityType,
    Audience,
    CaseLawTag,
    ContactForm,
    ConversationTopic,
    FollowUp,
    MoralCase,
)
from intact.organisations.models import Organisation, Role
from intact.security import policy

DILEMMA_LAST_YEAR = [  # (audience, participants): 14 sessions, 233 people
    (Audience.NEW_EMPLOYEES, 18),
    (Audience.NEW_EMPLOYEES, 16),
    (Audience.NEW_EMPLOYEES, 21),
    (Audience.NEW_EMPLOYEES, 15),
    (Audience.NEW_EMPLOYEES, 19),
    (Audience.NEW_EMPLOYEES, 17),
    (Audience.DEPARTMENT, 14),
    (Audience.DEPARTMENT, 22),
    (Audience.DEPARTMENT, 12),
    (Audience.DEPARTMENT, 16),
    (Audience.PROFESSIONAL_GROUP, 13),
    (Audience.PROFESSIONAL_GROUP, 18),
    (Audience.PROFESSIONAL_GROUP, 15),
    (Audience.PROFESSIONAL_GROUP, 17),
]
CONVERSATIONS_LAST_YEAR = {  # topic code: count; rolls up to 2 / 9 / 0 / 5 / 4 / 5 = 25
    "integrity": 2,
    "bullying": 3,
    "intimidation": 2,
    "sexual_harassment": 2,
    "aggression_violence": 1,
    "undesirable_behaviour": 1,
    "work_conflict": 5,
    "unsafe": 4,
    "general_advice": 5,
}
CONVERSATIONS_THIS_YEAR = {
    "integrity": 3,
    "bullying": 2,
    "intimidation": 3,
    "aggression_violence": 2,
    "discrimination": 1,
    "work_conflict": 4,
    "unsafe": 2,
    "general_advice": 3,
}
NOTES = [
    "Medewerker wil eerst zelf het gesprek met de leidinggevende aangaan; vervolgafspraak over twee weken.",
    "Uitleg gegeven over de meldroutes en de klokkenluidersregeling.",
    "Doorverwezen naar de bedrijfsarts in overleg met de medewerker.",
    "Situatie speelt al langer; medewerker overweegt een melding.",
]

CASES = [
    {
        "title": "Een uitnodiging voor de opening van een bedrijfspand",
        "dilemma": (
            "Een beleidsmedewerker krijgt van een bedrijf waarmee de organisatie een lopende "
            "vergunningprocedure heeft een uitnodiging voor de feestelijke opening van het nieuwe "
            "pand, met diner. Weigeren voelt onbeleefd; het contact is goed en nuttig voor het werk."
        ),
        "considerations": (
            "De groep woog de waarde van een goede werkrelatie af tegen de schijn van "
            "belangenverstrengeling. Doorslaggevend was de lopende procedure: elke gunst kan later "
            "worden uitgelegd als beïnvloeding. Een bezoek aan de opening zelf, zonder diner en na "
            "overleg met de leidinggevende, werd wel verdedigbaar gevonden."
        ),
        "conclusion": (
            "Bij een lopende procedure nemen we geen uitnodigingen aan met een persoonlijk voordeel. "
            "Twijfel je, bespreek het vooraf met je leidinggevende en meld het in het register."
        ),
        "tags": ["independence", "reliability", "gifts"],
        "publish": True,
    },
    {
        "title": "Een oud-collega vraagt naar een aanbesteding",
        "dilemma": (
            "Een oud-collega, nu werkzaam bij een adviesbureau, belt met de vraag hoe het staat met "
            "een aanbesteding en of er al veel inschrijvingen zijn. Het is een vriendelijk gesprek "
            "tussen oud-collega's."
        ),
        "considerations": (
            "Informatie over een lopende aanbesteding is niet openbaar en kan de concurrentie "
            "verstoren. Tegelijk wil niemand onvriendelijk zijn tegen een oud-collega. De groep "
            "vond dat het helpt om de grens uit te spreken en door te verwijzen naar de officiële "
            "vragenronde."
        ),
        "conclusion": (
            "Over lopende aanbestedingen geven we alleen informatie via de officiële kanalen, ook "
            "aan oud-collega's. Zeg dat vriendelijk en duidelijk."
        ),
        "tags": ["carefulness", "reliability", "information"],
        "publish": True,
    },
    {
        "title": "Bestuurslid van een vereniging die subsidie aanvraagt",
        "dilemma": (
            "Een medewerker is in zijn vrije tijd bestuurslid van een sportvereniging. De vereniging "
            "vraagt subsidie aan bij de afdeling waar hij werkt, al behandelt hij zelf geen "
            "subsidies."
        ),
        "considerations": (
            "Een nevenfunctie is op zich waardevol. Het risico zit in de schijn: collega's die de "
            "aanvraag behandelen, kunnen zich onder druk voelen staan. De groep vond melding van de "
            "nevenfunctie en uitdrukkelijk afstand houden van de aanvraag voldoende."
        ),
        "conclusion": (
            "Meld nevenfuncties die raken aan het werk van je afdeling, en bemoei je niet met een "
            "aanvraag van een organisatie waarin je een functie hebt."
        ),
        "tags": ["independence", "responsibility", "outside_activities", "conflict_of_interest"],
        "publish": True,
    },
    {
        "title": "Grappen over afkomst in het teamoverleg",
        "dilemma": (
            "In een team worden in het wekelijkse overleg regelmatig grappen gemaakt over de afkomst "
            "van collega's. Niemand lijkt er last van te hebben, maar een nieuwe collega lacht "
            "zichtbaar ongemakkelijk mee."
        ),
        "considerations": (
            "Wat voor de een een grap is, kan voor de ander kwetsend zijn, juist als iemand nieuw is "
            "en zich niet vrij voelt om iets te zeggen. De groep besprak wie verantwoordelijk is om "
            "er iets van te zeggen: de leidinggevende, maar ook iedere collega."
        ),
        "conclusion": (
            "We spreken elkaar aan op grappen die kunnen kwetsen, ook als niemand klaagt. De "
            "vertrouwenspersoon is er voor wie dat lastig vindt."
        ),
        "tags": ["responsibility", "social_behaviour", "loyalty"],
        "publish": True,
    },
    {
        "title": "Druk om een advies bij te stellen",
        "dilemma": (
            "Een adviseur krijgt het verzoek een negatief advies over een project 'wat positiever' "
            "te formuleren, omdat het project politiek gevoelig ligt."
        ),
        "considerations": (
            "Loyaliteit aan het bestuur en professionele onafhankelijkheid botsen. De groep maakte "
            "onderscheid tussen toon en inhoud: de toon mag anders, de inhoudelijke conclusie niet."
        ),
        "conclusion": (
            "Een advies kan anders verwoord worden, maar de inhoudelijke conclusie blijft staan. "
            "Leg het verzoek en de afweging vast."
        ),
        "tags": ["professionalism", "independence", "political_pressure"],
        "publish": False,
    },
]


def _flatten(people: Any) -> list[Any]:
    if isinstance(people, dict):
        result: list[Any] = []
        for value in people.values():
            result.extend(
                _flatten(value) if isinstance(value, (list, tuple, dict, set)) else [value]
            )
        return result
    return list(people or [])


def _dates(rng: random.Random, year: int, n: int, until: dt.date) -> list[dt.date]:
    start = dt.date(year, 1, 6) if until >= dt.date(year, 2, 1) else dt.date(year, 1, 1)
    end = min(dt.date(year, 12, 18), until)
    span = (end - start).days + 1
    if span <= 1:
        return [start] * n
    return sorted(start + dt.timedelta(days=rng.randrange(span)) for _ in range(n))


def demo_load(organisation: Organisation, people: Iterable[Any] | dict | None = None) -> None:
    """Fill the learning app of ``organisation`` with fictional data (idempotent).

    ``people`` are the organisation's Person records (a list, or a dict of
    lists); counsellors among them get the conversations, twelve others form
    the facilitator pool. Does nothing when the organisation already has
    activities or case law.
    """
    if (
        Activity.objects.filter(organisation=organisation).exists()
        or MoralCase.objects.filter(organisation=organisation).exists()
    ):
        return
    services.organisation_defaults_ensure(organisation=organisation)
    rng = random.Random(f"learning-{organisation.slug}")  # noqa: S311 - fictional demo data
    persons = [
        p for p in _flatten(people) if getattr(p, "organisation_id", None) == organisation.pk
    ]
    today = timezone.localdate()
    last_year, this_year = today.year - 1, today.year
    ngo = organisation.kind == "ngo"

    counsellors = []
    for person in persons:
        user = getattr(person, "user", None)
        if user is not None and policy.has_role(user, organisation, Role.COUNSELLOR):
            counsellors.append(user)
    units = sorted({p.unit for p in persons if getattr(p, "unit", None)}, key=lambda u: u.name)

    pool = []
    # Facilitators: twelve people without a demo login (the logins come first in ``people``).
    candidates = sorted(
        (p for p in persons if p.user_id is None or p.user not in counsellors),
        key=lambda p: p.user_id is not None,
    )
    for person in candidates[:12]:
        pool.append(
            services.facilitator_create(actor=None, organisation=organisation, person=person)
        )
    pool.append(
        services.facilitator_create(
            actor=None,
            organisation=organisation,
            external_name="A. Verbeek",
            affiliation="Bureau Moreel Kompas",
        )
    )
    externals = pool[-1:]
    internals = pool[:-1] or externals

    def unit_name(i: int) -> Any:
        return units[i % len(units)] if units else None

    def add(
        kind: str,
        title: str,
        date: dt.date,
        audience: str,
        n: int,
        detail: str = "",
        unit: Any = None,
        facilitators: list | None = None,
        notes: str = "",
    ) -> Activity:
        return services.activity_create(
            actor=None,
            organisation=organisation,
            type=kind,
            title=title,
            date=date,
            audience=audience,
            audience_detail=detail,
            unit=unit,
            participants=n,
            facilitators=facilitators
            if facilitators is not None
            else rng.sample(internals, min(2, len(internals))),
            notes=notes,
        )

    groups = (
        ["juristen", "inkopers", "vergunningverleners", "beleidsadviseurs"]
        if not ngo
        else ["programmamedewerkers", "fondsenwervers", "vrijwilligers", "landenkantoor Oeganda"]
    )
    moral_sessions: list[Activity] = []
    for year in (last_year, this_year):
        until = today if year == this_year else dt.date(year, 12, 31)
        plan = (
            DILEMMA_LAST_YEAR
            if year == last_year
            else DILEMMA_LAST_YEAR[:4] + DILEMMA_LAST_YEAR[6:9] + DILEMMA_LAST_YEAR[10:13]
        )
        for i, ((audience, n), date) in enumerate(
            zip(plan, _dates(rng, year, len(plan), until), strict=True)
        ):
            detail = ""
            unit = None
            if audience == Audience.DEPARTMENT:
                unit = unit_name(i)
                detail = unit.name if unit else ""
            elif audience == Audience.PROFESSIONAL_GROUP:
                detail = groups[i % len(groups)]
            add(
                ActivityType.DILEMMA_GAME,
                "Dilemmaspel integriteit",
                date,
                audience,
                n,
                detail,
                unit,
            )
        for i, date in enumerate(_dates(rng, year, 3, until)):
            unit = unit_name(i + 2)
            moral_sessions.append(
                add(
                    ActivityType.MORAL_DELIBERATION,
                    "Moreel beraad",
                    date,
                    Audience.DEPARTMENT,
                    rng.randint(6, 10),
                    unit.name if unit else "",
                    unit,
                    facilitators=externals,
                )
            )
        for date in _dates(rng, year, 3, until):
            add(
                ActivityType.NETWORK_MEETING,
                "Overleg intern integriteitsnetwerk",
                date,
                Audience.INTEGRITY_ORGANS,
                rng.randint(12, 20),
                facilitators=[],
            )
        for date in _dates(rng, year, 4, until):
            add(
                ActivityType.WORKS_COUNCIL,
                "Overleg met het opgaveteam integriteit van de OR",
                date,
                Audience.WORKS_COUNCIL,
                rng.randint(3, 5),
                facilitators=[],
            )
        for date in _dates(rng, year, 2, until):
            add(
                ActivityType.COMMUNICATION,
                "Artikel in het personeelsblad over integriteit",
                date,
                Audience.ALL_STAFF,
                0,
                facilitators=[],
            )
        for date, title in zip(
            _dates(rng, year, 2, until),
            ("Dag van de Integriteit", "Integriteitsbijeenkomst CAOP"),
            strict=True,
        ):
            add(
                ActivityType.KNOWLEDGE_EVENT,
                title,
                date,
                Audience.INTEGRITY_ORGANS,
                2,
                facilitators=[],
            )
        for date in _dates(rng, year, 2, until):
            add(
                ActivityType.INTERVISION,
                "Intervisie vertrouwenspersonen",
                date,
                Audience.INTEGRITY_ORGANS,
                max(len(counsellors), 3),
                facilitators=externals,
            )
        if year == this_year:
            add(
                ActivityType.WORKSHOP,
                "Workshop integer leidinggeven" if not ngo else "Workshop safeguarding (PSEA)",
                _dates(rng, year, 1, until)[0],
                Audience.MANAGERS,
                14,
            )
            add(
                ActivityType.E_LEARNING,
                "E-learning Integriteit in de praktijk",
                _dates(rng, year, 1, until)[0],
                Audience.NEW_EMPLOYEES,
                48,
                facilitators=[],
            )

    topics = {t.code: t for t in ConversationTopic.objects.filter(organisation=organisation)}
    if counsellors:
        for year, plan in (
            (last_year, CONVERSATIONS_LAST_YEAR),
            (this_year, CONVERSATIONS_THIS_YEAR),
        ):
            until = today if year == this_year else dt.date(year, 12, 31)
            items = [code for code, n in plan.items() for _ in range(n)]
            rng.shuffle(items)
            for i, (code, date) in enumerate(
                zip(items, _dates(rng, year, len(items), until), strict=True)
            ):
                follow = rng.choice(
                    [
                        FollowUp.ADVICE,
                        FollowUp.ADVICE,
                        FollowUp.NONE,
                        FollowUp.REFERRAL,
                        FollowUp.REPORT,
                    ]
                )
                services.conversation_create(
                    actor=None,
                    organisation=organisation,
                    counsellor=counsellors[i % len(counsellors)],
                    date=date,
                    topic=topics[code],
                    contact_form=rng.choice(
                        [
                            ContactForm.IN_PERSON,
                            ContactForm.IN_PERSON,
                            ContactForm.PHONE,
                            ContactForm.VIDEO,
                        ]
                    ),
                    follow_up=follow,
                    note=NOTES[i % len(NOTES)] if i % 3 == 0 else "",
                )

    tags = {t.code: t for t in CaseLawTag.objects.filter(organisation=organisation)}
    sessions = sorted(moral_sessions, key=lambda a: a.date)
    for i, case in enumerate(CASES):
        session = sessions[i % len(sessions)] if sessions else None
        services.moral_case_create(
            actor=None,
            organisation=organisation,
            title=case["title"],
            dilemma=case["dilemma"],
            considerations=case["considerations"],
            conclusion=case["conclusion"],
            anonymised_confirmed=True,
            tags=[tags[c] for c in case["tags"] if c in tags],
            discussed_on=session.date if session else None,
            activity=session,
            publish=case["publish"],
        )
