"""Decision and outcome on screen (SPEC 2 steps 6-8): accept or override the recommendation (an
override needs a reason), resolve at first contact or refer, service gaps, notes.

A view only: :class:`ui.call.controller.CallController` decides what is allowed and fills it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from spa_desk.vocabulary import ResolutionMethod, Route, Urgency

RESOLUTION_LABELS = {
    ResolutionMethod.INFORMATION_ADVICE: "Information and advice",
    ResolutionMethod.SIGNPOSTING: "Signposted to a named service",
    ResolutionMethod.SELF_CARE: "Self-care advice",
    ResolutionMethod.EQUIPMENT_PRACTICAL: "Equipment or practical advice",
    ResolutionMethod.OWN_ASSETS: "Support to use their own assets and networks",
}
OVERRIDE_ROUTES = tuple(route for route in Route if route is not Route.RESOLVED)


class OverrideRow:
    """One route in the override grid: chosen or not, and its urgency."""

    def __init__(self, route: Route) -> None:
        self.route = route
        self.check = QCheckBox(route.label)
        self.check.setAccessibleName(f"Override route: {route.label}")
        self.urgency = QComboBox()
        self.urgency.setAccessibleName(f"Urgency for {route.label}")
        for urgency in Urgency:
            self.urgency.addItem(urgency.value, urgency.value)


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
        self.problem_label.hide()
        self.summary_label = QLabel()
        self.summary_label.setObjectName("outcomeSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setStyleSheet("font-weight: 600;")

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
        self.override_rows = [OverrideRow(route) for route in OVERRIDE_ROUTES]
        for index, row in enumerate(self.override_rows):
            grid.addWidget(row.check, index // 2, (index % 2) * 2)
            grid.addWidget(row.urgency, index // 2, (index % 2) * 2 + 1)
            row.check.toggled.connect(self.changed)
            row.urgency.currentIndexChanged.connect(self.changed)
        self.override_reason = QLineEdit()
        self.override_reason.setObjectName("overrideReason")
        self.override_reason.setAccessibleName("Reason for the override")
        self.override_reason.setPlaceholderText("Why the recommendation is overridden (needed)")
        grid.addWidget(QLabel("Reason:"), len(self.override_rows) // 2 + 1, 0)
        grid.addWidget(self.override_reason, len(self.override_rows) // 2 + 1, 1, 1, 3)

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

        layout = QVBoxLayout(self)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.summary_label)
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
        notes_label = QLabel("Notes:")
        notes_label.setBuddy(self.notes)
        layout.addWidget(notes_label)
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

    def show_problem(self, message: str | None) -> None:
        """A problem that stops the save, in words; None hides it."""
        self.problem_label.setText(message or "")
        self.problem_label.setVisible(bool(message))

    def chosen_overrides(self) -> list[tuple[Route, Urgency]]:
        """The routes ticked in the override grid with their urgencies."""
        return [
            (row.route, Urgency(str(row.urgency.currentData())))
            for row in self.override_rows
            if row.check.isChecked()
        ]

    def set_overrides(self, chosen: dict[Route, Urgency | None]) -> None:
        """Tick the given routes (with urgency) in the override grid, untick the others."""
        for row in self.override_rows:
            row.check.blockSignals(True)
            row.check.setChecked(row.route in chosen)
            urgency = chosen.get(row.route)
            if urgency is not None:
                row.urgency.setCurrentIndex(max(0, row.urgency.findData(urgency.value)))
            row.check.blockSignals(False)


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
