"""The manager's dashboard page and the report preview: layout only.

The page: the shift so far (headline tiles, calls by hour, FCR by stream beside the reference,
the queues), then the reports: a shift's report (preview, save, sign) and any period's trends
and service gaps, with progress and Cancel for a long one. Every button names its key.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.reports.charts import BLUE, GREY, BarChart

PREVIEW_KEY = "Ctrl+P"
SAVE_PDF_KEY = "Ctrl+Shift+P"
SAVE_CSV_KEY = "Ctrl+Shift+C"
SIGN_KEY = "Ctrl+Shift+S"
TRENDS_KEY = "Ctrl+T"
GAPS_KEY = "Ctrl+G"

TILES = (
    ("contacts", "contacts"),
    ("data", "data contacts"),
    ("fcr", "recorded FCR"),
    ("sustained", "sustained FCR"),
    ("service", "answered in time"),
    ("asa", "average answer"),
    ("safeguarding", "safeguarding concerns"),
    ("drafts", "drafts left open"),
)


def _keyed(text: str, key: str, accessible: str, parent: QWidget) -> QPushButton:
    """A button that names its key, and the key itself (while the page is on screen)."""
    native = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
    button = QPushButton(f"{text}  ({native})")
    button.setAccessibleName(accessible)
    shortcut = QShortcut(QKeySequence(key), parent)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(button.click)
    return button


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def as_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _date_edit(name: str, accessible: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("ddd dd MMM yyyy")
    return edit


class Tile(QFrame):
    """A big number over a few words."""

    def __init__(self, name: str, caption: str) -> None:
        super().__init__()
        self.setObjectName(f"tile_{name}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("-")
        self.value.setObjectName(f"tileValue_{name}")
        self.value.setStyleSheet("font-size: 20pt; font-weight: 600;")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.words = caption
        self.caption = QLabel(caption)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)
        self.setAccessibleName(caption)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def show_value(self, text: str, note: str = "") -> None:
        """The number, and a note under it in place of the usual words when there is one."""
        self.value.setText(text)
        self.caption.setText(f"{self.words}: {note}" if note else self.words)
        self.setAccessibleDescription(f"{text} {note}".strip())


class DashboardPage(QWidget):
    """The SPA manager's dashboard (F9)."""

    back_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, shift_names: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardPage")
        title = QLabel("Dashboard")
        title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("dashboardShift")
        self.subtitle.setAccessibleName("The shift shown")
        self.updated = QLabel()
        self.updated.setObjectName("dashboardUpdated")
        back = QPushButton("Shift list  (Esc)")
        back.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        back.clicked.connect(self.back_requested)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(12)
        top.addWidget(self.subtitle, 1)
        top.addWidget(self.updated)
        top.addWidget(back)

        tiles = QGridLayout()
        self.tiles: dict[str, Tile] = {}
        for column, (name, caption) in enumerate(TILES):
            tile = Tile(name, caption)
            self.tiles[name] = tile
            tiles.addWidget(tile, 0, column)

        self.hours = BarChart(
            "Calls by hour (local time)",
            [("Contacts", BLUE)],
            name="hoursChart",
            accessible="Calls by hour",
        )
        self.fcr = BarChart(
            "First-contact resolution by stream",
            [("Recorded this shift", BLUE), ("Reference SPA", GREY)],
            name="fcrChart",
            accessible="FCR by stream beside the reference",
            percent=True,
        )
        self.queues = QLabel()
        self.queues.setObjectName("dashboardQueues")
        self.queues.setAccessibleName("The hand-off queues")
        self.queues.setTextFormat(Qt.TextFormat.RichText)
        self.queues.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.queues.setWordWrap(True)
        self.queues.setMinimumWidth(220)
        charts = QHBoxLayout()
        charts.addWidget(self.hours.view, 5)
        charts.addWidget(self.fcr.view, 7)
        charts.addWidget(self.queues, 2)

        self.shift_date = _date_edit("reportShiftDate", "Date the shift starts")
        self.shift_name = QComboBox()
        self.shift_name.setObjectName("reportShiftName")
        self.shift_name.setAccessibleName("Shift")
        self.shift_name.addItems(list(shift_names))
        self.preview_button = _keyed("Preview", PREVIEW_KEY, "Preview the shift report", self)
        self.save_pdf_button = _keyed("Save PDF…", SAVE_PDF_KEY, "Save the report as PDF", self)
        self.save_csv_button = _keyed("Save CSV…", SAVE_CSV_KEY, "Save the report as CSV", self)
        self.sign_button = _keyed("Sign…", SIGN_KEY, "Sign the shift report", self)
        shift_row = QHBoxLayout()
        shift_row.addWidget(QLabel("Shift report:"))
        shift_row.addWidget(self.shift_date)
        shift_row.addWidget(self.shift_name)
        for button in (
            self.preview_button,
            self.save_pdf_button,
            self.save_csv_button,
            self.sign_button,
        ):
            shift_row.addWidget(button)
        shift_row.addStretch(1)

        self.first = _date_edit("reportFrom", "First day of the period")
        self.last = _date_edit("reportTo", "Last day of the period")
        self.trends_button = _keyed("Trends…", TRENDS_KEY, "Trends over the period", self)
        self.gaps_button = _keyed("Service gaps…", GAPS_KEY, "Service gaps over the period", self)
        self.progress = QProgressBar()
        self.progress.setObjectName("reportProgress")
        self.progress.setAccessibleName("Report progress")
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("Cancel  (Esc)")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_requested)
        period_row = QHBoxLayout()
        period_row.addWidget(QLabel("Any period: from"))
        period_row.addWidget(self.first)
        period_row.addWidget(QLabel("to"))
        period_row.addWidget(self.last)
        period_row.addWidget(self.trends_button)
        period_row.addWidget(self.gaps_button)
        period_row.addWidget(self.progress, 1)
        period_row.addWidget(self.cancel_button)
        period_row.addStretch(1)
        self.note = QLabel()
        self.note.setObjectName("reportNote")
        self.note.setAccessibleName("About the report")
        self.note.setWordWrap(True)
        reports = QGroupBox("Reports")
        box = QVBoxLayout(reports)
        box.addLayout(shift_row)
        box.addLayout(period_row)
        box.addWidget(self.note)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(tiles)
        layout.addLayout(charts, 1)
        layout.addWidget(reports)

    def set_shift(self, day: date, name: str) -> None:
        self.shift_date.setDate(_qdate(day))
        self.shift_name.setCurrentText(name)

    def set_period(self, first: date, last: date) -> None:
        self.first.setDate(_qdate(first))
        self.last.setDate(_qdate(last))

    def chosen_shift(self) -> tuple[date, str]:
        return as_date(self.shift_date.date()), self.shift_name.currentText()

    def chosen_period(self) -> tuple[date, date]:
        return as_date(self.first.date()), as_date(self.last.date())

    def show_running(self, running: bool, cancellable: bool = False) -> None:
        """While a report is made: its buttons off; progress and Cancel for a long one."""
        for button in (
            self.preview_button,
            self.save_pdf_button,
            self.save_csv_button,
            self.sign_button,
            self.trends_button,
            self.gaps_button,
        ):
            button.setEnabled(not running)
        self.progress.setVisible(running and cancellable)
        self.cancel_button.setVisible(running and cancellable)
        if running:
            self.progress.setRange(0, 0)

    def show_progress(self, done: int, steps: int) -> None:
        self.progress.setRange(0, max(1, steps))
        self.progress.setValue(done)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            if self.cancel_button.isVisible():
                self.cancel_requested.emit()
            else:
                self.back_requested.emit()
            return
        super().keyPressEvent(event)


class PreviewDialog(QDialog):
    """A report's pages as images (PgUp, PgDn), with Save and, for a shift, Sign."""

    page_requested = Signal(int)

    def __init__(self, title: str, words: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportPreview")
        self.setWindowTitle(f"Preview: {title}")
        self.words = QLabel(words)
        self.words.setObjectName("previewWords")
        self.words.setWordWrap(True)
        self.image = QLabel("Rendering the page…")
        self.image.setObjectName("previewImage")
        self.image.setAccessibleName("The report page")
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        self.where = QLabel()
        self.where.setObjectName("previewPage")
        self.previous_button = _keyed("Previous page", "PgUp", "Previous page", self)
        self.next_button = _keyed("Next page", "PgDown", "Next page", self)
        self.save_pdf_button = _keyed("Save PDF…", SAVE_PDF_KEY, "Save the report as PDF", self)
        self.save_csv_button = _keyed("Save CSV…", SAVE_CSV_KEY, "Save the report as CSV", self)
        self.sign_button = _keyed("Sign…", SIGN_KEY, "Sign the shift report", self)
        close = QPushButton("Close  (Esc)")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for widget in (self.previous_button, self.where, self.next_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        for widget in (self.save_pdf_button, self.save_csv_button, self.sign_button, close):
            buttons.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.words)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.page = 0
        self.pages = 1
        self.previous_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.resize(980, 720)

    def _step(self, step: int) -> None:
        target = self.page + step
        if 0 <= target < self.pages:
            self.page_requested.emit(target)

    def show_page(self, image: QImage, page: int, pages: int) -> None:
        self.page, self.pages = page, pages
        self.image.setPixmap(QPixmap.fromImage(image))
        self.where.setText(f"Page {page + 1} of {pages}")
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page + 1 < pages)
