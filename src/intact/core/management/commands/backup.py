"""``intact backup -o FILE``: an encrypted, consistent backup of the database and files (see docs/backup.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from intact.core import backup


class Command(BaseCommand):
    help = ("Write an encrypted backup of the database and the files folder while Intact runs. "
            "Key: INTACT_BACKUP_KEY (base64, 32 bytes) or --passphrase-env VARIABLE. "
            "The master key file is NOT included: back it up separately.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("-o", "--output", help="the backup file to write")
        parser.add_argument("--passphrase-env", metavar="VARIABLE",
                            help="name of an environment variable holding a passphrase (scrypt-derived key)")
        parser.add_argument("--generate-key", action="store_true",
                            help="print a fresh value for INTACT_BACKUP_KEY and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate_key"]:
            self.stdout.write(backup.backup_key_generate())
            return
        if not options["output"]:
            raise CommandError("pass -o FILE")
        passphrase = None
        if options["passphrase_env"]:
            passphrase = os.environ.get(options["passphrase_env"])
            if not passphrase:
                raise CommandError(f"environment variable {options['passphrase_env']} is empty or unset")
        try:
            key = backup.backup_key_for_writing(key_b64=os.environ.get("INTACT_BACKUP_KEY"), passphrase=passphrase)
            manifest = backup.backup_create(output=Path(options["output"]), backup_key=key)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{k}={v}" for k, v in manifest["counts_at_backup"].items())
        self.stdout.write(f"backup written to {options['output']} ({manifest['engine']}, "
                          f"{manifest['files']} files; {counts})")
        self.stdout.write("Remember: the key file (master key) is not in this backup; keep it separately.")
