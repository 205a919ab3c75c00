"""The prevention registers: oath, code of conduct, outside activities,
financial interests, gifts, vulnerable positions and screening.

Each register is the place where the work is done (declare, assess, decide),
so the yearly counts follow from the rows. Free text that may say something
about a person's private life or finances (conflict explanations, reasons,
financial details, notes) is encrypted with the organisation's data key.
The rules of an organisation (terms, thresholds, who owes what) are data in
:class:`RegisterSettings`, seeded from ``data/defaults.yaml``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from intact.security.fields import EncryptedTextField


class CommitmentRule(models.TextChoices):
    OATH = "oath", _("Eed of belofte")
    DECLARATION = "declaration", _("Integriteitsverklaring")
    NONE = "none", _("Geen")


class RegisterSettings(models.Model):
    """An organisation's own register rules (one row per organisation)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="register_settings"
    )
    oath_term_months = models.PositiveSmallIntegerField(
        _("termijn eed of belofte (maanden na indiensttreding)"), default=2
    )
    commitment_employee = models.CharField(
        _("medewerkers in dienst"), max_length=20, choices=CommitmentRule.choices, default="oath"
    )
    commitment_external = models.CharField(
        _("externen / ingehuurden"),
        max_length=20,
        choices=CommitmentRule.choices,
        default="declaration",
    )
    commitment_volunteer = models.CharField(
        _("vrijwilligers"), max_length=20, choices=CommitmentRule.choices, default="declaration"
    )
    publish_min_salary_scale = models.PositiveSmallIntegerField(
        _("nevenwerkzaamheden openbaar vanaf salarisschaal"), null=True, blank=True, default=14
    )
    publish_positions = models.JSONField(
        _("functies waarvan nevenwerkzaamheden openbaar zijn"), default=list, blank=True
    )
    reconfirm_months = models.PositiveSmallIntegerField(
        _("nevenwerkzaamheden opnieuw bevestigen na (maanden)"), default=12
    )
    gift_threshold = models.DecimalField(
        _("drempel geschenken (euro)"), max_digits=8, decimal_places=2, default=50
    )
    invitations_need_approval = models.BooleanField(
        _("uitnodigingen altijd ter goedkeuring"), default=True
    )
    code_reminder_after_days = models.PositiveSmallIntegerField(
        _("herinnering gedragscode na (dagen)"), default=14
    )
    code_reminder_interval_days = models.PositiveSmallIntegerField(
        _("herinnering gedragscode herhalen na (dagen)"), default=30
    )
    source = models.CharField(_("bron van de regels"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registerinstellingen")
        verbose_name_plural = _("registerinstellingen")

    def __str__(self) -> str:
        return f"register settings {self.organisation_id}"

    def commitment_for(self, contract_type: str) -> str:
        return {
            "employee": self.commitment_employee,
            "external": self.commitment_external,
            "volunteer": self.commitment_volunteer,
        }.get(contract_type, CommitmentRule.NONE)


# --- 1. oath, affirmation, integrity declaration -----------------------------


class CommitmentForm(models.TextChoices):
    OATH = "oath", _("Eed")
    AFFIRMATION = "affirmation", _("Belofte")
    DECLARATION = "declaration", _("Integriteitsverklaring")


class Commitment(models.Model):
    """The oath or affirmation sworn, or the integrity declaration signed, by one person."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.OneToOneField(
        "organisations.Person", on_delete=models.PROTECT, related_name="commitment"
    )
    form = models.CharField(_("vorm"), max_length=20, choices=CommitmentForm.choices)
    taken_on = models.DateField(_("datum afgelegd of getekend"))
    witness = models.CharField(_("getuige"), max_length=200, blank=True)
    sworn_before = models.CharField(_("ten overstaan van"), max_length=200, blank=True)
    ceremony = models.CharField(_("bijeenkomst"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on"]
        verbose_name = _("eed, belofte of verklaring")
        verbose_name_plural = _("eden, beloften en verklaringen")

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.taken_on}"


# --- 2. code of conduct -------------------------------------------------------


class CodeVersion(models.Model):
    """A version of the organisation's code of conduct; the latest adopted one is current."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("titel"), max_length=200)
    version = models.CharField(_("versie"), max_length=40)
    adopted_on = models.DateField(_("vastgesteld op"))
    text = models.TextField(_("tekst"), blank=True)
    file = models.ForeignKey(
        "security.EncryptedFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-adopted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "version"], name="code_version_unique")
        ]
        verbose_name = _("versie gedragscode")
        verbose_name_plural = _("versies gedragscode")

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


class CodeAcknowledgement(models.Model):
    """One person's acknowledgement of one version of the code."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(
        CodeVersion, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="code_acknowledgements"
    )
    acknowledged_on = models.DateField(_("gelezen en onderschreven op"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "person"], name="code_ack_once")]
        verbose_name = _("kennisname gedragscode")
        verbose_name_plural = _("kennisnames gedragscode")

    def __str__(self) -> str:
        return f"acknowledgement {self.version_id}/{self.person_id}"


class CodeReminder(models.Model):
    """When a person was last reminded to acknowledge a version (keeps reminders spaced)."""

    version = models.ForeignKey(CodeVersion, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("organisations.Person", on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    count = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "person"], name="code_reminder_once")
        ]

    def __str__(self) -> str:
        return f"reminder {self.version_id}/{self.person_id}"


# --- 3. outside activities ------------------------------------------------------


class ActivityStatus(models.TextChoices):
    DECLARED = "declared", _("Gemeld, wacht op beoordeling")
    ALLOWED = "allowed", _("Toegestaan")
    ALLOWED_WITH_CONDITIONS = "allowed_with_conditions", _("Toegestaan onder voorwaarden")
    REFUSED = "refused", _("Niet toegestaan")
    ENDED = "ended", _("Beëindigd")


class OutsideActivity(models.Model):
    """An outside activity (nevenwerkzaamheid) declared by a person and assessed by a manager."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="outside_activities"
    )
    description = models.CharField(_("wat"), max_length=300)
    for_whom = models.CharField(_("voor wie"), max_length=300)
    hours_per_month = models.DecimalField(_("uren per maand"), max_digits=5, decimal_places=1)
    paid = models.BooleanField(_("betaald"), default=False)
    conflict_possible = models.BooleanField(_("mogelijke belangenverstrengeling"), default=False)
    conflict_explanation = EncryptedTextField(_("toelichting"), null=True, blank=True)
    started_on = models.DateField(_("begonnen op"), null=True, blank=True)
    declared_on = models.DateField(_("gemeld op"))
    status = models.CharField(
        _("status"), max_length=30, choices=ActivityStatus.choices, default=ActivityStatus.DECLARED
    )
    conditions = EncryptedTextField(_("voorwaarden"), null=True, blank=True)
    reasons = EncryptedTextField(_("motivering"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assessed_on = models.DateField(_("beoordeeld op"), null=True, blank=True)
    last_confirmed_on = models.DateField(_("laatst bevestigd op"), null=True, blank=True)
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declared_on", "-pk"]
        verbose_name = _("nevenwerkzaamheid")
        verbose_name_plural = _("nevenwerkzaamheden")

    def __str__(self) -> str:
        return self.description

    @property
    def is_active(self) -> bool:
        return self.status in (ActivityStatus.ALLOWED, ActivityStatus.ALLOWED_WITH_CONDITIONS)


# --- 4. financial interests and securities transactions ---------------------------


class FinancialDesignation(models.Model):
    """A position title, or one person, designated to declare financial interests."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField(_("functie"), max_length=200, blank=True)
    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reden van aanwijzing"), max_length=300, blank=True)
    designated_on = models.DateField(_("aangewezen op"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(~models.Q(position="") & models.Q(person__isnull=True))
                | (models.Q(position="") & models.Q(person__isnull=False)),
                name="designation_position_xor_person",
            )
        ]
        verbose_name = _("aanwijzing financiële belangen")
        verbose_name_plural = _("aanwijzingen financiële belangen")

    def __str__(self) -> str:
        return self.position or f"person {self.person_id}"


class FinancialKind(models.TextChoices):
    INTEREST = "interest", _("Financieel belang")
    SECURITIES = "securities", _("Effectentransactie")
    NIL = "nil", _("Nihilverklaring (geen belangen)")


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Ingediend, wacht op beoordeling")
    NO_OBJECTION = "no_objection", _("Geen bezwaar")
    MEASURES = "measures", _("Maatregelen nodig")


class FinancialDeclaration(models.Model):
    """A declaration of a financial interest or securities transaction, reviewed by the coordinator."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="financial_declarations"
    )
    kind = models.CharField(_("soort"), max_length=20, choices=FinancialKind.choices)
    details = EncryptedTextField(_("omschrijving"), null=True, blank=True)
    declared_on = models.DateField(_("gemeld op"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED
    )
    review_note = EncryptedTextField(_("oordeel"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_on = models.DateField(_("beoordeeld op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declared_on", "-pk"]
        verbose_name = _("melding financiële belangen")
        verbose_name_plural = _("meldingen financiële belangen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.declared_on}"


# --- 5. gifts and invitations --------------------------------------------------------


class GiftKind(models.TextChoices):
    GIFT = "gift", _("Geschenk")
    INVITATION = "invitation", _("Uitnodiging")


class GiftDecision(models.TextChoices):
    PENDING = "pending", _("Wacht op besluit")
    KEEP = "keep", _("Behouden")
    REFUSE = "refuse", _("Weigeren / teruggeven")
    HAND_IN = "hand_in", _("Inleveren bij de organisatie")


class GiftDeclaration(models.Model):
    """A gift or invitation declared by a person; the rule decides whether it needs a decision."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="gift_declarations"
    )
    kind = models.CharField(_("soort"), max_length=20, choices=GiftKind.choices)
    giver = models.CharField(_("gever"), max_length=200)
    occasion = models.CharField(_("aanleiding"), max_length=300)
    estimated_value = models.DecimalField(
        _("geschatte waarde (euro)"), max_digits=9, decimal_places=2
    )
    received_on = models.DateField(_("datum"))
    declared_on = models.DateField(_("gemeld op"))
    needs_approval = models.BooleanField(_("goedkeuring nodig"))
    threshold_applied = models.DecimalField(max_digits=8, decimal_places=2)
    decision = models.CharField(
        _("besluit"), max_length=20, choices=GiftDecision.choices, default=GiftDecision.PENDING
    )
    decision_note = EncryptedTextField(_("toelichting besluit"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("besloten op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("melding geschenk of uitnodiging")
        verbose_name_plural = _("meldingen geschenken en uitnodigingen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on}"


# --- 6. vulnerable positions -----------------------------------------------------------


class Measure(models.TextChoices):
    ROTATION = "rotation", _("Functieroulatie")
    SEGREGATION = "segregation_of_duties", _("Functiescheiding")
    EXTRA_SCREENING = "extra_screening", _("Extra screening")
    FOUR_EYES = "four_eyes", _("Vier-ogenprincipe")
    OTHER = "other", _("Anders")


class VulnerablePosition(models.Model):
    """A position with an elevated integrity risk in a unit, with its measures."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.CharField(_("functie"), max_length=200)
    risk = models.TextField(_("risico"))
    measures = models.JSONField(_("maatregelen"), default=list, blank=True)
    other_measure = models.CharField(_("andere maatregel"), max_length=300, blank=True)
    assessed_on = models.DateField(_("geïnventariseerd op"))
    review_on = models.DateField(_("herbeoordelen op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__name", "position"]
        verbose_name = _("kwetsbare functie")
        verbose_name_plural = _("kwetsbare functies")

    def __str__(self) -> str:
        return self.position

    def measure_labels(self) -> list[str]:
        labels = dict(Measure.choices)
        return [str(labels.get(code, code)) for code in self.measures]


# --- 7. screening ----------------------------------------------------------------------------


class CheckKind(models.TextChoices):
    VOG = "vog", _("Verklaring Omtrent het Gedrag (VOG)")
    REFERENCES = "references", _("Referenties")
    DIPLOMA = "diploma", _("Diploma's")
    IDENTITY = "identity", _("Identiteit")
    SAFEGUARDING_REFERENCES = "safeguarding_references", _("Referenties safeguarding")
    MISCONDUCT_DISCLOSURE = "misconduct_disclosure", _("Misconduct Disclosure Scheme")


class ScreeningProfile(models.Model):
    """Which checks a group of positions requires, and how often they are repeated."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("naam"), max_length=200)
    positions = models.JSONField(_("functies"), default=list, blank=True)
    checks = models.JSONField(_("controles"), default=list)
    rescreen_months = models.PositiveSmallIntegerField(
        _("opnieuw screenen na (maanden)"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="screening_profile_unique"
            )
        ]
        verbose_name = _("screeningsprofiel")
        verbose_name_plural = _("screeningsprofielen")

    def __str__(self) -> str:
        return self.name

    def check_labels(self) -> list[str]:
        labels = dict(CheckKind.choices)
        return [str(labels.get(code, code)) for code in self.checks]


class CheckStatus(models.TextChoices):
    PENDING = "pending", _("Nog te doen")
    PASSED = "passed", _("In orde")
    FAILED = "failed", _("Niet in orde")
    WAIVED = "waived", _("Niet van toepassing")


class ScreeningCheck(models.Model):
    """One check for one person: its status, when done and when to repeat it."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="screening_checks"
    )
    profile = models.ForeignKey(
        ScreeningProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("controle"), max_length=40, choices=CheckKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=CheckStatus.choices, default=CheckStatus.PENDING
    )
    completed_on = models.DateField(_("uitgevoerd op"), null=True, blank=True)
    rescreen_on = models.DateField(_("opnieuw screenen op"), null=True, blank=True)
    note = EncryptedTextField(_("aantekening"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__last_name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="screening_check_once")
        ]
        verbose_name = _("screeningscontrole")
        verbose_name_plural = _("screeningscontroles")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_status_display()}"
