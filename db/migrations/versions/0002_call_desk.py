"""The call handler's desk: a search key for family names, the caller's number and the draft
of a call in progress on each contact.

Revision ID: 0002_call_desk
Revises: 0001_initial
Create Date: 2026-11-23 21:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = "0002_call_desk"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

BATCH = 5_000


def _name_key(name: str) -> str:
    # The same rule as db.models.name_key, frozen here so this revision never changes.
    return " ".join(name.casefold().split())


def upgrade() -> None:
    # Added NOT NULL with a default, never by rebuilding the table: on SQLite a rebuild drops
    # "people" while contacts, consents and referrals point at it, which the foreign keys refuse.
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("family_key", sa.String(length=80), nullable=False, server_default="")
        )
    people = sa.table(
        "people",
        sa.column("id", sa.Uuid()),
        sa.column("family_name", sa.String()),
        sa.column("family_key", sa.String()),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(people.c.id, people.c.family_name)).all()
    update = (
        people.update()
        .where(people.c.id == sa.bindparam("person_id"))
        .values(family_key=sa.bindparam("key"))
    )
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        connection.execute(
            update, [{"person_id": row.id, "key": _name_key(row.family_name)} for row in chunk]
        )
    if connection.dialect.name != "sqlite":  # SQLite changes a default only by a rebuild
        op.alter_column(
            "people", "family_key", existing_type=sa.String(length=80), server_default=None
        )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index("ix_people_family_key", ["family_key", "given_name"], unique=False)
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("caller_number", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("draft", JSON_DOCUMENT, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("draft")
        batch_op.drop_column("caller_number")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index("ix_people_family_key")
        batch_op.drop_column("family_key")
