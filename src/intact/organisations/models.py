"""Organisations (tenants), their units, people, roles and integrity organs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", _("Overheidsorganisatie")
    NGO = "ngo", _("Maatschappelijke organisatie (ngo)")


class Organisation(models.Model):
    """A tenant: one public body or NGO. Nothing of one is ever shown to another."""

    slug = models.SlugField(_("korte naam"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=OrganisationKind.choices)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A unit in the organisation's tree; the root units are central."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("naam"), max_length=200)
    code = models.CharField(_("code"), max_length=30, blank=True)
    is_central = models.BooleanField(
        _("centraal"), default=False, help_text=_("Centraal onderdeel (staf) of decentraal.")
    )

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_name_per_org")
        ]
        verbose_name = _("organisatieonderdeel")
        verbose_name_plural = _("organisatieonderdelen")

    def __str__(self) -> str:
        return self.name


class ContractType(models.TextChoices):
    EMPLOYEE = "employee", _("Medewerker in dienst")
    VOLUNTEER = "volunteer", _("Vrijwilliger")
    EXTERNAL = "external", _("Extern / ingehuurd")


class Person(models.Model):
    """Someone who works for the organisation, with or without a login."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("achternaam"), max_length=150)
    email = models.EmailField(_("e-mailadres"), blank=True)
    employee_number = models.CharField(_("personeelsnummer"), max_length=40, blank=True)
    contract_type = models.CharField(
        _("soort dienstverband"), max_length=20, choices=ContractType.choices
    )
    position = models.CharField(_("functie"), max_length=200, blank=True)
    salary_scale = models.PositiveSmallIntegerField(_("salarisschaal"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    start_date = models.DateField(_("datum in dienst"))
    end_date = models.DateField(_("datum uit dienst"), null=True, blank=True)
    vulnerable_position = models.BooleanField(_("kwetsbare functie"), default=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(user__isnull=False),
                name="person_one_per_user_per_org",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="person_end_after_start",
            ),
        ]
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Medewerker")
    COUNSELLOR = "counsellor", _("Vertrouwenspersoon")
    MANAGER = "manager", _("Leidinggevende")
    COORDINATOR = "coordinator", _("Integriteitscoördinator")
    INVESTIGATOR = "investigator", _("Onderzoeker")
    COMPETENT_AUTHORITY = "competent_authority", _("Bevoegd gezag")
    AUDITOR = "auditor", _("Auditor / ondernemingsraad")
    TECHNICAL_ADMIN = "technical_admin", _("Technisch beheerder")


class Membership(models.Model):
    """A user's role in one organisation, optionally limited to a unit (and below)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("Leeg: de hele organisatie."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role", "unit"], name="membership_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(unit__isnull=True),
                name="membership_unique_orgwide",
            ),
        ]
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.organisation})"


class OrganKind(models.TextChoices):
    COUNSELLOR = "counsellor", _("Vertrouwenspersoon")
    COORDINATOR = "coordinator", _("Integriteitscoördinator")
    COMPLAINTS_COMMITTEE = "complaints_committee", _("Klachtencommissie")
    REPORTING_POINT = "reporting_point", _("Meldpunt")
    EXTERNAL_BODY = "external_body", _("Externe instantie")
    OTHER = "other", _("Overig")


class IntegrityOrgan(models.Model):
    """An entry in the directory of the organisation's integrity organs."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="integrity_organs"
    )
    kind = models.CharField(_("soort"), max_length=30, choices=OrganKind.choices)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="organ_roles"
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_external = models.BooleanField(_("extern"), default=False)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["organisation", "order", "name"]
        verbose_name = _("integriteitsorgaan")
        verbose_name_plural = _("integriteitsorganen")

    def __str__(self) -> str:
        return self.name
