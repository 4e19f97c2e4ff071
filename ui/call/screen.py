"""The call screen: call bar on top; caller and person, screening, recommendation and outcome in
three columns that fit 1366x768 (each column scrolls on its own if a screen is smaller)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from spa_desk.vocabulary import Level1
from ui.call.outcome_view import OutcomeView
from ui.call.screening_view import RecommendationView, ScreeningView
from ui.call.views import CallBar, CallerView, PersonView

SHORTCUT_HELP = (
    "Keys: Y/N, 1-9 answer · Alt+B back · F4 questions · F3 find · Ctrl+N new person · "
    "Ctrl+E edit record · Alt+A accept · Alt+O override · Alt+R resolve · Alt+U refer · "
    "Ctrl+M notes · F7/F8 hand off · F9 answer · Ctrl+H hold · F10 end · Ctrl+S save"
)


def _column(*widgets: QWidget, stretch_last: bool = True) -> QScrollArea:
    inner = QWidget()
    layout = QVBoxLayout(inner)
    layout.setContentsMargins(2, 2, 2, 2)
    for index, widget in enumerate(widgets):
        last = index == len(widgets) - 1
        layout.addWidget(widget, 1 if (last and stretch_last) else 0)
    area = QScrollArea()
    area.setWidget(inner)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


class CallScreen(QWidget):
    """Everything about the call in progress, on one screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callScreen")
        self.bar = CallBar()
        self.caller = CallerView()
        self.person = PersonView()
        self.screening = ScreeningView()
        self.recommendation = RecommendationView()
        self.outcome = OutcomeView()
        self.banner = QLabel()
        self.banner.setObjectName("callBanner")
        self.banner.setAccessibleName("Alert")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #b00020; color: white; font-size: 14pt; font-weight: 700; padding: 6px;"
        )
        self.banner.hide()
        self.help_label = QLabel(SHORTCUT_HELP)
        self.help_label.setObjectName("callKeys")
        self.help_label.setStyleSheet("color: #555;")
        self.help_label.setWordWrap(True)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(_column(self.caller, self.person))
        splitter.addWidget(_column(self.screening))
        splitter.addWidget(_column(self.recommendation, self.outcome))
        splitter.setSizes([380, 430, 520])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.bar)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.help_label)

    def show_banner(self, level1: str) -> None:
        """The alert across the screen: risk to life (call 999 now), or a non-data call to close."""
        banner = self.banner
        if level1 == Level1.EMERGENCY.value:
            banner.setText("RISK TO LIFE: call 999 now. Then save the contact (Ctrl+S).")
            banner.show()
        elif level1 == Level1.NON_DATA.value:
            banner.setStyleSheet(
                "background: #455a64; color: white; font-size: 12pt; font-weight: 700; "
                "padding: 6px;"
            )
            banner.setText("Not a call about anyone's care: press Ctrl+S to close it.")
            banner.show()
            return
        else:
            banner.hide()
        banner.setStyleSheet(
            "background: #b00020; color: white; font-size: 14pt; font-weight: 700; padding: 6px;"
        )

    def focus_field(self, field: str) -> None:
        """Put the keyboard on the field a problem names (``Override reason``, say), if shown."""
        view = self.outcome
        targets: dict[str, QWidget] = {
            "Person": self.person.search_edit,
            "Override reason": view.override_reason,
            "How resolved": view.method_combo,
            "Signposted to": view.service_combo,
            "Outcome": view.refer_radio,
            "Professional's name": self.caller.name_edit,
            "Caller's name": self.caller.name_edit,
            "Relationship": self.caller.relationship_edit,
            "Notes": view.notes,
            "Organisation": self.caller.organisation_edit,
            "Call-back number": self.caller.phone_edit,
        }
        if field == "Screening":
            self.screening.focus_answers()
            return
        target = targets.get(field)
        if target is not None and target.isVisible():
            target.setFocus()
