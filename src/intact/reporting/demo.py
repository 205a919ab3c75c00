"""Demo data for reporting: a handful of fictional reports over last year and this year.

Every report goes through ``services.report_submit`` (so routing, terms and
the audit log are real), dated in the past with the services' ``at``
arguments. Idempotent: an organisation that already has reports is left
alone. The first demo report of each organisation gets a fixed, published
receipt so that a newcomer can open its mailbox (``DEMO_RECEIPTS``); every
other receipt is random and thrown away.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from intact.organisations.models import Organisation, Person, Role
from intact.reporting import receipts, services
from intact.reporting.models import Anonymity, Channel, Report, ReportType

# Published on purpose: demo data only. Log in at /o/<slug>/postbus/.
DEMO_RECEIPTS = {
    "demo-provincie": "DEM0P-R0V1N-C1E7K-Q2MXR",
    "demo-ngo": "DEM0N-G0R3P-0RT8H-N4WZB",
}

# (days ago, type, anonymity, channel, answers, implicated?, flow)
# flow: list of steps after submission: ("ack", d), ("msg", d, text), ("reply", d, text),
# ("feedback", d), ("case", d), ("close", d, reason), ("note", d, text)
_GOV = [
    (400, ReportType.BUSINESS, Anonymity.ANONYMOUS, Channel.WEB,
     {"what": "Een projectleider laat offertes van een bevriend bedrijf steeds net onder de aanbestedingsgrens uitkomen.",
      "where": "Afdeling Wegen en Vaarwegen", "when": "Sinds voorjaar vorig jaar", "how_known": "documents",
      "others_know": "unknown", "evidence": "Drie offertes met bijna gelijke bedragen."},
     True, [("ack", 3), ("msg", 5, "Dank voor uw melding. Kunt u aangeven om welke projecten het gaat?"),
            ("reply", 9, "Het gaat om het onderhoud van de N-wegen in het oosten en de oevers bij de sluis."),
            ("feedback", 60), ("case", 62)]),
    (330, ReportType.BEHAVIOUR, Anonymity.CONFIDENTIAL, Channel.WEB,
     {"what": "Mijn leidinggevende maakt in overleggen herhaaldelijk kleinerende opmerkingen over mijn afkomst.",
      "where": "Teamoverleg", "when": "De afgelopen drie maanden", "how_known": "self", "others_know": "yes"},
     False, [("ack", 2), ("note", 4, "Gesprek met melder gepland via vertrouwenspersoon."), ("feedback", 40),
             ("close", 85, "Er is met de leidinggevende gesproken en er zijn afspraken gemaakt. Wij houden een vinger aan de pols; u kunt altijd opnieuw contact opnemen.")]),
    (250, ReportType.WRONGDOING, Anonymity.ANONYMOUS, Channel.WEB,
     {"what": "Bij de vergunningverlening worden milieumetingen van een bedrijf niet gecontroleerd, terwijl de waarden al maanden te hoog zijn.",
      "where": "Omgevingsdienst", "when": "Dit jaar", "how_known": "saw", "others_know": "no",
      "evidence": "Meetrapporten in het zaaksysteem."},
     True, [("ack", 5), ("feedback", 80), ("case", 81)]),
    (190, ReportType.QUESTION, Anonymity.NAMED, Channel.EMAIL,
     {"what": "Mag ik als beleidsmedewerker een betaalde nevenfunctie aannemen bij een adviesbureau dat voor de provincie werkt?"},
     False, [("ack", 1), ("msg", 3, "Dat mag alleen na melding en toestemming; wij nemen contact op om het te bespreken."),
             ("close", 10, "Uw vraag is beantwoord; de nevenfunctie is gemeld bij uw leidinggevende.")]),
    (75, ReportType.BUSINESS, Anonymity.ANONYMOUS, Channel.WEB,
     {"what": "Een collega gebruikt de dienstauto structureel voor privéritten in het weekend.",
      "where": "Buitendienst", "when": "Meerdere weekenden", "how_known": "saw", "others_know": "yes"},
     True, [("ack", 4), ("msg", 6, "Kunt u een of twee data noemen waarop u dit zag?")]),
    (20, ReportType.BEHAVIOUR, Anonymity.ANONYMOUS, Channel.COUNSELLOR,
     {"what": "Een stagiaire wordt door een vaste medewerker aangeraakt en krijgt ongewenste berichten.",
      "where": "Servicepunt", "when": "Afgelopen maand", "how_known": "heard"},
     True, []),
    (3, ReportType.WRONGDOING, Anonymity.ANONYMOUS, Channel.WEB,
     {"what": "Subsidie voor een cultureel festival is uitgekeerd terwijl het festival niet is doorgegaan.",
      "where": "Team Subsidies", "how_known": "documents"},
     False, []),
]
_NGO = [
    (380, ReportType.BUSINESS, Anonymity.ANONYMOUS, Channel.WEB,
     {"what": "Bij het landenkantoor worden facturen van een leverancier dubbel betaald; het geld komt bij een familielid van de inkoper terecht.",
      "where": "Landenkantoor", "when": "Vorig jaar", "how_known": "documents", "others_know": "no",
      "evidence": "Bankafschriften en twee identieke facturen."},
     True, [("ack", 2), ("msg", 4, "Dank u. Heeft u de factuurnummers?"), ("reply", 7, "Ja, ik stuur ze als bijlage mee."),
            ("feedback", 45), ("case", 46)]),
    (300, ReportType.BEHAVIOUR, Anonymity.CONFIDENTIAL, Channel.WEB,
     {"what": "Een veldcoördinator heeft een begunstigde gevraagd om een relatie in ruil voor voedselpakketten.",
      "where": "Distributiepunt", "how_known": "heard", "others_know": "yes"},
     True, [("ack", 1), ("note", 1, "Directe melding aan directie en donor volgens triage-afspraken."), ("case", 3)]),
    (140, ReportType.QUESTION, Anonymity.NAMED, Channel.WEB,
     {"what": "Mag ik als vrijwilliger een cadeau van een partnerorganisatie aannemen ter waarde van ongeveer 75 euro?"},
     False, [("ack", 2), ("close", 5, "Nee: geschenken boven 50 euro meldt u en neemt u niet aan. Zie de gedragscode.")]),
    (40, ReportType.WRONGDOING, Anonymity.ANONYMOUS, Channel.WEB,
     {"what": "Cijfers in de rapportage aan het ministerie over het aantal bereikte kinderen zijn opgehoogd.",
      "where": "Programmateam", "how_known": "documents"},
     False, [("ack", 6)]),
    (6, ReportType.BEHAVIOUR, Anonymity.ANONYMOUS, Channel.WEB,
     {"what": "Tijdens de teamdag werden grappen gemaakt over het geloof van een collega; niemand greep in.",
      "how_known": "saw"},
     False, []),
]


def _set_receipt(report: Report, receipt: str) -> None:
    lookup, secret = receipts.split(receipt)
    Report.objects.filter(pk=report.pk).update(
        receipt_lookup=receipts.lookup_digest(report.organisation_id, lookup),
        receipt_hash=receipts.hash_secret(secret, timeout=60),
    )


def _login(organisation: Organisation, role: str) -> Any:
    from intact.core.demo import demo_login

    try:
        return demo_login(organisation, role)
    except Exception:  # noqa: BLE001 - demo without that login
        return None


def demo_load(organisation: Organisation, people: list[Person]) -> None:
    """Create the demo reports of one organisation (idempotent)."""
    if Report.objects.filter(organisation=organisation).exists():
        return
    services.questionnaire_ensure_defaults(organisation)
    rng = random.Random(f"reporting-{organisation.slug}")  # noqa: S311 - repeatable demo data
    plan = _NGO if organisation.kind == "ngo" else _GOV
    handler = _login(organisation, Role.COORDINATOR) or _login(organisation, Role.COMPETENT_AUTHORITY)
    counsellor = _login(organisation, Role.COUNSELLOR)
    candidates = [p for p in people[8:] if p.user_id is None] or people[8:]
    now = timezone.now()
    for index, (days, report_type, anonymity, channel, answers, implicate, flow) in enumerate(plan):
        received = now - dt.timedelta(days=days, hours=rng.randint(0, 8))
        implicated: list[Any] = []
        if implicate and candidates:
            implicated.append(rng.choice(candidates))
        identity = None
        if anonymity != Anonymity.ANONYMOUS:
            first, last = rng.choice(["Sanne", "Youssef", "Petra", "Daan", "Amina"]), rng.choice(["de Boer", "Yilmaz", "Jansen", "Visser"])
            identity = {"name": f"{first} {last}", "email": "", "phone": ""}
        report, _receipt = services.report_submit(
            organisation=organisation,
            report_type=report_type,
            anonymity=anonymity,
            answers=answers,
            implicated=implicated,
            identity=identity,
            channel=channel,
            registered_by=counsellor if channel in (Channel.COUNSELLOR, Channel.EMAIL) else None,
            received_at=received,
        )
        if index == 0 and organisation.slug in DEMO_RECEIPTS:
            _set_receipt(report, DEMO_RECEIPTS[organisation.slug])
        if handler is None:
            continue
        for step in flow:
            kind, offset = step[0], step[1]
            at = min(received + dt.timedelta(days=offset, hours=rng.randint(1, 6)), now)
            if kind == "ack":
                services.report_acknowledge(report=report, user=handler, at=at)
            elif kind == "msg":
                services.handler_message_send(report=report, author=handler, body=step[2], at=at)
            elif kind == "reply":
                services.reporter_message_send(report=report, body=step[2], at=at)
            elif kind == "note":
                services.internal_note_add(report=report, author=handler, body=step[2], at=at)
            elif kind == "feedback":
                services.report_feedback_given(report=report, user=handler, at=at)
            elif kind == "case":
                services.report_take_into_handling(report=report, user=handler, at=at)
            elif kind == "close":
                services.report_close(report=report, user=handler, reason=step[2], at=at)
