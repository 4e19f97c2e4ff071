"""Signed shift reports (SPEC 6): the PDF and the CSV as the manager signed them, with the
SHA-256 of each, one a shift; locked by the database itself (UPDATE and DELETE refused, as for
the audit log in revision 0005). And the contacts' index on status becomes one on status and
start time: the reports ask for the saved contacts of a span of time, and with an index on
status alone SQLite read every contact of the year for one shift.

Revision ID: 0009_signed_reports
Revises: 0008_handoffs
Create Date: 2026-11-30 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_signed_reports"
down_revision = "0008_handoffs"
branch_labels = None
depends_on = None

_REFUSED = "signed_reports is locked: a signed report is never changed"

SQLITE_TRIGGERS = {
    "signed_reports_no_update": (
        "CREATE TRIGGER signed_reports_no_update BEFORE UPDATE ON signed_reports "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSED} (UPDATE refused)'); END"
    ),
    "signed_reports_no_delete": (
        "CREATE TRIGGER signed_reports_no_delete BEFORE DELETE ON signed_reports "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSED} (DELETE refused)'); END"
    ),
}

POSTGRESQL_FUNCTION = f"""
CREATE FUNCTION signed_reports_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{_REFUSED} (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END
$$
"""

POSTGRESQL_TRIGGERS = {
    "signed_reports_no_update_or_delete": (
        "CREATE TRIGGER signed_reports_no_update_or_delete BEFORE UPDATE OR DELETE ON "
        "signed_reports FOR EACH ROW EXECUTE FUNCTION signed_reports_locked()"
    ),
    "signed_reports_no_truncate": (
        "CREATE TRIGGER signed_reports_no_truncate BEFORE TRUNCATE ON signed_reports "
        "FOR EACH STATEMENT EXECUTE FUNCTION signed_reports_locked()"
    ),
}


def upgrade() -> None:
    op.create_index("ix_contacts_status_started", "contacts", ["status", "started_at"])
    op.drop_index("ix_contacts_status", table_name="contacts")
    op.create_table(
        "signed_reports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("shift_name", sa.String(length=32), nullable=False),
        sa.Column("shift_date", sa.Date(), nullable=False),
        sa.Column("start_at", sa.DateTime(), nullable=False),
        sa.Column("end_at", sa.DateTime(), nullable=False),
        sa.Column("signed_by", sa.Uuid(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("csv", sa.LargeBinary(), nullable=False),
        sa.Column("csv_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["signed_by"], ["users.id"], name="fk_signed_reports_signed_by_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_signed_reports"),
        sa.UniqueConstraint("shift_name", "shift_date", name="uq_signed_reports_shift"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        for create in POSTGRESQL_TRIGGERS.values():
            op.execute(create)
    else:
        for create in SQLITE_TRIGGERS.values():
            op.execute(create)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in POSTGRESQL_TRIGGERS:
            op.execute(f"DROP TRIGGER {name} ON signed_reports")
        op.execute("DROP FUNCTION signed_reports_locked()")
    op.drop_table("signed_reports")
    op.create_index("ix_contacts_status", "contacts", ["status"])
    op.drop_index("ix_contacts_status_started", table_name="contacts")
