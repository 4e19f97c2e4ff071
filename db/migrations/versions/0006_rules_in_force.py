"""The rules in force are the SPA manager's: every rule file put in force is kept (its text, as
checked), and each putting in force (or back in force) is a row; the newest row is in force.

Revision ID: 0006_rules_in_force
Revises: 0005_audit_sealed
Create Date: 2026-11-30 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_rules_in_force"
down_revision = "0005_audit_sealed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rule_set_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ruleset_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("cases", sa.Text(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["added_by"], ["users.id"], name="fk_rule_set_versions_added_by_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_rule_set_versions"),
        sa.UniqueConstraint("sha256", name="uq_rule_set_versions_sha256"),
    )
    op.create_table(
        "rules_in_force",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("rule_set_id", sa.Uuid(), nullable=False),
        sa.Column("from_at", sa.DateTime(), nullable=False),
        sa.Column("by_user", sa.Uuid(), nullable=True),
        sa.Column("rolled_back", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rule_set_id"],
            ["rule_set_versions.id"],
            name="fk_rules_in_force_rule_set_id_rule_set_versions",
        ),
        sa.ForeignKeyConstraint(["by_user"], ["users.id"], name="fk_rules_in_force_by_user_users"),
        sa.PrimaryKeyConstraint("id", name="pk_rules_in_force"),
        sa.UniqueConstraint("position", name="uq_rules_in_force_position"),
    )


def downgrade() -> None:
    op.drop_table("rules_in_force")
    op.drop_table("rule_set_versions")
