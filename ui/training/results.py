"""The trainer's results window (F8 from the trainer's home, SPEC 7): each trainee with their
share of parts right; the chosen trainee's history (each call, its score, what differed and the
rule that decides it); the routes learnt worst across trainees; and the chosen trainee's session
report saved as PDF (Ctrl+P). A trainer sees results and the library here, never live records.
A trainee opens the same window from the training desk (F8) and sees only their own results."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spa_desk.errors import KnownError
from spa_desk.local_time import LONDON
from spa_desk.vocabulary import decision_words
from ui.kit.asyncio_qt import async_slot
from ui.kit.dialogs import ask_save_path

if TYPE_CHECKING:
    from spa_desk.domain import CurrentUser
    from spa_desk.training.scoring import Result, RouteAccuracy, TraineeSummary
    from ui.kit.backend import DeskBackend


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()
    table.resizeRowsToContents()


class ResultsDialog(QDialog):
    """Trainees, a trainee's history, the routes learnt worst, and the session report."""

    def __init__(self, backend: DeskBackend, user: CurrentUser, parent: QWidget | None = None):
        from spa_desk.permissions import Action, allowed

        super().__init__(parent)
        self.setObjectName("resultsDialog")
        self.backend = backend
        self.user = user
        self.trainer = allowed(user, Action.TRAINING_LIBRARY)
        """A trainer sees every trainee and the routes; a trainee their own results only."""
        self.setWindowTitle(
            "Trainees' results — SPA Desk" if self.trainer else "My practice results — SPA Desk"
        )
        self.trainees: list[TraineeSummary] = []
        self.results: list[Result] = []
        self.trainee_list = QListWidget()
        self.trainee_list.setAccessibleName("Trainees")
        self.history = _table(["When", "Sample call", "Score", "What differed"], "history")
        self.routes = _table(["Route", "Expected", "Chosen", "Right urgency", "Accuracy"], "routes")
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.save_button = QPushButton("Save the session report as PDF  (Ctrl+P)")
        self.save_button.setEnabled(False)
        left = QVBoxLayout()
        left.addWidget(QLabel("<b>Trainees</b> (share of parts right)"))
        left.addWidget(self.trainee_list, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel("<b>History</b>, newest first"))
        right.addWidget(self.history, 3)
        routes_title = QLabel("<b>Routes learnt worst</b>, across trainees")
        right.addWidget(routes_title)
        right.addWidget(self.routes, 2)
        routes_title.setVisible(self.trainer)
        self.routes.setVisible(self.trainer)
        right.addWidget(self.problem)
        right.addWidget(self.save_button)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 3)
        self.resize(1150, 700)
        self.trainee_list.currentRowChanged.connect(self._chosen)
        self.save_button.clicked.connect(self._save)
        shortcut = QShortcut(QKeySequence("Ctrl+P"), self)
        shortcut.activated.connect(self._save)
        self.choose_path: Callable[[str], Awaitable[Path | None]] = self._ask_path
        """Asks where to save the report (a file dialog; tests replace it)."""

    async def load(self) -> None:
        """Read the trainees and the route accuracy (on the database thread)."""
        from spa_desk.training.scoring import route_accuracy, trainees_with_results

        try:
            self.trainees = await self.backend.run(trainees_with_results, self.user)
            accuracy: list[RouteAccuracy] = (
                await self.backend.run(route_accuracy, self.user) if self.trainer else []
            )
        except KnownError as problem:
            self.problem.setText(str(problem))
            return
        self.trainee_list.clear()
        for trainee in self.trainees:
            item = QListWidgetItem(f"{trainee.name}: {trainee.calls} calls, {trainee.share:.0%}")
            item.setData(Qt.ItemDataRole.UserRole, str(trainee.id))
            self.trainee_list.addItem(item)
        _fill(
            self.routes,
            [
                [
                    decision_words(row.route),
                    str(row.expected),
                    str(row.found),
                    str(row.right_urgency),
                    f"{row.accuracy:.0%}",
                ]
                for row in accuracy
            ],
        )
        if not self.trainees:
            self.problem.setText(
                "No trainee has practised a sample call yet."
                if self.trainer
                else "You have not practised a sample call yet: F7 on the desk chooses one."
            )
        else:
            self.trainee_list.setCurrentRow(0)
        self.trainee_list.setFocus()

    @property
    def chosen(self) -> uuid.UUID | None:
        """The trainee chosen in the list."""
        item = self.trainee_list.currentItem()
        return uuid.UUID(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    @async_slot(int)
    async def _chosen(self, _row: int) -> None:
        await self.show_history()

    async def show_history(self) -> None:
        """Read and show the chosen trainee's history."""
        from spa_desk.training.scoring import history

        trainee = self.chosen
        if trainee is None:
            return
        try:
            self.results = await self.backend.run(history, self.user, trainee)
        except KnownError as problem:
            self.problem.setText(str(problem))
            return
        _fill(
            self.history,
            [
                [
                    r.scored_at.astimezone(LONDON).strftime("%d %b %Y %H:%M"),
                    r.title,
                    r.table_words,
                    "\n".join(r.differences) or r.nothing_differed,
                ]
                for r in self.results
            ],
        )
        self.save_button.setEnabled(True)

    @async_slot()
    async def _save(self) -> None:
        await self.save_report()

    async def save_report(self) -> Path | None:
        """Ask where, then write the chosen trainee's session report."""
        from spa_desk.training.session_report import session_report_pdf

        trainee = self.chosen
        if trainee is None:
            return None
        target = await self.choose_path("training-results.pdf")
        if target is None:
            return None
        try:
            pdf = await self.backend.run(session_report_pdf, self.user, trainee)
            target.write_bytes(pdf)
        except KnownError as problem:
            self.problem.setText(str(problem))
            return None
        except OSError as error:
            self.problem.setText(f"Cannot write {target}: {error.strerror}.")
            return None
        self.problem.setText(f"Saved the session report to {target}.")
        return target

    async def _ask_path(self, suggested: str) -> Path | None:
        return await ask_save_path(
            self, "Save the session report", Path.home() / suggested, "pdf", "PDF files"
        )
