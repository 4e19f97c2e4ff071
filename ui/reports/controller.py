"""The dashboard's behaviour: read the shift so far (and again whenever a contact is saved, here
or on another desk), and make, preview, save and sign reports without blocking the desk.

The figures and the files are made on the database thread; a page is rendered to pixels on a
worker thread; the GUI thread only puts numbers, bars and a picture on screen. A long report
tells its progress and stops when Cancel (Esc) is pressed.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from spa_desk.domain import CurrentUser
from spa_desk.errors import KnownError
from spa_desk.local_time import LONDON, Clock
from spa_desk.permissions import Action, allowed
from spa_desk.reports.dashboard import Dashboard, dashboard
from spa_desk.reports.definitions import NO_STREAM
from spa_desk.reports.figures import hour_labels
from spa_desk.reports.files import (
    Cancelled,
    ReportFiles,
    cancellable,
    gaps_files,
    shift_files,
    trends_files,
)
from spa_desk.reports.preview import PagePixels, render_page
from spa_desk.reports.shift_report import named_shift
from spa_desk.reports.shifts import Shift, adjacent_shift, shift_at
from spa_desk.reports.signing import sign_shift_report
from spa_desk.settings import Settings
from ui.kit.backend import DeskBackend
from ui.kit.dialogs import ask_save_path, run_dialog
from ui.reports.view import DashboardPage, PreviewDialog

_PAGES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spa-desk-reports")
"""A report page is rendered and a file written here: off the GUI thread, and not behind the
database jobs."""


class _Relay(QObject):
    """Carries a long report's progress from the database thread to the GUI thread."""

    moved = Signal(int, int)


SHORT_STREAM_WORDS = {
    "social_care": "Social care",
    "health": "Health",
    "mental_health": "Mental health",
    "hospital_discharge": "Discharge",
    NO_STREAM: "Level 1",
}
"""Stream names short enough to sit under a bar."""


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} s"


def page_image(pixels: PagePixels) -> QImage:
    """The rendered page as a QImage (its own copy of the pixels)."""
    image = QImage(
        pixels.bgrx, pixels.width, pixels.height, pixels.stride, QImage.Format.Format_RGB32
    )
    return image.copy()


class DashboardController(QObject):
    """Drives :class:`ui.reports.view.DashboardPage`."""

    def __init__(
        self, backend: DeskBackend, user: CurrentUser, clock: Clock, settings: Settings
    ) -> None:
        self.page = DashboardPage(tuple(d.name for d in settings.shifts))
        super().__init__(self.page)
        self.backend = backend
        self.user = user
        self.clock = clock
        self.settings = settings
        self.shown: Dashboard | None = None
        self.refresh_ms: float | None = None
        """How long the last refresh took, from asking to the last bar on screen."""
        self.files: ReportFiles | None = None
        self.preview: PreviewDialog | None = None
        self._stop = threading.Event()
        self._relay = _Relay(self)
        self._relay.moved.connect(self.page.show_progress)
        self._tasks: set[asyncio.Future[Any]] = set()
        self._busy = False
        now = clock()
        last_shift = adjacent_shift(shift_at(now, settings.shifts), -1, settings.shifts)
        self.page.set_shift(last_shift.date, last_shift.name)
        today = now.astimezone(LONDON).date()
        end_of_last_month = today.replace(day=1) - timedelta(days=1)
        self.page.set_period(end_of_last_month.replace(day=1), end_of_last_month)
        self.page.sign_button.setVisible(allowed(user, Action.SIGN_REPORT))
        page = self.page
        page.preview_button.clicked.connect(lambda: self.spawn(self.preview_shift()))
        page.save_pdf_button.clicked.connect(lambda: self.spawn(self.save_shift("pdf")))
        page.save_csv_button.clicked.connect(lambda: self.spawn(self.save_shift("csv")))
        page.sign_button.clicked.connect(lambda: self.spawn(self.sign()))
        page.trends_button.clicked.connect(lambda: self.spawn(self.period_report(trends_files)))
        page.gaps_button.clicked.connect(lambda: self.spawn(self.period_report(gaps_files)))
        page.cancel_requested.connect(self.cancel)

    def spawn(self, job: Coroutine[Any, Any, object]) -> None:
        task = asyncio.ensure_future(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def start(self) -> None:
        self.spawn(self.refresh())

    def stop(self) -> None:
        self._stop.set()
        if self.preview is not None:
            self.preview.reject()

    def refresh_if_shown(self) -> None:
        if self.page.isVisible():
            self.spawn(self.refresh())

    # The shift so far ---------------------------------------------------------------------

    async def refresh(self) -> None:
        """Read the shift so far and the queues, and show them."""
        began = time.perf_counter()
        try:
            seen = await self.backend.run(dashboard, self.user, self.settings, now=self.clock())
        except KnownError as error:
            self.page.updated.setText(f"Not updated: {error}")
            return
        self.show(seen)
        self.refresh_ms = (time.perf_counter() - began) * 1000

    def show(self, seen: Dashboard) -> None:
        """Put ``seen`` on the page (GUI thread; numbers and bars only)."""
        self.shown = seen
        f = seen.figures
        page = self.page
        over = self.clock() >= seen.shift.end_utc
        page.subtitle.setText(f"{seen.shift.title}{'' if over else ', so far'}")
        page.updated.setText(f"updated {seen.read_at.astimezone(LONDON):%H:%M:%S}")
        tiles = page.tiles
        tiles["contacts"].show_value(f"{f.contacts}")
        tiles["data"].show_value(f"{f.data_contacts}")
        tiles["fcr"].show_value(_percent(f.fcr_all.recorded_fraction))
        unknown = f.fcr_all.not_yet_known
        if unknown and not f.fcr_all.sustained:  # a shift in progress: nothing is known yet
            tiles["sustained"].show_value("…", f"known {f.sustained_days} days on")
        else:
            tiles["sustained"].show_value(
                _percent(f.fcr_all.sustained_fraction),
                f"{unknown} not known yet" if unknown else "",
            )
        # A caller who rang off before the answer counts against the service level: say how many.
        abandoned = f"{f.abandoned} rang off unanswered" if f.abandoned else ""
        tiles["service"].show_value(_percent(f.service_level), abandoned)
        tiles["asa"].show_value(_seconds(f.average_speed_of_answer))
        tiles["safeguarding"].show_value(f"{f.safeguarding}")
        tiles["drafts"].show_value(f"{f.drafts_open}")
        page.hours.show(
            [label.replace(":00", "") for label in hour_labels(f.hours)],
            [[hour.contacts for hour in f.hours]],
        )
        page.fcr.show(
            [SHORT_STREAM_WORDS.get(row.stream, row.stream) for row in f.fcr],
            [
                [round((row.recorded_fraction or 0) * 100) for row in f.fcr],
                [round((row.reference or 0) * 100) for row in f.fcr],
            ],
        )
        page.queues.setText(self._queue_words(seen))

    def _queue_words(self, seen: Dashboard) -> str:
        lines = ["<b>Hand-off queues</b>"]
        if seen.queues is None:
            lines.append("Only those who may see the room see the queues.")
        else:
            for queue in seen.queues:
                oldest = ""
                if queue.oldest_since is not None:
                    waited = int((seen.read_at - queue.oldest_since).total_seconds() // 60)
                    oldest = f", oldest {waited} min"
                overdue = (
                    f", <span style='color:#b00020'>{queue.overdue} overdue</span>"
                    if queue.overdue
                    else ""
                )
                lines.append(f"{queue.stream.label}: {queue.waiting} waiting{overdue}{oldest}")
        lines.append(f"<br><b>Drafts left open</b>: {seen.figures.drafts_open}")
        return "<br>".join(lines)

    # Reports ------------------------------------------------------------------------------

    def chosen_shift(self) -> Shift:
        day, name = self.page.chosen_shift()
        return named_shift(day, name, self.settings.shifts)

    async def _run(
        self, make: Callable[[], Coroutine[Any, Any, ReportFiles]], *, long: bool = False
    ) -> ReportFiles | None:
        """Make a report with the buttons off; its problem in words, never a traceback."""
        if self._busy:
            return None
        self._busy = True
        self._stop.clear()
        self.page.show_running(True, cancellable=long)
        self.page.note.setText("Making the report…")
        try:
            files = await make()
        except Cancelled as cancelled:
            self.page.note.setText(str(cancelled))
            return None
        except KnownError as error:
            self.page.note.setText(str(error))
            return None
        finally:
            self._busy = False
            self.page.show_running(False)
        self.files = files
        self.page.note.setText(files.words)
        return files

    async def shift_report(self) -> ReportFiles | None:
        """The chosen shift's report (the signed one when it is signed)."""
        try:
            shift = self.chosen_shift()
        except KnownError as error:
            self.page.note.setText(str(error))
            return None
        return await self._run(
            lambda: self.backend.run(shift_files, self.user, shift, self.settings, now=self.clock())
        )

    async def preview_shift(self) -> None:
        files = await self.shift_report()
        if files is not None:
            await self.show_preview(files, shift=True)

    async def period_report(self, make: Callable[..., ReportFiles]) -> None:
        """Trends or service gaps over the chosen period, with progress and Cancel."""
        first, last = self.page.chosen_period()
        if last < first:
            self.page.note.setText("The period ends before it begins: check From and To.")
            return
        progress = cancellable(self._relay.moved.emit, self._stop)
        files = await self._run(
            lambda: self.backend.run(make, self.user, first, last, progress=progress), long=True
        )
        if files is not None:
            await self.show_preview(files, shift=False)

    def cancel(self) -> None:
        """Esc or Cancel while a long report is made."""
        self._stop.set()
        self.page.note.setText("Cancelling…")

    async def show_preview(self, files: ReportFiles, *, shift: bool) -> None:
        """The report's pages in a dialog, with Save, and Sign for a shift not yet signed."""
        dialog = PreviewDialog(files.title, files.words, self.page)
        dialog.sign_button.setVisible(
            shift and not files.signed and allowed(self.user, Action.SIGN_REPORT)
        )
        dialog.save_pdf_button.clicked.connect(lambda: self.spawn(self.save(files, "pdf")))
        dialog.save_csv_button.clicked.connect(lambda: self.spawn(self.save(files, "csv")))
        dialog.sign_button.clicked.connect(lambda: self.spawn(self._sign_from(dialog)))
        dialog.page_requested.connect(lambda page: self.spawn(self._show_page(dialog, page)))
        self.preview = dialog
        self.spawn(self._show_page(dialog, 0))
        try:
            await run_dialog(dialog)
        finally:
            self.preview = None

    async def _show_page(self, dialog: PreviewDialog, page: int) -> None:
        files = self.files
        if files is None:
            return
        loop = asyncio.get_running_loop()
        try:
            pixels = await loop.run_in_executor(_PAGES, render_page, files.pdf, page)
        except ValueError as error:
            dialog.words.setText(f"The page cannot be shown: {error}")
            return
        dialog.show_page(page_image(pixels), pixels.page, pixels.pages)

    async def _sign_from(self, dialog: PreviewDialog) -> None:
        if await self.sign():
            dialog.accept()

    async def save_shift(self, kind: str) -> None:
        files = await self.shift_report()
        if files is not None:
            await self.save(files, kind)

    async def save_path(self, files: ReportFiles, kind: str) -> Path | None:
        """Where to save (asked of the manager); None when they cancel."""
        return await ask_save_path(
            self.page,
            f"Save the report as {kind.upper()}",
            Path.home() / f"{files.file_stem}.{kind}",
            kind,
            f"{kind.upper()} files",
        )

    async def save(self, files: ReportFiles, kind: str) -> None:
        target = await self.save_path(files, kind)
        if target is None:
            return
        data = files.pdf if kind == "pdf" else files.csv
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(_PAGES, target.write_bytes, data)
        except OSError as error:
            self.page.note.setText(f"Cannot write {target}: {error.strerror}.")
            return
        self.page.note.setText(f"Saved {target}.")

    async def confirm_signing(self, shift: Shift) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Sign the shift report",
            f"Sign the report of {shift.title} as {self.user.display_name}?\n\n"
            "A signed report is locked: running it again gives the report as signed.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.page,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return await run_dialog(box) == QMessageBox.StandardButton.Yes

    async def sign(self) -> bool:
        """Sign the chosen shift's report, once the manager says yes; whether it was signed."""
        try:
            shift = self.chosen_shift()
        except KnownError as error:
            self.page.note.setText(str(error))
            return False
        if not await self.confirm_signing(shift):
            return False
        try:
            signed = await self.backend.run(
                sign_shift_report, self.user, shift, self.settings, now=self.clock()
            )
        except KnownError as error:
            self.page.note.setText(str(error))
            return False
        self.page.note.setText(
            f"Signed {shift.title}. The signed report is locked (PDF SHA-256 "
            f"{signed.pdf_sha256[:16]}…)."
        )
        return True
