"""Errors a user causes are not bugs: they carry a message in words and never a traceback."""

from __future__ import annotations


class KnownError(Exception):
    """A problem the user can understand and act on; ``str()`` is the message to show."""


class LoginFailed(KnownError):
    """Wrong user name or password, or an account that cannot log in now."""


class InvalidInput(KnownError):
    """Input that names a field and says what is wrong with it."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class DatabaseFailure(KnownError):
    """The database cannot be reached, is damaged, was made by a newer desk, or needs an
    administrator to upgrade it; the message says which and what to do. Services raise it for
    every database problem that is not a bug (:func:`spa_desk.database.database_errors`)."""
