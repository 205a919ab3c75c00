"""Reports, the reporter's receipt and mailbox, and what handlers add to a report.

Confidential content (answers, identities, messages, notes, names of
implicated people, file names) is stored with the encrypted fields of
``intact.security.fields``. Nothing here stores an IP address, user agent or
referrer of a reporter (DESIGN rule 2): there are no fields for them.

The staff side's models (procedures, terms, routes, identity reveal requests)
live in ``models_procedures.py`` and point to these models, never the reverse.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from intact.security.fields import EncryptedJSONField, EncryptedTextField


class ReportType(models.TextChoices):
    WRONGDOING = "wrongdoing", _("Vermoeden van een misstand (Wbk)")
    BUSINESS = "business_integrity", _("Integriteitsschending")
    BEHAVIOUR = "undesirable_behaviour", _("Ongewenst gedrag")
    QUESTION = "question", _("Vraag of advies")


class Anonymity(models.TextChoices):
    NAMED = "named", _("Met naam")
    CONFIDENTIAL = "confidential", _("Vertrouwelijk")
    ANONYMOUS = "anonymous", _("Anoniem")


class Channel(models.TextChoices):
    WEB = "web", _("Meldpagina")
    PHONE = "phone", _("Telefoon")
    LETTER = "letter", _("Brief")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("Gesprek")
    VOICE_MESSAGE = "voice_message", _("Ingesproken bericht")
    COUNSELLOR = "counsellor", _("Via vertrouwenspersoon")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Ontvangen")
    ACKNOWLEDGED = "acknowledged", _("Ontvangst bevestigd")
    IN_PROGRESS = "in_progress", _("In behandeling")
    CASE_OPENED = "case_opened", _("Onderzoek / zaak geopend")
    CLOSED = "closed", _("Afgesloten")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Korte tekst")
    TEXTAREA = "textarea", _("Lange tekst")
    CHOICE = "choice", _("Keuze")
    DATE = "date", _("Datum")
    YESNO = "yesno", _("Ja / nee")


class Decision(models.TextChoices):
    NONE = "", _("Nog geen besluit")
    CASE = "case", _("In behandeling genomen als zaak")
    CLOSED = "closed", _("Afgesloten")


class OralRecord(models.TextChoices):
    """How an oral report is kept (Wbk; EU Directive 2019/1937 art. 18)."""

    NONE = "", _("Niet van toepassing")
    RECORDING = "recording", _("Opname (met toestemming)")
    MINUTES = "minutes", _("Verslag")


class Question(models.Model):
    """One question of an organisation's questionnaire for one report type.

    Defaults come from ``reporting/data/questionnaire.yaml`` through
    ``services.questionnaire_ensure_defaults``; organisations adapt them.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="report_questions"
    )
    report_type = models.CharField(_("soort melding"), max_length=30, choices=ReportType.choices)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    key = models.SlugField(_("sleutel"), max_length=60)
    kind = models.CharField(
        _("soort vraag"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXTAREA
    )
    required = models.BooleanField(_("verplicht"), default=False)
    text_nl = models.CharField(_("vraag (Nederlands)"), max_length=300)
    text_en = models.CharField(_("vraag (Engels)"), max_length=300, blank=True)
    help_nl = models.TextField(_("toelichting (Nederlands)"), blank=True)
    help_en = models.TextField(_("toelichting (Engels)"), blank=True)
    choices = models.JSONField(
        _("keuzes"),
        default=list,
        blank=True,
        help_text=_("Lijst van {\"value\", \"nl\", \"en\"} voor keuzevragen."),
    )
    active = models.BooleanField(_("actief"), default=True)
    translations = models.JSONField(
        _("vertalingen"),
        default=dict,
        blank=True,
        help_text=_("Andere talen: {\"de\": {\"text\": …, \"help\": …}}. Keuzes krijgen een sleutel per taal."),
    )

    class Meta:
        ordering = ["organisation", "report_type", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "report_type", "key"], name="question_unique_key"
            )
        ]
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")

    def __str__(self) -> str:
        return self.text_nl

    def _localised(self, part: str, language: str) -> str:
        # Dutch and English have columns; any other language lives in
        # ``translations`` so that adding one needs data, not a migration.
        lang = (language or "nl")[:2].lower()
        dutch, english = getattr(self, f"{part}_nl"), getattr(self, f"{part}_en")
        if lang == "nl":
            return dutch
        if lang != "en":
            other = (self.translations or {}).get(lang, {}).get(part)
            if other:
                return other
        return english or dutch

    def text(self, language: str) -> str:
        return self._localised("text", language)

    def help(self, language: str) -> str:
        return self._localised("help", language)

    def choice_label(self, choice: dict, language: str) -> str:
        lang = (language or "nl")[:2].lower()
        return choice.get(lang) or choice.get("en") or choice.get("nl") or choice.get("value", "")


class ReportSequence(models.Model):
    """The last reference number handed out per organisation and year."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="report_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class Report(models.Model):
    """A report (melding) as received, from any channel.

    ``reference`` is for people (``M-2026-0042``) and unrelated to the
    receipt. The receipt is never stored: only an HMAC of its lookup part
    (``receipt_lookup``) and an Argon2id hash of its peppered secret part.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="reports"
    )
    reference = models.CharField(_("kenmerk"), max_length=20)
    report_type = models.CharField(_("soort melding"), max_length=30, choices=ReportType.choices)
    anonymity = models.CharField(_("wijze van melden"), max_length=20, choices=Anonymity.choices)
    channel = models.CharField(
        _("kanaal"), max_length=20, choices=Channel.choices, default=Channel.WEB
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    answers = EncryptedJSONField(_("antwoorden"), default=dict)
    language = models.CharField(_("taal"), max_length=10, default="nl")
    pseudonym = models.CharField(
        _("pseudoniem"),
        max_length=40,
        blank=True,
        help_text=_("Hoe behandelaars de melder noemen; verraadt niets over de persoon."),
    )
    meeting_requested = models.BooleanField(_("wil een persoonlijk gesprek"), default=False)
    received_at = models.DateTimeField(_("ontvangen op"), db_index=True)
    acknowledged_at = models.DateTimeField(_("ontvangst bevestigd op"), null=True, blank=True)
    feedback_given_at = models.DateTimeField(_("terugkoppeling gegeven op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    close_reason = EncryptedTextField(_("reden van afsluiten"), null=True, blank=True)
    decision = models.CharField(
        _("besluit"), max_length=10, choices=Decision.choices, default=Decision.NONE, blank=True
    )
    decided_at = models.DateTimeField(_("besluit genomen op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Receipt: HMAC(pepper, lookup part) and Argon2id(HMAC(pepper, secret part)).
    receipt_lookup = models.CharField(max_length=64, unique=True)
    receipt_hash = models.CharField(max_length=200)
    receipt_failures = models.PositiveIntegerField(default=0)
    receipt_locked_until = models.DateTimeField(null=True, blank=True)
    notify_email = EncryptedTextField(_("e-mailadres voor meldingen"), null=True, blank=True)
    mailbox_blocked = models.BooleanField(_("postbus geblokkeerd"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geregistreerd door"),
    )
    oral_record = models.CharField(
        _("vastlegging mondelinge melding"),
        max_length=10,
        choices=OralRecord.choices,
        default=OralRecord.NONE,
        blank=True,
    )
    recording_consent = models.BooleanField(_("toestemming voor opname"), default=False)
    minutes_confirmed_at = models.DateTimeField(
        _("verslag door melder bevestigd op"), null=True, blank=True
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="report_unique_reference"
            )
        ]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status == ReportStatus.CLOSED


class ReporterIdentity(models.Model):
    """Who reported, for named and confidential reports.

    For a confidential report ``sealed`` is true: handlers see only the
    pseudonym; revealing needs a reason and a custodian's approval (the staff
    side's ``IdentityRevealRequest``).
    """

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="identity")
    name = EncryptedTextField(_("naam"))
    email = EncryptedTextField(_("e-mailadres"))
    phone = EncryptedTextField(_("telefoonnummer"))
    sealed = models.BooleanField(_("verzegeld"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identiteit melder")
        verbose_name_plural = _("identiteiten melders")

    def __str__(self) -> str:
        return f"identity of report {self.report_id}"  # never the name itself

    @property
    def crypto_organisation_id(self) -> int:
        return self.report.organisation_id


class ImplicatedPerson(models.Model):
    """Someone the report is about. The user linked to ``person`` never sees the report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="implicated")
    person = models.ForeignKey(
        "organisations.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("persoon"),
    )
    description = EncryptedTextField(_("omschrijving"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("betrokkene")
        verbose_name_plural = _("betrokkenen")

    def __str__(self) -> str:
        return f"person involved in report {self.report_id}"

    @property
    def crypto_organisation_id(self) -> int:
        return self.report.organisation_id


class ReportAccess(models.Model):
    """Who may see a report. Active while ``revoked_at`` is empty."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_accesses"
    )
    reason = models.CharField(_("reden"), max_length=200)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("toegekend op"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        ordering = ["granted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user"],
                condition=models.Q(revoked_at__isnull=True),
                name="report_access_one_active",
            )
        ]
        verbose_name = _("toegang tot melding")
        verbose_name_plural = _("toegang tot meldingen")

    def __str__(self) -> str:
        return f"user {self.user_id} on report {self.report_id}"


class MessageDirection(models.TextChoices):
    TO_REPORTER = "to_reporter", _("Aan melder")
    FROM_REPORTER = "from_reporter", _("Van melder")


class Message(models.Model):
    """A message in the two-way mailbox between handler and reporter."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=20, choices=MessageDirection.choices)
    body = EncryptedTextField(_("bericht"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")

    def __str__(self) -> str:
        return f"message {self.pk} ({self.direction}) on report {self.report_id}"

    @property
    def crypto_organisation_id(self) -> int:
        return self.report.organisation_id


class InternalNote(models.Model):
    """A handler's note on a report. The reporter never sees it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = EncryptedTextField(_("notitie"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("interne notitie")
        verbose_name_plural = _("interne notities")

    def __str__(self) -> str:
        return f"note {self.pk} on report {self.report_id}"

    @property
    def crypto_organisation_id(self) -> int:
        return self.report.organisation_id


class Attachment(models.Model):
    """A file added to a report or a message; content in ``security.EncryptedFile``."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.ForeignKey("security.EncryptedFile", on_delete=models.PROTECT, related_name="+")
    name = EncryptedTextField(_("bestandsnaam"))
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    stripped_metadata = models.BooleanField(_("metadata verwijderd"), default=False)
    from_reporter = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")

    def __str__(self) -> str:
        return f"attachment {self.pk} of report {self.report_id}"

    @property
    def crypto_organisation_id(self) -> int:
        return self.report.organisation_id


class ReportEvent(models.Model):
    """One entry of a report's timeline.

    ``detail`` never holds confidential content: state names, ids and counts only.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    at = models.DateTimeField(db_index=True)
    actor_label = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    visible_to_reporter = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")

    def __str__(self) -> str:
        return f"{self.kind} on report {self.report_id}"


class MailboxThrottle(models.Model):
    """Failed receipt logins per minute, installation-wide (no IP addresses needed)."""

    window_start = models.DateTimeField(unique=True)
    failures = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.window_start:%Y-%m-%d %H:%M}: {self.failures}"


# The staff side's models (procedures, terms, routes, identity reveal requests)
# live in their own module; importing it here registers them with Django.
# They import this module, so this import must stay at the bottom.
import importlib.util as _ilu  # noqa: E402

if _ilu.find_spec("intact.reporting.models_procedures") is not None:
    from intact.reporting.models_procedures import *  # noqa: E402,F401,F403
