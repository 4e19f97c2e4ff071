"""The audit log dialog's layout: the filters (local days, user, NHS number) with Search, a
problem with them in words just below, the table of entries found with the chosen entry read in
full beneath it, and Export and Close.

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
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.governance.audit_model import AuditTableModel
from ui.kit.dialogs import fit_to_screen, form_button

PROBLEM_STYLE = "color: #b00020; font-weight: 600;"


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("ddd d MMM yyyy")
    edit.setAccessibleName(f"{name} (local day)")
    return edit


class AuditView(QDialog):
    """The audit log's filters, the entries found (``table`` over ``model``), the chosen entry
    in full (``details_view``) and Export.

    Enter in any filter presses Search (the default button); Close (and Escape) rejects it.
    ``person_edit`` takes the NHS number of the person whose entries are wanted.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("SPA Desk - audit log")
        self.setObjectName("auditDialog")
        fit_to_screen(self, 1180, 660)

        self.from_edit = _date_edit("From")
        self.to_edit = _date_edit("To")
        self.user_edit = QLineEdit()
        self.user_edit.setAccessibleName("User to search for: user name or the name shown")
        self.user_edit.setPlaceholderText("any user, or sam, or Sam Okafor")
        self.user_edit.setClearButtonEnabled(True)
        self.person_edit = QLineEdit()
        self.person_edit.setObjectName("auditNhsNumber")
        self.person_edit.setAccessibleName("NHS number of the person to search for")
        self.person_edit.setPlaceholderText("any person, or 943 476 5919")
        self.person_edit.setClearButtonEnabled(True)
        self.search_button = form_button("&Search", "Search the audit log")
        self.search_button.setDefault(True)  # Enter in any filter searches

        filters = QHBoxLayout()
        for text, edit in (
            ("&From", self.from_edit),
            ("&To", self.to_edit),
            ("&User", self.user_edit),
            ("&NHS number", self.person_edit),
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
            "Days are local (Europe/London), both included. User: the user name or the name the "
            "desk shows. NHS number: the entries about that person's record, without opening it. "
            "Leave either empty to include everyone."
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
        self.table.setWordWrap(False)  # one line an entry; the chosen one in full below
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

        self.details_view = QPlainTextEdit()
        self.details_view.setObjectName("auditDetails")
        self.details_view.setAccessibleName("The chosen entry in full")
        self.details_view.setReadOnly(True)
        self.details_view.setTabChangesFocus(True)
        self.details_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.details_view.setPlaceholderText("The entry chosen above, in full.")
        self.details_view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        details_label = QLabel("&Details of the chosen entry")
        details_label.setStyleSheet("font-weight: 600;")
        details_label.setBuddy(self.details_view)
        details_box = QWidget()
        details_layout = QVBoxLayout(details_box)
        details_layout.setContentsMargins(0, 4, 0, 0)
        details_layout.addWidget(details_label)
        details_layout.addWidget(self.details_view, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(details_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)

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
        layout.addWidget(self.error_label)  # where the eyes are when Enter was pressed
        layout.addWidget(hint)
        layout.addLayout(table_header)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.note_label)
        layout.addLayout(bottom)

        chain: list[QWidget] = [
            self.from_edit,
            self.to_edit,
            self.user_edit,
            self.person_edit,
            self.search_button,
            self.table,
            self.details_view,
            self.export_button,
            self.close_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.from_edit.setFocus(Qt.FocusReason.OtherFocusReason)
