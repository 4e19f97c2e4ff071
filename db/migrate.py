"""Schema revisions: which one a database is at, and bringing it to the newest (Alembic).

Alembic is imported only when a database actually needs creating or upgrading, so the desk's
start-up on an up-to-date database does not pay for it.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, exc, inspect, text
from sqlalchemy.engine import make_url

from db.engine import translate_error
from db.errors import DatabaseTooNew

if TYPE_CHECKING:
    from alembic.config import Config

HEAD_REVISION = "0012_audit_newest_locked"
"""The newest revision this version of SPA Desk knows (a test keeps it equal to Alembic's head)."""


class SchemaState(Enum):
    """Where a database stands against this version's schema."""

    EMPTY = "empty"
    BEHIND = "behind"
    CURRENT = "current"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at the migrations shipped in this package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "db:migrations")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    """Every revision in the shipped migrations."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    """The revision a database is at, or None for a database with no SPA Desk schema."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def schema_state(engine: Engine) -> SchemaState:
    """Check the schema of the database behind ``engine``; raises a DatabaseProblem in words."""
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
    except exc.DBAPIError as error:
        raise translate_error(error, engine.url) from None
    if revision == HEAD_REVISION:
        return SchemaState.CURRENT
    if revision is None:
        return SchemaState.EMPTY
    if revision not in known_revisions():
        raise DatabaseTooNew(
            f"This database was made by a newer version of SPA Desk (schema revision {revision!r}; "
            f"this version knows up to {HEAD_REVISION!r}). Install the newer SPA Desk to use it."
        )
    return SchemaState.BEHIND


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the newest by default), in one transaction."""
    from alembic import command

    schema_state(engine)  # refuses a database from a newer version before touching it
    url = make_url(engine.url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
    except exc.DBAPIError as error:
        raise translate_error(error, url) from None
