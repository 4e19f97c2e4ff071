"""What a person search shows and who may search, and the family-name key migration 0002 fills."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from db.engine import sqlite_url
from db.migrate import HEAD_REVISION, current_revision, upgrade
from db.types import UTCDateTime
from spa_desk.access.login import authenticate
from spa_desk.database import Database, connect
from spa_desk.governance.search import _search as search
from spa_desk.people.search import search_people
from spa_desk.permissions import PermissionDenied
from spa_desk.vocabulary import Role
from tests.conftest import POSTGRES_ENV, drop_postgres_database, postgres_admin_url
from tests.factories import add_person, add_user
from tests.spa_desk.people.helpers import signed_in, valid_nhs


def test_a_match_shows_enough_to_pick_the_right_person(
    database: Database, people: dict[str, uuid.UUID]
) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    (ada,) = search_people(database, handler, "999 000 0026").people
    assert (ada.id, ada.name, ada.nhs_label) == (
        people["Ada"], "TESTPERSON, Ada", "999 000 0026 (test)",
    )  # fmt: skip
    assert (ada.date_of_birth, ada.postcode, ada.phone_primary) == (
        date(1941, 3, 12), "ZY1 1AA", "07700900123",
    )  # fmt: skip
    (dan,) = search_people(database, handler, "Testington").people
    assert dan.nhs_label == "no NHS number"
    # Searching opens no record, so nothing is audited.
    assert search(database, person_id=people["Ada"]) == []


def test_results_are_limited_and_say_there_are_more(database: Database) -> None:
    handler = signed_in(database, "handler", Role.CALL_HANDLER)
    for number in range(25):
        add_person(
            database,
            nhs_number=valid_nhs(700000 + number * 3),
            given_name=f"Given{number:02d}",
            family_name="Manyperson",
            phone_primary=None,
        )
    first = search_people(database, handler, "manyp")
    assert len(first.people) == 20 and first.more is True
    assert [p.given_name for p in first.people] == [f"Given{n:02d}" for n in range(20)]
    fewer = search_people(database, handler, "manyp", limit=5)
    assert len(fewer.people) == 5 and fewer.more is True
    everyone = search_people(database, handler, "manyp", limit=25)
    assert len(everyone.people) == 25 and everyone.more is False


@pytest.mark.parametrize("role", [Role.TRAINER, Role.SPA_MANAGER, Role.ADMINISTRATOR])
def test_search_needs_permission_to_open_records(
    database: Database, people: dict[str, uuid.UUID], role: Role
) -> None:
    someone = signed_in(database, "someone", role)
    with pytest.raises(PermissionDenied, match="may not open a person's record"):
        search_people(database, someone, "Testperson")


# --- migration 0002 fills in the family name key --------------------------------------------

FIRST_REVISION = "0001_initial"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database with no schema at all, on each backend."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "old.sqlite3")
        return
    admin_url = postgres_admin_url()
    if admin_url is None:
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV} (scripts/with-postgres.sh does)")
    name = f"spa_old_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    yield url
    drop_postgres_database(admin_url, url)


def test_migration_0002_fills_in_the_family_key_of_people_already_stored(
    empty_database_url: str,
) -> None:
    database = connect(empty_database_url)
    upgrade(database.engine, FIRST_REVISION)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    people = sa.table(
        "people",
        sa.column("id", sa.Uuid()),
        sa.column("given_name", sa.String()),
        sa.column("family_name", sa.String()),
        sa.column("created_at", UTCDateTime()),
        sa.column("updated_at", UTCDateTime()),
        sa.column("version", sa.Integer()),
    )
    users = sa.table(
        "users",
        sa.column("id", sa.Uuid()),
        sa.column("username", sa.String()),
        sa.column("display_name", sa.String()),
        sa.column("password_hash", sa.String()),
        sa.column("active", sa.Boolean()),
        sa.column("failed_logins", sa.Integer()),
        sa.column("created_at", UTCDateTime()),
        sa.column("password_changed_at", UTCDateTime()),
    )
    contacts = sa.table(
        "contacts",
        *(sa.column(name, sa.Uuid()) for name in ("id", "person_id", "handler_id")),
        *(sa.column(name, UTCDateTime()) for name in ("started_at", "created_at", "updated_at")),
        *(sa.column(name, sa.String()) for name in ("line", "call_kind", "caller_type", "status")),
        *(sa.column(name, sa.JSON()) for name in ("facts", "recommended_routes", "final_routes")),
        sa.column("overridden", sa.Boolean()),
        sa.column("version", sa.Integer()),
    )
    names = {uuid.uuid4(): "  Van  der TESTPERSON ", uuid.uuid4(): "McExample", uuid.uuid4(): "Ng"}
    user_id, contact_id = uuid.uuid4(), uuid.uuid4()
    with database.engine.begin() as connection:
        connection.execute(
            people.insert(),
            [
                {"id": person_id, "given_name": "Ada", "family_name": family,
                 "created_at": at, "updated_at": at, "version": 1}
                for person_id, family in names.items()
            ],
        )  # fmt: skip
        # A person with a contact: the migration must not trip over the foreign key.
        connection.execute(
            users.insert().values(
                id=user_id, username="kept", display_name="Kept", password_hash="x",
                active=True, failed_logins=0, created_at=at, password_changed_at=at,
            )
        )  # fmt: skip
        connection.execute(
            contacts.insert().values(
                id=contact_id, person_id=next(iter(names)), handler_id=user_id, started_at=at,
                created_at=at, updated_at=at, line="general", call_kind="data",
                caller_type="self", status="complete", facts={}, recommended_routes=[],
                final_routes=[], overridden=False, version=1,
            )
        )  # fmt: skip

    upgrade(database.engine)

    with database.engine.connect() as connection:
        assert current_revision(connection) == HEAD_REVISION
        keys: dict[uuid.UUID, str] = dict(
            connection.execute(
                sa.select(people.c.id, sa.column("family_key")).select_from(people)
            ).all()
        )
        contact = connection.execute(
            sa.text("SELECT person_id, caller_number, draft FROM contacts")
        ).one()
        schema = inspect(connection)
        family_key = next(c for c in schema.get_columns("people") if c["name"] == "family_key")
        index_sql = (
            "SELECT sql FROM sqlite_master WHERE name = 'ix_people_name_keys'"
            if connection.dialect.name == "sqlite"
            else "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_people_name_keys'"
        )
        index = str(connection.execute(sa.text(index_sql)).scalar_one())
    database.close()
    assert keys == {
        person_id: " ".join(family.casefold().split()) for person_id, family in names.items()
    }
    assert sorted(keys.values()) == ["mcexample", "ng", "van der testperson"]
    assert str(contact.person_id).replace("-", "") == next(iter(names)).hex
    assert (contact.caller_number, contact.draft) == (None, None)
    assert family_key["nullable"] is False
    assert "(family_key, given_key)" in index  # revision 0004 replaced 0003's lower(given_name)

    # The migrated database searches by family name like a new one.
    migrated = connect(empty_database_url)
    try:
        add_user(migrated, "handler", "pass phrase 1")
        handler = authenticate(migrated, "handler", "pass phrase 1")
        assert [p.family_name for p in search_people(migrated, handler, "VAN").people] == [
            "  Van  der TESTPERSON "
        ]
        assert len(search_people(migrated, handler, "Ada Mcex").people) == 1
    finally:
        migrated.close()
