"""Backup while Intact writes, restore into a fresh installation, and prove nothing was lost.

The backup is taken in this process (the test database, with a writer thread
inserting audited rows meanwhile); the restore runs in a subprocess with a
different var folder and database and the SAME key file, exactly as an
administrator would restore on a new machine. Runs on SQLite and, under
scripts/with-postgres, on PostgreSQL (pg_dump/pg_restore of the cluster).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

from intact.core import backup
from intact.security import audit
from intact.security.models import AuditEntry

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SECRET = "Declaraties van de afdeling Wegen worden dubbel betaald."
ATTACHMENT = b"%PDF-1.4\n% bewijsstuk voor de back-uptest\n" + secrets.token_bytes(64).hex().encode()

CHECK = r"""
import json, os, sys
import django
django.setup()
from intact.organisations.models import Organisation
from intact.reporting import services
from intact.reporting.models import Report
from intact.security.files import file_read
from intact.core.backup import _counts
receipt, slug = sys.argv[1], sys.argv[2]
org = Organisation.objects.get(slug=slug)
report = services.mailbox_login(organisation=org, receipt=receipt)
att = report.attachments.first()
print(json.dumps({"counts": _counts(), "what": report.answers.get("what") if isinstance(report.answers, dict) else None,
                  "attachment": file_read(att.file).hex(), "reference": report.reference}))
"""


def _fresh_target(tmp_path: Path) -> dict[str, str]:
    """Environment of a fresh installation: its own var folder and empty database, the same key file."""
    var = tmp_path / "restored-var"
    var.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "intact.settings.dev", "INTACT_VAR_DIR": str(var),
                "INTACT_KEY_FILE": str(settings.INTACT_KEY_FILE), "INTACT_SECRET_KEY": "restore-test-" + "x" * 40})
    if connection.vendor == "sqlite":
        env["INTACT_DATABASE_URL"] = f"sqlite:///{var / 'intact.sqlite3'}"
    else:
        db = settings.DATABASES["default"]
        name = f"restored_{secrets.token_hex(4)}"
        pg_bin = os.environ.get("INTACT_PG_BIN", "")
        subprocess.run([os.path.join(pg_bin, "createdb") if pg_bin else "createdb", "-h", db["HOST"],
                        "-p", str(db["PORT"]), "-U", db["USER"] or "postgres", name], check=True)
        env["INTACT_DATABASE_URL"] = f"postgres://{db['USER'] or 'postgres'}@/{name}?host={db['HOST']}&port={db['PORT']}"
    return env


def _intact(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "intact.cli", *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_backup_while_writing_then_restore_on_fresh_installation(org, make_user, tmp_path, monkeypatch):
    if connection.vendor == "postgresql":
        try:
            backup._pg_tool("pg_dump")
            backup._pg_tool("pg_restore")
        except backup.BackupError as exc:
            pytest.skip(str(exc))
    from tests.cases.factories import open_case, register_case
    from tests.reporting.factories import make_report

    coordinator = make_user(org, "coordinator")
    report, receipt = make_report(org, answers={"what": SECRET, "where": "Wegen"},
                                  attachments=[("bewijs.pdf", ATTACHMENT)])
    open_case(org, coordinator)
    register_case(org, coordinator)
    assert audit.verify().ok

    # A writer keeps appending audited rows while the backup runs.
    stop = threading.Event()
    written = []

    def writer():
        try:
            while not stop.is_set():
                audit.record(coordinator, "backup_test.write", organisation=org, detail={"n": len(written)})
                written.append(1)
        finally:
            connections.close_all()

    audit_before_backup = AuditEntry.objects.count()
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        key = backup.backup_key_generate()
        monkeypatch.setenv("INTACT_BACKUP_KEY", key)
        out = tmp_path / "intact.backup"
        call_command("backup", "-o", str(out))
    finally:
        stop.set()
        thread.join(timeout=60)
    assert written, "the writer thread never wrote: the backup did not run concurrently with writes"

    raw = out.read_bytes()
    assert SECRET.encode() not in raw and b"Wegen" not in raw and ATTACHMENT not in raw
    assert b"SQLite format" not in raw and b"PGDMP" not in raw  # the container itself is encrypted
    manifest = backup.backup_read_manifest(out, key_b64=key)
    assert manifest["engine"] == connection.vendor and manifest["files"] >= 1
    # The key file is never part of the backup.
    assert not any("keys.json" in str(p) for p in backup._iter_files(backup._files_root()))

    env = _fresh_target(tmp_path)
    env["INTACT_BACKUP_KEY"] = key
    restored = _intact(env, "restore", str(out))
    assert restored.returncode == 0, restored.stderr
    # A second restore into the now non-empty database is refused without --force.
    again = _intact(env, "restore", str(out))
    assert again.returncode != 0 and "not empty" in again.stderr

    check = subprocess.run([PYTHON, "-c", CHECK, receipt, org.slug], env=env, capture_output=True, text=True,
                           timeout=300, check=False)
    assert check.returncode == 0, check.stderr
    result = json.loads(check.stdout.strip().splitlines()[-1])
    assert result["reference"] == report.reference
    assert bytes.fromhex(result["attachment"]) == ATTACHMENT
    counts = result["counts"]
    assert counts["organisations_organisation"] >= 1
    assert counts["cases_case"] == 2 and counts["reporting_report"] == 2
    # The restored audit log is a consistent prefix of the live one: at least what existed before the backup.
    assert audit_before_backup <= counts["security_auditentry"] <= AuditEntry.objects.count()
    verify = _intact(env, "audit", "verify")
    assert verify.returncode == 0, verify.stderr
    assert "intact" in verify.stdout


def test_wrong_key_and_tampering_are_refused(org, tmp_path):
    good = backup.backup_key_for_writing(key_b64=backup.backup_key_generate())
    out = tmp_path / "b.backup"
    backup.backup_create(output=out, backup_key=good)
    wrong = backup.backup_key_generate()
    with pytest.raises(backup.BackupError, match="wrong backup key"):
        backup.backup_read_manifest(out, key_b64=wrong)
    data = bytearray(out.read_bytes())
    data[-40] ^= 1
    (tmp_path / "t.backup").write_bytes(bytes(data))
    with pytest.raises(backup.BackupError):
        backup.backup_read_manifest(tmp_path / "t.backup", key_b64=base64.b64encode(good.key).decode())
    # Truncation (dropping the last chunk) is detected too.
    (tmp_path / "cut.backup").write_bytes(bytes(out.read_bytes()[:200]))
    with pytest.raises(backup.BackupError):
        backup.backup_read_manifest(tmp_path / "cut.backup", key_b64=base64.b64encode(good.key).decode())


def test_passphrase_backup_and_refusal_to_overwrite(org, tmp_path, monkeypatch):
    monkeypatch.setenv("BACKUP_PASSPHRASE", "correct horse battery staple")
    out = tmp_path / "p.backup"
    call_command("backup", "-o", str(out), "--passphrase-env", "BACKUP_PASSPHRASE")
    manifest = backup.backup_read_manifest(out, passphrase="correct horse battery staple")
    assert manifest["counts_at_backup"]["organisations_organisation"] >= 1
    with pytest.raises(backup.BackupError):
        backup.backup_read_manifest(out, passphrase="wrong")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(out), "--passphrase-env", "BACKUP_PASSPHRASE")
