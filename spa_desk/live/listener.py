"""Hearing the other desks (SPEC 11): a dedicated psycopg 3 connection in autocommit that
``LISTEN``s on the desk's event loop and hands each announcement on, never blocking the GUI.

The connection is the listener's own (never one of the pool's). It is checked every few seconds
when nothing arrives (psycopg 3.2.4 and later keep what arrives between two ``notifies()``), so
a server that went away is noticed; the listener then says so, tries again with a growing pause,
and once it listens again says everything must be read again (:attr:`LiveKind.RESYNC`):
notifications sent while it was away are not kept by the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from sqlalchemy.engine import make_url

from spa_desk.live.events import CHANNEL, LiveEvent, LiveKind

log = logging.getLogger(__name__)

CHECK_EVERY = 5.0
"""Seconds of quiet after which the listener checks that its connection is still there."""
RETRY_PAUSES = (0.5, 1.0, 2.0, 5.0)
"""Pauses between attempts to listen again after the connection was lost (the last repeats)."""


def conninfo(database_url: str) -> str:
    """The psycopg connection string of a SQLAlchemy ``postgresql+psycopg://`` URL."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


@dataclass(frozen=True)
class ListenerState:
    """Whether the desk hears the other desks now, in words for the status bar."""

    listening: bool
    words: str


class LiveListener:
    """Listens for announcements on one PostgreSQL database until stopped."""

    def __init__(
        self,
        database_url: str,
        on_event: Callable[[LiveEvent], None],
        on_state: Callable[[ListenerState], None],
        *,
        check_every: float = CHECK_EVERY,
    ) -> None:
        self._conninfo = conninfo(database_url)
        self._on_event = on_event
        self._on_state = on_state
        self._check_every = check_every
        self._stopping = False
        self._connection: psycopg.AsyncConnection[object] | None = None
        self.listens = 0
        """How many times the listener has started listening (1 + reconnections)."""

    async def run(self) -> None:
        """Listen until :meth:`stop`; lost connections are made again."""
        failures = 0
        while not self._stopping:
            try:
                await self._listen()
                failures = 0
            except (psycopg.Error, OSError) as error:
                if self._stopping:
                    break
                log.info("live updates lost: %s", type(error).__name__)
                self._on_state(
                    ListenerState(
                        False,
                        "Live updates from other desks are paused: the database is out of "
                        "reach. Trying again…",
                    )
                )
                pause = RETRY_PAUSES[min(failures, len(RETRY_PAUSES) - 1)]
                failures += 1
                await asyncio.sleep(pause)
            finally:
                await self._close()

    async def _listen(self) -> None:
        connection = await psycopg.AsyncConnection.connect(
            self._conninfo, autocommit=True, connect_timeout=5
        )
        self._connection = connection
        await connection.execute(f"LISTEN {CHANNEL}")
        self.listens += 1
        self._on_state(ListenerState(True, "Live: other desks' changes show here at once."))
        if self.listens > 1:  # what was announced while away is gone: read it all again
            self._on_event(LiveEvent(kind=LiveKind.RESYNC))
        while not self._stopping:
            heard = False
            async for notice in connection.notifies(timeout=self._check_every):
                heard = True
                event = LiveEvent.from_payload(notice.payload)
                if event is not None:
                    self._on_event(event)
            if not heard and not self._stopping:
                await connection.execute("SELECT 1")  # still there? raises when it is not

    def stop(self) -> None:
        """Stop after what is under way (cancel the task running :meth:`run` to stop now; its
        connection is closed either way)."""
        self._stopping = True

    async def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.closed:
            with contextlib.suppress(psycopg.Error, OSError):
                await connection.close()
