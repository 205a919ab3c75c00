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
from collections.abc import Iterator
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
    there is none.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    org_id = getattr(organisation, "pk", organisation)
    if org_id is None and obj is not None:
        org_id = getattr(obj, "organisation_id", None)
    actor_id, actor_label = _actor(actor)
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead.objects.create(pk=1, last_hash=GENESIS, count=0)
        entry = AuditEntry(
            timestamp=timezone.now(),
            actor_id=actor_id,
            actor_label=actor_label,
            organisation_id=org_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id) if object_id != "" else "",
            detail=detail or {},
            prev_hash=head.last_hash,
        )
        # Round-trip the detail through JSON so the hash sees what the database keeps.
        entry.detail = json.loads(json.dumps(entry.detail, default=str))
        entry.entry_hash = compute_hash(entry)
        entry.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(last_hash=entry.entry_hash, count=head.count + 1)
    logger.info(
        "audit %s actor=%s org=%s object=%s:%s",
        action,
        actor_label if actor_id is None else actor_id,
        org_id,
        object_type,
        entry.object_id,
    )
    return entry


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
