"""Helpers for tests: log in as a user whose second factor is satisfied."""

from __future__ import annotations

from typing import Any


def force_login_verified(client: Any, user: Any) -> None:
    """Log ``client`` in as ``user`` and mark the session as OTP-verified.

    Creates a confirmed TOTP device when the user has none, exactly like a
    user who completed the two-factor set-up.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def allow_audit_flush() -> None:
    """Let Django's test flush empty the append-only audit log.

    Transactional tests (and browser tests with ``live_server``) end with a
    ``flush`` that deletes every row; the audit triggers rightly refuse that.
    For tests only, the flush drops the triggers, empties the tables and
    creates the triggers again, all in the flush's own transaction.
    """
    import importlib

    from django.db.backends.base.operations import BaseDatabaseOperations

    if getattr(BaseDatabaseOperations.execute_sql_flush, "_intact_audit", False):
        return
    original = BaseDatabaseOperations.execute_sql_flush
    migration = importlib.import_module("intact.security.migrations.0002_audit_append_only")
    statements = {
        "sqlite": (migration.SQLITE_DOWN, migration.SQLITE_UP),
        "postgresql": (migration.POSTGRES_DOWN, migration.POSTGRES_UP),
    }

    active_triggers = {
        "sqlite": "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
        " AND tbl_name = 'security_auditentry'",
        "postgresql": "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'security_auditentry'::regclass"
        " AND NOT tgisinternal AND tgenabled <> 'D'",
    }

    def execute_sql_flush(self: Any, sql_list: list[str]) -> None:
        vendor = self.connection.vendor
        down, up = statements.get(vendor, ([], []))
        if down and any("security_auditentry" in sql for sql in sql_list):
            with self.connection.cursor() as cursor:
                cursor.execute(active_triggers[vendor])
                active = cursor.fetchone()[0]
            # Triggers already set aside (e.g. by another test fixture): leave them to it.
            if active:
                sql_list = [*down, *sql_list, *up]
        return original(self, sql_list)

    execute_sql_flush._intact_audit = True  # type: ignore[attr-defined]
    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
