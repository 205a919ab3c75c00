"""Where the installation's secrets come from: environment or key file.

The key file (``INTACT_KEY_FILE``, default ``var/keys.json``, mode 0600) holds
the master key(s), the receipt pepper and the audit-chain key. It is created
on first use by the embedded installation. In production the master key can
come from ``INTACT_MASTER_KEY`` instead (base64 of 32 random bytes), the
pepper from ``INTACT_RECEIPT_PEPPER`` and the audit key from ``INTACT_AUDIT_KEY``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from intact.core.secrets import write_private_file

_lock = threading.Lock()
_cache: Keyring | None = None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def key_id(key: bytes) -> str:
    """A short public fingerprint of a key, to tell keys apart without revealing them."""
    return hashlib.sha256(b"intact-key-id" + key).hexdigest()[:16]


@dataclass(frozen=True)
class Keyring:
    master_keys: dict[str, bytes]  # id -> key
    current_master_id: str
    receipt_pepper: bytes
    audit_key: bytes

    @property
    def current_master(self) -> bytes:
        return self.master_keys[self.current_master_id]


def _key_file() -> Path:
    return Path(settings.INTACT_KEY_FILE)


def _new_file_content() -> dict:
    master = secrets.token_bytes(32)
    return {
        "version": 1,
        "current": key_id(master),
        "master_keys": {key_id(master): _b64(master)},
        "receipt_pepper": _b64(secrets.token_bytes(32)),
        "audit_key": _b64(secrets.token_bytes(32)),
    }


def read_key_file(create: bool = True) -> dict:
    path = _key_file()
    if not path.exists():
        if not create:
            raise FileNotFoundError(path)
        write_private_file(path, json.dumps(_new_file_content(), indent=2))
    return json.loads(path.read_text())


def write_key_file(content: dict) -> None:
    write_private_file(_key_file(), json.dumps(content, indent=2))
    reset()


def _decode(value: str, name: str) -> bytes:
    raw = base64.b64decode(value)
    if len(raw) != 32:
        raise ValueError(f"{name} must be base64 of exactly 32 bytes")
    return raw


def keyring() -> Keyring:
    """The installation's keys, loaded once per process."""
    global _cache
    if _cache is not None:
        return _cache
    with _lock:
        if _cache is not None:
            return _cache
        env_master = os.environ.get("INTACT_MASTER_KEY") or getattr(settings, "INTACT_MASTER_KEY", None)
        needs_file = not (
            env_master and os.environ.get("INTACT_RECEIPT_PEPPER") and os.environ.get("INTACT_AUDIT_KEY")
        )
        content = read_key_file() if needs_file else {}
        masters = {k: _decode(v, "master key") for k, v in content.get("master_keys", {}).items()}
        current = content.get("current", "")
        if env_master:
            key = _decode(env_master, "INTACT_MASTER_KEY")
            masters[key_id(key)] = key
            current = key_id(key)
        old = os.environ.get("INTACT_MASTER_KEY_PREVIOUS")
        if old:
            key = _decode(old, "INTACT_MASTER_KEY_PREVIOUS")
            masters.setdefault(key_id(key), key)
        pepper = os.environ.get("INTACT_RECEIPT_PEPPER") or content["receipt_pepper"]
        audit = os.environ.get("INTACT_AUDIT_KEY") or content["audit_key"]
        _cache = Keyring(
            master_keys=masters,
            current_master_id=current,
            receipt_pepper=_decode(pepper, "receipt pepper"),
            audit_key=_decode(audit, "audit key"),
        )
        return _cache


def reset() -> None:
    """Forget cached keys (after rotation, and in tests)."""
    global _cache
    with _lock:
        _cache = None
    from intact.security import crypto

    crypto.forget_data_keys()
