"""The audit log dialog's layout: the filters (local days, user, person id) with Search, the
table of entries found, the messages, and Export and Close.

Views hold layout only; :class:`ui.governance.audit_controller.AuditController` gives this one
its behaviour, including the period the date fields start with.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.governance.audit_model import AuditTableModel
from ui.kit.dialogs import form_button

PROBLEM_STYLE = "color: #b00020; font-weight: 600;"


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("ddd d MMM yyyy")
    edit.setAccessibleName(f"{name} (local day)")
    return edit


class AuditView(QDialog):
    """The audit log's filters, the entries found (``table`` over ``model``) and Export.

    Enter in any filter presses Search (the default button); Close (and Escape) rejects it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("SPA Desk - audit log")
        self.setObjectName("auditDialog")
        self.resize(1180, 660)

        self.from_edit = _date_edit("From")
        self.to_edit = _date_edit("To")
        self.user_edit = QLineEdit()
        self.user_edit.setAccessibleName("User name to search for")
        self.user_edit.setPlaceholderText("any user")
        self.user_edit.setClearButtonEnabled(True)
        self.person_edit = QLineEdit()
        self.person_edit.setAccessibleName("Person id to search for")
        self.person_edit.setPlaceholderText("any person (the id the desk shows)")
        self.person_edit.setClearButtonEnabled(True)
        self.person_edit.setMinimumWidth(300)
        self.search_button = form_button("&Search", "Search the audit log")
        self.search_button.setDefault(True)  # Enter in any filter searches

        filters = QHBoxLayout()
        for text, edit in (
            ("&From", self.from_edit),
            ("&To", self.to_edit),
            ("&User", self.user_edit),
            ("&Person id", self.person_edit),
        ):
            label = QLabel(text)
            label.setBuddy(edit)
            if filters.count():
                filters.addSpacing(14)
            filters.addWidget(label)
            filters.addWidget(edit, 1 if isinstance(edit, QLineEdit) else 0)
        filters.addSpacing(14)
        filters.addWidget(self.search_button)
        hint = QLabel(
            "Days are local (Europe/London), both included. Leave User or Person id empty to "
            "include everyone."
        )
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)

        self.model = AuditTableModel()
        self.table = QTableView()
        self.table.setObjectName("auditEntries")
        self.table.setAccessibleName("Audit entries found")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        table_label = QLabel("Entr&ies")
        table_label.setStyleSheet("font-weight: 600;")
        table_label.setBuddy(self.table)
        self.summary_label = QLabel("Not searched yet.")
        self.summary_label.setObjectName("auditSummary")
        self.summary_label.setAccessibleName("Search result")
        self.summary_label.setStyleSheet("color: #555;")

        self.error_label = QLabel()
        self.error_label.setObjectName("auditProblem")
        self.error_label.setAccessibleName("Problem")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(PROBLEM_STYLE)
        self.error_label.hide()
        self.note_label = QLabel()
        self.note_label.setObjectName("auditNote")
        self.note_label.setAccessibleName("Done")
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note_label.setWordWrap(True)
        self.note_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_label.hide()

        self.export_button = form_button("&Export CSV…", "Export the matching entries as CSV")
        self.close_button = form_button("C&lose", "Close the audit log")
        self.close_button.clicked.connect(self.reject)

        table_header = QHBoxLayout()
        table_header.addWidget(table_label)
        table_header.addStretch(1)
        table_header.addWidget(self.summary_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_button)
        export_hint = QLabel("every matching entry, oldest first, times in UTC")
        export_hint.setStyleSheet("color: #555;")
        bottom.addWidget(export_hint)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(hint)
        layout.addLayout(table_header)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.note_label)
        layout.addLayout(bottom)

        chain: list[QWidget] = [
            self.from_edit,
            self.to_edit,
            self.user_edit,
            self.person_edit,
            self.search_button,
            self.table,
            self.export_button,
            self.close_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.from_edit.setFocus(Qt.FocusReason.OtherFocusReason)
