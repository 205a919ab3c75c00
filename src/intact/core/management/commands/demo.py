"""``intact demo``: create the demo organisations with one login per role (idempotent).

Creates ``demo-provincie`` (Provincie Demoland, a government body with about
200 people in central and decentral units) and ``demo-ngo`` (Stichting Demo
Ontwikkeling, a development NGO with staff, volunteers and country offices),
their integrity organs (counsellors, coordinator, reporting point, complaints
committee and the Huis voor Klokkenluiders), and for each organisation one
login per role, named ``<role>@<slug>`` (e.g. ``coordinator@demo-provincie``).
All demo logins share one password: ``$INTACT_DEMO_PASSWORD`` or, when unset,
the documented ``intact-demo-2026``. Each has a confirmed TOTP device with a
fixed secret; ``intact demo_otp USERNAME`` prints its current code.

Running it again creates nothing new and changes nothing that exists.

Hook for other apps
-------------------
After the organisations, units, people, logins and organs exist, the command
imports ``intact.<app>.demo`` for each app (security, reporting, cases,
registers, learning, policy, accountability) and, when the module defines
it, calls::

    demo_load(organisation: Organisation, people: list[Person]) -> None

once per demo organisation, in its own transaction. ``people`` is every
person of the organisation in a fixed order; the first eight are the demo
logins' people (``person.user``), and ``intact.core.demo.demo_login(
organisation, role)`` gives the login of a role. A hook must be idempotent
(look up before creating; use a ``random.Random`` seeded with the
organisation's slug for anything random) and should cover the last full
year and the current one, so that every feature shows realistic data.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from intact.core import demo
from intact.core.demo_data import ORGANISATIONS
from intact.organisations.models import Role


class Command(BaseCommand):
    help = "Create the demo organisations and one login per role (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--people", type=int, default=None,
            help="People per organisation (default: 200 for the province, 90 for the NGO).",
        )
        parser.add_argument("--no-hooks", action="store_true", help="Skip the apps' demo_load hooks.")
        parser.add_argument(
            "--allow-production", action="store_true",
            help="Run even with production settings (demo logins have a published password).",
        )

    def handle(self, *args: Any, people: int | None, no_hooks: bool, allow_production: bool, **options: Any) -> None:
        if settings.SETTINGS_MODULE.endswith(".production") and not allow_production:
            raise CommandError(
                "Refusing to create demo logins with a published password on a production "
                "installation (use --allow-production for a demo server)."
            )
        # One audit line per created object would bury the logins table.
        audit_logger = logging.getLogger("intact.audit")
        level = audit_logger.level
        audit_logger.setLevel(logging.WARNING)
        # Demo data must not mail its fictional people (notifications of the apps' hooks).
        mail = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
        mail.enable()
        try:
            results = [
                demo.build_organisation(spec, people=people, hooks=not no_hooks)
                for spec in ORGANISATIONS
            ]
        finally:
            mail.disable()
            audit_logger.setLevel(level)
        for result in results:
            made = ", ".join(f"{n} {what}" for what, n in result.created.items() if n) or "nothing new"
            self.stdout.write(f"{result.organisation.slug}: {len(result.people)} people; created {made}.")
        self.stdout.write("")
        self.stdout.write(self._table(results))
        self.stdout.write("")
        self.stdout.write(f"Password for every demo login: {demo.demo_password()}")
        self.stdout.write(
            "Second factor: run `.venv/bin/intact demo_otp USERNAME` for the current 6-digit code"
        )
        self.stdout.write("(or add the printed otpauth URI of `demo_otp --uri` to an authenticator app).")

    def _table(self, results: list[demo.BuildResult]) -> str:
        order = {role: i for i, role in enumerate(demo.ROLE_ORDER)}
        rows = [("Login", "Role", "Organisation", "Scope")]
        for result in results:
            for login in sorted(result.logins, key=lambda item: order.get(item.role, 99)):
                rows.append(
                    (
                        login.username,
                        str(Role(login.role).label),
                        result.organisation.name,
                        login.unit.name if login.unit else "-",
                    )
                )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = []
        for index, row in enumerate(rows):
            lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
            if index == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines)
