"""The Rules screen's behaviour (SPA managers, SPEC 4): open a rule file, see its problems or its
cases, what it changes and how many of the last 30 days' contacts it would decide differently;
put it in force for every desk, or put an earlier rule set back. Everything runs on the database
thread through :mod:`spa_desk.rules`, which checks the manager's role and audits each change."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from spa_desk.errors import KnownError
from spa_desk.local_time import Clock, utc_clock
from ui.kit.asyncio_qt import async_slot
from ui.kit.dialogs import run_dialog
from ui.kit.row_table import ItemRole

if TYPE_CHECKING:
    import uuid

    from spa_desk.database import Database
    from spa_desk.domain import CurrentUser
    from spa_desk.rules.in_force import RuleSetInfo
    from spa_desk.rules.preview import RuleFile, RulesPreview
    from ui.kit.backend import DeskBackend
    from ui.rules.view import RulesView

Confirm = Callable[[str, str], Awaitable[bool]]
"""Asks a yes/no question (title, question); True for yes."""


# Jobs for the database thread; the services load there, not on the GUI thread.
def _kept(database: Database, actor: CurrentUser) -> tuple[str, list[RuleSetInfo]]:
    from spa_desk.rules.in_force import in_force_summary, kept_rule_sets

    return in_force_summary(database, actor), kept_rule_sets(database, actor)


def _read(_database: Database, path: Path) -> RuleFile:
    from spa_desk.rules.preview import read_rule_file_for_desk

    return read_rule_file_for_desk(path)


def _preview(database: Database, actor: CurrentUser, data: bytes, name: str) -> RulesPreview:
    from spa_desk.rules.preview import preview

    return preview(database, actor, data, name)


def _put(
    database: Database, actor: CurrentUser, data: bytes, name: str, cases: bytes | None
) -> RuleSetInfo:
    from spa_desk.rules.in_force import put_in_force

    return put_in_force(database, actor, data, name, cases)


def _roll_back(database: Database, actor: CurrentUser, rule_set: uuid.UUID) -> RuleSetInfo:
    from spa_desk.rules.in_force import roll_back

    return roll_back(database, actor, rule_set)


async def ask_yes_no(parent: RulesView, title: str, question: str) -> bool:
    """Ask ``question`` (No is the default); True when the answer is Yes."""
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    box = QMessageBox(QMessageBox.Icon.Question, title, question, yes | no, parent)
    box.setDefaultButton(no)
    await run_dialog(box)
    return box.standardButton(box.clickedButton()) == yes


def changes_words(preview: RulesPreview) -> str:
    """What a rule file adds, removes and changes, in a few lines."""
    changes = preview.changes
    parts = []
    for label, ids in (("Adds", changes.added), ("Removes", changes.removed)):
        if ids:
            parts.append(f"{label}: {', '.join(ids)}.")
    if changes.changed:
        parts.append(f"Changes: {', '.join(changes.changed)}.")
    return "\n".join(parts) or "The same rules as those in force."


def preview_words(preview: RulesPreview) -> str:
    """How many recent contacts the rule file would decide differently, in words."""
    text = (
        f"Of {preview.contacts:,} contacts in the last {preview.days} days, "
        f"{preview.decided_differently:,} would now be decided differently."
    )
    if preview.cannot_screen:
        text += f" {preview.cannot_screen:,} could not be screened by the new rules at all."
    return text


class RulesController(QObject):
    """Drives :class:`ui.rules.view.RulesView` for one SPA manager."""

    def __init__(
        self,
        view: RulesView,
        backend: DeskBackend,
        user: CurrentUser,
        *,
        clock: Clock = utc_clock,
        confirm: Confirm | None = None,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.backend = backend
        self.user = user
        self.clock = clock
        self.confirm: Confirm = confirm or (lambda title, text: ask_yes_no(view, title, text))
        self.file: RuleFile | None = None
        self.preview: RulesPreview | None = None
        view.open_button.clicked.connect(self._on_open)
        view.put_button.clicked.connect(self._on_put)
        view.roll_back_button.clicked.connect(self._on_roll_back)
        view.kept_table.selectionModel().selectionChanged.connect(self._update_roll_back)
        shortcut = QShortcut(QKeySequence("Ctrl+O"), view)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self._on_open)

    async def refresh(self) -> None:
        """Show the rules in force and those kept before."""
        try:
            summary, kept = await self.backend.run(_kept, self.user)
        except KnownError as error:
            self.view.show_message(str(error), problem=True)
            return
        self.view.in_force_label.setText(f"In force: {summary}")
        self.view.kept_model.set_items(kept)
        self._update_roll_back()

    def _chosen(self) -> RuleSetInfo | None:
        rows = self.view.kept_table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.view.kept_model.data(rows[0], ItemRole)
        return item  # type: ignore[no-any-return]

    def _update_roll_back(self) -> None:
        chosen = self._chosen()
        self.view.roll_back_button.setEnabled(chosen is not None and not chosen.in_force)

    async def open_file(self, path: Path) -> RulesPreview | None:
        """Check the rule file at ``path``; when it is sound, preview what it would change."""
        view = self.view
        view.show_file(str(path))
        view.show_message("")
        self.file, self.preview = None, None
        try:
            checked: RuleFile = await self.backend.run(_read, path)
        except KnownError as error:
            view.show_verdict(str(error), sound=False)
            return None
        if checked.problems:
            view.show_verdict("This rule file cannot be used; nothing was changed.", sound=False)
            view.show_problems(
                [f"{p.file}:{p.line if p.line is not None else '?'}: {p.where}: {p.reason}"
                 for p in checked.problems]
            )  # fmt: skip
            return None
        if checked.failed_cases:
            view.show_verdict(
                f"{checked.title} ({checked.version}) loads, but some of its cases fail:",
                sound=False,
            )
            view.show_problems(list(checked.failed_cases))
            return None
        cases = (
            f"all {checked.case_count} of its cases pass"
            if checked.cases is not None
            else "it has no cases file beside it (NAME.cases.yaml)"
        )
        view.show_verdict(f"{checked.title} ({checked.version}) is sound: {cases}.", sound=True)
        self.file = checked
        view.progress.show()
        view.preview_label.setText("Screening the last 30 days' contacts again…")
        try:
            result: RulesPreview = await self.backend.run(
                _preview, self.user, checked.data, Path(checked.path).name
            )
        except KnownError as error:
            view.preview_label.setText(f"The preview could not be made: {error}")
            return None
        finally:
            view.progress.hide()
        self.preview = result
        view.changes_label.setText(changes_words(result))
        view.preview_label.setText(preview_words(result))
        view.examples_model.set_items(list(result.examples))
        view.examples_table.setVisible(bool(result.examples))
        view.examples_table.resizeRowsToContents()
        view.put_button.setEnabled(True)
        return result

    async def put_in_force(self) -> RuleSetInfo | None:
        """Put the opened rule file in force for every desk, after asking."""
        checked = self.file
        if checked is None or not checked.sound:
            return None
        question = f"Put {checked.title} ({checked.version}) in force for every desk now?"
        if self.preview is not None:
            question += f"\n\n{preview_words(self.preview)}"
        if not await self.confirm("Put the rules in force?", question):
            return None
        try:
            info: RuleSetInfo = await self.backend.run(
                _put, self.user, checked.data, Path(checked.path).name, checked.cases
            )
        except KnownError as error:
            self.view.show_message(str(error), problem=True)
            return None
        self.view.show_message(
            f"{info.title} ({info.ruleset_id} {info.version}) is in force from now; "
            "each desk screens its next call with it."
        )
        self.view.put_button.setEnabled(False)
        await self.refresh()
        return info

    async def roll_back(self) -> RuleSetInfo | None:
        """Put the chosen earlier rule set back in force, after asking."""
        chosen = self._chosen()
        if chosen is None or chosen.in_force:
            return None
        question = f"Put {chosen.title} ({chosen.ruleset_id} {chosen.version}) back in force?"
        if not await self.confirm("Back in force?", question):
            return None
        try:
            info: RuleSetInfo = await self.backend.run(_roll_back, self.user, chosen.id)
        except KnownError as error:
            self.view.show_message(str(error), problem=True)
            return None
        self.view.show_message(f"{info.title} ({info.version}) is back in force from now.")
        await self.refresh()
        return info

    async def choose_file(self) -> Path | None:
        """Ask which rule file to open."""
        chooser = QFileDialog(self.view, "Open a rule file", str(Path.home()))
        chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
        chooser.setNameFilter("Rule files (*.yaml *.yml)")
        if await run_dialog(chooser) != QDialog.DialogCode.Accepted.value:
            return None
        files = chooser.selectedFiles()
        return Path(files[0]) if files else None

    @async_slot()
    async def _on_open(self) -> None:
        path = await self.choose_file()
        if path is not None:
            await self.open_file(path)

    @async_slot()
    async def _on_put(self) -> None:
        await self.put_in_force()

    @async_slot()
    async def _on_roll_back(self) -> None:
        await self.roll_back()
