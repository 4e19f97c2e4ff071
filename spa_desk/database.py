"""Opening the configured database and making sure its schema is one this desk can use."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from db.engine import create_database_engine, describe_url, session_factory
from db.errors import DatabaseNeedsUpgrade
from db.migrate import SchemaState, schema_state, upgrade
from spa_desk.errors import KnownError


@dataclass(frozen=True)
class Database:
    """An open database: its engine, the session factory services use, and a safe description."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def description(self) -> str:
        """Backend, host and database name, never a password."""
        return describe_url(self.url)

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded SQLite database."""
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


def connect(url: str) -> Database:
    """An engine and session factory for ``url``, without touching the schema."""
    try:
        make_url(url)
    except ArgumentError:
        raise KnownError(
            f"The database URL {url!r} is not a URL SPA Desk understands; use "
            "sqlite+pysqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/NAME."
        ) from None
    engine = create_database_engine(url)
    return Database(url=url, engine=engine, sessions=session_factory(engine))


def open_database(url: str, *, upgrade_schema: bool | None = None) -> Database:
    """Open ``url`` ready for use: an empty database is created at the newest schema.

    A database at an older schema is upgraded when ``upgrade_schema`` is true; by default the
    embedded SQLite file is upgraded and a shared PostgreSQL database is left for an administrator
    to upgrade with ``spa-desk db upgrade``. Problems raise DatabaseProblem with a message in words.
    """
    database = connect(url)
    try:
        state = schema_state(database.engine)
        may_upgrade = database.is_sqlite if upgrade_schema is None else upgrade_schema
        if state is SchemaState.EMPTY or (state is SchemaState.BEHIND and may_upgrade):
            upgrade(database.engine)
        elif state is SchemaState.BEHIND:
            raise DatabaseNeedsUpgrade(
                f"The database ({database.description}) uses an older schema. An administrator "
                "must run 'spa-desk db upgrade' before desks can use it."
            )
    except BaseException:
        database.close()
        raise
    return database
