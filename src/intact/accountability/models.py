"""Settings of the annual report, the coordinator's narrative text and generation jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportSettings(models.Model):
    """Per organisation: suppression threshold and what the public edition may show."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="report_settings"
    )
    threshold = models.PositiveSmallIntegerField(
        _("drempel voor kleine aantallen"),
        default=5,
        help_text=_("Aantallen kleiner dan dit getal worden in de openbare editie niet getoond."),
    )
    show_units = models.BooleanField(
        _("organisatieonderdelen tonen"),
        default=False,
        help_text=_(
            "Openbare editie: namen van organisatieonderdelen tonen (bijvoorbeeld bij de werkplannen). "
            "De interne editie toont ze altijd."
        ),
    )
    show_dates = models.BooleanField(
        _("datums fijner dan het jaar tonen"),
        default=False,
        help_text=_(
            "Openbare editie: volledige datums tonen in plaats van alleen het jaar. "
            "De interne editie toont ze altijd."
        ),
    )
    sector_participation = models.BooleanField(
        _("deelnemen aan het sectoroverzicht"), default=False
    )
    is_sector_body = models.BooleanField(
        _("sectororganisatie (ziet het sectoroverzicht)"), default=False
    )

    class Meta:
        verbose_name = _("instellingen jaarverslag")

    def __str__(self) -> str:
        return f"report settings {self.organisation_id}"


class Chapter(models.TextChoices):
    INTRODUCTION = "introduction", _("Inleiding en wettelijk kader")
    VISION = "vision", _("Visie en kernwaarden")
    PROCEDURES = "procedures", _("Meldpunten en procedures")
    ACTIVITIES = "activities", _("Activiteiten van het jaar")
    REPORTS = "reports", _("Verantwoording over meldingen")
    PARTOS = "partos", _("Partos-paragraaf: reflectie op het beleid")
    PLAN = "plan", _("Integriteitsplan en normen")
    ACTIONS = "actions", _("Actiepunten")


class ChapterText(models.Model):
    """One version of the coordinator's narrative for one chapter; the newest counts."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    chapter = models.CharField(max_length=30, choices=Chapter.choices)
    version = models.PositiveIntegerField(default=1)
    text = models.TextField(_("tekst"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "year", "chapter", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "chapter", "version"], name="chaptertext_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.chapter} v{self.version}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


class ReportJob(models.Model):
    """A report generated in the background; the result is stored encrypted."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, default="annual")  # annual | interim
    format = models.CharField(max_length=10)
    edition = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    file = models.ForeignKey(
        "security.EncryptedFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"report job {self.pk} ({self.year}, {self.format}, {self.status})"


class ImportedTotal(models.Model):
    """A register total of an earlier year kept only as a number (e.g. "190 oaths in 2019").

    Spreadsheets of earlier years often hold totals, not the persons behind
    them; the registers app keeps entries per person, so such totals live here
    and are added to the register counts of that year.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=60)
    value = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "key"], name="importedtotal_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.key}={self.value}"
