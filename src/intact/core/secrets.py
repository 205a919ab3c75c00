"""Secrets of the embedded installation, created on first use."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_private_file(path: Path, content: str) -> None:
    """Create ``path`` with mode 0600 atomically; never loosen an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def local_secret_key(var_dir: Path) -> str:
    """Django's SECRET_KEY for the embedded installation, kept in var/secret_key."""
    path = Path(var_dir) / "secret_key"
    if not path.exists():
        write_private_file(path, secrets.token_urlsafe(50))
    return path.read_text().strip()
