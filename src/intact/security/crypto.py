"""Envelope encryption of confidential fields and files (AES-256-GCM).

Each organisation has a random 256-bit data key, stored wrapped by the master
key (``OrganisationKey``). A ciphertext carries a small header that names the
organisation key it was made with, so it can be decrypted without knowing
where it came from:

    b"I1" | org-key id (8 bytes, big-endian) | nonce (12 bytes) | ciphertext+tag

The header is authenticated as associated data, so a ciphertext cannot be
moved to another organisation's key. No home-made primitives: AESGCM from
``cryptography``, nonces from the OS.
"""

from __future__ import annotations

import os
import struct
import threading

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import transaction

from intact.security import keys

MAGIC = b"I1"
HEADER = struct.Struct(">2sQ")  # magic, organisation key id
NONCE_SIZE = 12
_WRAP_AAD = b"intact-org-key-wrap-v1"

_data_keys: dict[int, bytes] = {}  # OrganisationKey.pk -> data key
_org_to_key: dict[int, int] = {}  # Organisation.pk -> OrganisationKey.pk
_lock = threading.Lock()


class DecryptionError(Exception):
    """A ciphertext could not be authenticated or its key is unknown."""


def forget_data_keys() -> None:
    with _lock:
        _data_keys.clear()
        _org_to_key.clear()


def wrap_key(data_key: bytes, master_key: bytes) -> bytes:
    nonce = os.urandom(NONCE_SIZE)
    return nonce + AESGCM(master_key).encrypt(nonce, data_key, _WRAP_AAD)


def unwrap_key(wrapped: bytes, master_key: bytes) -> bytes:
    wrapped = bytes(wrapped)
    return AESGCM(master_key).decrypt(wrapped[:NONCE_SIZE], wrapped[NONCE_SIZE:], _WRAP_AAD)


def _load(org_key) -> bytes:  # noqa: ANN001 - OrganisationKey
    ring = keys.keyring()
    master = ring.master_keys.get(org_key.master_key_id)
    if master is None:
        # Another process may have rotated the master key: read the keys again once.
        keys.reset()
        master = keys.keyring().master_keys.get(org_key.master_key_id)
    if master is None:
        raise DecryptionError(f"master key {org_key.master_key_id} is not available")
    return unwrap_key(org_key.wrapped_key, master)


def organisation_key(organisation_id: int) -> tuple[int, bytes]:
    """The (key id, data key) of an organisation, created on first use."""
    from intact.security.models import OrganisationKey

    key_pk = _org_to_key.get(organisation_id)
    if key_pk is not None and key_pk in _data_keys:
        return key_pk, _data_keys[key_pk]
    with transaction.atomic():
        org_key = OrganisationKey.objects.filter(organisation_id=organisation_id).first()
        if org_key is None:
            ring = keys.keyring()
            org_key = OrganisationKey.objects.create(
                organisation_id=organisation_id,
                wrapped_key=wrap_key(os.urandom(32), ring.current_master),
                master_key_id=ring.current_master_id,
            )
    data_key = _load(org_key)
    with _lock:
        _data_keys[org_key.pk] = data_key
        _org_to_key[organisation_id] = org_key.pk
    return org_key.pk, data_key


def _key_by_id(key_pk: int) -> bytes:
    from intact.security.models import OrganisationKey

    data_key = _data_keys.get(key_pk)
    if data_key is None:
        org_key = OrganisationKey.objects.filter(pk=key_pk).first()
        if org_key is None:
            raise DecryptionError("unknown organisation key")
        data_key = _load(org_key)
        with _lock:
            _data_keys[key_pk] = data_key
            _org_to_key[org_key.organisation_id] = key_pk
    return data_key


def encrypt(organisation_id: int, plaintext: bytes) -> bytes:
    """Encrypt ``plaintext`` with the organisation's data key."""
    key_pk, data_key = organisation_key(organisation_id)
    header = HEADER.pack(MAGIC, key_pk)
    nonce = os.urandom(NONCE_SIZE)
    return header + nonce + AESGCM(data_key).encrypt(nonce, plaintext, header)


def decrypt(ciphertext: bytes) -> bytes:
    """Decrypt what :func:`encrypt` made; raises :class:`DecryptionError` on any tampering."""
    blob = bytes(ciphertext)
    if len(blob) < HEADER.size + NONCE_SIZE + 16:
        raise DecryptionError("ciphertext too short")
    magic, key_pk = HEADER.unpack_from(blob)
    if magic != MAGIC:
        raise DecryptionError("not an Intact ciphertext")
    header = blob[: HEADER.size]
    nonce = blob[HEADER.size : HEADER.size + NONCE_SIZE]
    try:
        return AESGCM(_key_by_id(key_pk)).decrypt(nonce, blob[HEADER.size + NONCE_SIZE :], header)
    except DecryptionError:
        raise
    except Exception as exc:  # InvalidTag
        raise DecryptionError("ciphertext failed authentication") from exc


def encrypt_text(organisation_id: int, text: str) -> bytes:
    return encrypt(organisation_id, text.encode("utf-8"))


def decrypt_text(ciphertext: bytes) -> str:
    return decrypt(ciphertext).decode("utf-8")


def rotate_master_key(new_master: bytes) -> int:
    """Re-wrap every organisation key with ``new_master``; returns how many were re-wrapped.

    Runs in one transaction: either every key is re-wrapped or none is.
    The caller stores the new master key (key file or environment) first.
    """
    from django.utils import timezone

    from intact.security.models import OrganisationKey

    new_id = keys.key_id(new_master)
    count = 0
    with transaction.atomic():
        for org_key in OrganisationKey.objects.select_for_update().order_by("pk"):
            data_key = _load(org_key)
            org_key.wrapped_key = wrap_key(data_key, new_master)
            org_key.master_key_id = new_id
            org_key.rotated_at = timezone.now()
            org_key.save(update_fields=["wrapped_key", "master_key_id", "rotated_at"])
            count += 1
    return count
