"""Learning: the counsellors' conversation log, activities and moral case law.

* The conversation log holds no names. Its only confidential field, the
  counsellor's own note, is encrypted and readable by that counsellor alone;
  everybody else sees counts.
* Activities (training, dilemma game, moral deliberation …) are operational
  data: who ran what, for whom, with how many participants.
* Moral case law (moresprudentie) holds anonymised dilemmas; it is internal,
  not confidential, and searchable.

Topics and tags are data per organisation (defaults in ``data/*.yaml``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from intact.organisations.models import Organisation, Person, Unit
from intact.security.fields import EncryptedTextField


class _Labelled(models.Model):
    """A name in Dutch with an optional English name, shown by the active language."""

    name = models.CharField(_("naam"), max_length=120)
    name_en = models.CharField(_("naam (Engels)"), max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "nl").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class ConversationTopic(_Labelled):
    """A topic of the conversation log; one level of sub-topics under a top-level topic."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="conversation_topics"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subtopics",
        verbose_name=_("hoofdonderwerp"),
    )
    code = models.SlugField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        ordering = ["organisation", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="learning_topic_unique_code"
            )
        ]
        verbose_name = _("gespreksonderwerp")
        verbose_name_plural = _("gespreksonderwerpen")

    @property
    def root(self) -> ConversationTopic:
        return self.parent if self.parent_id else self

    @property
    def full_label(self) -> str:
        return f"{self.parent.label} – {self.label}" if self.parent_id else self.label


class ContactForm(models.TextChoices):
    IN_PERSON = "in_person", _("Persoonlijk gesprek")
    PHONE = "phone", _("Telefonisch")
    VIDEO = "video", _("Videogesprek")
    WRITTEN = "written", _("E-mail of schriftelijk")


class FollowUp(models.TextChoices):
    NONE = "none", _("Alleen gesprek (luisterend oor)")
    ADVICE = "advice", _("Advies gegeven")
    REFERRAL = "referral", _("Doorverwezen")
    REPORT = "report", _("Melding gedaan")


class CounsellorConversation(models.Model):
    """One conversation of a confidential counsellor, registered without any name.

    ``counsellor`` is the user who registered it (empty for rows imported from
    earlier years, which then only count). Only that counsellor sees the row
    and its note; everybody else sees counts.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="counsellor_conversations"
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="counsellor_conversations",
        verbose_name=_("vertrouwenspersoon"),
    )
    date = models.DateField(_("datum"))
    topic = models.ForeignKey(
        ConversationTopic,
        on_delete=models.PROTECT,
        related_name="conversations",
        verbose_name=_("onderwerp"),
    )
    contact_form = models.CharField(
        _("contactvorm"), max_length=20, choices=ContactForm.choices, default=ContactForm.IN_PERSON
    )
    follow_up = models.CharField(
        _("vervolg"), max_length=20, choices=FollowUp.choices, default=FollowUp.ADVICE
    )
    note = EncryptedTextField(_("notitie"), null=True, blank=True)
    imported = models.BooleanField(_("geïmporteerd"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organisation", "date"], name="learning_conv_org_date")]
        verbose_name = _("gesprek vertrouwenspersoon")
        verbose_name_plural = _("gesprekken vertrouwenspersonen")

    def __str__(self) -> str:
        return f"{self.date} – {self.topic}"


class Facilitator(models.Model):
    """A member of the facilitator pool: an internal person or an external name."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="facilitators"
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilitator_roles",
        verbose_name=_("medewerker"),
    )
    external_name = models.CharField(_("naam (extern)"), max_length=200, blank=True)
    affiliation = models.CharField(_("organisatie of bureau"), max_length=200, blank=True)
    is_active = models.BooleanField(_("actief in de pool"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "external_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(external_name=""),
                name="learning_facilitator_person_or_name",
            )
        ]
        verbose_name = _("begeleider")
        verbose_name_plural = _("begeleiders")

    def __str__(self) -> str:
        if self.affiliation:
            return f"{self.display_name} ({self.affiliation})"
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.person_id:
            return self.person.full_name
        return self.external_name

    @property
    def is_external(self) -> bool:
        return self.person_id is None


class ActivityType(models.TextChoices):
    TRAINING = "training", _("Training")
    DILEMMA_GAME = "dilemma_game", _("Dilemmaspel")
    MORAL_DELIBERATION = "moral_deliberation", _("Moreel beraad")
    WORKSHOP = "workshop", _("Workshop")
    E_LEARNING = "e_learning", _("E-learning")
    INTERVISION = "intervision", _("Intervisie")
    NETWORK_MEETING = "network_meeting", _("Bijeenkomst integriteitsnetwerk")
    WORKS_COUNCIL = "works_council", _("Overleg met de ondernemingsraad")
    COMMUNICATION = "communication", _("Artikel of communicatie")
    KNOWLEDGE_EVENT = "knowledge_event", _("Kennisbijeenkomst")
    OTHER = "other", _("Overig")


class Audience(models.TextChoices):
    NEW_EMPLOYEES = "new_employees", _("Nieuwe medewerkers")
    DEPARTMENT = "department", _("Afdeling of team")
    PROFESSIONAL_GROUP = "professional_group", _("Beroepsgroep of vakgenootschap")
    MANAGERS = "managers", _("Leidinggevenden")
    ALL_STAFF = "all_staff", _("Alle medewerkers")
    INTEGRITY_ORGANS = "integrity_organs", _("Integriteitsorganen en netwerk")
    WORKS_COUNCIL = "works_council", _("Ondernemingsraad")
    EXTERNAL = "external", _("Extern")


class Activity(models.Model):
    """A preventive activity: a session, a consultation, a publication, an event."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="learning_activities"
    )
    type = models.CharField(_("soort"), max_length=30, choices=ActivityType.choices)
    title = models.CharField(_("titel"), max_length=200)
    date = models.DateField(_("datum"))
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learning_activities",
        verbose_name=_("organisatieonderdeel"),
    )
    audience = models.CharField(_("doelgroep"), max_length=30, choices=Audience.choices)
    audience_detail = models.CharField(
        _("toelichting doelgroep"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld de naam van de afdeling of de beroepsgroep."),
    )
    facilitators = models.ManyToManyField(
        Facilitator, blank=True, related_name="activities", verbose_name=_("begeleiders")
    )
    participants = models.PositiveIntegerField(_("aantal deelnemers"), default=0)
    notes = models.TextField(_("opmerkingen"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["organisation", "date"], name="learning_act_org_date"),
            models.Index(fields=["organisation", "type"], name="learning_act_org_type"),
        ]
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")

    def __str__(self) -> str:
        return f"{self.date} – {self.title}"


class TagKind(models.TextChoices):
    CORE_VALUE = "core_value", _("Kernwaarde")
    TOPIC = "topic", _("Thema")


class CaseLawTag(_Labelled):
    """A core value or topic that moral case law is tagged with."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="case_law_tags"
    )
    kind = models.CharField(_("soort"), max_length=20, choices=TagKind.choices)
    code = models.SlugField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["organisation", "kind", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="learning_tag_unique_code"
            )
        ]
        verbose_name = _("label")
        verbose_name_plural = _("labels")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    PUBLISHED = "published", _("Gepubliceerd")


class MoralCase(models.Model):
    """An anonymised dilemma from moral deliberation, with considerations and conclusion."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="moral_cases"
    )
    title = models.CharField(_("titel"), max_length=200)
    dilemma = models.TextField(_("dilemma"))
    considerations = models.TextField(_("overwegingen"))
    conclusion = models.TextField(_("conclusie"))
    discussed_on = models.DateField(_("besproken op"), null=True, blank=True)
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moral_cases",
        verbose_name=_("besproken in"),
    )
    tags = models.ManyToManyField(
        CaseLawTag, blank=True, related_name="cases", verbose_name=_("kernwaarden en thema's")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    anonymised_confirmed = models.BooleanField(_("geanonimiseerd bevestigd"), default=False)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-discussed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(anonymised_confirmed=True),
                name="learning_case_published_is_anonymised",
            )
        ]
        verbose_name = _("moresprudentie")
        verbose_name_plural = _("moresprudentie")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == CaseStatus.PUBLISHED
