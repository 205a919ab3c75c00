"""Encryption at rest: a copy of the database (or a dump) holds no plaintext (issue 2 point 6)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import connection, models

from intact.security import crypto, files
from intact.security.fields import EncryptedJSONField, EncryptedTextField
from intact.security.models import EncryptedFile, OrganisationKey
from tests.organisations.factories import OrganisationFactory

SECRET = "Kroonjuweel-geheim-7f3a9c: de wethouder nam steekpenningen aan"
SECRET_NAME = "verslag-zwartboek-7f3a9c.pdf"
SECRET_JSON_VALUE = "betrokkene-Marjolein-7f3a9c"
MARKER = "zichtbaar-controlegetal-51d2"  # non-confidential, must be found (proves we read the data)
NEEDLES = ["7f3a9c", "Kroonjuweel", "steekpenningen", "zwartboek", "Marjolein"]


@pytest.fixture
def secret_note_model(transactional_db):
    """A model with encrypted fields, created for this test only and removed afterwards."""

    class SecretNote(models.Model):  # noqa: DJ008 - test-only model
        organisation = models.ForeignKey(
            "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
        )
        label = models.CharField(max_length=100)
        body = EncryptedTextField()
        parties = EncryptedJSONField(default=dict)

        class Meta:
            app_label = "security"
            db_table = "security_test_secretnote"

    with connection.schema_editor() as editor:
        editor.create_model(SecretNote)
    yield SecretNote
    with connection.schema_editor() as editor:
        editor.delete_model(SecretNote)
    apps.all_models["security"].pop("secretnote", None)
    apps.clear_cache()


def _write_secrets(model):
    org = OrganisationFactory(slug="geheim-org", name="Geheime Provincie")
    note = model.objects.create(
        organisation=org, label=MARKER, body=SECRET, parties={"accused": SECRET_JSON_VALUE}
    )
    stored = files.file_store(org, SECRET_NAME, "application/pdf", SECRET.encode() * 3)
    return org, note, stored


def _assert_no_trace(blob: bytes, where: str) -> None:
    for needle in NEEDLES:
        for form in (needle.encode(), needle.encode().hex().encode(), needle.encode("utf-16-le")):
            assert form not in blob, f"{needle!r} found in {where}"


def test_round_trip_through_the_normal_code_path(secret_note_model):
    org, note, stored = _write_secrets(secret_note_model)
    again = secret_note_model.objects.get(pk=note.pk)
    assert again.body == SECRET
    assert again.parties == {"accused": SECRET_JSON_VALUE}
    assert files.file_read(stored) == SECRET.encode() * 3
    assert files.file_name(stored) == SECRET_NAME
    # The stored blob and the row hold ciphertext only.
    with default_storage.open(stored.storage_name, "rb") as handle:
        _assert_no_trace(handle.read(), "the stored file")
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM security_test_secretnote WHERE id = %s", [note.pk])
        column = bytes(cursor.fetchone()[0])
    assert column.startswith(crypto.MAGIC)
    _assert_no_trace(column, "the body column")


def test_update_with_plaintext_is_refused(secret_note_model):
    _, note, _ = _write_secrets(secret_note_model)
    with pytest.raises(TypeError):
        secret_note_model.objects.filter(pk=note.pk).update(body="plaintext sneaks in")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads the SQLite database file")
def test_sqlite_file_on_disk_holds_no_plaintext(secret_note_model):
    _write_secrets(secret_note_model)
    path = Path(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0].lower() == "wal"
    blob = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            blob += candidate.read_bytes()
    assert MARKER.encode() in blob, "the committed data must be readable in the copy"
    _assert_no_trace(blob, "the SQLite files")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="dumps the PostgreSQL database")
def test_postgresql_dump_holds_no_plaintext(secret_note_model):
    _write_secrets(secret_note_model)
    pg_dump = Path(os.environ["INTACT_PG_BIN"]) / "pg_dump"
    dump = subprocess.run(
        [
            str(pg_dump),
            "-h", os.environ["INTACT_PG_SOCKET_DIR"],
            "-p", os.environ["INTACT_PG_PORT"],
            "-U", "postgres",
            "--data-only",
            connection.settings_dict["NAME"],
        ],
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout
    assert MARKER.encode() in dump, "the committed data must be in the dump"
    assert b"security_test_secretnote" in dump
    _assert_no_trace(dump, "pg_dump")


def test_ciphertext_is_bound_to_its_organisation(db):
    org_a = OrganisationFactory(slug="a-org")
    org_b = OrganisationFactory(slug="b-org")
    blob = crypto.encrypt(org_a.pk, b"alleen voor A")
    crypto.encrypt(org_b.pk, b"creates B's key")
    key_b = OrganisationKey.objects.get(organisation_id=org_b.pk)
    # Swap the key id in the header: the authenticated header makes decryption fail.
    forged = crypto.HEADER.pack(crypto.MAGIC, key_b.pk) + blob[crypto.HEADER.size :]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(forged)
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered)


def test_file_integrity_is_checked(db, settings):
    org = OrganisationFactory(slug="files-org")
    stored = files.file_store(org, "a.txt", "text/plain", b"inhoud")
    path = Path(settings.STORAGES["default"]["OPTIONS"]["location"]) / stored.storage_name
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(files.FileIntegrityError):
        files.file_read(EncryptedFile.objects.get(pk=stored.pk))
    files.file_delete(stored)
    assert not EncryptedFile.objects.filter(pk=stored.pk).exists()


def test_key_file_is_private(db, settings):
    OrganisationFactory(slug="k-org")
    crypto.encrypt(OrganisationFactory(slug="k2-org").pk, b"x")
    mode = Path(settings.INTACT_KEY_FILE).stat().st_mode & 0o777
    assert mode == 0o600
