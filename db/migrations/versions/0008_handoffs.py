"""Many desks, one SPA (SPEC 11): the streams each practitioner works (existing practitioners
are given every stream), hand-offs to the streams' queues, call-back attempts, and the legs of a
call (the handler's, then each practitioner's, each with its talk time) and the call's talk time
as the legs add up; where each desk is (presence); who last changed a person's record (so a
second desk's save can be refused with what changed and by whom).

Revision ID: 0008_handoffs
Revises: 0007_callers_wrap_up
Create Date: 2026-11-30 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_handoffs"
down_revision = "0007_callers_wrap_up"
branch_labels = None
depends_on = None

STREAMS = ("social_care", "health", "mental_health", "hospital_discharge")
"""Every stream when this revision was written (the vocabulary may grow; this list may not)."""


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("talk_seconds", sa.Integer(), nullable=True))
    # A plain column, no foreign key: SQLite adds it in place, never rebuilding the people
    # table that contacts, consents and referrals point at.
    op.add_column("people", sa.Column("updated_by", sa.Uuid(), nullable=True))
    op.create_table(
        "user_streams",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("stream", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_user_streams_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "stream", name="pk_user_streams"),
    )
    practitioners = sa.table("user_roles", sa.column("user_id", sa.Uuid()), sa.column("role"))
    streams = sa.table("user_streams", sa.column("user_id", sa.Uuid()), sa.column("stream"))
    for stream in STREAMS:
        op.execute(
            streams.insert().from_select(
                ["user_id", "stream"],
                sa.select(practitioners.c.user_id, sa.literal(stream)).where(
                    practitioners.c.role == "practitioner"
                ),
            )
        )
    op.create_table(
        "handoffs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("stream", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("urgency", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("handed_at", sa.DateTime(), nullable=False),
        sa.Column("handed_by", sa.Uuid(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_by", sa.Uuid(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("unanswered", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('waiting', 'claimed', 'escalated', 'done')", name="ck_handoffs_status"
        ),
        sa.CheckConstraint("kind IN ('warm', 'call-back')", name="ck_handoffs_kind"),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_handoffs_contact_id_contacts"
        ),
        sa.ForeignKeyConstraint(["handed_by"], ["users.id"], name="fk_handoffs_handed_by_users"),
        sa.ForeignKeyConstraint(["claimed_by"], ["users.id"], name="fk_handoffs_claimed_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_handoffs"),
    )
    op.create_index("ix_handoffs_contact_id", "handoffs", ["contact_id"])
    op.create_index("ix_handoffs_status_due", "handoffs", ["status", "due_at"])
    op.create_table(
        "callback_attempts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("handoff_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("by_user", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["handoff_id"], ["handoffs.id"], name="fk_callback_attempts_handoff_id_handoffs"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_callback_attempts_contact_id_contacts"
        ),
        sa.ForeignKeyConstraint(
            ["by_user"], ["users.id"], name="fk_callback_attempts_by_user_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_callback_attempts"),
    )
    op.create_index("ix_callback_attempts_handoff_id", "callback_attempts", ["handoff_id"])
    op.create_table(
        "contact_legs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=False),
        sa.Column("talk_seconds", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_contact_legs_contact_id_contacts"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_contact_legs_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_contact_legs"),
    )
    op.create_index(
        "ix_contact_legs_contact", "contact_legs", ["contact_id", "position"], unique=True
    )
    op.create_table(
        "desk_presence",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "state IN ('available', 'on_call', 'wrap_up', 'away')", name="ck_desk_presence_state"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_desk_presence_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name="pk_desk_presence"),
    )


def downgrade() -> None:
    op.drop_table("desk_presence")
    op.drop_index("ix_contact_legs_contact", table_name="contact_legs")
    op.drop_table("contact_legs")
    op.drop_index("ix_callback_attempts_handoff_id", table_name="callback_attempts")
    op.drop_table("callback_attempts")
    op.drop_index("ix_handoffs_status_due", table_name="handoffs")
    op.drop_index("ix_handoffs_contact_id", table_name="handoffs")
    op.drop_table("handoffs")
    op.drop_table("user_streams")
    # Plain DROP COLUMN (SQLite 3.35 and later): a rebuild of "people" trips the foreign keys.
    op.drop_column("people", "updated_by")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("talk_seconds")
