"""Cases: the file in which a report (or a matter from outside the system) is handled.

Confidential content — names of parties, the description, motivations,
records of hearings, findings, notes, the public summary while in draft — is
stored with the encrypted fields of ``intact.security.fields`` and can only be
read through the selectors. What the annual report counts (categories,
severity, outcome, measure types, year, channel, report type) is kept in
plain fields, so that it survives anonymisation at the end of the retention
term.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from intact.security.fields import EncryptedTextField


class CaseConfig(models.Model):
    """An organisation's own version of a rule set (``triage``, ``workflow``, ``retention``).

    Versions are never changed: a new one is stored and made current.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=40)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    definition = models.JSONField()
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "version"], name="case_config_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class Category(models.Model):
    """A category an organisation uses, mapped onto the standard set for aggregation."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="case_categories"
    )
    code = models.SlugField(_("code"), max_length=60)
    standard = models.CharField(_("standaardcategorie"), max_length=60)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200, blank=True)
    active = models.BooleanField(_("in gebruik"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["organisation", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="case_category_unique_code"
            )
        ]
        verbose_name = _("categorie")
        verbose_name_plural = _("categorieën")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = get_language() or "nl"
        return self.name_en if lang.startswith("en") and self.name_en else self.name_nl


class MeasureType(models.Model):
    """A measure or sanction from the organisation's configurable list."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="case_measure_types"
    )
    code = models.SlugField(_("code"), max_length=60)
    group = models.CharField(_("groep"), max_length=40)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200, blank=True)
    active = models.BooleanField(_("in gebruik"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["organisation", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="case_measure_type_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = get_language() or "nl"
        return self.name_en if lang.startswith("en") and self.name_en else self.name_nl


class Origin(models.TextChoices):
    REPORT = "report", _("Melding in Intact")
    PERIODIC_INQUIRY = "periodic_inquiry", _("Uitvraag")
    BEFORE_INTACT = "before_intact", _("Van vóór Intact")
    OTHER = "other", _("Anders buiten Intact")


class Severity(models.TextChoices):
    LOW = "low", _("Laag")
    MEDIUM = "medium", _("Middel")
    HIGH = "high", _("Hoog")
    CRITICAL = "critical", _("Zeer ernstig")


class InvestigationDecision(models.TextChoices):
    NONE = "", _("Nog geen besluit")
    INVESTIGATE = "investigate", _("Onderzoek instellen")
    NO_INVESTIGATION = "no_investigation", _("Geen onderzoek")


class Assignment(models.TextChoices):
    NONE = "", _("Nog niet toegewezen")
    AUDIT_UNIT = "audit_unit", _("Interne auditdienst")
    MANAGER = "manager", _("Leidinggevende")
    COORDINATOR = "coordinator", _("Integriteitscoördinator")
    EXTERNAL_BUREAU = "external_bureau", _("Extern onderzoeksbureau")
    COMMITTEE = "committee", _("Klachtencommissie")


class Conclusion(models.TextChoices):
    NONE = "", _("Nog geen conclusie")
    FOUNDED = "founded", _("Gegrond")
    UNFOUNDED = "unfounded", _("Ongegrond")
    UNDETERMINED = "undetermined", _("Niet vast te stellen")


class CaseSequence(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="case_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class Case(models.Model):
    """A case (zaak / dossier). Opened from a report (1:1) or registered by hand."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="cases"
    )
    reference = models.CharField(_("kenmerk"), max_length=20)
    report = models.OneToOneField(
        "reporting.Report", on_delete=models.SET_NULL, null=True, blank=True, related_name="case"
    )
    origin = models.CharField(
        _("herkomst"), max_length=20, choices=Origin.choices, default=Origin.REPORT
    )
    report_type = models.CharField(_("soort melding"), max_length=30)
    channel = models.CharField(_("kanaal"), max_length=20, blank=True)
    received_on = models.DateField(_("ontvangen op"))
    unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisatieonderdeel"),
    )
    status = models.CharField(_("status"), max_length=30, default="opened", db_index=True)
    severity = models.CharField(_("ernst"), max_length=20, choices=Severity.choices, blank=True)
    categories = models.ManyToManyField(
        Category, blank=True, related_name="cases", verbose_name=_("categorieën")
    )
    commissioning_authority = models.CharField(_("opdrachtgever"), max_length=200, blank=True)
    description = EncryptedTextField(_("omschrijving"), null=True, blank=True)
    object_of_investigation = EncryptedTextField(_("object van onderzoek"), null=True, blank=True)
    decision = models.CharField(
        _("besluit over onderzoek"),
        max_length=20,
        choices=InvestigationDecision.choices,
        blank=True,
        default="",
    )
    decision_motivation = EncryptedTextField(_("motivering"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assignment = models.CharField(
        _("onderzoek door"), max_length=20, choices=Assignment.choices, blank=True, default=""
    )
    assignee_label = models.CharField(_("naam onderzoeker of bureau"), max_length=200, blank=True)
    investigation_plan = EncryptedTextField(_("onderzoeksplan"), null=True, blank=True)
    findings = EncryptedTextField(_("bevindingen"), null=True, blank=True)
    conclusion = models.CharField(
        _("conclusie"), max_length=20, choices=Conclusion.choices, blank=True, default=""
    )
    concluded_at = models.DateTimeField(null=True, blank=True)
    reporter_feedback = EncryptedTextField(_("terugkoppeling aan melder"), null=True, blank=True)
    reporter_feedback_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    closure_note = EncryptedTextField(_("toelichting bij afsluiten"), null=True, blank=True)
    summary_description = EncryptedTextField(_("omschrijving (openbaar)"), null=True, blank=True)
    summary_object = EncryptedTextField(_("object van onderzoek (openbaar)"), null=True, blank=True)
    summary_findings = EncryptedTextField(_("bevindingen (openbaar)"), null=True, blank=True)
    summary_consequence = EncryptedTextField(_("gevolg (openbaar)"), null=True, blank=True)
    summary_reviewed = models.BooleanField(_("samenvatting gecontroleerd"), default=False)
    summary_reviewed_at = models.DateTimeField(null=True, blank=True)
    summary_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retention_outcome = models.CharField(max_length=30, blank=True)
    retention_due = models.DateField(_("bewaren tot"), null=True, blank=True, db_index=True)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="case_unique_reference"
            )
        ]
        # The case list: one organisation's cases, newest first, a page at a time. The
        # metadata columns after the order make it covering for the filtered counts (no
        # scan of the wide rows with their encrypted columns).
        indexes = [
            models.Index(
                fields=[
                    "organisation",
                    "-received_on",
                    "-id",
                    "report",
                    "closed_at",
                    "status",
                    "severity",
                    "report_type",
                    "unit",
                    "reference",
                ],
                name="case_list_idx",
            ),
            # The start page counts open cases by stage, severity and report type: a range
            # of this index, already in GROUP BY order.
            models.Index(
                fields=["organisation", "closed_at", "status", "severity", "report_type", "report"],
                name="case_open_idx",
            ),
        ]
        verbose_name = _("zaak")
        verbose_name_plural = _("zaken")

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Behandelaar (regie)")
    MEMBER = "member", _("Teamlid")
    INVESTIGATOR = "investigator", _("Onderzoeker")
    AUTHORITY = "authority", _("Bevoegd gezag")


class TeamMember(models.Model):
    """A member of the case team. Active only after declaring no conflict of interest."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_memberships"
    )
    role = models.CharField(
        _("rol in de zaak"), max_length=20, choices=TeamRole.choices, default=TeamRole.MEMBER
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField()
    declared_at = models.DateTimeField(null=True, blank=True)
    has_conflict = models.BooleanField(default=False)
    conflict_note = EncryptedTextField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=models.Q(removed_at__isnull=True),
                name="case_team_one_active",
            )
        ]
        # Sight checks (EXISTS per case for the acting user) and "my cases".
        indexes = [models.Index(fields=["user", "case"], name="teammember_user_case_idx")]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"

    @property
    def crypto_organisation_id(self) -> int:
        return self.case.organisation_id

    @property
    def is_active(self) -> bool:
        return self.removed_at is None and self.declared_at is not None and not self.has_conflict


class PartyRole(models.TextChoices):
    REPORTER = "reporter", _("Melder")
    ACCUSED = "accused", _("Beschuldigde")
    VICTIM = "victim", _("Slachtoffer")
    WITNESS = "witness", _("Getuige")
    OTHER = "other", _("Anders betrokken")


class Party(models.Model):
    """Someone in the case, with a role. The name is encrypted; a reporter of a
    confidential or anonymous report appears only by pseudonym."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("rol"), max_length=20, choices=PartyRole.choices)
    name = EncryptedTextField(_("naam"))
    person = models.ForeignKey(
        "organisations.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("persoon"),
    )
    is_pseudonym = models.BooleanField(default=False)
    note = EncryptedTextField(_("toelichting"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("partij")
        verbose_name_plural = _("partijen")

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"

    @property
    def crypto_organisation_id(self) -> int:
        return self.case.organisation_id

    def display_name(self) -> str:
        if self.person_id and self.person is not None and not self.is_pseudonym:
            return self.person.full_name
        return self.name


class TriageRecord(models.Model):
    """One triage of a case. Re-triage adds a record; the newest is current."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="triages")
    answers = models.JSONField(default=dict)
    computed_severity = models.CharField(max_length=20)
    severity = models.CharField(max_length=20)
    motivation = EncryptedTextField(_("motivering"))
    instrument_version = models.CharField(max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"

    @property
    def crypto_organisation_id(self) -> int:
        return self.case.organisation_id


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Gedaan")
    CANCELLED = "cancelled", _("Vervallen")


class TriageAction(models.Model):
    """An action the triage requires, with its due time, tracked to done."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    triage = models.ForeignKey(TriageRecord, on_delete=models.CASCADE, related_name="actions")
    key = models.CharField(max_length=60)
    label_nl = models.CharField(max_length=300)
    label_en = models.CharField(max_length=300, blank=True)
    term_hours = models.PositiveIntegerField()
    due_at = models.DateTimeField(db_index=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = EncryptedTextField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"

    @property
    def crypto_organisation_id(self) -> int:
        return self.case.organisation_id

    @property
    def label(self) -> str:
        lang = get_language() or "nl"
        return self.label_en if lang.startswith("en") and self.label_en else self.label_nl


class Hearing(models.Model):
    """A hearing with its written record; the heard party may respond to the record."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="hearings")
    held_on = models.DateField(_("datum"))
    record = EncryptedTextField(_("verslag"))
    response = EncryptedTextField(_("reactie van de gehoorde"), null=True, blank=True)
    response_on = models.DateField(null=True, blank=True)
    response_waived = models.BooleanField(_("ziet af van reactie"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"

    @property
    def crypto_organisation_id(self) -> int:
        return self.case.organisation_id

    @property
    def response_settled(self) -> bool:
        return self.response_waived or self.response_on is not None


class Measure(models.Model):
    """A measure or sanction decided in the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measures")
    measure_type = models.ForeignKey(MeasureType, on_delete=models.PROTECT, related_name="+")
    type_code = models.CharField(max_length=60)
    group = models.CharField(max_length=40)
    party = models.ForeignKey(
        Party, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    decided_on = models.DateField()
    note = EncryptedTextField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "pk"]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"

    @property
    def crypto_organisation_id(self) -> int:
        return self.case.organisation_id


class CareMeasure(models.Model):
    """A care measure for a victim, tracked to completion."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="care_measures")
    party = models.ForeignKey(
        Party, on_delete=models.SET_NULL, null=True, blank=True, related_name="care_measures"
    )
    description = EncryptedTextField(_("zorgmaatregel"))
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"

    @property
    def crypto_organisation_id(self) -> int:
        return self.case.organisation_id


class NotificationKind(models.TextChoices):
    POLICE = "police_report", _("Aangifte bij de politie")
    MINISTRY = "ministry", _("Incidentmelding ministerie")
    DONOR = "donor", _("Incidentmelding donor")
    CBF = "cbf", _("Melding aan het CBF")
    SUPERVISORY_BOARD = "supervisory_board", _("Raad van toezicht / toezichthouder")
    OTHER = "other", _("Andere externe melding")


class ExternalNotification(models.Model):
    """A notification to an outside body (police, ministry, donor, supervisory board) with its date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("soort"), max_length=30, choices=NotificationKind.choices)
    recipient = models.CharField(_("ontvanger"), max_length=200, blank=True)
    sent_on = models.DateField(_("verzonden op"))
    external_reference = models.CharField(_("kenmerk ontvanger"), max_length=100, blank=True)
    note = EncryptedTextField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_on", "pk"]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"

    @property
    def crypto_organisation_id(self) -> int:
        return self.case.organisation_id


class CaseDocument(models.Model):
    """A file in the case file; content in ``security.EncryptedFile``."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    file = models.ForeignKey("security.EncryptedFile", on_delete=models.PROTECT, related_name="+")
    name = EncryptedTextField(_("bestandsnaam"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"

    @property
    def crypto_organisation_id(self) -> int:
        return self.case.organisation_id


class CaseEvent(models.Model):
    """One entry of the case timeline: who did what when. ``detail`` holds no confidential content."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"
