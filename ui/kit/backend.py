"""The desk's way to the service layer: every call runs on the database thread.

SQLAlchemy, the ORM models and the services are imported on that thread the first time they are
needed (opening the database), so the GUI thread paints the first window without waiting the
half second they take to load. Later imports on the GUI thread find them already loaded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from spa_desk.errors import DatabaseFailure
from ui.kit.asyncio_qt import DatabaseExecutor

if TYPE_CHECKING:
    from spa_desk.database import Database
    from spa_desk.domain import ContactSummary, CurrentUser
    from spa_desk.rules.screening import RuleSet


P = ParamSpec("P")
T = TypeVar("T")


def _open(url: str, training: bool) -> Database:
    from spa_desk.database import open_database

    database = open_database(url)
    if training:
        from spa_desk.training.mode import make_training

        try:
            make_training(database)
        except BaseException:
            database.close()
            raise
    return database


def _authenticate(database: Database, username: str, password: str) -> CurrentUser:
    from spa_desk.access.login import authenticate

    return authenticate(database, username, password)


def _contacts_between(
    database: Database, actor: CurrentUser, start: datetime, end: datetime
) -> list[ContactSummary]:
    from spa_desk.calls.contacts import contacts_between

    return contacts_between(database, actor, start, end)


def _rules_in_force(database: Database) -> RuleSet:
    from spa_desk.rules.in_force import rules_in_force

    return rules_in_force(database)


def _has_users(database: Database) -> bool:
    from spa_desk.access.users import has_users

    return has_users(database)


def _add_first_admin(database: Database, username: str, name: str, password: str) -> None:
    from spa_desk.access.users import add_user
    from spa_desk.vocabulary import Role

    add_user(database, None, username, name, (Role.ADMINISTRATOR,), password=password)


class DeskBackend:
    """One database, one worker thread, and async calls into the services for the widgets."""

    def __init__(self, database_url: str, *, training: bool = False) -> None:
        self.database_url = database_url
        self.training_asked = training
        """Started with --training: the database is made a training one (or refused)."""
        self._executor = DatabaseExecutor()
        self._opening: asyncio.Future[Database] | None = None
        self._ruleset: RuleSet | None = None

    def start_opening(self) -> None:
        """Begin opening the database on the worker thread (idempotent)."""
        if self._opening is None:
            self._opening = asyncio.ensure_future(
                self._executor.run(_open, self.database_url, self.training_asked)
            )

    async def database(self) -> Database:
        """The open database; raises DatabaseFailure or KnownError when it cannot be opened."""
        self.start_opening()
        assert self._opening is not None
        return await asyncio.shield(self._opening)

    async def is_training(self) -> bool:
        """True when the database is a training one (SPEC 7), whatever the desk was started with."""
        from spa_desk.database_marks import is_training

        return await self.run(is_training)

    async def description(self) -> str:
        """The database as a person may see it (never a password)."""
        return (await self.database()).description

    async def run(
        self, job: Callable[Concatenate[Database, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run the service function ``job(database, *args, **kwargs)`` on the database thread.

        Database problems come out as :class:`spa_desk.errors.DatabaseFailure`, in words.
        """
        database = await self.database()

        def call() -> T:
            from spa_desk.database import run_job

            return run_job(job, database, *args, **kwargs)

        return await self._executor.run(call)

    async def ruleset(self) -> RuleSet:
        """The screening rules in force now, asked of the database each time (one small query:
        a manager's change reaches every desk at its next call); while the database is out of
        reach, the rules this desk last had."""
        try:
            self._ruleset = await self.run(_rules_in_force)
        except DatabaseFailure:
            if self._ruleset is None:
                raise
        return self._ruleset

    async def authenticate(self, username: str, password: str) -> CurrentUser:
        """Check a log-in; LoginFailed in words when it is wrong."""
        return await self.run(_authenticate, username, password)

    async def contacts_between(
        self, actor: CurrentUser, start: datetime, end: datetime
    ) -> list[ContactSummary]:
        """Contacts started in [start, end), newest first, as ``actor`` may see them."""
        return await self.run(_contacts_between, actor, start, end)

    async def has_users(self) -> bool:
        """False for a fresh database that still needs its first administrator."""
        return await self.run(_has_users)

    async def add_first_admin(self, username: str, name: str, password: str) -> None:
        """Create the first administrator of an empty database."""
        await self.run(_add_first_admin, username, name, password)

    def close(self) -> None:
        """Stop the worker thread and release the database."""
        self._executor.shutdown()
        opening = self._opening
        opened = opening is not None and opening.done() and not opening.cancelled()
        if opening is not None and opened and opening.exception() is None:
            opening.result().close()
