"""Name keys: family and given names as search compares them, case-folded and without accents,
so "elodie", "Elodie" and "ELODIE" find Élodie and "zoe" finds Zoë on SQLite and PostgreSQL
alike (SQLite's lower() changes only ASCII letters). ``given_key`` joins ``family_key`` in the
index that replaces revision 0003's lower(given_name) one, so name searches stay range scans.

Revision ID: 0004_name_keys
Revises: 0003_given_name_search
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0004_name_keys"
down_revision = "0003_given_name_search"
branch_labels = None
depends_on = None

BATCH = 5_000
KEY_LENGTH = 80


def _name_key(name: str) -> str:
    # The same rule as db.models.name_key at this revision, frozen here so it never changes.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", name).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())[:KEY_LENGTH]


def _family_key_0002(name: str) -> str:
    # Revision 0002's rule, which revision 0003's searches read family names through.
    return " ".join(name.casefold().split())


PEOPLE = sa.table(
    "people",
    sa.column("id", sa.Uuid()),
    sa.column("given_name", sa.String()),
    sa.column("family_name", sa.String()),
    sa.column("given_key", sa.String()),
    sa.column("family_key", sa.String()),
)


def _fill(keys: dict[str, Callable[[str, str], str]]) -> None:
    """Set each column of ``keys`` to its function of (given name, family name) for every
    person, a batch at a time in id order."""
    connection = op.get_bind()
    update = (
        PEOPLE.update()
        .where(PEOPLE.c.id == sa.bindparam("person_id"))
        .values({column: sa.bindparam(f"new_{column}") for column in keys})
    )
    page = sa.select(PEOPLE.c.id, PEOPLE.c.given_name, PEOPLE.c.family_name).order_by(PEOPLE.c.id)
    after: uuid.UUID | None = None
    while True:  # never every row in memory at once
        query = page if after is None else page.where(PEOPLE.c.id > after)
        rows = connection.execute(query.limit(BATCH)).all()
        if not rows:
            return
        changes = []
        for row in rows:
            names = (row.given_name, row.family_name)
            new = {f"new_{column}": key(*names) for column, key in keys.items()}
            changes.append({"person_id": row.id, **new})
        connection.execute(update, changes)
        after = rows[-1].id


def upgrade() -> None:
    op.drop_index("ix_people_family_key", table_name="people")  # not kept up while filling
    # Added NOT NULL with a default, never by rebuilding the table (see revision 0002).
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("given_key", sa.String(length=80), nullable=False, server_default="")
        )
    _fill(
        {
            "given_key": lambda given, _family: _name_key(given),
            "family_key": lambda _given, family: _name_key(family),
        }
    )
    if op.get_bind().dialect.name != "sqlite":  # SQLite changes a default only by a rebuild
        op.alter_column(
            "people", "given_key", existing_type=sa.String(length=80), server_default=None
        )
    op.create_index("ix_people_name_keys", "people", ["family_key", "given_key"])


def downgrade() -> None:
    op.drop_index("ix_people_name_keys", table_name="people")
    # Plain DROP COLUMN (SQLite 3.35 and later): a rebuild of "people" trips the foreign keys.
    op.drop_column("people", "given_key")
    _fill({"family_key": lambda _given, family: _family_key_0002(family)})
    op.create_index("ix_people_family_key", "people", ["family_key", sa.text("lower(given_name)")])
