"""Opening the configured database and making sure its schema is one this desk can use."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db.engine import create_database_engine, describe_url, session_factory, translate_error
from db.errors import DatabaseProblem
from db.migrate import HEAD_REVISION, SchemaState, current_revision, schema_state, upgrade
from spa_desk.errors import DatabaseFailure, KnownError
from spa_desk.live.announcer import Announcer
from spa_desk.live.events import SENDER

P = ParamSpec("P")
T = TypeVar("T")


@contextmanager
def database_errors(url: str) -> Iterator[None]:
    """Turn the database layer's problems into :class:`DatabaseFailure`, in words: a server
    that cannot be reached or went away, a damaged file, a schema from a newer desk. Anything
    else (a broken constraint, say) is a bug and is left as it is."""
    try:
        yield
    except DatabaseProblem as problem:
        raise DatabaseFailure(str(problem)) from problem
    except (OperationalError, InterfaceError) as error:
        raise DatabaseFailure(str(translate_error(error, url))) from error


@dataclass(frozen=True)
class Database:
    """An open database: its engine, the session factory services use, and a safe description."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    announcer: Announcer | None = None
    """What tells the other desks of this desk's changes after each commit (PostgreSQL only)."""

    @property
    def description(self) -> str:
        """Backend, host and database name, never a password."""
        return describe_url(self.url)

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded SQLite database."""
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        """Send the announcements still waiting, then release every connection."""
        if self.announcer is not None:
            self.announcer.close()
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
    with database_errors(url):
        engine = create_database_engine(url)
    sessions = session_factory(engine)
    if engine.dialect.name != "postgresql":
        return Database(url=url, engine=engine, sessions=sessions)
    announcer = Announcer(url)
    sessions.configure(info={SENDER: announcer.send})
    return Database(url=url, engine=engine, sessions=sessions, announcer=announcer)


class NoSuchDatabase(KnownError):
    """The database a command was told to read is not there."""


def open_existing_database(url: str) -> Database:
    """Open ``url`` (as :func:`open_database`) for a command that only reads it: NoSuchDatabase in
    words when it names an SQLite file that is not there, instead of making an empty database
    and reporting nothing from it (a path typed wrong would look like a quiet shift)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return open_database(url)  # connect() says in words what is wrong with it
    path = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if path and path != ":memory:" and not path.startswith("file:") and not Path(path).exists():
        raise NoSuchDatabase(
            f"There is no database at {path}: check the database named by --database or "
            "SPA_DESK_DATABASE_URL."
        )
    return open_database(url)


def open_database(url: str, *, upgrade_schema: bool | None = None) -> Database:
    """Open ``url`` ready for use: an empty database is created at the newest schema.

    A database at an older schema is upgraded when ``upgrade_schema`` is true; by default the
    embedded SQLite file is upgraded and a shared PostgreSQL database is left for an administrator
    to upgrade with ``spa-desk db upgrade``. Problems raise DatabaseFailure with a message in words.
    """
    database = connect(url)
    try:
        with database_errors(url):
            _ready(database, upgrade_schema)
    except BaseException:
        database.close()
        raise
    return database


def _ready(database: Database, upgrade_schema: bool | None) -> None:
    """Create or upgrade the schema as :func:`open_database` says, or refuse in words."""
    state = schema_state(database.engine)
    may_upgrade = database.is_sqlite if upgrade_schema is None else upgrade_schema
    if state is SchemaState.EMPTY or (state is SchemaState.BEHIND and may_upgrade):
        upgrade(database.engine)
    elif state is SchemaState.BEHIND:
        raise DatabaseFailure(
            f"The database ({database.description}) uses an older schema. An administrator "
            "must run 'spa-desk db upgrade' before desks can use it."
        )


@dataclass(frozen=True)
class SchemaReport:
    """Which schema revision a database is at, and the newest this desk knows."""

    revision: str | None
    state: str
    head: str


def schema_report(database: Database) -> SchemaReport:
    """The database's schema revision and state (empty, behind, current, too new)."""
    with database_errors(database.url):
        state = schema_state(database.engine)
        with database.engine.connect() as connection:
            revision = current_revision(connection)
    return SchemaReport(revision=revision, state=state.value, head=HEAD_REVISION)


def upgrade_to_newest(database: Database) -> str:
    """Bring the database to the newest schema revision; that revision."""
    with database_errors(database.url):
        upgrade(database.engine)
    return HEAD_REVISION


def run_job(
    job: Callable[Concatenate[Database, P], T],
    database: Database,
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """Run the service function ``job(database, *args, **kwargs)``; database problems come out
    as :class:`DatabaseFailure` in words (the desk runs every service through this)."""
    with database_errors(database.url):
        return job(database, *args, **kwargs)
