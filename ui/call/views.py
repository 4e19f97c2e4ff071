"""The top of the call screen and its left column: the call timer and line, who is calling, and
finding the person the call is about (SPEC 2 steps 1-3).

Views only: :class:`ui.call.controller.CallController` fills them and listens to them.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spa_desk.calls.caller import RELATIONSHIPS
from spa_desk.vocabulary import CallerType, Line


def clock_text(seconds: int) -> str:
    """``03:07`` or ``1:02:03``."""
    minutes, second = divmod(max(0, seconds), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}" if hours else f"{minute:02d}:{second:02d}"


LINE_LABELS = {
    Line.GENERAL: "General line",
    Line.HEALTH: "Health line",
    Line.SOCIAL_CARE: "Social care line",
    Line.MENTAL_HEALTH: "Mental health line",
    Line.PROFESSIONAL: "Professionals' line",
    Line.HOSPITAL_DISCHARGE: "Hospital discharge line",
}
PROFESSIONAL_LABELS = {
    "gp": "GP practice",
    "hospital": "Hospital ward or discharge team",
    "ambulance": "Ambulance service",
    "police": "Police",
    "care_home": "Care home",
    "vcs": "Voluntary or community organisation",
    "other": "Other professional",
}


class CallBar(QWidget):
    """The call's state and timers, the line, the caller's number and the call's main keys."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callBar")
        self.state_label = QLabel()
        self.state_label.setObjectName("callState")
        self.state_label.setAccessibleName("Call state")
        self.state_label.setStyleSheet("font-size: 13pt; font-weight: 700;")
        self.talk_label = QLabel()
        self.talk_label.setObjectName("callTimer")
        self.talk_label.setAccessibleName("Call timer")
        self.talk_label.setStyleSheet("font-size: 16pt; font-weight: 700; font-family: monospace;")
        self.wrap_label = QLabel()
        self.wrap_label.setObjectName("wrapTimer")
        self.wrap_label.setAccessibleName("Wrap-up timer")
        self.wrap_label.setStyleSheet("font-size: 12pt; font-family: monospace; color: #444;")
        self.line_combo = QComboBox()
        self.line_combo.setObjectName("line")
        self.line_combo.setAccessibleName("Line the call came in on")
        for line, label in LINE_LABELS.items():
            self.line_combo.addItem(label, line.value)
        self.number_label = QLabel()
        self.number_label.setObjectName("callerNumber")
        self.number_label.setAccessibleName("Caller's number")
        self.answer_button = QPushButton("Answer  (F9)")
        self.answer_button.setAccessibleName("Answer the call")
        self.end_button = QPushButton("End call  (F10)")
        self.end_button.setAccessibleName("End the call and start wrap-up")
        self.save_button = QPushButton("&Save contact  (Ctrl+S)")
        self.save_button.setObjectName("saveContact")
        self.save_button.setAccessibleName("Save the contact")
        self.save_button.setStyleSheet("font-weight: 700; padding: 4px 12px;")
        self.database_label = QLabel()
        self.database_label.setObjectName("databaseProblem")
        self.database_label.setAccessibleName("Database problem")
        self.database_label.setWordWrap(True)
        self.database_label.setStyleSheet(
            "background: #fff3cd; color: #5c3c00; font-weight: 700; padding: 2px 6px;"
        )
        self.database_label.hide()
        self.discard_button = QPushButton("Throw away…")
        self.discard_button.setAccessibleName("Throw away a call started by mistake")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state_label)
        layout.addWidget(self.talk_label)
        layout.addWidget(self.wrap_label)
        layout.addSpacing(12)
        line_label = QLabel("L&ine:")
        line_label.setBuddy(self.line_combo)
        layout.addWidget(line_label)
        layout.addWidget(self.line_combo)
        layout.addWidget(self.number_label)
        layout.addWidget(self.database_label, 1)
        layout.addStretch(1)
        for button in (
            self.answer_button,
            self.end_button,
            self.save_button,
            self.discard_button,
        ):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            layout.addWidget(button)

    def show_database_problem(self, message: str | None) -> None:
        """Say in the bar that the database is out of reach (and the call is kept), or clear it."""
        self.database_label.setText(f"⚠ {message}" if message else "")
        self.database_label.setVisible(bool(message))

    def show_times(
        self,
        started_at: datetime,
        answered_at: datetime | None,
        ended_at: datetime | None,
        now: datetime,
        wrap_up_seconds: int = 0,
        *,
        on_hold: bool = False,
    ) -> None:
        """The call's state and its timers: ringing, on call (talk time) or on hold, or wrap-up
        (the wrap-up time worked, which stops while the desk is closed)."""
        if answered_at is None:
            self.state_label.setText("● Ringing")
            self.state_label.setStyleSheet("font-size: 13pt; font-weight: 700; color: #8a5a00;")
            self.talk_label.setText(clock_text(int((now - started_at).total_seconds())))
            self.wrap_label.setText("")
        elif ended_at is None and on_hold:
            self.state_label.setText("● On hold (Ctrl+H to take back)")
            self.state_label.setStyleSheet("font-size: 13pt; font-weight: 700; color: #6a1b9a;")
            self.talk_label.setText(clock_text(int((now - answered_at).total_seconds())))
            self.wrap_label.setText("")
        elif ended_at is None:
            self.state_label.setText("● On call")
            self.state_label.setStyleSheet("font-size: 13pt; font-weight: 700; color: #1b5e20;")
            self.talk_label.setText(clock_text(int((now - answered_at).total_seconds())))
            self.wrap_label.setText("")
        else:
            self.state_label.setText("● Wrap-up")
            self.state_label.setStyleSheet("font-size: 13pt; font-weight: 700; color: #0d47a1;")
            talk = int((ended_at - answered_at).total_seconds())
            self.talk_label.setText(f"talk {clock_text(talk)}")
            self.wrap_label.setText(f"wrap-up {clock_text(wrap_up_seconds)}")
        self.answer_button.setEnabled(answered_at is None)
        self.end_button.setEnabled(answered_at is not None and ended_at is None)


class CallerView(QGroupBox):
    """Who is calling and how to ring them back: family and carers give their name and
    relationship to the person; a professional name, organisation and job; everyone a call-back
    number (filled from the telephone system when the call rang there)."""

    caller_type_chosen = Signal(str)
    professional_role_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Caller", parent)
        self.setObjectName("caller")
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("callerType")
        self.type_combo.setAccessibleName("Who is calling")
        for caller in CallerType:
            self.type_combo.addItem(caller.label, caller.value)
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("professionalRole")
        self.role_combo.setAccessibleName("Kind of professional")
        for value, label in PROFESSIONAL_LABELS.items():
            self.role_combo.addItem(label, value)
        self.name_edit = self._edit("callerName", "Caller's name")
        self.relationship_edit = self._edit("relationship", "To the person, such as Daughter")
        completer = QCompleter(list(RELATIONSHIPS), self.relationship_edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.relationship_edit.setCompleter(completer)
        self.organisation_edit = self._edit("organisation", "Organisation, ward or team")
        self.job_edit = self._edit("jobTitle", "Their role, such as discharge nurse")
        self.phone_edit = self._edit("callBack", "Call-back number")
        self.known_label = QLabel()
        self.known_label.setObjectName("knownCaller")
        self.known_label.setAccessibleName("Known caller on this number")
        self.known_label.setWordWrap(True)
        self.known_label.setStyleSheet(
            "background: #e8f0fe; border-radius: 4px; padding: 4px; color: #0d47a1;"
        )
        self.known_label.hide()
        self.form = QFormLayout(self)
        self.form.addRow(self.known_label)
        self.form.addRow("&Who is calling:", self.type_combo)
        self.form.addRow("&Professional:", self.role_combo)
        self.form.addRow("Na&me:", self.name_edit)
        self.form.addRow("Relations&hip:", self.relationship_edit)
        self.form.addRow("Organisa&tion:", self.organisation_edit)
        self.form.addRow("&Job title:", self.job_edit)
        self.form.addRow("Call-bac&k number:", self.phone_edit)
        self.type_combo.activated.connect(
            lambda index: self.caller_type_chosen.emit(str(self.type_combo.itemData(index)))
        )
        self.role_combo.activated.connect(
            lambda index: self.professional_role_chosen.emit(str(self.role_combo.itemData(index)))
        )
        self.show_caller(CallerType.SELF.value, None)

    def _edit(self, name: str, accessible: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(accessible)
        return edit

    def show_caller(self, caller_type: str, professional_role: str | None) -> None:
        """Show the caller type and the details that kind of caller gives."""
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(caller_type)))
        professional = caller_type == CallerType.PROFESSIONAL.value
        relative = caller_type in (CallerType.FAMILY.value, CallerType.CARER.value)
        for widget in (self.role_combo, self.organisation_edit, self.job_edit):
            self.form.setRowVisible(widget, professional)
        self.form.setRowVisible(self.name_edit, professional or relative)
        self.form.setRowVisible(self.relationship_edit, relative)
        self.name_edit.setPlaceholderText(
            "Professional's name" if professional else "Caller's name"
        )
        self.name_edit.setAccessibleName(self.name_edit.placeholderText())
        if professional and professional_role:
            self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(professional_role)))


class _SearchEdit(QLineEdit):
    """The search box: Down moves into the results, so the mouse is never needed."""

    down = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Down:
            self.down.emit()
            return
        super().keyPressEvent(event)


class PersonView(QGroupBox):
    """Search for the person as the handler types; the chosen person's record once opened.

    Signals:
        picked(int): the handler chose the result at that row (Enter or double-click).
    """

    picked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Person", parent)
        self.setObjectName("person")
        self.search_edit = _SearchEdit()
        self.search_edit.setObjectName("personSearch")
        self.search_edit.setAccessibleName(
            "Find the person: NHS number, name, date of birth, postcode or phone"
        )
        self.search_edit.setPlaceholderText("NHS number, name, date of birth, postcode or phone")
        self.search_edit.setClearButtonEnabled(True)
        self.search_note = QLabel()
        self.search_note.setObjectName("searchNote")
        self.search_note.setStyleSheet("color: #444;")
        self.search_note.setWordWrap(True)
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName("People found; Enter opens the record with consent")
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.itemActivated.connect(lambda item: self.picked.emit(self.results.row(item)))
        self.search_edit.down.connect(self._into_results)
        self.search_edit.returnPressed.connect(self._into_results)
        self.new_button = QPushButton("New person  (Ctrl+N)")
        self.new_button.setAccessibleName("Add a new person")
        self.record_label = QLabel()
        self.record_label.setObjectName("personRecord")
        self.record_label.setAccessibleName("The person's record")
        self.record_label.setWordWrap(True)
        self.record_label.setTextFormat(Qt.TextFormat.RichText)
        self.record_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.change_button = QPushButton("Change person")
        self.change_button.setAccessibleName("Choose a different person")
        self.edit_button = QPushButton("Edit record  (Ctrl+E)")
        self.edit_button.setObjectName("editRecord")
        self.edit_button.setAccessibleName("Edit the person's record")
        self.record_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.search_box = QWidget()
        search_layout = QVBoxLayout(self.search_box)
        search_layout.setContentsMargins(0, 0, 0, 0)
        search_label = QLabel("&Find:")
        search_label.setBuddy(self.search_edit)
        row = QHBoxLayout()
        row.addWidget(search_label)
        row.addWidget(self.search_edit, 1)
        search_layout.addLayout(row)
        search_layout.addWidget(self.search_note)
        search_layout.addWidget(self.results, 1)
        search_layout.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_box, 1)
        layout.addWidget(self.record_label, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.change_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.show_searching()

    def _into_results(self) -> None:
        if self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(max(0, self.results.currentRow()))

    def show_searching(self) -> None:
        """The search box and results (no record chosen yet)."""
        self.search_box.show()
        self.record_label.hide()
        self.change_button.hide()
        self.edit_button.hide()

    def show_results(self, note: str, rows: list[str]) -> None:
        """The people found, one line each, with a note on what was searched."""
        self.search_note.setText(note)
        current = self.results.currentRow()
        self.results.clear()
        for text in rows:
            self.results.addItem(QListWidgetItem(text))
        if rows:
            self.results.setCurrentRow(min(max(current, 0), len(rows) - 1))

    def show_record(self, html: str) -> None:
        """The opened record: identity, flags, open referrals and previous contacts."""
        self.search_box.hide()
        self.record_label.setText(html)
        self.record_label.show()
        self.change_button.show()
        self.edit_button.show()


def age_text(born: date | None, today: date) -> str:
    """``born 12 Mar 1941, 85`` or an empty string."""
    if born is None:
        return "date of birth not known"
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return f"born {born.strftime('%d %b %Y')}, age {years}"
