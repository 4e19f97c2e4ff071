"""The desk says where it is (SPEC 11): on a call, in wrap-up, away (said, or locked) or
available, worked out every second from what is on the desk, written when it changes and
every minute besides (so a desk that vanished drops out of the room), and taken away at
log-out."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QTimer

from spa_desk.domain import CurrentUser
from spa_desk.errors import KnownError
from spa_desk.local_time import Clock
from spa_desk.room.presence import leave, set_presence
from spa_desk.vocabulary import Presence
from ui.kit.backend import DeskBackend

SAY_AGAIN_EVERY = timedelta(minutes=1)


class PresenceKeeper(QObject):
    """Keeps the desk's presence row in step with ``state()`` for ``user()``."""

    def __init__(
        self,
        backend: DeskBackend,
        user: Callable[[], CurrentUser | None],
        state: Callable[[], Presence],
        clock: Clock,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._backend = backend
        self._user = user
        self._state = state
        self._clock = clock
        self._said: tuple[CurrentUser, Presence] | None = None
        self._said_at: datetime | None = None
        self._writing: asyncio.Future[None] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.check)

    @property
    def said(self) -> Presence | None:
        """The presence last written (None before the first)."""
        return self._said[1] if self._said is not None else None

    def start(self) -> None:
        self._timer.start()
        self.check()

    def stop(self) -> None:
        self._timer.stop()

    def check(self) -> None:
        """Write the desk's presence if it changed (or a minute has passed)."""
        user = self._user()
        if user is None or (self._writing is not None and not self._writing.done()):
            return
        state, now = self._state(), self._clock()
        due = self._said_at is None or now - self._said_at >= SAY_AGAIN_EVERY
        if self._said == (user, state) and not due:
            return
        self._writing = asyncio.ensure_future(self._write(user, state, now))

    async def _write(self, user: CurrentUser, state: Presence, now: datetime) -> None:
        try:
            await self._backend.run(set_presence, user, state, now=now)
        except KnownError:
            return  # the database is away: said again on the next tick
        self._said, self._said_at = (user, state), now

    async def leave(self, user: CurrentUser) -> None:
        """``user`` logs out: out of the room."""
        self._said = self._said_at = None
        with contextlib.suppress(KnownError):  # else it drops out of the room by itself
            await self._backend.run(leave, user)
