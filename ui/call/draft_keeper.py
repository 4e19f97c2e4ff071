"""Nothing lost (SPEC 8): a call's draft is written to the database at most
:data:`DRAFT_DELAY_MS` after a change, steady typing included, and at once when asked.

The keeper writes on the database thread through the backend, one write at a time; a write that
fails is retried with the next change and the problem is said in words on the call screen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from spa_desk.calls.draft import save_draft
from spa_desk.errors import KnownError
from ui.kit.asyncio_qt import async_slot

if TYPE_CHECKING:
    from spa_desk.calls.draft import CallDraft
    from spa_desk.domain import CurrentUser
    from ui.kit.backend import DeskBackend

DRAFT_DELAY_MS = 300
"""A change is written to the database this long after it is made (well within a second)."""


class DraftKeeper(QObject):
    """Writes one call's draft to the database soon after each change.

    Signals:
        saved(): the draft reached the database.
        failed(str): the draft could not be written; the message says why, in words.
    """

    saved = Signal()
    failed = Signal(str)

    def __init__(
        self,
        backend: DeskBackend,
        draft: Callable[[], CallDraft],
        user: Callable[[], CurrentUser],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._backend = backend
        self._draft = draft
        self._user = user
        self._dirty = False
        self._running: asyncio.Future[None] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DRAFT_DELAY_MS)
        self._timer.timeout.connect(self._on_timer)

    def changed(self) -> None:
        """The draft changed: write it within :data:`DRAFT_DELAY_MS`."""
        self._dirty = True
        if not self._timer.isActive():  # not restarted: steady typing is saved too
            self._timer.start()

    def stop(self) -> None:
        """No more timed writes (the call has left the screen); :meth:`flush` still writes."""
        self._timer.stop()

    @async_slot()
    async def _on_timer(self) -> None:
        await self.flush()

    async def write_now(self) -> None:
        """Write the draft now, changed or not (a row is about to refer to it)."""
        self._dirty = True
        await self.flush()

    async def flush(self) -> None:
        """Write the draft now if it changed (waiting for a write already under way)."""
        while self._running is not None:
            await asyncio.shield(self._running)
        if not self._dirty:
            return
        self._dirty = False
        self._running = asyncio.get_running_loop().create_future()
        try:
            await self._backend.run(save_draft, self._user(), self._draft())
            self.saved.emit()
        except KnownError as error:
            self._dirty = True
            self.failed.emit(f"The call could not be kept safe: {error}")
        finally:
            running, self._running = self._running, None
            running.set_result(None)
