"""Training (SPEC 7): trainees' results, each sample call a trainee worked scored against its
expected decision (the five marks, the differences in words with the rules that decide them, the
routes expected and given, for the trainer's history and per-route accuracy); and the database's
own marks, where a training database says it is one.

Revision ID: 0010_training_results
Revises: 0009_signed_reports
Create Date: 2026-11-30 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = "0010_training_results"
down_revision = "0009_signed_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_results",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("trainee_id", sa.Uuid(), nullable=False),
        sa.Column("sample_call_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("scored_at", sa.DateTime(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("marks", JSON_DOCUMENT, nullable=False),
        sa.Column("differences", JSON_DOCUMENT, nullable=False),
        sa.Column("expected", JSON_DOCUMENT, nullable=False),
        sa.Column("given", JSON_DOCUMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["trainee_id"], ["users.id"], name="fk_training_results_trainee_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_training_results"),
    )
    op.create_index(
        "ix_training_results_trainee_scored", "training_results", ["trainee_id", "scored_at"]
    )
    op.create_table(
        "database_marks",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_database_marks"),
    )


def downgrade() -> None:
    op.drop_table("database_marks")
    op.drop_index("ix_training_results_trainee_scored", table_name="training_results")
    op.drop_table("training_results")
