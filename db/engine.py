"""Engine and session set-up for SQLite (embedded) and PostgreSQL (shared by several desks)."""

from __future__ import annotations

import logging
import select
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from db.errors import DatabaseCorrupt, DatabaseProblem, DatabaseUnreachable


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of an SQLite file."""
    return f"sqlite+pysqlite:///{path}"


def describe_url(url: str | URL) -> str:
    """The URL as a person may see it: backend, host and database, never the password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite {parsed.database or ':memory:'}"
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    return f"PostgreSQL {parsed.database or ''} on {where}"


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _check_alive(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """A pooled PostgreSQL connection is checked as it is taken, without a round trip.

    An idle connection has nothing to read: when its socket is readable, the server has said
    something unasked (a restarted or stopped server's "terminating connection", then the
    end of the stream), or the connection is closed. DisconnectionError makes the pool drop it
    and connect afresh (SQLAlchemy's documented pessimistic check, done here by looking at
    the socket instead of sending ``SELECT 1``, which cost every desk action a round trip).
    A server gone without a word (a cut network) is met by the first statement instead, as
    any other outage.
    """
    if dbapi_connection.closed:
        raise exc.DisconnectionError("the connection was closed")
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError) as error:
        raise exc.DisconnectionError("the connection's socket is gone") from error
    if readable:
        raise exc.DisconnectionError("the server ended the connection")


class _NoRowValues(logging.Filter):
    """Drops SQLAlchemy's debug lines that print result rows: they hold personal data.

    Statement values are hidden by ``hide_parameters``; rows are only logged at DEBUG, which
    someone chasing a problem may well turn on.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno <= logging.DEBUG and str(record.msg).startswith("Row"))


_ROW_FILTER = _NoRowValues()
for _logger_name in ("sqlalchemy.engine", "sqlalchemy.engine.Engine"):
    logging.getLogger(_logger_name).addFilter(_ROW_FILTER)


def create_database_engine(url: str | URL) -> Engine:
    """An engine for ``url``; SQLite files get their folder made, WAL and foreign keys.

    Statement values never reach SQL logging or error messages (``hide_parameters``): they
    are often personal data.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 10}, hide_parameters=True)
        event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    if backend == "postgresql":
        engine = create_engine(parsed, connect_args={"connect_timeout": 5}, hide_parameters=True)
        event.listen(engine, "checkout", _check_alive)
        return engine
    raise DatabaseProblem(
        f"Unsupported database {describe_url(parsed)}: use an sqlite:/// file or a "
        "postgresql+psycopg:// server URL."
    )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """The session factory a service opens one session from per user action."""
    return sessionmaker(engine, expire_on_commit=False)


def translate_error(error: exc.DBAPIError, url: str | URL) -> DatabaseProblem:
    """Turn a driver error met while opening a database into a message in words."""
    where = describe_url(url)
    original = error.orig
    reason = str(original).strip().splitlines()[0] if original is not None else str(error)
    if isinstance(original, sqlite3.DatabaseError) and not isinstance(
        original, sqlite3.OperationalError
    ):
        return DatabaseCorrupt(
            f"The database file is damaged or is not an SPA Desk database ({where}: {reason}). "
            "Restore it from a backup or choose another file."
        )
    if isinstance(original, sqlite3.OperationalError):
        return DatabaseUnreachable(f"Cannot open the database ({where}): {reason}.")
    return DatabaseUnreachable(
        f"Cannot connect to the database server ({where}): {reason}. "
        "Check that the server is running and the address, user and password are right."
    )
