"""The audit log: append-only triggers, ``intact audit verify``, the coordinator's page (issue 2 point 7)."""

from __future__ import annotations

import importlib
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from intact.security import audit
from intact.security.models import AuditEntry
from tests.organisations.factories import UnitFactory

pytestmark = pytest.mark.django_db

_migration = importlib.import_module("intact.security.migrations.0002_audit_append_only")
_DOWN = {"sqlite": _migration.SQLITE_DOWN, "postgresql": _migration.POSTGRES_DOWN}
_UP = {"sqlite": _migration.SQLITE_UP, "postgresql": _migration.POSTGRES_UP}


@pytest.fixture
def attacker_sql():
    """Raw SQL as someone with full database access: the append-only triggers dropped first."""
    with connection.cursor() as cursor:
        for sql in _DOWN[connection.vendor]:
            cursor.execute(sql)

    def run(sql: str, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))

    yield run
    with connection.cursor() as cursor:
        for sql in _DOWN[connection.vendor] + _UP[connection.vendor]:
            cursor.execute(sql)


@pytest.fixture
def chain(org):
    return [
        audit.record(None, f"test.action{i}", organisation=org, object_type="test.thing", object_id=i, detail={"n": i})
        for i in range(5)
    ]


def verify_command():
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue() + err.getvalue()


def test_intact_chain_verifies(chain):
    code, output = verify_command()
    assert code == 0
    assert output.strip() == "audit chain intact: 5 entries"


def test_empty_chain_verifies():
    assert verify_command() == (0, "audit chain intact: 0 entries\n")


@pytest.mark.parametrize("statement", ["UPDATE security_auditentry SET action = 'x'", "DELETE FROM security_auditentry"])
def test_triggers_refuse_update_and_delete(chain, statement):
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEntry.objects.filter(action__startswith="test.action").count() == 5


def test_orm_cannot_change_or_delete_either(chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=chain[0].pk).update(action="weg")
    with pytest.raises(DatabaseError), transaction.atomic():
        chain[1].delete()


def test_changed_row_is_reported(chain, attacker_sql):
    attacker_sql("UPDATE security_auditentry SET actor_label = %s WHERE id = %s", ["iemand-anders", chain[2].pk])
    code, output = verify_command()
    assert code == 1
    assert f"BROKEN at entry {chain[2].pk}" in output
    assert "does not match its hash" in output


def test_changed_detail_is_reported(chain, attacker_sql):
    detail = json.dumps({"n": 99})
    attacker_sql("UPDATE security_auditentry SET detail = %s WHERE id = %s", [detail, chain[1].pk])
    code, output = verify_command()
    assert code == 1 and f"BROKEN at entry {chain[1].pk}" in output


def test_deleted_row_is_reported_at_the_next_entry(chain, attacker_sql):
    attacker_sql("DELETE FROM security_auditentry WHERE id = %s", [chain[2].pk])
    code, output = verify_command()
    assert code == 1
    assert f"BROKEN at entry {chain[3].pk}" in output
    assert "link to the previous entry is broken" in output


def test_deleted_last_rows_are_reported(chain, attacker_sql):
    attacker_sql("DELETE FROM security_auditentry WHERE id >= %s", [chain[3].pk])
    code, output = verify_command()
    assert code == 1
    assert f"BROKEN at entry {chain[2].pk}" in output
    assert "missing" in output


def test_forged_row_is_reported(chain, attacker_sql):
    last = chain[-1]
    forged_id = last.pk + 1
    attacker_sql(
        "INSERT INTO security_auditentry (id, timestamp, actor_id, actor_label, organisation_id, action,"
        " object_type, object_id, detail, prev_hash, entry_hash) VALUES (%s, %s, NULL, 'system', NULL,"
        " 'test.forged', '', '', %s, %s, %s)",
        [forged_id, last.timestamp, "{}", last.entry_hash, "f" * 64],
    )
    code, output = verify_command()
    assert code == 1
    assert f"BROKEN at entry {forged_id}" in output


def test_row_replaced_by_a_forgery_is_reported(chain, attacker_sql):
    """An attacker deletes entry 2 and puts a forged entry with the same id and a correct link."""
    victim, before = chain[2], chain[1]
    attacker_sql("DELETE FROM security_auditentry WHERE id = %s", [victim.pk])
    attacker_sql(
        "INSERT INTO security_auditentry (id, timestamp, actor_label, action, object_type, object_id,"
        " detail, prev_hash, entry_hash) VALUES (%s, %s, 'system', 'test.harmless', '', '', '{}', %s, %s)",
        [victim.pk, victim.timestamp, before.entry_hash, victim.entry_hash],
    )
    code, output = verify_command()
    assert code == 1
    assert f"BROKEN at entry {victim.pk}" in output
    assert "does not match its hash" in output


def test_cli_maps_audit_verify(monkeypatch):
    import sys

    from intact import cli

    seen = {}
    monkeypatch.setattr(sys, "argv", ["intact", "audit", "verify"])
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.setdefault("argv", argv)
    )
    cli.main()
    assert seen["argv"][1:] == ["audit_verify"]


# --- the coordinator's audit page ------------------------------------------------


def test_coordinator_reads_own_organisation_audit_and_is_audited(org, other_org, make_user, login):
    coordinator = make_user(org, "coordinator")
    audit.record(None, "case.viewed", organisation=org, object_type="cases.case", object_id=7)
    audit.record(None, "case.viewed", organisation=other_org, object_type="cases.case", object_id=8)
    client = login(coordinator)
    response = client.get(reverse("security_org:audit_list", kwargs={"org": org.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "cases.case 7" in html
    assert "cases.case 8" not in html
    viewed = AuditEntry.objects.filter(action="audit.viewed", actor_id=coordinator.pk)
    assert viewed.count() == 1 and viewed.get().organisation_id == org.pk
    assert audit.verify().ok


def test_audit_page_filters_and_pages(org, make_user, login):
    coordinator = make_user(org, "coordinator")
    for i in range(60):
        audit.record(None, "register.changed" if i % 2 else "case.viewed", organisation=org, object_type="t", object_id=i)
    client = login(coordinator)
    url = reverse("security_org:audit_list", kwargs={"org": org.slug})
    first = client.get(url, {"actie": "register"}).content.decode()
    assert "register.changed" in first and "case.viewed" not in first.split("<tbody")[1]
    assert "30 regels gevonden" in first
    page1 = client.get(url).content.decode()
    assert 'rel="next"' in page1
    page2 = client.get(url, {"pagina": 2}).content.decode()
    assert "pagina 2 van 2" in page2


@pytest.mark.parametrize("role", ["employee", "counsellor", "manager", "investigator", "auditor", "technical_admin"])
def test_audit_page_is_404_for_other_roles(org, make_user, login, role):
    user = make_user(org, role)
    response = login(user).get(reverse("security_org:audit_list", kwargs={"org": org.slug}))
    assert response.status_code == 404


def test_audit_page_is_404_for_other_organisation_and_unit_coordinator(org, other_org, make_user, login):
    outsider = make_user(other_org, "coordinator")
    url = reverse("security_org:audit_list", kwargs={"org": org.slug})
    assert login(outsider).get(url).status_code == 404
    unit = UnitFactory(organisation=org)
    unit_coordinator = make_user(org, "coordinator", unit=unit)
    assert login(unit_coordinator).get(url).status_code == 404
    missing = reverse("security_org:audit_list", kwargs={"org": "bestaat-niet"})
    assert login(outsider).get(missing).status_code == 404
