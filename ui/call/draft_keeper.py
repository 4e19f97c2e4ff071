"""Nothing lost (SPEC 8): a call's draft is written to the database at most
:data:`DRAFT_DELAY_MS` after a change, steady typing included, and at once when asked.

The keeper writes on the database thread through the backend, one write at a time. When the
database cannot be reached, the draft goes to the desk's own journal on disk instead
(:class:`spa_desk.calls.journal.DraftJournal`), the handler is told in words, the call goes on,
and the keeper tries the database again every :data:`RETRY_MS` until it takes the draft; then
the journal's copy is removed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance

from spa_desk.calls.draft import save_draft
from spa_desk.errors import DatabaseFailure, KnownError
from ui.kit.asyncio_qt import async_slot
from ui.kit.disk import on_disk

if TYPE_CHECKING:
    from spa_desk.calls.draft import CallDraft
    from spa_desk.calls.journal import DraftJournal
    from spa_desk.domain import CurrentUser
    from ui.kit.backend import DeskBackend

DRAFT_DELAY_MS = 300
"""A change is written to the database this long after it is made (well within a second)."""
RETRY_MS = 3000
"""While the database is out of reach, it is tried again this often."""


class DraftKeeper(QObject):
    """Writes one call's draft to the database soon after each change, or to the journal.

    Signals:
        saved(): the draft reached the database.
        failed(str): the draft could not be kept at all; the message says why, in words.
        offline(str): the database is out of reach; the draft is kept on this desk's disk.
        online(): the database took the draft again (the journal's copy is gone).
    """

    saved = Signal()
    failed = Signal(str)
    offline = Signal(str)
    online = Signal()

    def __init__(
        self,
        backend: DeskBackend,
        draft: Callable[[], CallDraft],
        user: Callable[[], CurrentUser],
        journal: DraftJournal | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._backend = backend
        self._draft = draft
        self._user = user
        self._journal = journal
        self._dirty = False
        self.is_offline = False
        self._running: asyncio.Future[None] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DRAFT_DELAY_MS)
        self._timer.timeout.connect(self._on_timer)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self._on_retry)

    def _emit(self, signal: SignalInstance, *args: object) -> None:
        """Signal, unless the call's screen (and this keeper with it) is gone meanwhile: a write
        that finishes after the call left the screen has nobody left to tell."""
        if shiboken6.isValid(self):
            signal.emit(*args)

    def changed(self) -> None:
        """The draft changed: write it within :data:`DRAFT_DELAY_MS`."""
        self._dirty = True
        if not self._timer.isActive():  # not restarted: steady typing is saved too
            self._timer.start()

    def stop(self) -> None:
        """No more timed writes (the call has left the screen); :meth:`flush` still writes."""
        self._timer.stop()
        self._retry.stop()

    @async_slot()
    async def _on_timer(self) -> None:
        await self.flush()

    @async_slot()
    async def _on_retry(self) -> None:
        self._dirty = True
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
        draft = self._draft()
        try:
            await self._backend.run(save_draft, self._user(), draft)
        except DatabaseFailure as error:
            self._dirty = True  # the database still needs it
            await self._keep_on_disk(draft, error)
        except KnownError as error:
            self._dirty = True
            self._emit(self.failed, f"The call could not be kept safe: {error}")
        else:
            if self.is_offline:
                self.is_offline = False
                await self._forget_on_disk(draft)
                self._emit(self.online)
            self._emit(self.saved)
        finally:
            running, self._running = self._running, None
            running.set_result(None)

    async def keep_save(self, draft: CallDraft, save_at: datetime, problem: Exception) -> bool:
        """The database refused a save because it is out of reach: keep the save in the journal
        to go through when it is back. False (and ``failed`` said why) when it cannot be kept."""
        self.stop()
        if self._journal is None:
            self._emit(self.failed, f"Not saved: {problem}")
            return False
        journal, user = self._journal, self._user()
        try:
            await on_disk(lambda: journal.keep(user, draft, save_at=save_at))
        except OSError as error:
            self._emit(
                self.failed, f"Not saved: {problem} This desk could not keep it either: {error}."
            )
            return False
        return True

    async def _keep_on_disk(self, draft: CallDraft, problem: DatabaseFailure) -> None:
        if self._journal is None:
            self._emit(self.failed, f"The call could not be kept safe: {problem}")
            return
        journal, user = self._journal, self._user()
        try:
            await on_disk(lambda: journal.keep(user, draft))
        except OSError as error:
            self._emit(
                self.failed,
                f"The call could not be kept safe: {problem} This desk's disk refused it too "
                f"({error.strerror or error}): do not close the desk; call IT.",
            )
        else:
            self.is_offline = True
            self._emit(
                self.offline,
                "The database cannot be reached. Carry on: this call is kept on this desk and "
                "will be written to the database when it is back.",
            )
        if shiboken6.isValid(self):  # the call may have left the screen meanwhile
            self._retry.start()

    async def _forget_on_disk(self, draft: CallDraft) -> None:
        journal = self._journal
        if journal is not None:
            await on_disk(lambda: journal.forget(draft.contact_id))
