"""Demo data: last year's narrative per chapter and report settings (fictional; idempotent)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from intact.accountability.models import ChapterText, ReportSettings
from intact.organisations.models import Membership, Organisation, Role

TEXTS = {
    "introduction": (
        "Dit verslag legt verantwoording af over het integriteitsbeleid van het afgelopen jaar. "
        "Het beschrijft de ambtelijke organisatie; bestuurders en volksvertegenwoordigers vallen erbuiten."
    ),
    "procedures": (
        "Medewerkers kunnen terecht bij een vertrouwenspersoon, hun leidinggevende of het digitale meldpunt, "
        "ook anoniem. De routes hieronder zijn dit jaar opnieuw beschreven, zodat elke stap maar op één manier te lezen is."
    ),
    "activities": (
        "Het dilemmaspel bleef de belangrijkste werkvorm. Nieuw dit jaar was een workshop voor leidinggevenden "
        "over het voeren van het gesprek na een melding."
    ),
    "reports": (
        "Het aantal meldingen is ongeveer gelijk gebleven. Meldingen over ongewenst gedrag komen vaker via de "
        "vertrouwenspersonen binnen dan via leidinggevenden; dat vraagt om aandacht in de teams."
    ),
    "partos": (
        "Wij reflecteren jaarlijks op ons integriteitsbeleid. Dit jaar zagen wij dat meldingen uit de landenkantoren "
        "later binnenkomen dan meldingen uit Nederland; de lokale vertrouwenspersonen krijgen daarom extra training."
    ),
    "actions": (
        "Voor volgend jaar staan de halfjaarlijkse uitvraag, een training voor vertrouwenspersonen en "
        "een aanpak van grensoverschrijdend gedrag door externen op de agenda."
    ),
}


def demo_load(organisation: Organisation, people: Iterable[Any] | dict | None = None) -> None:
    """Narrative text for last year and default settings (opt-in to the sector overview)."""
    year = timezone.localdate().year - 1
    if ChapterText.objects.filter(organisation=organisation, year=year).exists():
        return
    writer = (
        Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    with transaction.atomic():
        ReportSettings.objects.get_or_create(
            organisation=organisation, defaults={"sector_participation": True}
        )
        for chapter, text in TEXTS.items():
            if chapter == "partos" and organisation.kind != "ngo":
                continue
            ChapterText.objects.create(
                organisation=organisation,
                year=year,
                chapter=chapter,
                version=1,
                text=text,
                written_by=writer.user if writer else None,
            )
