"""``intact keys rotate``: replace the master key without losing data.

Key file installations (the embedded default): a new master key is generated
and added to the key file next to the old one, every organisation's data key
is re-wrapped in one transaction, and only after that committed is the old
key removed from the file. A crash at any point leaves a file that still
opens every data key; running the command again finishes the job.

Installations with ``INTACT_MASTER_KEY`` in the environment: Intact cannot
change the environment, so either

* pass ``--new-key-from-env INTACT_MASTER_KEY_NEW`` (the variable holds the
  new key, base64 of 32 bytes): the data keys are re-wrapped with it; then
  set ``INTACT_MASTER_KEY`` to the new key and restart; or
* set ``INTACT_MASTER_KEY`` to the new key and ``INTACT_MASTER_KEY_PREVIOUS``
  to the old one, restart, and run ``intact keys rotate`` (it re-wraps every
  data key still under another key with the current one); then remove
  ``INTACT_MASTER_KEY_PREVIOUS`` and restart.

``--generate`` prints a fresh key for either procedure. The data itself is
never re-encrypted: only the small wrapped data keys change.
"""

from __future__ import annotations

import base64
import os
import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from intact.security import crypto, keys
from intact.security.models import OrganisationKey

PROCEDURE = __doc__.split("Installations with", 1)[1].split("``--generate``", 1)[0]


def _decode(value: str, name: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except ValueError as exc:
        raise CommandError(f"{name} is not valid base64") from exc
    if len(raw) != 32:
        raise CommandError(f"{name} must be base64 of exactly 32 bytes")
    return raw


class Command(BaseCommand):
    help = "Rotate the master key: re-wrap every organisation's data key with a new master key."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--new-key-from-env",
            metavar="VARIABLE",
            help="(INTACT_MASTER_KEY installations) re-wrap with the key in this environment variable",
        )
        parser.add_argument("--generate", action="store_true", help="print a new random key and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate"]:
            self.stdout.write(base64.b64encode(secrets.token_bytes(32)).decode())
            return
        if os.environ.get("INTACT_MASTER_KEY"):
            self._rotate_env(options.get("new_key_from_env"))
        else:
            if options.get("new_key_from_env"):
                raise CommandError("--new-key-from-env is for installations that use INTACT_MASTER_KEY")
            self._rotate_file()

    def _rotate_file(self) -> None:
        content = keys.read_key_file()
        old_ids = set(content["master_keys"])
        new_key = secrets.token_bytes(32)
        new_id = keys.key_id(new_key)
        # 1. Store the new key next to the old ones; the old key stays current for now.
        content["master_keys"][new_id] = base64.b64encode(new_key).decode()
        keys.write_key_file(content)
        # 2. Re-wrap every data key in one transaction.
        count = crypto.rotate_master_key(new_key)
        # 3. Only now make the new key current and forget the old ones.
        content = keys.read_key_file(create=False)
        content["current"] = new_id
        content["master_keys"] = {new_id: content["master_keys"][new_id]}
        keys.write_key_file(content)
        self.stdout.write(
            f"master key rotated: {count} organisation keys re-wrapped with key {new_id}; "
            f"removed {len(old_ids)} old key(s). Restart the web server and worker."
        )

    def _rotate_env(self, variable: str | None) -> None:
        ring = keys.keyring()
        if variable:
            value = os.environ.get(variable)
            if not value:
                raise CommandError(f"environment variable {variable} is empty or not set")
            new_key = _decode(value, variable)
            count = crypto.rotate_master_key(new_key)
            self.stdout.write(
                f"master key rotated: {count} organisation keys re-wrapped with key {keys.key_id(new_key)}.\n"
                f"Now set INTACT_MASTER_KEY to the value of {variable}, remove {variable} "
                "and restart the web server and worker. The old key no longer opens anything."
            )
            return
        stale = OrganisationKey.objects.exclude(master_key_id=ring.current_master_id).count()
        if not stale:
            self.stdout.write(
                "Every organisation key is already wrapped with the current INTACT_MASTER_KEY.\n"
                "To rotate an environment key:" + PROCEDURE
            )
            return
        count = crypto.rotate_master_key(ring.current_master)
        self.stdout.write(
            f"master key rotated: {count} organisation keys re-wrapped with the current "
            f"INTACT_MASTER_KEY ({ring.current_master_id}). Remove INTACT_MASTER_KEY_PREVIOUS and restart."
        )
