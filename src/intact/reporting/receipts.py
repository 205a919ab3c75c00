"""Receipts: the reporter's only key to the mailbox (see docs/receipts.md).

A receipt is 20 characters from Crockford's base32 alphabet (no I, L, O, U),
written in four groups of five: ``7KQ2M-XR9TD-4HN8P-W3ZCB``. That is 100 bits:

* the first group (25 bits) is the *lookup* part. Only
  ``HMAC-SHA256(pepper, organisation id | lookup)`` is stored, indexed and
  unique, so the database alone does not tell which receipts exist;
* the other three groups (75 bits) are the *secret*. Only
  ``Argon2id(HMAC-SHA256(pepper, secret))`` is stored, with a random salt per
  report inside the PHC string. A stolen database without the pepper gives
  nothing to guess against; with the pepper, every guess costs one Argon2id.

Every Argon2 call runs under a process-wide bounded semaphore, so a flood of
logins cannot make the process allocate more than ``INTACT_KDF_CONCURRENCY``
times 19 MiB at once. Who cannot get a slot in time gets :class:`KdfBusy`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from django.conf import settings

from intact.security import keys

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
GROUP = 5
GROUPS = 4
LENGTH = GROUP * GROUPS
LOOKUP_LENGTH = GROUP
BITS_PER_CHAR = 5
ENTROPY_BITS = LENGTH * BITS_PER_CHAR  # 100
SECRET_BITS = (LENGTH - LOOKUP_LENGTH) * BITS_PER_CHAR  # 75

# Characters people confuse, read aloud or type by mistake, mapped as Crockford does.
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
_SEPARATORS = str.maketrans("", "", " -_.\t\n\r\u00a0\u2010\u2011\u2012\u2013\u2014")

# OWASP Password Storage Cheat Sheet, Argon2id minimum: m = 19 MiB, t = 2, p = 1.
ARGON2_TIME_COST = 2
ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_PARALLELISM = 1

_hasher = PasswordHasher(
    time_cost=ARGON2_TIME_COST,
    memory_cost=ARGON2_MEMORY_KIB,
    parallelism=ARGON2_PARALLELISM,
    hash_len=32,
    salt_len=16,
    type=Type.ID,
)


def _argon2_verify(stored_hash: str, data: bytes) -> bool:
    return _hasher.verify(stored_hash, data)


class MalformedReceipt(ValueError):
    """The input cannot be a receipt (wrong length or characters)."""


class KdfBusy(RuntimeError):
    """No key-derivation slot came free in time; the caller should answer "try again"."""


def generate() -> str:
    """A new receipt, normalised (20 characters, no separators)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def format_receipt(receipt: str) -> str:
    """``7KQ2MXR9TD4HN8PW3ZCB`` -> ``7KQ2M-XR9TD-4HN8P-W3ZCB``."""
    value = normalise(receipt)
    return "-".join(value[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def groups(receipt: str) -> list[str]:
    return format_receipt(receipt).split("-")


def normalise(text: str) -> str:
    """Upper-case, drop spaces and dashes, map confusable letters; raise if not a receipt."""
    if not isinstance(text, str):
        raise MalformedReceipt("not text")
    value = text.strip().upper().translate(_SEPARATORS).translate(_CONFUSABLE)
    if len(value) != LENGTH or any(c not in ALPHABET for c in value):
        raise MalformedReceipt("not a receipt")
    return value


def split(receipt: str) -> tuple[str, str]:
    """(lookup part, secret part) of a normalised receipt."""
    value = normalise(receipt)
    return value[:LOOKUP_LENGTH], value[LOOKUP_LENGTH:]


def lookup_digest(organisation_id: int, lookup: str) -> str:
    """What is stored for the lookup part: HMAC(pepper, organisation | lookup), hex."""
    msg = f"intact-receipt-lookup-v1|{int(organisation_id)}|{lookup}".encode()
    return hmac.new(keys.keyring().receipt_pepper, msg, hashlib.sha256).hexdigest()


def _peppered(secret: str) -> bytes:
    msg = f"intact-receipt-secret-v1|{secret}".encode()
    return hmac.new(keys.keyring().receipt_pepper, msg, hashlib.sha256).hexdigest().encode()


# --- bounded key derivation ---------------------------------------------------------

_slots: threading.BoundedSemaphore | None = None
_slots_size = 0
_slots_lock = threading.Lock()


def _semaphore() -> threading.BoundedSemaphore:
    global _slots, _slots_size
    size = max(1, int(getattr(settings, "INTACT_KDF_CONCURRENCY", 2)))
    with _slots_lock:
        if _slots is None or _slots_size != size:
            _slots = threading.BoundedSemaphore(size)
            _slots_size = size
        return _slots


def kdf_concurrency() -> int:
    """How many key derivations may run at once in this process."""
    _semaphore()
    return _slots_size


@contextmanager
def kdf_slot(timeout: float | None = None) -> Iterator[None]:
    """Hold one of the process's key-derivation slots, or raise :class:`KdfBusy`."""
    if timeout is None:
        timeout = float(getattr(settings, "INTACT_KDF_WAIT_SECONDS", 2.0))
    slots = _semaphore()
    if not slots.acquire(timeout=timeout):
        raise KdfBusy
    try:
        yield
    finally:
        slots.release()


def hash_secret(secret: str, *, timeout: float | None = None) -> str:
    """Argon2id PHC string of the peppered secret part (fresh random salt)."""
    data = _peppered(secret)
    with kdf_slot(timeout):
        return _hasher.hash(data)


def verify_secret(stored_hash: str, secret: str, *, timeout: float | None = None) -> bool:
    """True when ``secret`` matches ``stored_hash``; always costs one Argon2id."""
    data = _peppered(secret)
    with kdf_slot(timeout):
        try:
            return _argon2_verify(stored_hash, data)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


_dummy_hash: str | None = None


def verify_dummy(secret: str, *, timeout: float | None = None) -> None:
    """Spend exactly what a real verification spends, for a lookup that does not exist."""
    global _dummy_hash
    if _dummy_hash is None:
        with kdf_slot(timeout):
            _dummy_hash = _hasher.hash(secrets.token_bytes(32))
    verify_secret(_dummy_hash, secret, timeout=timeout)


def create(organisation_id: int, *, timeout: float | None = None) -> tuple[str, str, str]:
    """A new receipt: (receipt, lookup digest, secret hash). The receipt itself is never stored."""
    receipt = generate()
    lookup, secret = split(receipt)
    return receipt, lookup_digest(organisation_id, lookup), hash_secret(secret, timeout=timeout)
