"""How an audit entry's hash is made: the canonical text of the entry, and the two schemes.

The canonical text is ``json.dumps(..., sort_keys=True, separators=(",", ":"))`` of an object with
the entry's fields by name: ``id``, ``position``, ``occurred_at`` (ISO 8601 in UTC with
microseconds), ``user_id``, ``action``, ``entity_type``, ``entity_id``, ``details`` and
``prev_hash``; UUIDs as their canonical text.

- ``hmac-sha256``, every entry since revision 0005: the HMAC-SHA-256, with the audit key
  (:mod:`spa_desk.governance.key`), of the canonical text with two more fields, ``hash_scheme``
  and ``key_id``. Only someone holding the key can make it, so someone who can write the audit
  table cannot recompute the chain after changing an entry.
- ``sha256``, entries written before revision 0005: the plain SHA-256 of the canonical text. Anyone
  with a copy of the table can recompute it; such entries are anchored by the keyed entry after
  them and by a head written out (:mod:`spa_desk.governance.head`).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from spa_desk.governance.key import AuditKey

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first entry: there is no entry before it."""


class HashScheme(StrEnum):
    """Which scheme made an entry's hash (stored with the entry)."""

    SHA256 = "sha256"
    HMAC_SHA256 = "hmac-sha256"


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")


def entry_hash(
    key: AuditKey | None,
    *,
    id: uuid.UUID,
    position: int,
    occurred_at: datetime,
    user_id: uuid.UUID | None,
    action: str,
    entity_type: str | None,
    entity_id: str | None,
    details: Any,
    prev_hash: str,
) -> str:
    """The hash (hex) of an entry: keyed with ``key`` (``hmac-sha256``), or the plain SHA-256 of
    an entry from before the key (``sha256``) when ``key`` is None."""
    payload: dict[str, Any] = {
        "id": str(id),
        "position": position,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "user_id": None if user_id is None else str(user_id),
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "details": details,
        "prev_hash": prev_hash,
    }
    if key is None:
        return hashlib.sha256(_canonical(payload)).hexdigest()
    payload["hash_scheme"] = HashScheme.HMAC_SHA256.value
    payload["key_id"] = key.key_id
    return key.mac(_canonical(payload))
