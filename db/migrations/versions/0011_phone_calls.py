"""Telephony (SPEC 12): every call the desk's phone rang with, from its ring to its end, for the
missed-call list (hung up before an answer), call-backs, recordings and the telephone figures
(offered, answered, abandoned, speed of answer, service level).

Revision ID: 0011_phone_calls
Revises: 0010_training_results
Create Date: 2026-12-01 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_phone_calls"
down_revision = "0010_training_results"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "phone_calls",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("call_ref", sa.String(length=200), nullable=False),
        sa.Column("rang_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("caller_number", sa.String(length=32), nullable=True),
        sa.Column("line", sa.String(length=32), nullable=False),
        sa.Column("desk_user_id", sa.Uuid(), nullable=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("called_back_at", sa.DateTime(), nullable=True),
        sa.Column("called_back_by", sa.Uuid(), nullable=True),
        sa.Column("recording", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["desk_user_id"], ["users.id"], name="fk_phone_calls_desk_user_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["called_back_by"], ["users.id"], name="fk_phone_calls_called_back_by_users"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_phone_calls_contact_id_contacts"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_phone_calls"),
    )
    op.create_index("ix_phone_calls_rang_at", "phone_calls", ["rang_at"])
    op.create_index("ix_phone_calls_call_ref", "phone_calls", ["call_ref"])


def downgrade() -> None:
    op.drop_index("ix_phone_calls_call_ref", table_name="phone_calls")
    op.drop_index("ix_phone_calls_rang_at", table_name="phone_calls")
    op.drop_table("phone_calls")
