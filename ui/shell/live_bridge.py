"""The desk's ear on the other desks (SPEC 11): runs :class:`spa_desk.live.listener.LiveListener`
on the desk's event loop when the database is PostgreSQL and turns what it hears into Qt
signals; on SQLite it is silent (one desk works alone)."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QObject, Signal

from spa_desk.live.events import LiveEvent, LiveKind
from spa_desk.live.listener import ListenerState, LiveListener


class LiveBridge(QObject):
    """What other desks changed, as signals.

    Signals:
        queues(): a hand-off was made, claimed, tried or put back: queues read again.
        contacts(): a contact was saved: lists of contacts read again.
        presence(): a desk's presence changed.
        state(bool, str): listening or not, in words.
    """

    queues = Signal()
    contacts = Signal()
    presence = Signal()
    state = Signal(bool, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._listener: LiveListener | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def listener(self) -> LiveListener | None:
        """The listener, while one runs."""
        return self._listener

    def start(self, database_url: str) -> None:
        """Listen on ``database_url`` (PostgreSQL only) until :meth:`stop`."""
        if self._task is not None or not database_url.startswith("postgresql"):
            return
        self._listener = LiveListener(database_url, self._heard, self._state)
        self._task = asyncio.ensure_future(self._listener.run())

    def stop(self) -> None:
        """Stop listening; the listener's connection closes."""
        task, self._task = self._task, None
        if self._listener is not None:
            self._listener.stop()
        self._listener = None
        if task is not None:
            task.cancel()

    def _heard(self, event: LiveEvent) -> None:
        if event.kind in (LiveKind.HANDOFF, LiveKind.CLAIM):
            self.queues.emit()
        elif event.kind is LiveKind.CONTACT:
            self.contacts.emit()
            self.queues.emit()  # a saved contact ends its hand-off
        elif event.kind is LiveKind.PRESENCE:
            self.presence.emit()
        else:  # RESYNC: what was said while away is lost; read everything again
            self.queues.emit()
            self.contacts.emit()
            self.presence.emit()

    def _state(self, state: ListenerState) -> None:
        self.state.emit(state.listening, state.words)
