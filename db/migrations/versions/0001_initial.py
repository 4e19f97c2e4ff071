"""Initial schema: users and roles, people, callers, services, contacts, consents,
referrals, service gaps and the audit log.

Revision ID: 0001_initial
Revises: (none)
Create Date: 2026-11-23 18:46:46.361405
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "callers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("caller_type", sa.String(length=16), nullable=False),
        sa.Column("professional_role", sa.String(length=16), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=True),
        sa.Column("organisation", sa.String(length=120), nullable=True),
        sa.Column("job_title", sa.String(length=120), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callers")),
    )
    with op.batch_alter_table("callers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_callers_phone"), ["phone"], unique=False)

    op.create_table(
        "people",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("nhs_number", sa.String(length=10), nullable=True),
        sa.Column("given_name", sa.String(length=80), nullable=False),
        sa.Column("family_name", sa.String(length=80), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("address_line1", sa.String(length=120), nullable=True),
        sa.Column("address_line2", sa.String(length=120), nullable=True),
        sa.Column("town", sa.String(length=80), nullable=True),
        sa.Column("postcode", sa.String(length=8), nullable=True),
        sa.Column("phone_primary", sa.String(length=20), nullable=True),
        sa.Column("phone_secondary", sa.String(length=20), nullable=True),
        sa.Column("gp_practice", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("nhs_number", name=op.f("uq_people_nhs_number")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index("ix_people_date_of_birth", ["date_of_birth"], unique=False)
        batch_op.create_index("ix_people_family_given", ["family_name", "given_name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_people_phone_primary"), ["phone_primary"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_people_postcode"), ["postcode"], unique=False)

    op.create_table(
        "services",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("route", sa.String(length=32), nullable=False),
        sa.Column("organisation", sa.String(length=160), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services")),
    )
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_services_route"), ["route"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("organisation", sa.String(length=120), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=32), nullable=True),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column("details", JSON_DOCUMENT, nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_audit_events_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("position", name=op.f("uq_audit_events_position")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_events_occurred_at"), ["occurred_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_audit_events_user_id"), ["user_id"], unique=False)

    op.create_table(
        "contacts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("wrap_up_ended_at", sa.DateTime(), nullable=True),
        sa.Column("line", sa.String(length=32), nullable=False),
        sa.Column("call_kind", sa.String(length=16), nullable=False),
        sa.Column("caller_type", sa.String(length=16), nullable=False),
        sa.Column("caller_id", sa.Uuid(), nullable=True),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("consent_basis", sa.String(length=32), nullable=True),
        sa.Column("consent_reason", sa.Text(), nullable=True),
        sa.Column("level1", sa.String(length=16), nullable=True),
        sa.Column("stream", sa.String(length=32), nullable=True),
        sa.Column("facts", JSON_DOCUMENT, nullable=False),
        sa.Column("ruleset_id", sa.String(length=64), nullable=True),
        sa.Column("ruleset_version", sa.String(length=32), nullable=True),
        sa.Column("ruleset_sha256", sa.String(length=64), nullable=True),
        sa.Column("recommended_routes", JSON_DOCUMENT, nullable=False),
        sa.Column("final_routes", JSON_DOCUMENT, nullable=False),
        sa.Column("overridden", sa.Boolean(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("resolved_at_first_contact", sa.Boolean(), nullable=True),
        sa.Column("resolution_method", sa.String(length=32), nullable=True),
        sa.Column("signposted_service_id", sa.Uuid(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("handler_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'complete')", name=op.f("ck_contacts_status")),
        sa.ForeignKeyConstraint(
            ["caller_id"], ["callers.id"], name=op.f("fk_contacts_caller_id_callers")
        ),
        sa.ForeignKeyConstraint(
            ["handler_id"], ["users.id"], name=op.f("fk_contacts_handler_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_contacts_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["signposted_service_id"],
            ["services.id"],
            name=op.f("fk_contacts_signposted_service_id_services"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contacts_handler_id"), ["handler_id"], unique=False)
        batch_op.create_index(
            "ix_contacts_person_started", ["person_id", "started_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contacts_started_at"), ["started_at"], unique=False)
        batch_op.create_index("ix_contacts_status", ["status"], unique=False)

    op.create_table(
        "user_roles",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_roles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_roles")),
    )
    op.create_table(
        "consents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("basis", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_consents_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_consents_person_id_people")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_consents_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consents_person_id"), ["person_id"], unique=False)

    op.create_table(
        "referrals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("route", sa.String(length=32), nullable=False),
        sa.Column("urgency", sa.String(length=16), nullable=True),
        sa.Column("service_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("made_by", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_referrals_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(["made_by"], ["users.id"], name=op.f("fk_referrals_made_by_users")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_referrals_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_referrals_service_id_services")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referrals_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referrals_person_id"), ["person_id"], unique=False)

    op.create_table(
        "service_gaps",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("need", sa.String(length=64), nullable=False),
        sa.Column("service_requested", sa.String(length=160), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("age_band", sa.String(length=8), nullable=True),
        sa.Column("area", sa.String(length=8), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_service_gaps_contact_id_contacts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_gaps")),
    )
    with op.batch_alter_table("service_gaps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_gaps_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_service_gaps_recorded_at"), ["recorded_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("service_gaps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_gaps_recorded_at"))
        batch_op.drop_index(batch_op.f("ix_service_gaps_contact_id"))

    op.drop_table("service_gaps")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referrals_person_id"))
        batch_op.drop_index(batch_op.f("ix_referrals_contact_id"))

    op.drop_table("referrals")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consents_person_id"))

    op.drop_table("consents")
    op.drop_table("user_roles")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_status")
        batch_op.drop_index(batch_op.f("ix_contacts_started_at"))
        batch_op.drop_index("ix_contacts_person_started")
        batch_op.drop_index(batch_op.f("ix_contacts_handler_id"))

    op.drop_table("contacts")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_user_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_audit_events_entity_id"))

    op.drop_table("audit_events")
    op.drop_table("users")
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_services_route"))

    op.drop_table("services")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_postcode"))
        batch_op.drop_index(batch_op.f("ix_people_phone_primary"))
        batch_op.drop_index("ix_people_family_given")
        batch_op.drop_index("ix_people_date_of_birth")

    op.drop_table("people")
    with op.batch_alter_table("callers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_callers_phone"))

    op.drop_table("callers")
