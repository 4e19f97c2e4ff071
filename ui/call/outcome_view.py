"""Decision and outcome on screen (SPEC 2 steps 6-8): accept or override the recommendation (an
override needs a reason), resolve at first contact or refer, service gaps, notes.

Nothing here moves when a problem shows or goes: the problem takes the summary's place, in a
slot of fixed height (a long one scrolls inside it), and a route's "needs an urgency" keeps its
room in the grid when hidden. The override grid is one route a line, so it fits the outcome
column at 1366x768 without a horizontal scroll bar.

A view only: :class:`ui.call.controller.CallController` decides what is allowed and fills it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from spa_desk.calls.draft import NOTES_LIMIT
from spa_desk.vocabulary import ResolutionMethod, Route, Urgency

RESOLUTION_LABELS = {
    ResolutionMethod.INFORMATION_ADVICE: "Information and advice",
    ResolutionMethod.SIGNPOSTING: "Signposted to a named service",
    ResolutionMethod.SELF_CARE: "Self-care advice",
    ResolutionMethod.EQUIPMENT_PRACTICAL: "Equipment or practical advice",
    ResolutionMethod.OWN_ASSETS: "Support to use their own assets and networks",
}
OVERRIDE_ROUTES = tuple(route for route in Route if route is not Route.RESOLVED)


NO_URGENCY = "choose…"
"""What a chosen route's urgency shows until one is chosen."""
NEEDS_URGENCY = "needs an urgency"
PROBLEM_LINES = 2
"""The height of the problem (and summary) slot, in lines; a longer problem scrolls inside it."""


def _keep_room(widget: QWidget) -> None:
    """Let ``widget`` keep its room in the layout while hidden, so nothing moves when it shows."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)


class OverrideRow:
    """One route in the override grid: chosen or not, its urgency, and a note in words when a
    chosen route has no urgency yet (it cannot be saved so).

    The urgency shows only for a chosen route (its room is kept, so nothing moves) and starts
    empty (:data:`NO_URGENCY`); the editor fills in the recommended urgency when a recommended
    route is chosen.
    """

    def __init__(self, route: Route) -> None:
        self.route = route
        self.check = QCheckBox(route.label)
        self.check.setAccessibleName(f"Override route: {route.label}")
        self.urgency = QComboBox()
        self.urgency.setAccessibleName(f"Urgency for {route.label}")
        self.urgency.addItem(NO_URGENCY, None)
        for urgency in Urgency:
            self.urgency.addItem(urgency.value, urgency.value)
        _keep_room(self.urgency)
        self.urgency.hide()
        self.note = QLabel(NEEDS_URGENCY)
        self.note.setObjectName("needsUrgency")
        self.note.setAccessibleName(f"{route.label} needs an urgency")
        self.note.setToolTip(f"{route.label} cannot be saved without an urgency: choose one.")
        self.note.setStyleSheet("color: #b00020; font-weight: 600;")
        _keep_room(self.note)
        self.note.hide()

    def chosen_urgency(self) -> Urgency | None:
        """The urgency shown, or None while none is chosen."""
        value = self.urgency.currentData()
        return None if value is None else Urgency(str(value))

    def show_choice(self, chosen: bool, urgency: Urgency | None) -> None:
        """Show the route as chosen or not, with ``urgency``, without signalling."""
        for widget in (self.check, self.urgency):
            widget.blockSignals(True)
        self.check.setChecked(chosen)
        index = self.urgency.findData(urgency.value) if chosen and urgency is not None else 0
        self.urgency.setCurrentIndex(max(0, index))
        self.urgency.setVisible(chosen)  # its room is kept: nothing moves
        needs_urgency = chosen and urgency is None
        self.note.setVisible(needs_urgency)
        self.urgency.setAccessibleDescription(self.note.toolTip() if needs_urgency else "")
        for widget in (self.check, self.urgency):
            widget.blockSignals(False)


class OutcomeView(QGroupBox):
    """Decision, outcome, service gaps and notes.

    Signals:
        changed(): anything here changed (the controller keeps the draft and saves it).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Decision and outcome", parent)
        self.setObjectName("outcome")
        self.problem_label = QLabel()
        self.problem_label.setObjectName("saveProblem")
        self.problem_label.setAccessibleName("Problem to fix before saving")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020; font-weight: 700;")
        self.problem_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("outcomeSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setStyleSheet("font-weight: 600;")
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.status_area = self._status_slot()

        self.accept_radio = QRadioButton("&Accept the recommendation")
        self.override_radio = QRadioButton("&Override it")
        self.decision_group = QButtonGroup(self)
        self.decision_group.addButton(self.accept_radio)
        self.decision_group.addButton(self.override_radio)
        self.accept_radio.setChecked(True)
        self.override_box = QWidget()
        self.override_box.setObjectName("overrideBox")
        grid = QGridLayout(self.override_box)
        grid.setContentsMargins(16, 0, 0, 0)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(3, 1)
        self.override_rows = [OverrideRow(route) for route in OVERRIDE_ROUTES]
        for index, row in enumerate(self.override_rows):
            grid.addWidget(row.check, index, 0)
            grid.addWidget(row.urgency, index, 1)
            grid.addWidget(row.note, index, 2)
            row.check.toggled.connect(self.changed)
            row.urgency.currentIndexChanged.connect(self.changed)
        self.override_reason = QLineEdit()
        self.override_reason.setObjectName("overrideReason")
        self.override_reason.setAccessibleName("Reason for the override")
        self.override_reason.setAccessibleDescription(
            "Kept with the call and in the audit log: give the reason, not names; numbers are "
            "left out of the log."
        )
        self.override_reason.setPlaceholderText(
            "Why overridden (needed; kept in the audit log: no names)"
        )
        self.override_reason.setToolTip(self.override_reason.accessibleDescription())
        reason_label = QLabel("Reason:")
        reason_label.setBuddy(self.override_reason)
        reason_row = QHBoxLayout()
        reason_row.setSpacing(8)
        reason_row.addWidget(reason_label)
        reason_row.addWidget(self.override_reason, 1)
        grid.addLayout(reason_row, len(self.override_rows), 0, 1, 4)

        self.resolve_radio = QRadioButton("&Resolved at first contact")
        self.refer_radio = QRadioButton("Refer to the ro&utes")
        self.outcome_group = QButtonGroup(self)
        self.outcome_group.addButton(self.resolve_radio)
        self.outcome_group.addButton(self.refer_radio)
        self.method_combo = QComboBox()
        self.method_combo.setObjectName("resolutionMethod")
        self.method_combo.setAccessibleName("How the call was resolved")
        self.method_combo.addItem("Choose how…", None)
        for method, label in RESOLUTION_LABELS.items():
            self.method_combo.addItem(label, method.value)
        self.service_combo = QComboBox()
        self.service_combo.setObjectName("signpostedService")
        self.service_combo.setAccessibleName("Service the caller was signposted to")
        self.service_combo.addItem("No service named", None)
        self.resolve_box = QWidget()
        resolve_form = QFormLayout(self.resolve_box)
        resolve_form.setContentsMargins(16, 0, 0, 0)
        resolve_form.addRow("&How:", self.method_combo)
        resolve_form.addRow("S&ervice:", self.service_combo)

        self.gap_need = QLineEdit()
        self.gap_need.setObjectName("gapNeed")
        self.gap_need.setAccessibleName("Unmet need, such as chiropody")
        self.gap_need.setPlaceholderText("Unmet need, such as chiropody")
        self.gap_reason = QComboBox()
        self.gap_reason.setAccessibleName("Why the need is unmet")
        self.gap_reason.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.gap_reason.setMinimumContentsLength(14)
        self.gap_add = QPushButton("Add gap  (Enter)")
        self.gap_add.setAccessibleName("Record a service gap")
        self.gap_list = QListWidget()
        self.gap_list.setObjectName("serviceGaps")
        self.gap_list.setAccessibleName("Service gaps recorded on this call")
        self.gap_list.setMaximumHeight(60)

        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setAccessibleName("Notes")
        self.notes.setPlaceholderText("Notes (Ctrl+M to come here)")
        self.notes.setTabChangesFocus(True)
        self.notes_count = QLabel()
        self.notes_count.setObjectName("notesCount")
        self.notes_count.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.notes.textChanged.connect(self._count_notes)
        self._count_notes()

        layout = QVBoxLayout(self)
        layout.addWidget(self.status_area)
        self.decision_box = QWidget()
        decision_layout = QVBoxLayout(self.decision_box)
        decision_layout.setContentsMargins(0, 0, 0, 0)
        decision_layout.addWidget(self.accept_radio)
        decision_layout.addWidget(self.override_radio)
        decision_layout.addWidget(self.override_box)
        self.outcome_box = QWidget()
        outcome_layout = QVBoxLayout(self.outcome_box)
        outcome_layout.setContentsMargins(0, 0, 0, 0)
        outcome_layout.addWidget(self.resolve_radio)
        outcome_layout.addWidget(self.resolve_box)
        outcome_layout.addWidget(self.refer_radio)
        self.gap_box = QWidget()
        gap_row = QHBoxLayout(self.gap_box)
        gap_row.setContentsMargins(0, 0, 0, 0)
        gap_row.addWidget(self.gap_need, 1)
        gap_row.addWidget(self.gap_reason)
        gap_row.addWidget(self.gap_add)
        layout.addWidget(self.decision_box)
        layout.addWidget(self.outcome_box)
        layout.addWidget(QLabel("Service gaps (needs no service could meet):"))
        layout.addWidget(self.gap_box)
        layout.addWidget(self.gap_list)
        notes_row = QHBoxLayout()
        notes_label = QLabel("Notes:")
        notes_label.setBuddy(self.notes)
        notes_row.addWidget(notes_label)
        notes_row.addWidget(self.notes_count, 1)
        layout.addLayout(notes_row)
        layout.addWidget(self.notes, 1)

        for signal in (
            self.accept_radio.toggled,
            self.resolve_radio.toggled,
            self.refer_radio.toggled,
        ):
            signal.connect(self.changed)
        self.method_combo.currentIndexChanged.connect(self.changed)
        self.service_combo.currentIndexChanged.connect(self.changed)
        self.override_reason.textEdited.connect(self.changed)
        self.notes.textChanged.connect(self.changed)
        self.override_box.setVisible(False)
        self.accept_radio.toggled.connect(lambda on: self.override_box.setVisible(not on))

    def _count_notes(self) -> None:
        """How many characters the notes hold, and in words when it is more than the record
        keeps (what was typed stays; the save says what to do)."""
        count = len(self.notes.toPlainText())  # as the save counts them
        if count > NOTES_LIMIT:
            self.notes_count.setText(
                f"{count:,} characters: {count - NOTES_LIMIT:,} more than the {NOTES_LIMIT:,} "
                "the record keeps"
            )
            self.notes_count.setStyleSheet("color: #b00020; font-weight: 600;")
        else:
            self.notes_count.setText(f"{count:,} of {NOTES_LIMIT:,} characters")
            self.notes_count.setStyleSheet("color: #555;")
        self.notes.setAccessibleDescription(self.notes_count.text())

    def _status_slot(self) -> QScrollArea:
        """The summary, or a problem in its place, in a slot that never changes height."""
        inner = QWidget()
        self._status = QStackedLayout(inner)
        self._status.addWidget(self.summary_label)
        self._status.addWidget(self.problem_label)
        area = QScrollArea()
        area.setObjectName("outcomeStatus")
        area.setWidget(inner)
        inner.setAutoFillBackground(False)  # the group's own background shows through
        area.viewport().setAutoFillBackground(False)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bold = self.font()
        bold.setBold(True)
        self.problem_label.setFont(bold)
        area.setFixedHeight(self.problem_label.fontMetrics().lineSpacing() * PROBLEM_LINES + 6)
        area.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        return area

    def show_problem(self, message: str | None) -> None:
        """A problem that stops the save, in words, in the summary's place; None hides it.
        Either way nothing else on the screen moves."""
        self.problem_label.setText(message or "")
        self._status.setCurrentWidget(self.problem_label if message else self.summary_label)

    def chosen_overrides(self) -> list[tuple[Route, Urgency | None]]:
        """The routes ticked in the override grid with their urgencies (None: not chosen yet)."""
        return [
            (row.route, row.chosen_urgency()) for row in self.override_rows if row.check.isChecked()
        ]

    def set_overrides(self, chosen: dict[Route, Urgency | None]) -> None:
        """Tick the given routes (with urgency, or none yet) in the override grid, untick the
        others; a chosen route with no urgency says so beside it."""
        for row in self.override_rows:
            row.show_choice(row.route in chosen, chosen.get(row.route))


def select_data(combo: QComboBox, value: object) -> None:
    """Select the item whose data is ``value`` (or the first) without signalling."""
    combo.blockSignals(True)
    index = combo.findData(value)
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


def set_checked(button: QRadioButton, checked: bool) -> None:
    """Check ``button`` without signalling."""
    button.blockSignals(True)
    button.setChecked(checked)
    button.blockSignals(False)


ALIGN_TOP = Qt.AlignmentFlag.AlignTop
