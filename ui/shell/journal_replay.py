"""Calls kept on this desk while the database was out of reach reach it when it is back.

:class:`JournalReplayer` looks at the desk's journal every :data:`REPLAY_MS` while it holds
something of the logged-in handler's, and once at log-in: each kept draft is written, each save
made while the database was down goes through, once (``spa_desk.calls.journal.replay_journal``,
on the database thread). The call on screen is left to its own draft keeper.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from uuid import UUID

from PySide6.QtCore import QObject, QTimer, Signal

from spa_desk.errors import DatabaseFailure, KnownError
from spa_desk.local_time import LONDON
from ui.kit.asyncio_qt import async_slot

if TYPE_CHECKING:
    from spa_desk.calls.journal import DraftJournal, Replayed
    from spa_desk.database import Database
    from spa_desk.domain import CurrentUser
    from spa_desk.rules.screening import RuleSet
    from ui.kit.backend import DeskBackend

REPLAY_MS = 5000
"""How often the journal is tried while it holds calls and the database is out of reach."""


def _replay(
    database: Database,
    actor: CurrentUser,
    journal: DraftJournal,
    ruleset: RuleSet,
    on_screen: UUID | None,
) -> Replayed:
    from spa_desk.calls.journal import replay_journal

    return replay_journal(database, actor, journal, ruleset, skip=on_screen)


class JournalReplayer(QObject):
    """Writes the handler's kept calls to the database when it can be reached again.

    Signals:
        note(str): what went to the database this time, in words (calls saved, and saves the
            rules refused, whose drafts now wait among the handler's unfinished calls).
        waiting(str): the journal still holds calls and the database is out of reach.
    """

    note = Signal(str)
    waiting = Signal(str)

    def __init__(
        self,
        backend: DeskBackend,
        journal: DraftJournal,
        user: Callable[[], CurrentUser | None],
        on_screen: Callable[[], UUID | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._backend = backend
        self._journal = journal
        self._user = user
        self._on_screen = on_screen
        self._running = False
        self._timer = QTimer(self)
        self._timer.setInterval(REPLAY_MS)
        self._timer.timeout.connect(self._on_timer)

    def pending(self) -> bool:
        """True while the journal holds something of the handler's besides the call on screen."""
        user = self._user()
        if user is None:
            return False
        on_screen = self._on_screen()
        return any(e.draft.contact_id != on_screen for e in self._journal.entries(user.id))

    def start(self) -> None:
        """Replay now, and keep trying while something is waiting."""
        self._timer.start()
        self._on_timer()

    def stop(self) -> None:
        """Stop trying (the desk is closing)."""
        self._timer.stop()

    @async_slot()
    async def _on_timer(self) -> None:
        await self.replay()

    async def replay(self) -> None:
        """Write what is waiting, if the database takes it; stop the timer once nothing waits."""
        user = self._user()
        if self._running or user is None:
            return
        if not self.pending():
            self._timer.stop()
            return
        self._running = True
        try:
            ruleset = await self._backend.ruleset()
            outcome: Replayed = await self._backend.run(
                _replay, user, self._journal, ruleset, self._on_screen()
            )
        except DatabaseFailure as error:
            self.waiting.emit(
                "The database is out of reach: calls kept on this desk will be saved when it is "
                f"back. ({error})"
            )
            self._timer.start()
            return
        except KnownError as error:
            self.waiting.emit(f"Calls kept on this desk could not be written yet: {error}")
            self._timer.start()
            return
        finally:
            self._running = False
        self._tell(outcome)
        if not self.pending():
            self._timer.stop()

    def _tell(self, outcome: Replayed) -> None:
        notes = []
        if outcome.saved:
            notes.append(f"{len(outcome.saved)} call(s) kept on this desk are saved now.")
        for draft, problem in outcome.refused:
            when = draft.started_at.astimezone(LONDON).strftime("%H:%M")
            notes.append(
                f"The call of {when} kept on this desk could not be saved ({problem}); it waits "
                "among your unfinished calls."
            )
        if notes:
            self.note.emit(" ".join(notes))
