"""audit.record_many: several entries with one read of the chain head, chained as if recorded one by one."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from intact.security import audit
from intact.security.models import AuditEntry, AuditHead
from tests.security.test_audit import attacker_sql  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _verify_command() -> int:
    try:
        call_command("audit_verify", stdout=StringIO(), stderr=StringIO())
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_many_entries_chain_and_verify(org):
    audit.record(None, "test.before", organisation=org)
    entries = audit.record_many([
        audit.prepare("system", f"test.many{i}", organisation=org, object_type="test.thing", object_id=i,
                      detail={"n": i})
        for i in range(4)
    ])
    audit.record(None, "test.after", organisation=org)
    rows = list(AuditEntry.objects.order_by("pk"))
    assert [r.action for r in rows] == ["test.before", "test.many0", "test.many1", "test.many2", "test.many3",
                                        "test.after"]
    for prev, entry in zip(rows, rows[1:], strict=False):
        assert entry.prev_hash == prev.entry_hash
    assert [e.pk for e in entries] == [r.pk for r in rows[1:5]]
    head = AuditHead.objects.get(pk=1)
    assert head.count == 6 and head.last_hash == rows[-1].entry_hash
    assert audit.verify().ok
    assert _verify_command() == 0


def test_many_entries_read_the_head_once(org):
    audit.record(None, "test.first", organisation=org)
    batch = [audit.prepare("system", f"test.x{i}", organisation=org) for i in range(5)]
    with CaptureQueriesContext(connection) as ctx:
        with transaction.atomic():
            audit.record_many(batch)
    head_reads = [q for q in ctx.captured_queries if "security_audithead" in q["sql"]
                  and q["sql"].lstrip().upper().startswith("SELECT")]
    inserts = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert len(head_reads) == 1
    assert len(inserts) == 1
    assert audit.verify().ok


def test_empty_batch_writes_nothing(org):
    assert audit.record_many([]) == []
    assert AuditEntry.objects.count() == 0


def test_tampering_inside_a_batch_is_found(org, attacker_sql):  # noqa: F811 - the imported fixture
    audit.record_many([audit.prepare("system", f"test.t{i}", organisation=org, detail={"n": i}) for i in range(3)])
    middle = AuditEntry.objects.order_by("pk")[1]
    attacker_sql("UPDATE security_auditentry SET detail = %s WHERE id = %s", [json.dumps({"n": 99}), middle.pk])
    result = audit.verify()
    assert not result.ok
    assert result.first_broken_id == middle.pk


def test_record_keeps_its_signature_and_result(org):
    entry = audit.record("reporter", "test.one", organisation=org, object_type="t", object_id=7, detail={"a": 1})
    assert entry.pk and entry.actor_label == "reporter" and entry.object_id == "7"
    assert entry.detail == {"a": 1} and entry.prev_hash == audit.GENESIS
    assert audit.verify().ok


def test_failed_batch_leaves_no_entries_and_no_work(org):
    from tests.organisations.factories import UnitFactory

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            unit = UnitFactory(organisation=org)
            audit.record_many([audit.prepare("system", "test.unit", organisation=org, obj=unit)])
            raise RuntimeError("the work failed after its audit entry was written")
    assert AuditEntry.objects.count() == 0
    assert audit.verify().ok
