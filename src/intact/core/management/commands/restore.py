"""``intact restore FILE``: bring back a backup made by ``intact backup`` (see docs/backup.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from intact.core import backup


class Command(BaseCommand):
    help = ("Restore the database and files from an encrypted backup into a fresh installation "
            "(refuses a database with data unless --force). Stop the web server and worker first.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="the backup file")
        parser.add_argument("--passphrase-env", metavar="VARIABLE",
                            help="name of an environment variable holding the passphrase")
        parser.add_argument("--force", action="store_true", help="overwrite a database that holds data")
        parser.add_argument("--no-migrate", action="store_true", help="do not run migrate after the restore")

    def handle(self, *args: Any, **options: Any) -> None:
        passphrase = None
        if options["passphrase_env"]:
            passphrase = os.environ.get(options["passphrase_env"])
            if not passphrase:
                raise CommandError(f"environment variable {options['passphrase_env']} is empty or unset")
        try:
            manifest = backup.backup_restore(path=Path(options["file"]), key_b64=os.environ.get("INTACT_BACKUP_KEY"),
                                             passphrase=passphrase, force=options["force"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"restored backup of {manifest['created']} ({manifest['files']} files). "
                          "Now check: intact audit verify")
