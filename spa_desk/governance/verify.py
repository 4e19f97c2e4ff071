"""Verifying the audit log's hash chain (SPEC 8): walk it in position order and name the
first entry that was changed, deleted, inserted or moved.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Row, exc, select

from db.models import AuditEvent
from spa_desk.database import Database
from spa_desk.governance.log import GENESIS_HASH, entry_hash

_BATCH = 1000


_RECENT = 256  # hashes remembered while verifying, to tell an insertion from a change


_MOVE_SEARCH = 1000  # how far an entry may have been moved and still be recognised


class AuditVerification(BaseModel):
    """The outcome of :func:`verify`.

    ``entries`` is how many entries were checked: all of them when the log is intact, those up to
    the problem otherwise. ``first_bad_position`` and ``problem`` name the first bad entry.
    """

    model_config = ConfigDict(frozen=True)

    ok: bool
    entries: int
    first_bad_position: int | None = None
    problem: str | None = None


class _Chain:
    """The state of a walk along the chain in position order, for :func:`verify`."""

    def __init__(self) -> None:
        self.checked = 0
        self.last_position = 0
        self.last_hash = GENESIS_HASH
        self.recent: OrderedDict[str, int] = OrderedDict()  # hash -> position, newest last

    def accept(self, position: int, entry_hash_: str) -> None:
        self.checked += 1
        self.last_position = position
        self.last_hash = entry_hash_
        self.recent[entry_hash_] = position
        if len(self.recent) > _RECENT:
            self.recent.popitem(last=False)


def _hash_of(row: Row[Any], position: int) -> str:
    return entry_hash(
        id=row.id,
        position=position,
        occurred_at=row.occurred_at,
        user_id=row.user_id,
        action=row.action,
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        details=row.details,
        prev_hash=row.prev_hash,
    )


def _changed_entry_problem(row: Row[Any], chain: _Chain) -> tuple[int, str]:
    """Why an entry's hash does not match its contents: changed, or moved by an insertion."""
    position = row.position
    followed = chain.recent.get(row.prev_hash)
    if followed is not None and followed < position - 1 and _hash_of(row, followed + 1) == row.hash:
        inserted = followed + 1
        return inserted, (
            f"entry {inserted} was inserted or the entries after it were re-written (the entry "
            f"now at {position} was recorded as entry {inserted}, following entry {followed})"
        )
    for distance in range(1, _MOVE_SEARCH + 1):
        for original in (position + distance, position - distance):
            if original > 0 and _hash_of(row, original) == row.hash:
                return position, (
                    f"entry {position} was moved, deleted or swapped (the entry now at "
                    f"{position} was recorded as entry {original})"
                )
    return position, f"entry {position} was changed (its hash does not match its contents)"


def _entry_problem(row: Row[Any], chain: _Chain) -> tuple[int, str] | None:
    """The first bad position and what is wrong there, or None when ``row`` extends the chain."""
    position: int = row.position
    expected = chain.last_position + 1
    if position < expected:
        return position, f"entry {position} was inserted before entry 1 (positions start at 1)"
    if position > expected:
        if expected == 1:
            return 1, f"entry 1 is missing (the log starts at entry {position})"
        return expected, (
            f"entry {expected} is missing (positions jump from {expected - 1} to {position})"
        )
    if _hash_of(row, position) != row.hash:
        return _changed_entry_problem(row, chain)
    if row.prev_hash != chain.last_hash:
        if position == 1:
            return 1, "entry 1 does not start the chain (its prev_hash is not all zeros)"
        followed = chain.recent.get(row.prev_hash)
        if followed is not None and followed < position - 1:
            return followed + 1, (
                f"entry {followed + 1} was inserted or the entries after it were re-written "
                f"(entry {position} follows entry {followed})"
            )
        return position, (
            f"entry {position} does not follow entry {position - 1} (its prev_hash is not entry "
            f"{position - 1}'s hash): one of them was re-written"
        )
    return None


def verify(database: Database) -> AuditVerification:
    """Walk the whole chain in position order and report the first bad entry, if any.

    Changing any field of any entry, deleting any entry but the last, and inserting an entry
    anywhere before the last are detected. What a chain alone cannot show: that the LAST entry
    was deleted, or that entries were added at the end, or everything from some entry on was
    re-written, by someone who recomputes the hashes. Catching those needs the head of the chain
    anchored outside the database (a later change). Reads in batches: constant memory.
    """
    query = select(
        AuditEvent.id,
        AuditEvent.position,
        AuditEvent.occurred_at,
        AuditEvent.user_id,
        AuditEvent.action,
        AuditEvent.entity_type,
        AuditEvent.entity_id,
        AuditEvent.details,
        AuditEvent.prev_hash,
        AuditEvent.hash,
    ).order_by(AuditEvent.position)
    chain = _Chain()
    with database.engine.connect() as connection:
        rows = connection.execution_options(yield_per=_BATCH).execute(query)
        try:  # closing early releases PostgreSQL's server-side cursor
            for row in rows:
                problem = _entry_problem(row, chain)
                if problem is not None:
                    return AuditVerification(
                        ok=False,
                        entries=chain.checked,
                        first_bad_position=problem[0],
                        problem=problem[1],
                    )
                chain.accept(row.position, row.hash)
        except (ValueError, TypeError, exc.StatementError) as error:
            bad = chain.last_position + 1
            return AuditVerification(
                ok=False,
                entries=chain.checked,
                first_bad_position=bad,
                problem=f"entry {bad} was changed: it cannot be read ({type(error).__name__})",
            )
        finally:
            rows.close()
    return AuditVerification(ok=True, entries=chain.checked)
