"""``intact keys rotate``: a new master key, nothing lost, the old key useless (issue 2 point 6)."""

from __future__ import annotations

import base64
import json
import secrets
from io import StringIO
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from django.core.management import call_command

from intact.security import crypto, files, keys
from intact.security.models import OrganisationKey
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _data():
    orgs = [OrganisationFactory(slug=f"rot-{i}") for i in range(3)]
    blobs = {crypto.encrypt(o.pk, f"geheim van {o.slug}".encode()): f"geheim van {o.slug}" for o in orgs}
    stored = files.file_store(orgs[0], "bijlage.txt", "text/plain", b"bijlage-inhoud")
    return orgs, blobs, stored


def _b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


def test_rotate_with_key_file(settings, monkeypatch):
    monkeypatch.delenv("INTACT_MASTER_KEY", raising=False)
    orgs, blobs, stored = _data()
    before = json.loads(Path(settings.INTACT_KEY_FILE).read_text())
    old_id = before["current"]
    old_master = base64.b64decode(before["master_keys"][old_id])

    out = StringIO()
    call_command("keys_rotate", stdout=out)
    assert "3 organisation keys re-wrapped" in out.getvalue()

    after = json.loads(Path(settings.INTACT_KEY_FILE).read_text())
    assert after["current"] != old_id
    assert list(after["master_keys"]) == [after["current"]]  # the old key is gone
    assert after["audit_key"] == before["audit_key"]
    assert after["receipt_pepper"] == before["receipt_pepper"]
    assert Path(settings.INTACT_KEY_FILE).stat().st_mode & 0o777 == 0o600

    keys.reset()  # a fresh process: nothing cached
    for blob, plaintext in blobs.items():
        assert crypto.decrypt(blob).decode() == plaintext
    assert files.file_read(stored) == b"bijlage-inhoud"
    for org_key in OrganisationKey.objects.all():
        assert org_key.master_key_id == after["current"]
        assert org_key.rotated_at is not None
        with pytest.raises(InvalidTag):
            crypto.unwrap_key(org_key.wrapped_key, old_master)


def test_rotate_twice_and_new_organisations_use_the_new_key(settings, monkeypatch):
    monkeypatch.delenv("INTACT_MASTER_KEY", raising=False)
    orgs, blobs, _ = _data()
    call_command("keys_rotate", stdout=StringIO())
    call_command("keys_rotate", stdout=StringIO())
    keys.reset()
    current = keys.keyring().current_master_id
    late = OrganisationFactory(slug="rot-late")
    blob = crypto.encrypt(late.pk, b"na de rotatie")
    assert OrganisationKey.objects.get(organisation=late).master_key_id == current
    keys.reset()
    assert crypto.decrypt(blob) == b"na de rotatie"
    assert all(crypto.decrypt(b).decode() == p for b, p in blobs.items())


def test_running_process_picks_up_a_rotation_done_elsewhere(settings, monkeypatch):
    monkeypatch.delenv("INTACT_MASTER_KEY", raising=False)
    orgs, blobs, _ = _data()
    keys.keyring()  # this "process" has the old keyring cached
    stale_ring = keys._cache
    call_command("keys_rotate", stdout=StringIO())
    # Simulate the other process: old keyring still cached, no data keys cached.
    keys._cache = stale_ring
    crypto.forget_data_keys()
    assert all(crypto.decrypt(b).decode() == p for b, p in blobs.items())


def test_rotate_with_environment_key(settings, monkeypatch):
    old = secrets.token_bytes(32)
    new = secrets.token_bytes(32)
    monkeypatch.setenv("INTACT_MASTER_KEY", _b64(old))
    keys.reset()
    orgs, blobs, stored = _data()
    assert {k.master_key_id for k in OrganisationKey.objects.all()} == {keys.key_id(old)}

    monkeypatch.setenv("INTACT_MASTER_KEY_NEW", _b64(new))
    out = StringIO()
    call_command("keys_rotate", "--new-key-from-env", "INTACT_MASTER_KEY_NEW", stdout=out)
    assert "set INTACT_MASTER_KEY" in out.getvalue()

    # The operator swaps the variable and restarts.
    monkeypatch.setenv("INTACT_MASTER_KEY", _b64(new))
    monkeypatch.delenv("INTACT_MASTER_KEY_NEW")
    keys.reset()
    assert all(crypto.decrypt(b).decode() == p for b, p in blobs.items())
    assert files.file_read(stored) == b"bijlage-inhoud"
    for org_key in OrganisationKey.objects.all():
        with pytest.raises(InvalidTag):
            crypto.unwrap_key(org_key.wrapped_key, old)


def test_rotate_with_previous_environment_key(settings, monkeypatch):
    old = secrets.token_bytes(32)
    new = secrets.token_bytes(32)
    monkeypatch.setenv("INTACT_MASTER_KEY", _b64(old))
    keys.reset()
    orgs, blobs, _ = _data()
    monkeypatch.setenv("INTACT_MASTER_KEY", _b64(new))
    monkeypatch.setenv("INTACT_MASTER_KEY_PREVIOUS", _b64(old))
    keys.reset()
    out = StringIO()
    call_command("keys_rotate", stdout=out)
    assert "3 organisation keys re-wrapped" in out.getvalue()
    monkeypatch.delenv("INTACT_MASTER_KEY_PREVIOUS")
    keys.reset()
    assert all(crypto.decrypt(b).decode() == p for b, p in blobs.items())
    # Nothing left to do: the command prints the procedure instead.
    out = StringIO()
    call_command("keys_rotate", stdout=out)
    assert "already wrapped with the current INTACT_MASTER_KEY" in out.getvalue()
    assert "INTACT_MASTER_KEY_PREVIOUS" in out.getvalue()


def test_generate_prints_a_key():
    out = StringIO()
    call_command("keys_rotate", "--generate", stdout=out)
    assert len(base64.b64decode(out.getvalue().strip())) == 32


def test_cli_maps_keys_rotate(monkeypatch):
    import sys

    from intact import cli

    seen = {}
    monkeypatch.setattr(sys, "argv", ["intact", "keys", "rotate", "--generate"])
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.setdefault("argv", argv)
    )
    cli.main()
    assert seen["argv"][1:] == ["keys_rotate", "--generate"]
