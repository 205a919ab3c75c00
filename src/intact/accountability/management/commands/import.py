"""``intact import --org SLUG FILE``: import earlier years from the documented JSON format."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from intact.accountability import importing
from intact.organisations.models import Organisation, Role
from intact.security import policy


class Command(BaseCommand):
    help = "Import cases, counsellor conversations, activities and register totals of earlier years (JSON)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", required=True)
        parser.add_argument(
            "--as",
            dest="username",
            help="the coordinator in whose name the records are made (default: the first coordinator)",
        )
        parser.add_argument("--check", action="store_true", help="validate only; write nothing")
        parser.add_argument("file")

    def handle(self, *args, **o) -> None:
        try:
            organisation = Organisation.objects.get(slug=o["org"])
        except Organisation.DoesNotExist:
            raise CommandError(f"unknown organisation {o['org']!r}") from None
        try:
            with open(o["file"], encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError) as exc:
            raise CommandError(f"{o['file']}: {exc}") from None
        actor = self._actor(organisation, o.get("username"))
        if o["check"]:
            result = importing.import_validate(organisation=organisation, data=data)
        else:
            try:
                result = importing.import_apply(actor=actor, organisation=organisation, data=data)
            except importing.ImportFailed as exc:
                result = exc.result
        if result.errors:
            for issue in result.errors:
                self.stderr.write(str(issue))
            raise CommandError(f"{len(result.errors)} error(s); nothing was imported")
        if o["check"]:
            self.stdout.write("The file is valid.")
        else:
            self.stdout.write(
                "Imported: " + ", ".join(f"{k} {v}" for k, v in result.created.items())
            )

    def _actor(self, organisation: Organisation, username: str | None):
        User = get_user_model()
        if username:
            user = User.objects.filter(username=username).first()
            if user is None or not policy.has_role(user, organisation, Role.COORDINATOR):
                raise CommandError(f"{username!r} is not a coordinator of {organisation.slug}")
            return user
        for user in User.objects.filter(
            memberships__organisation=organisation, memberships__role=Role.COORDINATOR
        ).order_by("pk"):
            return user
        raise CommandError("the organisation has no coordinator; records need one (--as)")
