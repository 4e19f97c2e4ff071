"""Practice on the training desk (SPEC 7): a trainee in training mode presses F7, chooses a
sample call and takes it (Ctrl+Return): the desk opens a new call while the caller is heard,
the trainee works it by keys as any call, and when they save it the desk scores their level 1,
stream, routes, urgency and resolution against the expected ones, keeps the result and shows
each difference with the rule that decides it. A call the trainee hands off at level 2 (F7 or
F8 on the call) is scored on its level 1, stream and resolution: its routes and urgency are the
practitioner's.

:class:`DeskPractice` is a base of :class:`ui.shell.session.DeskSession`, after
:class:`ui.shell.desk_reports.DeskReports`.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from spa_desk.errors import KnownError
from ui.kit.dialogs import run_dialog
from ui.shell.desk_reports import DeskReports

if TYPE_CHECKING:
    from spa_desk.calls.draft import CallDraft
    from spa_desk.calls.journal import JournalEntry
    from spa_desk.calls.save import SavedCall
    from spa_desk.handoff.queue import QueueItem
    from spa_desk.training.sample_calls import SampleCall
    from spa_desk.training.scoring import Result
    from ui.call.controller import CallController


class DeskPractice(DeskReports):
    """A trainee's practice calls on the training desk, scored when saved."""

    practice: SampleCall | None = None
    """The sample call the call on screen is practising, if any."""
    last_score: Result | None = None
    """The last practice call's score (shown to the trainee, kept in the database)."""
    _practice_connected = False

    def enable_calls(self) -> None:
        super().enable_calls()
        may = self._may_practise()
        for action in (self.window.practice_action, self.window.my_results_action):
            action.setEnabled(may and self.call is None)
            action.setVisible(may)
        if not self._practice_connected:
            self.window.practice_action.triggered.connect(self.open_practice)
            self.window.my_results_action.triggered.connect(self.open_my_results)
            self._practice_connected = True

    def _may_practise(self) -> bool:
        from spa_desk.permissions import Action, allowed

        return (
            self.window.training
            and self.user is not None
            and allowed(self.user, Action.LOG_CONTACT)
        )

    async def start_call(
        self, draft: CallDraft | None = None, *, restored: bool = False, ringing: bool = False
    ) -> CallController | None:
        """As any call; F7 and F8 are the call's hand-offs while it is on screen, not practice
        and results."""
        controller = await super().start_call(draft, restored=restored, ringing=ringing)
        if controller is not None:
            self.window.practice_action.setEnabled(False)
            self.window.my_results_action.setEnabled(False)
        return controller

    def open_my_results(self) -> None:
        """The trainee's own results (F8): each practice call, its score and what differed."""
        from ui.training.results import ResultsDialog

        if not self.window.training or self.user is None:
            return
        dialog = self.window.findChild(ResultsDialog)
        if dialog is None:
            dialog = ResultsDialog(self.backend, self.user, self.window)
            dialog.setWindowFlag(Qt.WindowType.Window, True)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.spawn(dialog.load())

    def open_practice(self) -> None:
        """The library in practice mode (F7): the trainee chooses a call and takes it."""
        from ui.training.replay import open_replay

        if not self.window.training:
            return  # practice is for the training desk only
        dialog = open_replay(self.window, practice=True)
        if not dialog.property("practiceConnected"):
            dialog.take.connect(self.take_practice)
            dialog.setProperty("practiceConnected", True)

    def take_practice(self, call: SampleCall) -> None:
        """Open a new call on the desk for the sample call ``call``."""
        if self.call is not None:
            self.window.show_refresh_problem(
                "Finish or throw away the call on screen before taking a practice call."
            )
            return
        self.practice = call
        self.spawn(self._take(call))

    async def _take(self, call: SampleCall) -> None:
        controller = await self.start_call()
        if controller is None:
            self.practice = None
            return
        # The desk comes in front so the trainee types into the call; the caller plays on.
        self.window.raise_()
        self.window.activateWindow()
        controller.screen.screening.focus_answers()  # on the first question, not the line box

    def _call_finished(self, saved: SavedCall | JournalEntry | QueueItem | None) -> None:
        from spa_desk.calls.save import SavedCall
        from spa_desk.handoff.queue import QueueItem

        practised, self.practice = self.practice, None
        super()._call_finished(saved)
        for action in (self.window.practice_action, self.window.my_results_action):
            action.setEnabled(self._may_practise())
        if practised is not None and isinstance(saved, SavedCall | QueueItem):
            self.spawn(self._score(practised, saved))

    async def _score(self, call: SampleCall, done: SavedCall | QueueItem) -> None:
        """Score the practice call saved, or handed off at level 2 (its level 1, stream and
        resolution: the routes are the practitioner's), and show the score."""
        from spa_desk.calls.save import SavedCall
        from spa_desk.training.scoring import score_handed_off, score_saved_contact

        if self.user is None:
            return
        try:
            ruleset = await self.backend.ruleset()
            if isinstance(done, SavedCall):
                result = await self.backend.run(
                    score_saved_contact, self.user, call, done.summary.id, ruleset
                )
            else:
                result = await self.backend.run(score_handed_off, self.user, call, done.id, ruleset)
        except KnownError as problem:
            self.window.show_refresh_problem(f"The practice call was not scored: {problem}")
            return
        self.last_score = result
        box = QMessageBox(self.window)
        box.setObjectName("practiceScore")
        box.setWindowTitle("Practice call scored")
        box.setIcon(QMessageBox.Icon.Information)
        box.setText(f"<b>{escape(call.title)}</b><br>You scored {result.words}.")
        handed_off = result.handed_off
        if result.differences:
            items = "".join(f"<li>{escape(d)}</li>" for d in result.differences)
            box.setInformativeText(f"<ul>{items}</ul>")
        elif handed_off:
            box.setInformativeText("Level 1, stream and resolution all right.")
        else:
            box.setInformativeText("Level 1, stream, routes, urgency and resolution all right.")
        if handed_off:
            box.setInformativeText(
                box.informativeText() + "<p>Handed off: the routes and urgency are the "
                "practitioner's to choose, so they are not marked.</p>"
            )
        await run_dialog(box)
        # Back to the desk, ready for the next call (F7) or the trainee's results (F8).
        self.window.activateWindow()
        self.window.shift_page.table.setFocus()
