"""The staff side's models: procedures (routes), terms (deadlines), routes taken,
identity reveal requests and per-organisation reporting settings.

These point to ``models.Report``; ``models.py`` imports this module at its end
so Django sees one models module for the app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from intact.organisations.models import Role
from intact.security.fields import EncryptedTextField

__all__ = [
    "IdentityRevealRequest",
    "Procedure",
    "ProcedureStep",
    "ReportRoute",
    "ReportTerm",
    "ReportingSettings",
    "RevealStatus",
    "StepKind",
    "TermDefinition",
    "TermEvent",
    "TermEventKind",
    "TermStatus",
    "TermUnit",
]


class ReportingSettings(models.Model):
    """Per-organisation choices for the staff side of reporting."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="reporting_settings"
    )
    custodian_role = models.CharField(
        _("rol van de bewaarder van identiteiten"),
        max_length=30,
        choices=Role.choices,
        default=Role.COUNSELLOR,
        help_text=_("Wie verzoeken om een verzegelde identiteit te tonen goedkeurt of weigert."),
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("herinnering (dagen voor het verstrijken)"), default=2
    )

    class Meta:
        verbose_name = _("instellingen melden")
        verbose_name_plural = _("instellingen melden")

    def __str__(self) -> str:
        return f"reporting settings {self.organisation_id}"


# --- procedures ---------------------------------------------------------------


class Procedure(models.Model):
    """One version of an organisation's reporting procedure for one report type.

    Editing never changes a version: it creates the next one and makes it
    current, so a route taken earlier can always be shown as it was.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="procedures"
    )
    report_type = models.CharField(_("soort melding"), max_length=30)
    version = models.PositiveIntegerField(_("versie"), default=1)
    is_current = models.BooleanField(_("actueel"), default=True)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200, blank=True)
    change_note = models.CharField(_("toelichting bij de wijziging"), max_length=300, blank=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "report_type", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "report_type", "version"], name="procedure_unique_version"
            ),
            models.UniqueConstraint(
                fields=["organisation", "report_type"],
                condition=models.Q(is_current=True),
                name="procedure_one_current",
            ),
        ]
        verbose_name = _("meldprocedure")
        verbose_name_plural = _("meldprocedures")

    def __str__(self) -> str:
        return f"{self.name_nl} (v{self.version})"

    @property
    def name(self) -> str:
        lang = get_language() or "nl"
        return self.name_en if lang.startswith("en") and self.name_en else self.name_nl


class StepKind(models.TextChoices):
    RECEIVE = "receive", _("Ontvangt de melding")
    INFORM = "inform", _("Wordt geïnformeerd")
    ESCALATE = "escalate", _("Escalatie")


class ProcedureStep(models.Model):
    """One step on a procedure's ladder: a role or an (external) party."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("trede"), default=1)
    kind = models.CharField(_("soort stap"), max_length=10, choices=StepKind.choices)
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices, blank=True)
    organ = models.ForeignKey(
        "organisations.IntegrityOrgan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("integriteitsorgaan"),
    )
    label_nl = models.CharField(_("partij (Nederlands)"), max_length=200, blank=True)
    label_en = models.CharField(_("partij (Engels)"), max_length=200, blank=True)

    class Meta:
        ordering = ["procedure", "position", "pk"]
        verbose_name = _("stap")
        verbose_name_plural = _("stappen")

    def __str__(self) -> str:
        return f"{self.position}: {self.kind} {self.role or self.label_nl}"

    @property
    def label(self) -> str:
        """Who this step is, in the active language."""
        if self.organ_id and self.organ is not None:
            return self.organ.name
        if self.role:
            return str(Role(self.role).label)
        lang = get_language() or "nl"
        return self.label_en if lang.startswith("en") and self.label_en else self.label_nl


class ReportRoute(models.Model):
    """The route a report took: which procedure version, who received, who was told."""

    report = models.ForeignKey("reporting.Report", on_delete=models.CASCADE, related_name="routes")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=1)
    recipient_ids = models.JSONField(default=list, blank=True)
    informed_ids = models.JSONField(default=list, blank=True)
    excluded_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"route of report {self.report_id} (v{self.procedure_id})"


# --- terms --------------------------------------------------------------------


class TermUnit(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", _("kalenderdagen")
    WORKING_DAYS = "working_days", _("werkdagen")
    MONTHS = "months", _("maanden")


class TermDefinition(models.Model):
    """One version of a term an organisation applies to reports.

    Defaults (the Wbk terms) come from ``data/terms.yaml``; statutory terms
    allow no extension or pause.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="term_definitions"
    )
    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("versie"), default=1)
    is_current = models.BooleanField(_("actueel"), default=True)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200, blank=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)
    statutory = models.BooleanField(_("wettelijk"), default=False)
    starts_on = models.CharField(_("begint bij"), max_length=20, default="received")
    fallback_term = models.CharField(_("of uiterlijk bij einde van termijn"), max_length=40, blank=True)
    length = models.PositiveIntegerField(_("lengte"))
    unit = models.CharField(_("eenheid"), max_length=20, choices=TermUnit.choices)
    atw = models.BooleanField(_("Algemene termijnenwet toepassen"), default=False)
    met_by = models.JSONField(_("voldaan door"), default=list)
    extendable = models.BooleanField(_("verlengbaar"), default=False)
    max_extension_days = models.PositiveIntegerField(_("maximale verlenging (dagen)"), null=True, blank=True)
    pausable = models.BooleanField(_("op te schorten"), default=False)
    applies_to = models.JSONField(_("geldt voor"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code", "version"], name="termdef_unique_version"
            ),
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=models.Q(is_current=True),
                name="termdef_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(statutory=False) | models.Q(extendable=False, pausable=False),
                name="termdef_statutory_fixed",
            ),
        ]
        verbose_name = _("termijn")
        verbose_name_plural = _("termijnen")

    def __str__(self) -> str:
        return f"{self.name_nl} (v{self.version})"

    @property
    def name(self) -> str:
        lang = get_language() or "nl"
        return self.name_en if lang.startswith("en") and self.name_en else self.name_nl


class TermStatus(models.TextChoices):
    RUNNING = "running", _("Loopt")
    PAUSED = "paused", _("Opgeschort")
    MET = "met", _("Gehaald")
    MISSED = "missed", _("Niet gehaald")


class ReportTerm(models.Model):
    """A term running (or ended) for one report. Ends as met or missed."""

    report = models.ForeignKey("reporting.Report", on_delete=models.CASCADE, related_name="terms")
    definition = models.ForeignKey(TermDefinition, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("begindatum"))
    base_due_date = models.DateField(_("oorspronkelijke einddatum"))
    due_date = models.DateField(_("uiterste datum"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TermStatus.choices, default=TermStatus.RUNNING, db_index=True
    )
    paused_since = models.DateField(null=True, blank=True)
    extended_days = models.PositiveIntegerField(default=0)
    ended_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("voldaan op"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "definition"], name="reportterm_unique")
        ]
        verbose_name = _("termijn van een melding")
        verbose_name_plural = _("termijnen van meldingen")

    def __str__(self) -> str:
        return f"term {self.definition_id} of report {self.report_id}"

    @property
    def is_open(self) -> bool:
        return self.status in (TermStatus.RUNNING, TermStatus.PAUSED)


class TermEventKind(models.TextChoices):
    STARTED = "started", _("Gestart")
    RESCHEDULED = "rescheduled", _("Einddatum herberekend")
    PAUSED = "paused", _("Opgeschort")
    RESUMED = "resumed", _("Hervat")
    EXTENDED = "extended", _("Verlengd")
    MET = "met", _("Gehaald")
    MISSED = "missed", _("Niet gehaald")
    FULFILLED_LATE = "fulfilled_late", _("Te laat voldaan")


class TermEvent(models.Model):
    """A recorded change to a term: pause, resume, extension (with reason), end."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    term = models.ForeignKey(ReportTerm, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=TermEventKind.choices)
    at = models.DateTimeField()
    days = models.IntegerField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    reason = EncryptedTextField(_("reden"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d}"


# --- sealed identity ----------------------------------------------------------


class RevealStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op besluit")
    APPROVED = "approved", _("Goedgekeurd")
    REFUSED = "refused", _("Geweigerd")


class IdentityRevealRequest(models.Model):
    """A handler's request to see a sealed identity; a custodian decides."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    report = models.ForeignKey(
        "reporting.Report", on_delete=models.CASCADE, related_name="reveal_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = EncryptedTextField(_("reden"))
    status = models.CharField(
        max_length=10, choices=RevealStatus.choices, default=RevealStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(_("toelichting"), null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("verzoek om identiteit")
        verbose_name_plural = _("verzoeken om identiteit")

    def __str__(self) -> str:
        return f"reveal request {self.pk} ({self.status})"
