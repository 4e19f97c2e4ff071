"""The room's behaviour: read who is where and the queues, keep the clocks moving, and put a
call-back that came to the SPA manager back in its queue (Enter)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QObject, QTimer

from spa_desk.domain import CurrentUser
from spa_desk.errors import KnownError
from spa_desk.handoff.queue import QueueItem, queue
from spa_desk.local_time import LONDON, Clock
from spa_desk.room.room import back_to_queue, room
from spa_desk.vocabulary import HandoffStatus, Presence
from ui.kit.backend import DeskBackend
from ui.kit.row_table import ItemRole
from ui.room.model import DeskTableModel, EscalatedTableModel, StreamTableModel
from ui.room.view import RoomPage


class RoomController(QObject):
    """Drives :class:`ui.room.view.RoomPage`."""

    def __init__(self, backend: DeskBackend, user: CurrentUser, clock: Clock) -> None:
        self.desks = DeskTableModel(clock)
        self.streams = StreamTableModel(clock)
        self.escalated = EscalatedTableModel(clock)
        self.page = RoomPage(self.desks, self.streams, self.escalated)
        super().__init__(self.page)
        self.backend = backend
        self.user = user
        self.clock = clock
        self._tasks: set[asyncio.Future[None]] = set()
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.desks.tick)
        self.page.escalated.entered.connect(lambda: self.spawn(self.put_back()))
        self.page.put_back_button.clicked.connect(lambda: self.spawn(self.put_back()))

    def spawn(self, job: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def start(self) -> None:
        self._tick.start()
        self.spawn(self.refresh())

    def stop(self) -> None:
        self._tick.stop()

    def refresh_if_shown(self) -> None:
        if self.page.isVisible():
            self.spawn(self.refresh())

    async def refresh(self) -> None:
        """Read the room again."""
        try:
            now = self.clock()
            seen = await self.backend.run(room, self.user, now=now)
            waiting = await self.backend.run(queue, self.user)
        except KnownError as error:
            self.page.note.setText(str(error))
            return
        self.desks.set_items(list(seen.desks))
        self.streams.set_items(list(seen.queues))
        escalated = [item for item in waiting if item.status is HandoffStatus.ESCALATED]
        self.escalated.set_items(escalated)
        available = sum(1 for desk in seen.desks if desk.state is Presence.AVAILABLE)
        waiting_now = sum(q.waiting for q in seen.queues)
        overdue = sum(q.overdue for q in seen.queues)
        missed = seen.missed_calls
        self.page.summary.setText(
            f"{len(seen.desks)} at desks, {available} available · {waiting_now} hand-offs "
            f"waiting, {overdue} overdue · {len(escalated)} "
            f"call-back{'' if len(escalated) == 1 else 's'} with you · {missed} missed "
            f"call{'' if missed == 1 else 's'} to ring back · "
            f"updated {now.astimezone(LONDON):%H:%M:%S}"
        )
        if escalated and not self.page.escalated.currentIndex().isValid():
            self.page.escalated.selectRow(0)

    async def put_back(self) -> None:
        """Enter on a call-back with the manager: back in its queue for three more tries."""
        index = self.page.escalated.currentIndex()
        item = self.escalated.data(index, ItemRole) if index.isValid() else None
        if not isinstance(item, QueueItem):
            return
        try:
            await self.backend.run(back_to_queue, self.user, item.id, now=self.clock())
        except KnownError as error:
            self.page.note.setText(str(error))
        else:
            self.page.note.setText(
                f"The {item.stream.label.lower()} call-back is back in its queue."
            )
        await self.refresh()
