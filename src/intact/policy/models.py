"""The policy cycle: integrity plan, annual and work plans with measures and
monitoring, norm frameworks with self-assessment, action points and the
periodic inquiry (uitvraag).

Plan texts, targets and assessments are not confidential; what managers
report in the periodic inquiry is (the description is encrypted).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from intact.security.fields import EncryptedTextField

# --- integrity plan (VNG format, Annex I) ------------------------------------------------------


class IntegrityPlan(models.Model):
    """A multi-year integrity plan of the organisation (or of one unit); it has versions."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("titel"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "title"]
        verbose_name = _("integriteitsplan")
        verbose_name_plural = _("integriteitsplannen")

    def __str__(self) -> str:
        return self.title

    def current(self) -> PlanVersion | None:
        """The adopted version if there is one, else the newest draft."""
        versions = list(self.versions.all())
        adopted = [v for v in versions if v.status == VersionStatus.ADOPTED]
        if adopted:
            return max(adopted, key=lambda v: v.number)
        return max(versions, key=lambda v: v.number) if versions else None


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    ADOPTED = "adopted", _("Vastgesteld")
    SUPERSEDED = "superseded", _("Vervangen")


class PlanVersion(models.Model):
    """One version of a plan: metadata and the seven sections. Frozen once adopted."""

    plan = models.ForeignKey(IntegrityPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    author = models.CharField(_("steller"), max_length=200, blank=True)
    adopting_body = models.CharField(
        _("vast te stellen door"),
        max_length=200,
        blank=True,
        help_text=_("Het bevoegd gezag, bijvoorbeeld het college van Gedeputeerde Staten."),
    )
    term_start = models.DateField(_("looptijd van"), null=True, blank=True)
    term_end = models.DateField(_("looptijd tot en met"), null=True, blank=True)
    sections = models.JSONField(_("hoofdstukken"), default=dict, blank=True)
    adopted_on = models.DateField(_("vastgesteld op"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="policy_version_unique_number")
        ]
        verbose_name = _("planversie")
        verbose_name_plural = _("planversies")

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"

    @property
    def organisation_id(self) -> int:
        return self.plan.organisation_id

    @property
    def is_frozen(self) -> bool:
        return self.status != VersionStatus.DRAFT


# --- annual and work plans, measures, monitoring ------------------------------------------------


class AnnualPlan(models.Model):
    """The annual plan (central) or work plan (a unit) of one year, derived from a plan."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        IntegrityPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="annual_plans"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leeg: het centrale jaarplan van de hele organisatie."),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    title = models.CharField(_("titel"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "unit"], name="policy_annual_unique_unit"
            ),
            models.UniqueConstraint(
                fields=["organisation", "year"],
                condition=models.Q(unit__isnull=True),
                name="policy_annual_unique_central",
            ),
        ]
        verbose_name = _("jaarplan")
        verbose_name_plural = _("jaarplannen")

    def __str__(self) -> str:
        return self.title

    @property
    def is_central(self) -> bool:
        return self.unit_id is None


class OwnerRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Integriteitscoördinator")
    COUNSELLORS = "counsellors", _("Vertrouwenspersonen")
    INVESTIGATORS = "investigators", _("Onderzoekers")
    MANAGEMENT = "management", _("Leidinggevenden")
    WORKS_COUNCIL = "works_council", _("Ondernemingsraad")
    AUDIT = "audit", _("Audit / accountant")
    HR = "hr", _("P&O / HR")
    LEGAL = "legal", _("Juridische zaken")
    COMMUNICATION = "communication", _("Communicatie")


class Measure(models.Model):
    """A measure of an annual plan with a concrete target and how its realisation is measured."""

    annual_plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("maatregel"), max_length=250)
    description = models.TextField(_("toelichting"), blank=True)
    section = models.CharField(_("hoofdstuk van het plan"), max_length=40, blank=True)
    target_value = models.DecimalField(_("doel"), max_digits=10, decimal_places=1)
    target_unit = models.CharField(
        _("eenheid"), max_length=60, help_text=_("Bijvoorbeeld: sessies, afdelingen, %.")
    )
    is_percentage = models.BooleanField(_("doel is een percentage"), default=False)
    owner_role = models.CharField(_("eigenaar (rol)"), max_length=30, choices=OwnerRole.choices)
    budget = models.DecimalField(
        _("budget (euro)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    fte = models.DecimalField(_("fte"), max_digits=6, decimal_places=2, null=True, blank=True)
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("gereed"))
    indicator = models.CharField(
        _("indicator"),
        max_length=60,
        blank=True,
        help_text=_("Leeg: de realisatie wordt met de hand bijgehouden."),
    )
    action_point = models.ForeignKey(
        "ActionPoint", on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["annual_plan", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gte=models.F("start_on")), name="policy_measure_dates"
            ),
            models.CheckConstraint(
                condition=models.Q(target_value__gt=0), name="policy_measure_target_positive"
            ),
        ]
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")

    def __str__(self) -> str:
        return self.title

    @property
    def organisation_id(self) -> int:
        return self.annual_plan.organisation_id


class Responsibility(models.Model):
    """Who holds which role for a measure (shown in the plan and as "my measures")."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="responsibilities")
    role = models.CharField(_("rol"), max_length=30, choices=OwnerRole.choices)
    person = models.ForeignKey("organisations.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["measure", "role", "person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "role", "person"], name="policy_responsibility_unique"
            )
        ]
        verbose_name = _("verantwoordelijke")
        verbose_name_plural = _("verantwoordelijken")

    def __str__(self) -> str:
        return f"{self.measure}: {self.get_role_display()}"


class ProgressEntry(models.Model):
    """A hand-entered realisation of a measure: the value reached on a date, with a note."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress")
    on = models.DateField(_("datum"))
    value = models.DecimalField(_("gerealiseerd"), max_digits=10, decimal_places=1)
    note = models.TextField(_("toelichting"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "-on", "-pk"]
        verbose_name = _("voortgang")
        verbose_name_plural = _("voortgang")

    def __str__(self) -> str:
        return f"{self.measure}: {self.value} ({self.on})"


# --- norm frameworks and self-assessment --------------------------------------------------------


class Framework(models.Model):
    """A norm framework (built in from data files, or the organisation's own)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leeg: ingebouwd, voor alle organisaties."),
    )
    code = models.SlugField(_("code"), max_length=80)
    version = models.CharField(_("versie"), max_length=40)
    name = models.CharField(_("naam"), max_length=250)
    description = models.TextField(_("omschrijving"), blank=True)
    source = models.TextField(_("bron"), blank=True)
    kind = models.CharField(_("soort"), max_length=20, default="norms")
    applies_to = models.CharField(_("geldt voor"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code", "version"], name="policy_framework_unique"
            ),
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=models.Q(organisation__isnull=True),
                name="policy_framework_unique_builtin",
            ),
        ]
        verbose_name = _("normenkader")
        verbose_name_plural = _("normenkaders")

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None

    def _text(self, field: str) -> str:
        if not self.is_builtin:
            return getattr(self, field)
        from intact.policy.data import builtin_text

        return builtin_text(self.code, self.version, None, field, getattr(self, field))

    @property
    def name_display(self) -> str:
        """The name in the active language (built-in frameworks carry English in their file)."""
        return self._text("name")

    @property
    def description_display(self) -> str:
        """The description in the active language (built-in frameworks only)."""
        return self._text("description")


class Requirement(models.Model):
    """A norm or a group of norms in a framework's tree."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="requirements")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    ref_id = models.CharField(_("nummer"), max_length=30)
    name = models.CharField(_("norm"), max_length=300)
    description = models.TextField(_("omschrijving"), blank=True)
    assessable = models.BooleanField(_("te beoordelen"), default=True)
    evidence = models.CharField(
        _("bewijs in Intact"),
        max_length=60,
        blank=True,
        help_text=_("Sleutel van een bewijsbron waarmee Intact zelf een status voorstelt."),
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = _("norm")
        verbose_name_plural = _("normen")

    def __str__(self) -> str:
        return f"{self.ref_id} {self.name}"

    def _text(self, field: str) -> str:
        framework = self.framework
        if not framework.is_builtin:
            return getattr(self, field)
        from intact.policy.data import builtin_text

        return builtin_text(
            framework.code, framework.version, self.ref_id, field, getattr(self, field)
        )

    @property
    def name_display(self) -> str:
        """The norm in the active language (built-in frameworks carry English in their file)."""
        return self._text("name")

    @property
    def description_display(self) -> str:
        """The norm's description in the active language (built-in frameworks only)."""
        return self._text("description")


class AssessmentStatus(models.TextChoices):
    OPEN = "open", _("Bezig")
    DONE = "done", _("Afgerond")


class Assessment(models.Model):
    """A self-assessment of the organisation against one framework."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    name = models.CharField(_("naam"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.OPEN
    )
    started_on = models.DateField(_("gestart op"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-started_on", "-pk"]
        verbose_name = _("zelfevaluatie")
        verbose_name_plural = _("zelfevaluaties")

    def __str__(self) -> str:
        return self.name


class Compliance(models.TextChoices):
    NOT_ASSESSED = "", _("Nog niet beoordeeld")
    MET = "met", _("Voldoet")
    PARTLY = "partly", _("Voldoet deels")
    NOT_MET = "not_met", _("Voldoet niet")
    NOT_APPLICABLE = "not_applicable", _("Niet van toepassing")


class RequirementAssessment(models.Model):
    """The organisation's judgement of one norm: status, evidence, owner, next review."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=Compliance.choices, default="", blank=True
    )
    proposed_status = models.CharField(
        _("voorstel van Intact"), max_length=20, choices=Compliance.choices, default="", blank=True
    )
    proposed_reason = models.TextField(_("onderbouwing van het voorstel"), blank=True)
    evidence = models.TextField(
        _("bewijs"),
        blank=True,
        help_text=_("Verwijzingen naar plannen, registers, documenten; één per regel."),
    )
    note = models.TextField(_("toelichting"), blank=True)
    owner = models.ForeignKey(
        "organisations.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    next_review = models.DateField(_("volgende beoordeling"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "requirement__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "requirement"], name="policy_item_unique")
        ]
        verbose_name = _("beoordeling van een norm")
        verbose_name_plural = _("beoordelingen van normen")

    def __str__(self) -> str:
        return f"{self.requirement}: {self.status or '-'}"

    @property
    def proposed_reason_display(self) -> str:
        """Intact's reason for its proposal in the active language (stored in Dutch)."""
        from intact.policy.evidence import reason_display

        return reason_display(self.proposed_reason)

    def evidence_lines(self) -> list[str]:
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]


# --- action points ------------------------------------------------------------------------------


class ActionSource(models.TextChoices):
    EVALUATION = "evaluation", _("Evaluatie")
    ANNUAL_REPORT = "annual_report", _("Jaarverslag")
    ASSESSMENT = "assessment", _("Zelfevaluatie")
    INQUIRY = "inquiry", _("Uitvraag")
    OTHER = "other", _("Anders")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In uitvoering")
    DONE = "done", _("Afgerond")
    CARRIED_OVER = "carried_over", _("Overgenomen in jaarplan")
    CANCELLED = "cancelled", _("Vervallen")


CLOSED_ACTION_STATUSES = (ActionStatus.DONE, ActionStatus.CARRIED_OVER, ActionStatus.CANCELLED)


class ActionPoint(models.Model):
    """An improvement point that must be resolved, carried over or cancelled with a reason."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("actiepunt"), max_length=250)
    description = models.TextField(_("toelichting"), blank=True)
    source = models.CharField(_("bron"), max_length=20, choices=ActionSource.choices)
    source_label = models.CharField(
        _("bron (omschrijving)"), max_length=200, blank=True, help_text=_("Bijv. Jaarverslag 2019.")
    )
    item = models.ForeignKey(
        RequirementAssessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_points",
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    owner_role = models.CharField(_("eigenaar (rol)"), max_length=30, choices=OwnerRole.choices)
    owner = models.ForeignKey(
        "organisations.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("uiterlijk gereed"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    reason = models.TextField(_("reden"), blank=True)
    closed_on = models.DateField(_("gesloten op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | ~models.Q(reason=""),
                name="policy_action_cancel_needs_reason",
            )
        ]
        verbose_name = _("actiepunt")
        verbose_name_plural = _("actiepunten")

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_ACTION_STATUSES


# --- periodic inquiry ---------------------------------------------------------------------------


class InquirySettings(models.Model):
    """How often the inquiry runs and whom it asks (roles, and extra people such as HR advisers)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    rounds_per_year = models.PositiveSmallIntegerField(_("rondes per jaar"), default=2)
    roles = models.JSONField(_("rollen die antwoorden"), default=list)
    extra_people = models.ManyToManyField(
        "organisations.Person",
        blank=True,
        related_name="+",
        verbose_name=_("ook vragen aan (bijv. HR-adviseurs)"),
    )
    answer_days = models.PositiveSmallIntegerField(_("dagen om te antwoorden"), default=21)
    reminder_days = models.PositiveSmallIntegerField(_("herinnering na dagen"), default=7)

    class Meta:
        verbose_name = _("instellingen uitvraag")
        verbose_name_plural = _("instellingen uitvraag")

    def __str__(self) -> str:
        return str(self.organisation)


class InquiryRound(models.Model):
    """One round of the periodic inquiry."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    number = models.PositiveSmallIntegerField(_("ronde"))
    period_start = models.DateField(_("over de periode van"))
    period_end = models.DateField(_("tot en met"))
    opened_on = models.DateField(_("geopend op"))
    due_on = models.DateField(_("antwoord uiterlijk"))
    closed_on = models.DateField(_("gesloten op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "number"], name="policy_round_unique"
            )
        ]
        verbose_name = _("uitvraagronde")
        verbose_name_plural = _("uitvraagrondes")

    def __str__(self) -> str:
        return f"{self.year}-{self.number}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class InquiryRequest(models.Model):
    """The question to one addressee in a round, and whether (and when) they answered."""

    round = models.ForeignKey(InquiryRound, on_delete=models.CASCADE, related_name="requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("rol"), max_length=30)
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    nothing_to_report = models.BooleanField(_("niets te melden"), default=False)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "unit__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="policy_request_unique")
        ]
        verbose_name = _("uitvraag aan")
        verbose_name_plural = _("uitvragen aan")

    def __str__(self) -> str:
        return f"{self.round} → {self.user_id}"

    @property
    def organisation_id(self) -> int:
        return self.round.organisation_id


class MatterCategory(models.TextChoices):
    WRONGDOING = "wrongdoing", _("Vermoeden van een misstand")
    BUSINESS = "business_integrity", _("Integriteitsschending")
    BEHAVIOUR = "undesirable_behaviour", _("Ongewenst gedrag")
    QUESTION = "question", _("Vraag of advies")


class InquiryMatter(models.Model):
    """A matter an addressee reports in the inquiry; the description is confidential."""

    request = models.ForeignKey(InquiryRequest, on_delete=models.CASCADE, related_name="matters")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("soort"), max_length=30, choices=MatterCategory.choices)
    occurred_on = models.DateField(_("ongeveer wanneer"), null=True, blank=True)
    description = EncryptedTextField(_("korte omschrijving"))
    already_reported = models.BooleanField(_("al gemeld"), default=False)
    case_reference = models.CharField(_("zaak"), max_length=40, blank=True)
    handled_note = models.CharField(_("afgehandeld"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "pk"]
        verbose_name = _("gemelde zaak in de uitvraag")
        verbose_name_plural = _("gemelde zaken in de uitvraag")

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.request.round})"

    @property
    def needs_registration(self) -> bool:
        return not self.case_reference and not self.handled_note


ZERO = Decimal("0")
