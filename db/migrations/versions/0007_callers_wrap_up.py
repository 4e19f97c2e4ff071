"""Every caller is recorded, not only professionals: a family member's or carer's relationship to
the person is kept with their name and call-back number. Wrap-up time is kept as worked: the time
a desk was closed during wrap-up is not in it (older rows: the save time less the end of the call).

Revision ID: 0007_callers_wrap_up
Revises: 0006_rules_in_force
Create Date: 2026-11-30 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_callers_wrap_up"
down_revision = "0006_rules_in_force"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("callers") as batch:
        batch.add_column(sa.Column("relationship", sa.String(length=60), nullable=True))
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("wrap_up_seconds", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("wrap_up_seconds")
    with op.batch_alter_table("callers") as batch:
        batch.drop_column("relationship")
