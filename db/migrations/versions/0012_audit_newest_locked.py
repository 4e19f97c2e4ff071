"""The audit log's newest entry read under its append lock in one round trip (PostgreSQL).

Appending to the audit log takes a transaction-level advisory lock and then reads the newest
entry, whose hash the new entry chains to. The read must be a statement of its own, begun after
the lock is held: a statement's snapshot is taken when it begins, so a read in the statement that
takes the lock could miss an entry another desk committed while this one waited for it. A
volatile PL/pgSQL function takes a new snapshot for each statement it runs, so
``audit_newest_locked(key)`` takes the lock and then reads the newest entry: one round trip where
there were two, paid by every audited action (every save of a call among them). SQLite needs
nothing: its append lock is the database's write lock, taken in-process.

Revision ID: 0012_audit_newest_locked
Revises: 0011_phone_calls
Create Date: 2026-12-01 21:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0012_audit_newest_locked"
down_revision = "0011_phone_calls"
branch_labels = None
depends_on = None

_FUNCTION = """
CREATE FUNCTION audit_newest_locked(lock_key bigint)
RETURNS TABLE ("position" bigint, hash varchar, key_id varchar)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    RETURN QUERY
        SELECT e.position, e.hash, e.key_id FROM audit_events AS e
        ORDER BY e.position DESC LIMIT 1;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_newest_locked(bigint)")
