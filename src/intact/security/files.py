"""Files stored encrypted with their organisation's data key (DESIGN rule 3).

The content goes through :func:`crypto.encrypt` and lands in the default
storage under a random name that says nothing about the file; the original
name is encrypted too. ``EncryptedFile.sha256`` is the digest of the stored
ciphertext (an integrity check of the blob), never of the plaintext, because
a plaintext digest would let anyone with the database confirm a guessed file.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from intact.security import crypto
from intact.security.models import EncryptedFile


class FileIntegrityError(Exception):
    """The stored blob does not match what was written."""


def file_store(organisation: Any, name: str, content_type: str, data: bytes) -> EncryptedFile:
    """Encrypt ``data`` and store it; returns the new :class:`EncryptedFile`.

    The blob is written before the row. If creating the row fails the blob is
    removed; if an outer transaction rolls back later, an encrypted blob
    without a row may remain: still encrypted, so harmless, and a cleanup can
    find it by comparing the storage with the table.
    """
    org_id = getattr(organisation, "pk", organisation)
    ciphertext = crypto.encrypt(org_id, bytes(data))
    wanted = f"encrypted/{org_id}/{secrets.token_hex(16)}"
    storage_name = default_storage.save(wanted, ContentFile(ciphertext))
    try:
        with transaction.atomic():
            return EncryptedFile.objects.create(
                organisation_id=org_id,
                storage_name=storage_name,
                name_ciphertext=crypto.encrypt_text(org_id, name),
                content_type=content_type[:100],
                size=len(data),
                sha256=hashlib.sha256(ciphertext).hexdigest(),
            )
    except Exception:
        default_storage.delete(storage_name)
        raise


def file_read(encrypted_file: EncryptedFile) -> bytes:
    """The decrypted content; raises :class:`FileIntegrityError` or ``crypto.DecryptionError``."""
    with default_storage.open(encrypted_file.storage_name, "rb") as handle:
        ciphertext = handle.read()
    if hashlib.sha256(ciphertext).hexdigest() != encrypted_file.sha256:
        raise FileIntegrityError("stored file does not match its record")
    return crypto.decrypt(ciphertext)


def file_name(encrypted_file: EncryptedFile) -> str:
    """The original file name, decrypted."""
    return crypto.decrypt_text(bytes(encrypted_file.name_ciphertext))


def file_delete(encrypted_file: EncryptedFile) -> None:
    """Remove the blob and the record (for retention); the key stays for other files."""
    storage_name = encrypted_file.storage_name
    with transaction.atomic():
        encrypted_file.delete()
        transaction.on_commit(lambda: default_storage.delete(storage_name))
