"""Database problems a user can cause or meet, each with a message in plain words."""

from __future__ import annotations


class DatabaseProblem(Exception):
    """A database problem that is not a bug: the message says what is wrong and what to do."""


class DatabaseUnreachable(DatabaseProblem):
    """The database server cannot be reached, or refused the connection."""


class DatabaseCorrupt(DatabaseProblem):
    """The SQLite file is damaged or is not an SPA Desk database."""


class DatabaseTooNew(DatabaseProblem):
    """The database was made by a newer SPA Desk than this one."""


class DatabaseNeedsUpgrade(DatabaseProblem):
    """The database is at an older revision and must be upgraded first."""
