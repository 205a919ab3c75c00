"""Every migration forward and backward with data in it (issue 8, point 4).

Runs on the test database of the current run: SQLite, and PostgreSQL under
scripts/with-postgres. Steps: unapply every Intact app to zero; apply each
app's first migration; insert rows through the *historical* models of that
state; migrate to the latest state and check the rows are intact; then
unapply everything to zero and apply it again (every migration reverses).
"""

from __future__ import annotations

import pytest
from django.apps import apps as live_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython, RunSQL

pytestmark = [pytest.mark.slow]


def _intact_apps() -> list[str]:
    return [c.label for c in live_apps.get_app_configs() if c.name.startswith("intact.")]


def _own_migrations(loader: MigrationLoader):
    labels = set(_intact_apps())
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if app in labels:
            yield app, name, migration


def test_every_runpython_has_a_reverse():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    missing = []
    count = 0
    for app, name, migration in _own_migrations(loader):
        count += 1
        for operation in migration.operations:
            if isinstance(operation, RunPython) and not operation.reversible:
                missing.append(f"{app}.{name}: RunPython without reverse_code")
            if isinstance(operation, RunSQL) and not operation.reversible:
                missing.append(f"{app}.{name}: RunSQL without reverse_sql")
    assert count >= len(_intact_apps())
    assert not missing, "\n".join(missing)


def _executor() -> MigrationExecutor:
    return MigrationExecutor(connection)


def _first(loader: MigrationLoader, app: str) -> tuple[str, str]:
    roots = [node for node in loader.graph.root_nodes(app)]
    return sorted(roots)[0]


def test_migrate_forward_and_back_with_data(transactional_db):
    labels = _intact_apps()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a test database: no need to fsync every DDL statement
            cursor.execute("PRAGMA synchronous=OFF")
    executor = _executor()
    leaves = executor.loader.graph.leaf_nodes()
    try:
        # 1. Every Intact app back to zero (Django also unapplies what depends on them).
        executor.migrate([(app, None) for app in labels])
        # 2. Each app's first migration.
        executor = _executor()
        first = [_first(executor.loader, app) for app in labels]
        executor.migrate(first)
        executor = _executor()
        old = executor.loader.project_state(first).apps
        Organisation = old.get_model("organisations", "Organisation")
        User = old.get_model("security", "User")
        org = Organisation.objects.create(slug="migratie-org", name="Migratie Org", kind="government")
        user = User.objects.create(username="migratie-user", password="!")
        # 3. Latest state: the rows are still there, unchanged.
        executor.migrate(leaves)
        from intact.organisations.models import Organisation as NewOrganisation
        from intact.security.models import User as NewUser

        assert NewOrganisation.objects.filter(pk=org.pk, slug="migratie-org", name="Migratie Org").exists()
        assert NewUser.objects.filter(pk=user.pk, username="migratie-user").exists()
        # 4. Everything back to zero and forward again.
        executor = _executor()
        executor.migrate([(app, None) for app in labels])
        tables = set(connection.introspection.table_names())
        assert "organisations_organisation" not in tables and "cases_case" not in tables
    finally:
        executor = _executor()
        executor.migrate(leaves)
    tables = set(connection.introspection.table_names())
    assert {"organisations_organisation", "security_auditentry", "reporting_report"} <= tables
