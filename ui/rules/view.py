"""The Rules screen's layout (SPA managers): the rules in force and those kept before, and a new
rule file with its problems or cases, what it changes, and how many recent contacts it would
decide differently. Layout only: :class:`ui.rules.controller.RulesController` drives it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.kit.dialogs import fit_to_screen
from ui.rules.model import ExamplesModel, KeptRulesModel

PROBLEM_STYLE = "color: #b00020; font-weight: 600;"


def _table(name: str, accessible: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class RulesView(QDialog):
    """The rules in force, the rules kept, and a new rule file checked and previewed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rulesDialog")
        self.setWindowTitle("Screening rules")
        fit_to_screen(self, 1100, 720)

        self.in_force_label = QLabel()
        self.in_force_label.setObjectName("rulesInForce")
        self.in_force_label.setAccessibleName("Rules in force")
        self.in_force_label.setWordWrap(True)
        self.in_force_label.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.kept_model = KeptRulesModel()
        self.kept_table = _table("keptRules", "Rule sets put in force before")
        self.kept_table.setModel(self.kept_model)
        self.roll_back_button = QPushButton("&Back in force…")
        self.roll_back_button.setAccessibleName("Put the chosen rule set back in force")
        self.roll_back_button.setEnabled(False)
        kept_box = QGroupBox("Rules in force, and those kept before")
        kept_layout = QVBoxLayout(kept_box)
        kept_layout.addWidget(self.in_force_label)
        kept_layout.addWidget(self.kept_table, 1)
        kept_layout.addWidget(self.roll_back_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.open_button = QPushButton("&Open a rule file…  (Ctrl+O)")
        self.open_button.setAccessibleName("Open a rule file to check and preview")
        self.file_label = QLabel("No rule file opened.")
        self.file_label.setObjectName("ruleFile")
        self.file_label.setWordWrap(True)
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("ruleVerdict")
        self.verdict_label.setAccessibleName("Whether the rule file is sound")
        self.verdict_label.setWordWrap(True)
        self.problems_list = QListWidget()
        self.problems_list.setObjectName("ruleProblems")
        self.problems_list.setAccessibleName("Problems of the rule file: file, line and reason")
        self.problems_list.setWordWrap(True)
        self.changes_label = QLabel()
        self.changes_label.setObjectName("ruleChanges")
        self.changes_label.setAccessibleName("What the rule file changes")
        self.changes_label.setWordWrap(True)
        self.changes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setObjectName("previewProgress")
        self.progress.setRange(0, 0)  # busy: the contacts are screened again on the worker
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.preview_label = QLabel()
        self.preview_label.setObjectName("rulePreview")
        self.preview_label.setAccessibleName("How many recent contacts would be decided otherwise")
        self.preview_label.setWordWrap(True)
        self.preview_label.setStyleSheet("font-weight: 600;")
        self.examples_model = ExamplesModel()
        self.examples_table = _table("previewExamples", "Contacts decided differently")
        self.examples_table.setModel(self.examples_model)
        header = self.examples_table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # before and after share
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # the width, wrapped
        self.put_button = QPushButton("&Put in force…")
        self.put_button.setObjectName("putInForce")
        self.put_button.setAccessibleName("Put the new rule file in force for every desk")
        self.put_button.setStyleSheet("font-weight: 700; padding: 4px 12px;")
        self.put_button.setEnabled(False)
        new_box = QGroupBox("A new rule file")
        new_layout = QVBoxLayout(new_box)
        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.file_label, 1)
        new_layout.addLayout(top)
        new_layout.addWidget(self.verdict_label)
        new_layout.addWidget(self.problems_list, 1)
        new_layout.addWidget(self.changes_label)
        new_layout.addWidget(self.progress)
        new_layout.addWidget(self.preview_label)
        new_layout.addWidget(self.examples_table, 1)
        new_layout.addWidget(self.put_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.message_label = QLabel()
        self.message_label.setObjectName("rulesMessage")
        self.message_label.setWordWrap(True)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message_label, 1)
        bottom.addWidget(self.close_button)

        columns = QHBoxLayout()
        columns.addWidget(kept_box, 2)
        columns.addWidget(new_box, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addLayout(bottom)
        self.show_file(None)

    def show_file(self, path: str | None) -> None:
        """Forget the last file's results; name the file being read now (or none)."""
        self.file_label.setText(path or "No rule file opened.")
        self.verdict_label.setText("")
        self.verdict_label.setStyleSheet("")
        self.problems_list.clear()
        self.problems_list.hide()
        self.changes_label.setText("")
        self.preview_label.setText("")
        self.examples_model.set_items([])
        self.examples_table.hide()
        self.put_button.setEnabled(False)

    def show_verdict(self, text: str, *, sound: bool) -> None:
        """Whether the file is sound, in words (red when it is not)."""
        self.verdict_label.setText(text)
        self.verdict_label.setStyleSheet(
            "color: #1b5e20; font-weight: 600;" if sound else PROBLEM_STYLE
        )

    def show_problems(self, lines: list[str]) -> None:
        """The file's problems, one a line: file, line and reason."""
        self.problems_list.clear()
        self.problems_list.addItems(lines)
        self.problems_list.setVisible(bool(lines))

    def show_message(self, text: str, *, problem: bool = False) -> None:
        """A note (or a problem, in red) at the foot of the screen."""
        self.message_label.setText(text)
        self.message_label.setStyleSheet(PROBLEM_STYLE if problem else "")
