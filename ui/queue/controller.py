"""The hand-off queue's behaviour: read the queue of the practitioner's streams, keep the clocks
moving, and claim with Enter. A warm hand-off's call opens on this desk where the handler left
it; a call-back asks how the attempt to ring the caller went (reached opens the call)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from spa_desk.calls.draft import CallDraft
from spa_desk.domain import CurrentUser
from spa_desk.errors import KnownError
from spa_desk.handoff.claims import attempts_of, claim, record_attempt, release
from spa_desk.handoff.queue import QueueItem, queue
from spa_desk.local_time import LONDON, Clock
from spa_desk.vocabulary import AttemptResult, HandoffKind
from ui.kit.backend import DeskBackend
from ui.kit.row_table import ItemRole
from ui.queue.callback_dialog import CallbackDialog
from ui.queue.model import QueueTableModel
from ui.queue.view import QueuePage


class QueueController(QObject):
    """Drives :class:`ui.queue.view.QueuePage` for the practitioner logged in.

    Signals:
        call_claimed(object): a CallDraft to carry on with on this desk (a warm hand-off
            claimed, or a call-back whose caller was reached).
    """

    call_claimed = Signal(object)

    def __init__(
        self,
        page: QueuePage,
        model: QueueTableModel,
        backend: DeskBackend,
        user: CurrentUser,
        clock: Clock,
        *,
        busy: Callable[[], bool],
    ) -> None:
        super().__init__(page)
        self.page = page
        self.model = model
        self.backend = backend
        self.user = user
        self.clock = clock
        self.busy = busy
        self.claiming = False
        self._tasks: set[asyncio.Future[None]] = set()
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(model.tick)
        page.claim_button.clicked.connect(lambda: self.spawn(self.claim_selected()))
        page.table.claim_pressed.connect(lambda: self.spawn(self.claim_selected()))
        page.refresh_button.clicked.connect(lambda: self.spawn(self.refresh()))
        streams = ", ".join(stream.label for stream in user.streams) or "none"
        page.streams_label.setText(
            f"Your streams: {streams}. Due soonest first; overdue in red. "
            "A warm hand-off's caller is holding."
        )

    def spawn(self, job: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def start(self) -> None:
        """Show the queue now and keep its clocks moving."""
        self._tick.start()
        self.spawn(self.refresh())

    def stop(self) -> None:
        """The queue is off screen: its clocks stop."""
        self._tick.stop()

    def refresh_if_shown(self) -> None:
        """F5 (the window's Refresh) while the queue is on screen."""
        if self.page.isVisible():
            self.spawn(self.refresh())

    async def refresh(self) -> None:
        """Read the queue again, keeping the row under the cursor where it can."""
        chosen = self.selected()
        try:
            items = await self.backend.run(
                queue, self.user, streams=self.user.streams, include_escalated=False
            )
        except KnownError as error:
            self.page.say(str(error), problem=True)
            return
        self.model.set_items(items)
        if not items:
            self.page.show_empty(
                "Nothing is waiting for your streams. New hand-offs appear here."
                if self.user.streams
                else "You work no stream yet: ask an administrator to give you one in Users."
            )
            return
        self.page.show_empty(None)
        row = next((i for i, item in enumerate(items) if chosen and item.id == chosen.id), 0)
        self.page.table.selectRow(row)

    def selected(self) -> QueueItem | None:
        index = self.page.table.currentIndex()
        if not index.isValid():
            return None
        item = self.model.data(index, ItemRole)
        return item if isinstance(item, QueueItem) else None

    async def claim_selected(self) -> None:
        """Enter: claim the hand-off under the cursor (once, however many desks press at once)."""
        item = self.selected()
        if item is None or self.claiming:
            return
        if self.busy():
            self.page.say("Finish the call on this desk before claiming another.", problem=True)
            return
        self.claiming = True
        try:
            claimed, draft = await self.backend.run(claim, self.user, item.id, now=self.clock())
        except KnownError as error:
            self.page.say(str(error), problem=True)
            await self.refresh()
            return
        finally:
            self.claiming = False
        if claimed.kind is HandoffKind.WARM:
            self.page.say("")
            self.call_claimed.emit(draft)
            return
        await self.ring_back(claimed, draft)

    async def ring_back(self, item: QueueItem, draft: CallDraft) -> None:
        """A claimed call-back: ring the caller, then say how it went."""
        tried = await self.backend.run(attempts_of, item.id)
        dialog = CallbackDialog(
            number=draft.caller.phone or draft.caller_number or "",
            caller=draft.caller.name,
            tried=[
                f"{at.astimezone(LONDON):%d %b %H:%M} {who}: {AttemptResult(result).words}"
                for at, who, result in tried
            ],
            parent=self.page,
        )
        result = await dialog.ask()
        if result is None:
            try:
                await self.backend.run(release, self.user, item.id, now=self.clock())
            except KnownError as error:
                self.page.say(str(error), problem=True)
            else:
                self.page.say("The call-back is back in the queue, untouched.")
            await self.refresh()
            return
        try:
            after, opened = await self.backend.run(
                record_attempt, self.user, item.id, result, now=self.clock()
            )
        except KnownError as error:
            self.page.say(str(error), problem=True)
            await self.refresh()
            return
        if opened is not None:
            self.page.say("")
            self.call_claimed.emit(opened)
            return
        where = (
            "it has gone to the SPA manager"
            if after.status.value == "escalated"
            else "it is back in the queue"
        )
        self.page.say(f"Attempt {after.attempts} recorded ({result.words}): {where}.")
        await self.refresh()


def open_queue(
    backend: DeskBackend, user: CurrentUser, clock: Clock, *, busy: Callable[[], bool]
) -> QueueController:
    """The queue page of ``user``'s streams and its controller (not yet started)."""
    model = QueueTableModel(clock)
    return QueueController(QueuePage(model), model, backend, user, clock, busy=busy)
