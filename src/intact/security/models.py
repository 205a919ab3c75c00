"""Accounts, keys and the audit log."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff login. Reporters never have one."""

    preferred_language = models.CharField(_("voorkeurstaal"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.get_username()


class OrganisationKey(models.Model):
    """An organisation's data key, wrapped (AES-GCM) by the master key.

    The data key encrypts the organisation's confidential fields and files.
    Rotating the master key re-wraps these rows; the data itself is untouched.
    """

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="data_key"
    )
    wrapped_key = models.BinaryField()
    master_key_id = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"data key of organisation {self.organisation_id}"


class AuditEntry(models.Model):
    """One append-only, hash-chained entry of the audit log.

    No foreign keys: an entry must outlive whatever it is about (the person,
    the case, the organisation), so references are stored as plain values.
    Database triggers (see the migration) refuse UPDATE and DELETE; the chain
    detects what a person with direct database access changes anyway.
    """

    timestamp = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action}"


class AuditHead(models.Model):
    """The single row that serialises appends to the chain (row lock on PostgreSQL)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit head ({self.count} entries)"


class EncryptedFile(models.Model):
    """A file stored encrypted with its organisation's data key."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    storage_name = models.CharField(max_length=200, unique=True)
    name_ciphertext = models.BinaryField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"encrypted file {self.pk}"
