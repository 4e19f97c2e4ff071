"""Verifying the audit log's hash chain (SPEC 8): walk it in position order, check each entry by
the scheme that made its hash, and name the first entry that was changed, deleted, inserted or
moved; with a head written out before, also catch a log shortened or re-written after it.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Row, exc, func, select

from db.models import AuditEvent
from spa_desk.database import Database
from spa_desk.governance.chain import GENESIS_HASH, HashScheme, entry_hash
from spa_desk.governance.head import AuditHead, ChainEntry
from spa_desk.governance.key import AuditKey, existing_audit_key, where_the_key_goes

_BATCH = 1000


_RECENT = 256  # hashes remembered while verifying, to tell an insertion from a change


_MOVE_SEARCH = 1000  # how far an entry may have been moved and still be recognised


class AuditVerification(BaseModel):
    """The outcome of :func:`verify`.

    ``entries`` is how many entries were checked: all of them when the log is intact, those up to
    the problem otherwise; ``keyed`` of them by the audit key, ``unkeyed`` older ones by their
    plain SHA-256. ``first_bad_position`` and ``problem`` name the first bad entry. ``needs_key``
    says the keyed entries could not be checked because this desk has no audit key (``problem``
    says so in words). ``newest`` is the last entry checked, for writing a head.
    """

    model_config = ConfigDict(frozen=True)

    ok: bool
    entries: int
    keyed: int = 0
    unkeyed: int = 0
    first_bad_position: int | None = None
    problem: str | None = None
    needs_key: bool = False
    newest: ChainEntry | None = None


class _Chain:
    """The state of a walk along the chain in position order, for :func:`verify`."""

    def __init__(self, key: AuditKey | None) -> None:
        self.key = key
        self.keyed = 0
        self.unkeyed = 0
        self.last_position = 0
        self.last_hash = GENESIS_HASH
        self.newest: ChainEntry | None = None
        self.recent: OrderedDict[str, int] = OrderedDict()  # hash -> position, newest last

    @property
    def checked(self) -> int:
        return self.keyed + self.unkeyed

    def accept(self, row: Row[Any]) -> None:
        if row.hash_scheme == HashScheme.HMAC_SHA256:
            self.keyed += 1
        else:
            self.unkeyed += 1
        self.last_position = row.position
        self.last_hash = row.hash
        self.newest = ChainEntry(position=row.position, id=row.id, hash=row.hash)
        self.recent[row.hash] = row.position
        if len(self.recent) > _RECENT:
            self.recent.popitem(last=False)

    def outcome(self, problem: tuple[int, str] | None = None) -> AuditVerification:
        if problem is None:
            return AuditVerification(
                ok=True,
                entries=self.checked,
                keyed=self.keyed,
                unkeyed=self.unkeyed,
                newest=self.newest,
            )
        return AuditVerification(
            ok=False,
            entries=self.checked,
            keyed=self.keyed,
            unkeyed=self.unkeyed,
            first_bad_position=problem[0],
            problem=problem[1],
        )


def _hash_of(row: Row[Any], position: int, key: AuditKey | None) -> str:
    return entry_hash(
        key if row.hash_scheme == HashScheme.HMAC_SHA256 else None,
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
    if (
        followed is not None
        and followed < position - 1
        and _hash_of(row, followed + 1, chain.key) == row.hash
    ):
        inserted = followed + 1
        return inserted, (
            f"entry {inserted} was inserted or the entries after it were re-written (the entry "
            f"now at {position} was recorded as entry {inserted}, following entry {followed})"
        )
    for distance in range(1, _MOVE_SEARCH + 1):
        for original in (position + distance, position - distance):
            if original > 0 and _hash_of(row, original, chain.key) == row.hash:
                return position, (
                    f"entry {position} was moved, deleted or swapped (the entry now at "
                    f"{position} was recorded as entry {original})"
                )
    return position, f"entry {position} was changed (its hash does not match its contents)"


def _scheme_problem(row: Row[Any], chain: _Chain) -> str | None:
    """What is wrong with the scheme ``row`` claims, or None (the key is known to be there)."""
    position = row.position
    if row.hash_scheme == HashScheme.HMAC_SHA256:
        key = chain.key
        if key is not None and row.key_id != key.key_id:
            return (
                f"entry {position} was keyed with another audit key (key id {row.key_id}; this "
                f"desk's is {key.key_id}): this desk has the wrong audit key, or the entry was "
                "changed"
            )
        return None
    if row.hash_scheme == HashScheme.SHA256:
        if chain.keyed:
            return (
                f"entry {position} has a plain, unkeyed hash but comes after keyed entries: it "
                "was written or re-written without the audit key"
            )
        return None
    return f"entry {position} has a hash scheme this desk does not know ({row.hash_scheme!r})"


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
    scheme_problem = _scheme_problem(row, chain)
    if scheme_problem is not None:
        return position, scheme_problem
    if _hash_of(row, position, chain.key) != row.hash:
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


def _head_problem(row: Row[Any], head: AuditHead) -> tuple[int, str] | None:
    """What is wrong when ``row`` stands where ``head`` names an entry, or None."""
    if row.id == head.id and row.hash == head.hash:
        return None
    return head.position, (
        f"entry {head.position} is not the entry the head written {head.when} names: the log was "
        f"re-written at or before entry {head.position}"
    )


def _needs_key(database: Database, chain: _Chain, position: int) -> AuditVerification:
    """The outcome when the entries from ``position`` on are keyed and there is no key."""
    with database.sessions() as session:
        last = session.execute(
            select(func.max(AuditEvent.position)).where(AuditEvent.position >= position)
        ).scalar()
    if last is not None and last > position:
        which = f"entries {position} to {last} are"
    else:
        which = f"entry {position} is"
    return AuditVerification(
        ok=False,
        entries=chain.checked,
        keyed=chain.keyed,
        unkeyed=chain.unkeyed,
        needs_key=True,
        problem=(
            f"{which} keyed, and this desk has no audit key to check them: {where_the_key_goes()}"
        ),
    )


def verify(
    database: Database, *, key: AuditKey | None = None, head: AuditHead | None = None
) -> AuditVerification:
    """Walk the whole chain in position order and report the first bad entry, if any.

    Each entry is checked by its own scheme: keyed entries with ``key`` (by default the audit key
    in force; without one they cannot be checked, and ``needs_key`` says so), older unkeyed ones
    by their plain SHA-256. Changing any field of any entry, deleting any entry but the newest,
    inserting an entry anywhere before the newest, and passing a keyed entry off as an older
    unkeyed one are detected. What the chain alone cannot show, that the newest entries were
    deleted or the tail re-written by someone holding the key, ``head`` (written out earlier)
    shows: its entry must still be there, unchanged. Reads in batches: constant memory.
    """
    key = key or existing_audit_key()
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
        AuditEvent.hash_scheme,
        AuditEvent.key_id,
    ).order_by(AuditEvent.position)
    chain = _Chain(key)
    first_keyed: int | None = None  # when there is no key to check it
    with database.engine.connect() as connection:
        rows = connection.execution_options(yield_per=_BATCH).execute(query)
        try:  # closing early releases PostgreSQL's server-side cursor
            for row in rows:
                if key is None and row.hash_scheme == HashScheme.HMAC_SHA256:
                    first_keyed = row.position
                    break
                problem = _entry_problem(row, chain)
                if problem is None and head is not None and row.position == head.position:
                    problem = _head_problem(row, head)
                if problem is not None:
                    return chain.outcome(problem)
                chain.accept(row)
        except (ValueError, TypeError, exc.StatementError) as error:
            bad = chain.last_position + 1
            return chain.outcome(
                (bad, f"entry {bad} was changed: it cannot be read ({type(error).__name__})")
            )
        finally:
            rows.close()
    if first_keyed is not None:
        return _needs_key(database, chain, first_keyed)
    if head is not None and chain.last_position < head.position:
        ends = (
            f"the log ends at entry {chain.last_position}"
            if chain.last_position
            else "the log is empty"
        )
        return chain.outcome(
            (
                chain.last_position + 1,
                f"{ends}, but the head written {head.when} names entry {head.position}: the log "
                "was shortened after the head was written",
            )
        )
    return chain.outcome()
