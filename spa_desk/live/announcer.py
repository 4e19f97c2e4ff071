"""Telling the other desks (SPEC 11) after the commit, off the path of the work that changed
something.

A ``NOTIFY`` sent inside a transaction is delivered when it commits, and the server wakes every
listening desk's connection before it answers the commit: with 40 desks listening, that made a
save's commit take about 2.5 ms instead of 0.1 ms on a quiet 2-core server, and up to 10 ms
under load. So the desk sends its announcements afterwards, on a connection and thread of its
own: the save answers as soon as its own commit is done, and the other desks hear it a
millisecond or so later. Only what was committed is announced (:func:`announce` keeps the
events on the session until its commit, and drops them on a rollback).

If the desk stops between its commit and the announcement (a crash, a power cut) the other
desks do not hear of that one change until they next read their lists, exactly as when their
own connection was away. While the database is out of reach, the announcer keeps what it has to
say and tries again with a growing pause (the desks that lost their connection read everything
again when they listen again anyway).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import Sequence

import psycopg

from spa_desk.live.events import CHANNEL, LiveEvent
from spa_desk.live.listener import RETRY_PAUSES, conninfo

log = logging.getLogger(__name__)

KEEP_AT_MOST = 1000
"""Announcements kept while the database is out of reach (the oldest go first: after an outage
every desk reads everything again anyway)."""

APPLICATION_NAME = "spa-desk announcer"
"""How the announcer's connection is named to the server (``pg_stat_activity``)."""

_SEND = "SELECT pg_notify(%s, payload) FROM unnest(%s::text[]) AS waiting(payload)"
"""Every announcement waiting, in order, in one round trip."""


class Announcer:
    """Sends a desk's announcements on a thread and PostgreSQL connection of its own, in the
    order they were committed. Both are made at :meth:`start` or the first announcement."""

    def __init__(self, database_url: str, *, close_wait: float = 2.0) -> None:
        self._conninfo = conninfo(database_url)
        self._close_wait = close_wait
        self._waiting: queue.SimpleQueue[tuple[LiveEvent, ...] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._stopping = threading.Event()
        self.sent = 0
        """How many announcements have reached the server (for tests and the bench)."""

    def start(self) -> None:
        """Connect now, in the background, so that the first announcement is not held up by
        opening the connection (the desk calls this after log-in); never waits."""
        self._put(())

    def send(self, events: Sequence[LiveEvent]) -> None:
        """Announce ``events`` (already committed) as soon as the connection allows; never waits."""
        if events:
            self._put(tuple(events))

    def _put(self, events: tuple[LiveEvent, ...]) -> None:
        with self._lock:
            if self._closed:
                log.debug("announcement after the database was closed: not sent")
                return
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="spa-desk-announcer", daemon=True
                )
                self._thread.start()
        self._waiting.put(events)

    def close(self) -> None:
        """Send what is waiting (for up to ``close_wait`` seconds), then stop."""
        with self._lock:
            self._closed = True
            thread = self._thread
        if thread is None:
            return
        self._waiting.put(None)
        thread.join(self._close_wait)
        self._stopping.set()  # a server out of reach: stop trying
        thread.join(1.0)

    def _run(self) -> None:
        connection: psycopg.Connection[object] | None = None
        pending: list[LiveEvent] = []
        closing = False
        failures = 0
        try:
            while True:
                if not pending:
                    if closing:
                        return
                    item = self._waiting.get()
                    if item is None:
                        closing = True
                        continue
                    pending.extend(item)
                closing = self._take_more(pending) or closing
                del pending[:-KEEP_AT_MOST]
                was_open = connection is not None and not connection.closed
                try:
                    if connection is None or connection.closed:
                        connection = psycopg.connect(
                            self._conninfo,
                            autocommit=True,
                            connect_timeout=5,
                            application_name=APPLICATION_NAME,
                        )
                    if pending:
                        payloads = [event.payload() for event in pending]
                        try:
                            connection.execute(_SEND, (CHANNEL, payloads))
                            self.sent += len(payloads)
                        except (psycopg.DataError, psycopg.ProgrammingError):
                            # The server refused one (never a connection problem): sent one by
                            # one, the refused one is dropped, or it would hold up the rest.
                            self._send_each(connection, pending)
                        pending.clear()
                    failures = 0
                except (psycopg.Error, OSError) as error:
                    log.info("announcer not connected: %s", type(error).__name__)
                    _closed(connection)
                    connection = None
                    if was_open:  # gone while idle (a server restarted): connect again at once
                        continue
                    pause = RETRY_PAUSES[min(failures, len(RETRY_PAUSES) - 1)]
                    failures += 1
                    # Nothing waiting (a start): connect at the next announcement instead.
                    if pending and self._stopping.wait(pause):
                        return
        finally:
            _closed(connection)

    def _send_each(self, connection: psycopg.Connection[object], events: list[LiveEvent]) -> None:
        for event in events:
            try:
                connection.execute(_SEND, (CHANNEL, [event.payload()]))
                self.sent += 1
            except (psycopg.DataError, psycopg.ProgrammingError) as error:
                log.warning("announcement refused by the server: %s", type(error).__name__)

    def _take_more(self, pending: list[LiveEvent]) -> bool:
        """Add what else is waiting without waiting; whether the desk is closing."""
        while True:
            try:
                item = self._waiting.get_nowait()
            except queue.Empty:
                return False
            if item is None:
                return True
            pending.extend(item)


def _closed(connection: psycopg.Connection[object] | None) -> None:
    if connection is not None:
        with contextlib.suppress(psycopg.Error, OSError):
            connection.close()
