"""Person search: the family-name index carries the given name lower-cased, so "Given Family"
and "Family, Given" searches read a handful of index entries instead of every row of a common
family name (36 ms against 0.05 ms on a million people, bench/call_desk/).

Revision ID: 0003_given_name_search
Revises: 0002_call_desk
Create Date: 2026-11-23 21:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_given_name_search"
down_revision = "0002_call_desk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_people_family_key", table_name="people")
    op.create_index("ix_people_family_key", "people", ["family_key", sa.text("lower(given_name)")])


def downgrade() -> None:
    op.drop_index("ix_people_family_key", table_name="people")
    op.create_index("ix_people_family_key", "people", ["family_key", "given_name"])
