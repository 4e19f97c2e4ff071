"""The audit table is append-only in the database itself (SPEC 8): an UPDATE, DELETE or TRUNCATE
is refused by the database, whoever sends it, on SQLite and PostgreSQL alike, while the desk goes
on appending."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, exc, text
from sqlalchemy.engine import make_url

from spa_desk.database import Database, open_database
from spa_desk.governance.log import AuditAction
from spa_desk.governance.verify import verify
from tests.conftest import (
    POSTGRES_ENV,
    REQUIRE_POSTGRES_ENV,
    TemplateDatabases,
    drop_postgres_database,
    postgres_admin_url,
)
from tests.spa_desk.governance.helpers import add_entry, all_rows, fill_log

REFUSED = {
    "change one entry": "UPDATE audit_events SET action = 'report_signed' WHERE position = 3",
    "re-hash every entry": "UPDATE audit_events SET hash = prev_hash",
    "delete one entry": "DELETE FROM audit_events WHERE position = 5",
    "delete the newest": "DELETE FROM audit_events WHERE position = (SELECT max(position) "
    "FROM audit_events)",
    "empty the table": "DELETE FROM audit_events",
}


def _stored(database: Database) -> list[tuple[int, str, str]]:
    return [(row.position, row.action, row.hash) for row in all_rows(database)]


@pytest.mark.parametrize("statement", list(REFUSED.values()), ids=list(REFUSED))
def test_the_database_refuses_to_change_or_delete_an_entry(
    database: Database, statement: str
) -> None:
    fill_log(database, entries=6)
    before = _stored(database)

    refused = pytest.raises(exc.IntegrityError, match="audit_events is append-only")
    with refused as raised, database.engine.begin() as connection:
        connection.execute(text(statement))
    verb = statement.split(maxsplit=1)[0]
    assert f"{verb} is refused" in str(raised.value)

    assert _stored(database) == before
    outcome = verify(database)
    assert outcome.ok and outcome.entries == 6


def test_truncate_is_refused_on_postgresql(database: Database) -> None:
    """SQLite has no TRUNCATE; its DELETE without WHERE is refused above."""
    fill_log(database, entries=3)
    if database.engine.dialect.name != "postgresql":
        with pytest.raises(exc.OperationalError), database.engine.begin() as connection:
            connection.execute(text("TRUNCATE audit_events"))  # not SQL SQLite knows
        return
    refused = pytest.raises(exc.IntegrityError, match="audit_events is append-only: TRUNCATE")
    with refused, database.engine.begin() as connection:
        connection.execute(text("TRUNCATE audit_events"))
    assert len(all_rows(database)) == 3


def test_the_desk_still_appends_with_the_log_sealed(database: Database) -> None:
    fill_log(database, entries=3)
    add_entry(database, AuditAction.LOGIN_SUCCEEDED, None)
    assert [row.position for row in all_rows(database)] == [1, 2, 3, 4]
    assert verify(database).ok


@pytest.fixture
def desk_role_url(template_databases: TemplateDatabases) -> Iterator[str]:
    """A fresh PostgreSQL database, and the URL of a role granted what the README's deployment
    notes grant the desks: no UPDATE, DELETE or TRUNCATE on the audit table, and not its owner."""
    admin_url = postgres_admin_url()
    if admin_url is None:
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(f"{POSTGRES_ENV} is not set but PostgreSQL tests are required")
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV} (scripts/with-postgres.sh does)")
    owner_url = template_databases.postgres_copy(admin_url)
    role = f"spa_desk_{uuid.uuid4().hex[:8]}"
    owner = create_engine(owner_url)
    try:
        with owner.begin() as connection:
            for statement in (
                f"CREATE ROLE {role} LOGIN",
                f"GRANT USAGE ON SCHEMA public TO {role}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
                f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM {role}",
            ):
                connection.execute(text(statement))
    finally:
        owner.dispose()
    yield make_url(owner_url).set(username=role).render_as_string(hide_password=False)
    drop_postgres_database(admin_url, owner_url)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"DROP ROLE {role}"))
    finally:
        admin.dispose()


def test_the_desks_role_appends_but_cannot_unseal_the_log(desk_role_url: str) -> None:
    """With the deployment notes' grants, a desk's own database role cannot change or delete an
    entry even with the triggers' help gone: it may not switch them off (SPEC 8)."""
    database = open_database(desk_role_url)
    try:
        fill_log(database, entries=4)
        for statement in (
            "UPDATE audit_events SET action = 'report_signed' WHERE position = 2",
            "DELETE FROM audit_events WHERE position = 4",
            "TRUNCATE audit_events",
        ):
            denied = pytest.raises(exc.ProgrammingError, match="permission denied for table")
            with denied, database.engine.begin() as connection:
                connection.execute(text(statement))
        for statement in (
            "ALTER TABLE audit_events DISABLE TRIGGER USER",
            "DROP TRIGGER audit_events_no_update_or_delete ON audit_events",
        ):
            not_owner = pytest.raises(exc.ProgrammingError, match=r"must be owner of \w+ audit")
            with not_owner, database.engine.begin() as connection:
                connection.execute(text(statement))
        outcome = verify(database)
        assert outcome.ok and outcome.entries == 4
    finally:
        database.close()
