"""The audit log sealed (SPEC 8): append-only in the database itself, and keyed.

Each entry says which scheme made its hash (``hash_scheme``): entries written before this revision
keep their plain SHA-256 and are marked ``sha256``; the desk writes every new entry as an
HMAC-SHA-256 with the audit key (``hmac-sha256``), naming the key by ``key_id``. Triggers refuse
UPDATE and DELETE on ``audit_events`` (and TRUNCATE on PostgreSQL), with a message in words, for
every role; on PostgreSQL the desks' own role should also be granted no more than SELECT and
INSERT on the table, so that it cannot switch the triggers off either (README, Deployment notes).

A later revision that rebuilds ``audit_events`` on SQLite (a batch "move and copy") drops these
triggers with the old table and must create them again. A downgrade forgets which entries were
keyed: the desk of revision 0004 reads every entry as plain SHA-256, so entries keyed since this
revision no longer verify there.

Revision ID: 0005_audit_sealed
Revises: 0004_name_keys
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_audit_sealed"
down_revision = "0004_name_keys"
branch_labels = None
depends_on = None

_REFUSED = "audit_events is append-only"

SQLITE_TRIGGERS = {
    "audit_events_no_update": (
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSED}: UPDATE is refused'); END"
    ),
    "audit_events_no_delete": (
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSED}: DELETE is refused'); END"
    ),
}

POSTGRESQL_FUNCTION = f"""
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{_REFUSED}: % is refused', TG_OP USING ERRCODE = 'restrict_violation';
END
$$
"""

POSTGRESQL_TRIGGERS = {
    "audit_events_no_update_or_delete": (
        "CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
    ),
    "audit_events_no_truncate": (
        "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()"
    ),
}


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    # Added NOT NULL with a default, never by rebuilding the table (see revision 0002): every
    # entry so far is marked as hashed by plain SHA-256 at once.
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("hash_scheme", sa.String(length=16), nullable=False, server_default="sha256")
        )
        batch_op.add_column(sa.Column("key_id", sa.String(length=16), nullable=True))
    if postgresql:  # SQLite changes a default only by a rebuild; the desk always sets it
        op.alter_column(
            "audit_events", "hash_scheme", existing_type=sa.String(length=16), server_default=None
        )
        op.execute(POSTGRESQL_FUNCTION)
        for create in POSTGRESQL_TRIGGERS.values():
            op.execute(create)
    else:
        for create in SQLITE_TRIGGERS.values():
            op.execute(create)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in POSTGRESQL_TRIGGERS:
            op.execute(f"DROP TRIGGER {name} ON audit_events")
        op.execute("DROP FUNCTION audit_events_append_only()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    # Plain DROP COLUMN (SQLite 3.35 and later), as revision 0004 does: no rebuild.
    op.drop_column("audit_events", "key_id")
    op.drop_column("audit_events", "hash_scheme")
