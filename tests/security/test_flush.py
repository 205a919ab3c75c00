"""Transactional tests can end with a flush although the audit log is append-only."""

import pytest

from intact.security import audit


@pytest.mark.django_db(transaction=True)
def test_first_writes_audit():
    audit.record(None, "test.flush")


@pytest.mark.django_db(transaction=True)
def test_second_starts_empty_with_triggers_back():
    from django.db import DatabaseError, connection, transaction

    from intact.security.models import AuditEntry

    assert not AuditEntry.objects.exists()
    entry = audit.record(None, "test.flush")
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM security_auditentry WHERE id = %s", [entry.pk])
