"""Encrypted, consistent backups of the database and the files folder.

``intact backup -o FILE`` and ``intact restore FILE`` are thin wrappers
around :func:`backup_create` and :func:`backup_restore`. See
``docs/backup.md`` for the procedure and the file format.

What a backup holds (a tar archive, then encrypted):

* ``manifest.json`` — format version, time, database engine, applied
  migrations, row counts of the main tables, file count;
* ``db/intact.sqlite3`` (SQLite, taken with SQLite's online backup API: one
  consistent snapshot while Intact keeps writing) or ``db/intact.dump``
  (PostgreSQL, ``pg_dump --format=custom``: one snapshot transaction);
* ``files/…`` — the uploaded (already encrypted) files, copied *after* the
  database snapshot, so every file the snapshot refers to is there (files
  are written before the row that names them is committed).

The master key file is never part of a backup: a backup and the key that
opens the data must be kept apart (a stolen backup alone reveals nothing).

Encryption: AES-256-GCM in chunks of 1 MiB. The key is ``INTACT_BACKUP_KEY``
(base64 of 32 bytes) or is derived with scrypt from a passphrase. Every
chunk's nonce holds a random prefix and the chunk number, and its
associated data binds the file header, the chunk number and whether it is
the last chunk: reordering, truncating or changing a chunk fails to decrypt.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import connection, connections

MAGIC = b"INTACT-BACKUP\x00"
FORMAT_VERSION = 1
CHUNK = 1 << 20
SCRYPT_N, SCRYPT_R, SCRYPT_P = 1 << 16, 8, 1  # 64 MiB, about 0.2 s
# Tables whose rows make a database "not empty" for restore, and whose counts
# the manifest records (a quick check after a restore).
COUNTED_TABLES = (
    "organisations_organisation",
    "security_user",
    "security_auditentry",
    "security_encryptedfile",
    "reporting_report",
    "cases_case",
)
MARKER_TABLES = ("organisations_organisation", "security_user", "security_auditentry")


class BackupError(Exception):
    """A backup or restore cannot be done; the message says why."""


@dataclass(frozen=True)
class BackupKey:
    """The AES key and the header fields that say how it was obtained."""

    key: bytes
    header: dict[str, Any]


# --- keys ------------------------------------------------------------------


def backup_key_generate() -> str:
    """Return a fresh backup key: base64 of 32 random bytes (for ``INTACT_BACKUP_KEY``)."""
    return base64.b64encode(secrets.token_bytes(32)).decode()


def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())


def backup_key_for_writing(*, key_b64: str | None = None, passphrase: str | None = None) -> BackupKey:
    """The key to write a backup with: a base64 key, or one derived from a passphrase (scrypt)."""
    if passphrase:
        salt = secrets.token_bytes(16)
        key = _scrypt(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        return BackupKey(key, {"kdf": "scrypt", "salt": base64.b64encode(salt).decode(),
                               "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P})
    if key_b64:
        return BackupKey(_decode_key(key_b64), {"kdf": "none"})
    raise BackupError("no backup key: set INTACT_BACKUP_KEY or pass --passphrase-env VARIABLE")


def _decode_key(key_b64: str) -> bytes:
    try:
        key = base64.b64decode(key_b64.strip(), validate=True)
    except ValueError as exc:
        raise BackupError("the backup key is not valid base64") from exc
    if len(key) != 32:
        raise BackupError("the backup key must be base64 of exactly 32 bytes")
    return key


def _key_for_reading(header: dict[str, Any], *, key_b64: str | None, passphrase: str | None) -> bytes:
    if header.get("kdf") == "scrypt":
        if not passphrase:
            raise BackupError("this backup was encrypted with a passphrase: pass --passphrase-env VARIABLE")
        n, r, p = int(header["n"]), int(header["r"]), int(header["p"])
        if n > 1 << 20 or r > 32 or p > 16:
            raise BackupError("implausible key-derivation parameters in the backup header")
        return _scrypt(passphrase, base64.b64decode(header["salt"]), n, r, p)
    if header.get("kdf") == "none":
        if not key_b64:
            raise BackupError("this backup was encrypted with a key: set INTACT_BACKUP_KEY")
        return _decode_key(key_b64)
    raise BackupError("unknown key derivation in the backup header")


# --- encrypted container ------------------------------------------------------


def _header_bytes(header: dict[str, Any]) -> bytes:
    body = json.dumps(header, sort_keys=True).encode()
    return MAGIC + struct.pack(">I", len(body)) + body


def _encrypt_stream(src: IO[bytes], dst: IO[bytes], backup_key: BackupKey) -> None:
    prefix = secrets.token_bytes(8)
    header = {**backup_key.header, "version": FORMAT_VERSION, "cipher": "AES-256-GCM",
              "chunk": CHUNK, "nonce_prefix": base64.b64encode(prefix).decode()}
    head = _header_bytes(header)
    dst.write(head)
    aead = AESGCM(backup_key.key)
    digest = hashlib.sha256(head).digest()
    index = 0
    current = src.read(CHUNK)
    while True:
        following = src.read(CHUNK)
        last = not following
        nonce = prefix + struct.pack(">I", index)
        aad = digest + struct.pack(">I?", index, last)
        sealed = aead.encrypt(nonce, current, aad)
        dst.write(struct.pack(">I", len(sealed)) + sealed)
        if last:
            return
        current, index = following, index + 1


def _read_header(src: IO[bytes]) -> tuple[dict[str, Any], bytes]:
    magic = src.read(len(MAGIC))
    if magic != MAGIC:
        raise BackupError("not an Intact backup file")
    (length,) = struct.unpack(">I", src.read(4))
    if length > 65536:
        raise BackupError("damaged backup header")
    body = src.read(length)
    header = json.loads(body)
    if header.get("version") != FORMAT_VERSION:
        raise BackupError(f"unsupported backup format version {header.get('version')}")
    return header, MAGIC + struct.pack(">I", length) + body


def _decrypt_stream(src: IO[bytes], dst: IO[bytes], key: bytes, header: dict[str, Any], head: bytes) -> None:
    from cryptography.exceptions import InvalidTag

    aead = AESGCM(key)
    prefix = base64.b64decode(header["nonce_prefix"])
    digest = hashlib.sha256(head).digest()
    index = 0
    while True:
        raw_len = src.read(4)
        if len(raw_len) < 4:
            raise BackupError("the backup file is truncated")
        (length,) = struct.unpack(">I", raw_len)
        if length > CHUNK + 16:
            raise BackupError("damaged backup file")
        sealed = src.read(length)
        nonce = prefix + struct.pack(">I", index)
        plain = None
        for last in (False, True):
            try:
                plain = aead.decrypt(nonce, sealed, digest + struct.pack(">I?", index, last))
                break
            except InvalidTag:
                continue
        if plain is None:
            raise BackupError("wrong backup key or passphrase, or the file was changed")
        dst.write(plain)
        if last:
            if src.read(1):
                raise BackupError("unexpected data after the last chunk")
            return
        index += 1


# --- database ---------------------------------------------------------------


def _vendor() -> str:
    return connection.vendor


def _files_root() -> Path:
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update({"PGDATABASE": db["NAME"], "PGUSER": db.get("USER") or "", "PGHOST": db.get("HOST") or "",
                "PGPORT": str(db.get("PORT") or "")})
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return {k: v for k, v in env.items() if v != "" or not k.startswith("PG")}


def _pg_tool(name: str) -> str:
    folder = os.environ.get("INTACT_PG_BIN")
    if folder and (Path(folder) / name).exists():
        return str(Path(folder) / name)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: put it on PATH or set INTACT_PG_BIN to its folder")
    return found


def _snapshot_database(target_dir: Path) -> str:
    """Write one consistent snapshot of the database into ``target_dir``; return its name."""
    if _vendor() == "sqlite":
        name = "intact.sqlite3"
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=60)
        dest = sqlite3.connect(target_dir / name)
        try:
            with dest:
                source.backup(dest)  # all pages in one step: one read transaction, consistent
        finally:
            dest.close()
            source.close()
        return name
    if _vendor() == "postgresql":
        name = "intact.dump"
        result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target_dir / name)],
            env=_pg_env(), capture_output=True, text=True, check=False,
        )
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return name
    raise BackupError(f"unsupported database {_vendor()}")


def _counts() -> dict[str, int]:
    tables = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in COUNTED_TABLES:
            if table in tables:
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    return counts


def database_is_empty() -> bool:
    """True when the database holds no organisation, user or audit entry (a fresh installation)."""
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in MARKER_TABLES:
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
                if cursor.fetchone():
                    return False
    return True


def _applied_migrations() -> list[list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted([list(x) for x in MigrationRecorder(connection).applied_migrations()])


# --- backup -------------------------------------------------------------------


def _iter_files(root: Path) -> Iterator[Path]:
    key_file = Path(settings.INTACT_KEY_FILE).resolve() if getattr(settings, "INTACT_KEY_FILE", None) else None
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.resolve() != key_file:
            yield path


def backup_create(*, output: Path, backup_key: BackupKey) -> dict[str, Any]:
    """Write an encrypted backup of the database and the files folder to ``output``; return the manifest.

    Safe while Intact runs: the database is read in one snapshot, the files
    after it. The output appears atomically (written under a temporary name,
    then renamed); the key file is never included.
    """
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="intact-backup-", dir=output.parent) as tmp:
        work = Path(tmp)
        (work / "db").mkdir()
        db_name = _snapshot_database(work / "db")
        counts = _counts()  # after the snapshot: informative, a running system may have more rows
        root = _files_root()
        files = list(_iter_files(root))
        manifest = {
            "format": FORMAT_VERSION,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "engine": _vendor(),
            "database": f"db/{db_name}",
            "database_sha256": hashlib.sha256((work / "db" / db_name).read_bytes()).hexdigest(),
            "migrations": _applied_migrations(),
            "counts_at_backup": counts,
            "files": len(files),
        }
        archive = work / "backup.tar"
        with tarfile.open(archive, "w") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mode = 0o600
            import io

            tar.addfile(info, io.BytesIO(data))
            tar.add(work / "db" / db_name, arcname=f"db/{db_name}")
            for path in files:
                try:
                    tar.add(path, arcname=f"files/{path.relative_to(root).as_posix()}")
                except FileNotFoundError:  # deleted meanwhile (retention): its row is gone too
                    continue
        partial = output.with_name(f".{output.name}.partial")
        with archive.open("rb") as src, partial.open("wb") as dst:
            os.chmod(partial, 0o600)
            _encrypt_stream(src, dst, backup_key)
            dst.flush()
            os.fsync(dst.fileno())
        partial.replace(output)
    return manifest


# --- restore ------------------------------------------------------------------


def _safe_members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    for member in tar.getmembers():
        name = Path(member.name)
        if member.name.startswith("/") or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"refusing unsafe path in backup: {member.name}")
        yield member


def backup_read_manifest(path: Path, *, key_b64: str | None = None, passphrase: str | None = None) -> dict:
    """Decrypt ``path`` into memory-light temporary storage and return its manifest (checks the key)."""
    with tempfile.TemporaryDirectory(prefix="intact-restore-") as tmp:
        archive = _decrypt_to(Path(path), Path(tmp), key_b64=key_b64, passphrase=passphrase)
        with tarfile.open(archive) as tar:
            return json.load(tar.extractfile("manifest.json"))


def _decrypt_to(path: Path, tmp: Path, *, key_b64: str | None, passphrase: str | None) -> Path:
    archive = tmp / "backup.tar"
    with path.open("rb") as src:
        header, head = _read_header(src)
        key = _key_for_reading(header, key_b64=key_b64, passphrase=passphrase)
        with archive.open("wb") as dst:
            _decrypt_stream(src, dst, key, header, head)
    return archive


def backup_restore(*, path: Path, key_b64: str | None = None, passphrase: str | None = None,
                   force: bool = False) -> dict[str, Any]:
    """Restore the database and files from the backup at ``path``; return its manifest.

    Refuses a database that already holds data unless ``force``. The backup
    must come from the same database engine. Stop the web server, worker and
    scheduler first; run ``intact migrate`` after (the command does).
    """
    if not force and not database_is_empty():
        raise BackupError("the database is not empty: restore only into a fresh installation, or pass --force")
    with tempfile.TemporaryDirectory(prefix="intact-restore-") as tmp_name:
        tmp = Path(tmp_name)
        archive = _decrypt_to(Path(path), tmp, key_b64=key_b64, passphrase=passphrase)
        with tarfile.open(archive) as tar:
            manifest = json.load(tar.extractfile("manifest.json"))
            if manifest.get("engine") != _vendor():
                raise BackupError(f"this backup is of a {manifest.get('engine')} database; "
                                  f"this installation uses {_vendor()}")
            members = list(_safe_members(tar))
            tar.extractall(tmp / "x", members=members, filter="data")
        extracted = tmp / "x"
        db_file = extracted / manifest["database"]
        if hashlib.sha256(db_file.read_bytes()).hexdigest() != manifest["database_sha256"]:
            raise BackupError("the database in the backup does not match its checksum")
        connections.close_all()
        if _vendor() == "sqlite":
            source = sqlite3.connect(db_file)
            dest = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=60)
            try:
                source.backup(dest)
            finally:
                dest.close()
                source.close()
        else:
            result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
                [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 "--exit-on-error", "--dbname", settings.DATABASES["default"]["NAME"], str(db_file)],
                env=_pg_env(), capture_output=True, text=True, check=False,
            )
            if result.returncode:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        root = _files_root()
        source_files = extracted / "files"
        if source_files.exists():
            for item in source_files.rglob("*"):
                if item.is_file():
                    target = root / item.relative_to(source_files)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(item, target)
    return manifest
