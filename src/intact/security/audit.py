"""The tamper-evident audit log (DESIGN rule 4).

Every view of and change to confidential data calls :func:`record` inside the
transaction that does the work, so the entry exists exactly when the change
does. Entries form a chain: each stores the HMAC-SHA256 (keyed with the
installation's audit key) of its own fields and the previous entry's hash.
Changing, inserting or deleting a row breaks the chain at that row, and
``intact audit verify`` names the first broken entry. Entries are also
written to the ``intact.audit`` logger (stdout) for an external log store.

Details never hold confidential content: ids, field names and state names only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from intact.security import keys
from intact.security.models import AuditEntry, AuditHead

logger = logging.getLogger("intact.audit")
GENESIS = "0" * 64


def _canonical(entry: AuditEntry) -> bytes:
    payload = {
        "timestamp": entry.timestamp.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "organisation_id": entry.organisation_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "detail": entry.detail,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hmac.new(keys.keyring().audit_key, _canonical(entry), hashlib.sha256).hexdigest()


def _actor(actor: Any) -> tuple[int | None, str]:
    if actor is None:
        return None, "system"
    if isinstance(actor, str):
        return None, actor[:200]
    if not getattr(actor, "is_authenticated", False):
        return None, "anonymous"
    return actor.pk, actor.get_username()[:200]


def prepare(
    actor: Any,
    action: str,
    *,
    organisation: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: Any = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """An entry not yet in the chain, for :func:`record_many` (same arguments as :func:`record`)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    org_id = getattr(organisation, "pk", organisation)
    if org_id is None and obj is not None:
        org_id = getattr(obj, "organisation_id", None)
    actor_id, actor_label = _actor(actor)
    return AuditEntry(
        actor_id=actor_id,
        actor_label=actor_label,
        organisation_id=org_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        # Round-trip the detail through JSON so the hash sees what the database keeps.
        detail=json.loads(json.dumps(detail or {}, default=str)),
    )


def record_many(entries: Sequence[AuditEntry]) -> list[AuditEntry]:
    """Append prepared entries (:func:`prepare`) in their order, with one read of the chain head.

    The entries are chained exactly as if each had been recorded on its own
    (``intact audit verify`` cannot tell the difference) and get the time of
    this call. Call it inside the transaction of the work it records; it opens
    one if there is none. Inside a transaction it takes no savepoint: if the
    append fails, the whole transaction fails, so the work is never stored
    without its entries.
    """
    entries = list(entries)
    if not entries:
        return entries
    with transaction.atomic(savepoint=False):
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead.objects.create(pk=1, last_hash=GENESIS, count=0)
        now = timezone.now()
        prev = head.last_hash
        for entry in entries:
            entry.timestamp = now
            entry.prev_hash = prev
            entry.entry_hash = compute_hash(entry)
            prev = entry.entry_hash
        if len(entries) == 1:
            entries[0].save(force_insert=True)
        else:
            # One INSERT; ids ascend in list order, which is the order verify() walks.
            AuditEntry.objects.bulk_create(entries)
        AuditHead.objects.filter(pk=1).update(last_hash=prev, count=head.count + len(entries))
    for entry in entries:
        logger.info(
            "audit %s actor=%s org=%s object=%s:%s",
            entry.action,
            entry.actor_label if entry.actor_id is None else entry.actor_id,
            entry.organisation_id,
            entry.object_type,
            entry.object_id,
        )
    return entries


def record(
    actor: Any,
    action: str,
    *,
    organisation: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: Any = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. ``actor`` is a user, a label like ``"reporter"``/``"system"``, or None.

    Call it inside the transaction of the work it records; it opens one if
    there is none. Several entries of one transaction: :func:`prepare` them
    and write them with :func:`record_many` (one read of the chain head).
    """
    entry = prepare(actor, action, organisation=organisation, obj=obj, object_type=object_type,
                    object_id=object_id, detail=detail)
    return record_many([entry])[0]


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("id").iterator(chunk_size=2000)


def verify() -> VerifyResult:
    """Walk the whole chain; report the first entry whose hash or link is wrong."""
    prev = GENESIS
    checked = 0
    last_id = 0
    for entry in _entries():
        if entry.prev_hash != prev:
            return VerifyResult(False, checked, entry.pk, "link to the previous entry is broken")
        if not hmac.compare_digest(compute_hash(entry), entry.entry_hash):
            return VerifyResult(False, checked, entry.pk, "entry content does not match its hash")
        prev = entry.entry_hash
        last_id = entry.pk
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None:
        if head.last_hash != prev:
            return VerifyResult(False, checked, last_id or None, "entries after this one are missing")
        if head.count != checked:
            return VerifyResult(False, checked, last_id or None, "the number of entries does not match")
    elif checked:
        return VerifyResult(False, checked, None, "the chain head is missing")
    return VerifyResult(True, checked)
