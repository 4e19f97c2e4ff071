"""Replay (SPEC 7): the trainer plays a sample call to trainees, its voices through
QtMultimedia and its transcript appearing line by line in time.

Keys, shown on the buttons: Space plays and pauses, N steps to the next line, + and - change
the speed (0.5x to 4x), Ctrl+F finds a call in the library, Ctrl+R shows the expected decision
and the learning points (hidden at first, so the trainees can think), Esc closes. The voices
are made on a worker thread the first time a call is chosen (espeak-ng, cached); with no
espeak-ng the transcript plays on its own clock, and the window says so.
"""

from __future__ import annotations

import asyncio
import functools
import time
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from spa_desk.training.sample_calls import LIBRARY, SampleCall, read_library
from spa_desk.training.voices import CallAudio, NoVoices, call_audio
from spa_desk.vocabulary import decision_words
from ui.kit.media import Player

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)
_VOICES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spa-desk-voices")
"""Where voices are made: off the GUI thread, one call at a time."""
TICK_MS = 40


def clock_text(seconds: float) -> str:
    """``1:05`` for 65 seconds."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class _TranscriptClock:
    """Where a call without audio has got to: seconds of the call, advancing at the speed."""

    def __init__(self) -> None:
        self.position = 0.0
        self.speed = 1.0
        self._since: float | None = None

    @property
    def playing(self) -> bool:
        return self._since is not None

    def now(self) -> float:
        if self._since is None:
            return self.position
        return self.position + (time.monotonic() - self._since) * self.speed

    def play(self) -> None:
        if self._since is None:
            self._since = time.monotonic()

    def pause(self) -> None:
        self.position = self.now()
        self._since = None

    def seek(self, seconds: float) -> None:
        self.position = seconds
        if self._since is not None:
            self._since = time.monotonic()

    def set_speed(self, speed: float) -> None:
        self.position = self.now()
        if self._since is not None:
            self._since = time.monotonic()
        self.speed = speed


class ReplayDialog(QDialog):
    """The replay window: the library on the left, the call being played on the right.

    In practice mode (a trainee on the training desk) the expected decision is never shown, and
    **Take this call** (Ctrl+Return) asks the desk to open a new call for it (signal ``take``
    with the sample call) and plays it: the trainee works the call as it is heard.
    """

    take = Signal(object)

    def __init__(
        self,
        calls: list[SampleCall],
        library: Path,
        parent: QWidget | None = None,
        *,
        practice: bool = False,
    ) -> None:
        super().__init__(parent)
        self.practice = practice
        self.setObjectName("replayDialog")
        self.setWindowTitle("Replay a sample call — SPA Desk")
        self.calls = calls
        self.library = library
        self.call: SampleCall | None = None
        self.audio: CallAudio | None = None
        self.starts: tuple[float, ...] = ()
        self.shown = 0
        self._clock = _TranscriptClock()
        self._preparing: asyncio.Future[CallAudio] | None = None
        self.play_requested_at: float | None = None
        self.audio_started_after: float | None = None
        """Seconds from Play to the audio moving (for the benchmark and the tests)."""

        self.player = Player(self)  # stopped without the risk of freezing the desk (ui.kit.media)
        self.player.qt.mediaStatusChanged.connect(self._media_status)
        self.player.qt.errorOccurred.connect(self._media_error)

        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Find a sample call (Ctrl+F): words of its title")
        self.find_edit.setAccessibleName("Find a sample call")
        self.find_edit.setClearButtonEnabled(True)
        self.library_list = QListWidget()
        self.library_list.setAccessibleName("Sample calls")
        self.library_list.setWordWrap(True)
        self.library_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.library_list.setSpacing(2)
        for call in calls:
            item = QListWidgetItem(call.title)
            item.setData(Qt.ItemDataRole.UserRole, call.id)
            item.setToolTip(call.id)
            self.library_list.addItem(item)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(f"<b>Library</b> ({len(calls)} sample calls)")
        left_layout.addWidget(heading)
        left_layout.addWidget(self.find_edit)
        left_layout.addWidget(self.library_list, 1)
        self.library_problems = QLabel("")
        self.library_problems.setObjectName("libraryProblems")
        self.library_problems.setWordWrap(True)
        self.library_problems.setStyleSheet("color: #a40000;")
        self.library_problems.hide()
        left_layout.addWidget(self.library_problems)

        self.title_label = QLabel("Choose a sample call, then Play (Space).")
        self.title_label.setObjectName("replayTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.status_label = QLabel("")
        self.status_label.setObjectName("replayStatus")
        self.status_label.setWordWrap(True)
        self.transcript = QListWidget()
        self.transcript.setObjectName("replayTranscript")
        self.transcript.setAccessibleName("Transcript so far")
        self.transcript.setWordWrap(True)
        self.transcript.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.transcript.setStyleSheet("QListWidget { font-size: 12pt; }")
        self.play_button = QPushButton("Play  (Space)")
        self.play_button.setAccessibleName("Play or pause")
        self.next_button = QPushButton("Next line  (N)")
        self.next_button.setAccessibleName("Next line")
        self.speed_box = QComboBox()
        self.speed_box.setAccessibleName("Speed")
        for speed in SPEEDS:
            self.speed_box.addItem(f"{speed:g}x", speed)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_box.setToolTip("Speed: + faster, - slower")
        self.time_label = QLabel("0:00 / 0:00")
        self.time_label.setObjectName("replayTime")
        self.answer_button = QPushButton("Show the expected decision  (Ctrl+R)")
        self.answer_button.setCheckable(True)
        self.answer = QLabel("")
        self.answer.setObjectName("replayAnswer")
        self.answer.setWordWrap(True)
        self.answer.setTextFormat(Qt.TextFormat.RichText)
        self.answer.hide()
        self.take_button = QPushButton("Take this call  (Ctrl+Return)")
        self.take_button.setAccessibleName("Take this call")
        self.take_button.setVisible(practice)
        self.answer_button.setVisible(not practice)
        controls = QHBoxLayout()
        controls.addWidget(self.play_button)
        controls.addWidget(self.next_button)
        controls.addWidget(QLabel("Speed (+/-):"))
        controls.addWidget(self.speed_box)
        controls.addStretch(1)
        controls.addWidget(self.time_label)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.title_label)
        right_layout.addWidget(self.status_label)
        right_layout.addWidget(self.transcript, 1)
        right_layout.addLayout(controls)
        right_layout.addWidget(self.take_button)
        right_layout.addWidget(self.answer_button)
        right_layout.addWidget(self.answer)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([320, 760])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.resize(1120, 680)

        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.find_edit.textChanged.connect(self._filter)
        self.library_list.currentItemChanged.connect(self._chosen)
        self.play_button.clicked.connect(self.toggle)
        self.next_button.clicked.connect(self.next_line)
        self.speed_box.currentIndexChanged.connect(self._speed_changed)
        self.answer_button.toggled.connect(self._show_answer)
        self.take_button.clicked.connect(self._take)
        for key, slot in (
            ("Space", self.toggle),
            ("N", self.next_line),
            ("+", self.faster),
            ("=", self.faster),
            ("-", self.slower),
            ("Ctrl+F", self.find_edit.setFocus),
            ("Ctrl+R", self._toggle_answer),
            ("Ctrl+Return", self._take),
            ("Ctrl+Enter", self._take),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.find_edit.installEventFilter(self)
        self._set_controls(enabled=False)
        if calls:
            self.library_list.setCurrentRow(0)
        self.library_list.setFocus()

    # What the trainer does -------------------------------------------------------------

    def choose(self, call_id: str) -> None:
        """Open the sample call ``call_id`` (as choosing it in the list does)."""
        for row in range(self.library_list.count()):
            item = self.library_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == call_id:
                self.library_list.setCurrentItem(item)
                return
        raise KeyError(call_id)

    def toggle(self) -> None:
        """Play, or pause if playing."""
        if self.call is None or not self.play_button.isEnabled():
            return
        if self.playing:
            self.pause()
        else:
            self.play()

    @property
    def playing(self) -> bool:
        """True while the call plays."""
        if self.audio is not None:
            return self.player.playing
        return self._clock.playing

    def play(self) -> None:
        """Play from where it is (from the start once it has ended)."""
        if self.call is None:
            return
        if self.position() >= self.duration() - 0.05:
            self.seek(0.0)
        self.play_requested_at = time.perf_counter()
        self.audio_started_after = None
        if self.audio is not None:
            self.player.play()
        else:
            self._clock.play()
        self.play_button.setText("Pause  (Space)")
        self.timer.start()

    def pause(self) -> None:
        """Pause where it is."""
        if self.audio is not None:
            self.player.pause()
        else:
            self._clock.pause()
        self.play_button.setText("Play  (Space)")
        self._tick()

    def next_line(self) -> None:
        """Go to the start of the next line not yet shown."""
        if self.call is None or self.shown >= len(self.starts):
            return
        self.seek(self.starts[self.shown])
        self._tick()

    def faster(self) -> None:
        """One speed up (to 4x)."""
        self.speed_box.setCurrentIndex(min(self.speed_box.currentIndex() + 1, len(SPEEDS) - 1))

    def slower(self) -> None:
        """One speed down (to 0.5x)."""
        self.speed_box.setCurrentIndex(max(self.speed_box.currentIndex() - 1, 0))

    @property
    def speed(self) -> float:
        """The speed chosen (1.0 is as spoken)."""
        return float(self.speed_box.currentData())

    def position(self) -> float:
        """Seconds into the call."""
        if self.audio is not None:
            return self.player.position_ms() / 1000
        return self._clock.now()

    def duration(self) -> float:
        """The call's length in seconds."""
        if self.audio is not None:
            return self.audio.duration
        return self.call.duration + 3.0 if self.call is not None else 0.0

    def seek(self, seconds: float) -> None:
        """Move to ``seconds`` into the call; lines after it are taken off the screen."""
        if self.audio is not None:
            self.player.set_position(int(seconds * 1000))
        else:
            self._clock.seek(seconds)
        while self.shown and self.starts[self.shown - 1] > seconds + 0.001:
            self.shown -= 1
            self.transcript.takeItem(self.transcript.count() - 1)

    def lines_shown(self) -> list[str]:
        """The transcript on screen, ``Speaker: text`` a line."""
        return [self.transcript.item(i).text() for i in range(self.transcript.count())]

    async def ready(self) -> None:
        """Wait until the chosen call's voices are made (or known to be missing)."""
        if self._preparing is not None:
            await asyncio.shield(self._preparing)

    # Inside ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Down from the find field goes to the list; Enter there opens the first match."""
        if watched is self.find_edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.library_list.setFocus()
                return True
        return super().eventFilter(watched, event)

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        first_visible = None
        for row in range(self.library_list.count()):
            item = self.library_list.item(row)
            haystack = f"{item.text()} {item.toolTip()}".lower()
            hidden = not all(word in haystack for word in words)
            item.setHidden(hidden)
            if not hidden and first_visible is None:
                first_visible = item
        current = self.library_list.currentItem()
        if first_visible is not None and (current is None or current.isHidden()):
            self.library_list.setCurrentItem(first_visible)

    def _chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is None:
            return
        call_id = item.data(Qt.ItemDataRole.UserRole)
        call = next(c for c in self.calls if c.id == call_id)
        self._stop()
        self.call = call
        self.audio = None
        self.starts = tuple(line.at for line in call.transcript)
        self.title_label.setText(call.title)
        self.answer.setText(_answer_html(call))
        self.status_label.setText("Preparing the voices…")
        self._set_controls(enabled=False)
        self._update_time()
        loop = asyncio.get_event_loop()
        future = loop.run_in_executor(_VOICES, call_audio, call, self.library)
        self._preparing = future
        future.add_done_callback(functools.partial(self._prepared, call))

    def _prepared(self, call: SampleCall, done: asyncio.Future[CallAudio]) -> None:
        if call is not self.call:
            return  # the trainer chose another call meanwhile
        try:
            audio = done.result()
        except NoVoices as problem:
            self.status_label.setText(f"{problem}")
        except OSError as problem:
            self.status_label.setText(f"The voices could not be made: {problem.strerror}.")
        else:
            self.audio = audio
            self.starts = audio.starts
            self.player.set_source(QUrl.fromLocalFile(str(audio.path)))
            self.player.set_rate(self.speed)
            voices = len(call.speakers)
            self.status_label.setText(
                f"{voices} voice{'s' if voices != 1 else ''}, {clock_text(audio.duration)} long."
            )
        self._set_controls(enabled=True)
        self._update_time()

    def _stop(self) -> None:
        self.timer.stop()
        self.player.stop()
        self.player.set_source(QUrl())
        self._clock = _TranscriptClock()
        self._clock.set_speed(self.speed)
        self.transcript.clear()
        self.shown = 0
        self.play_button.setText("Play  (Space)")

    def _set_controls(self, *, enabled: bool) -> None:
        for widget in (self.play_button, self.next_button):
            widget.setEnabled(enabled)

    def _toggle_answer(self) -> None:
        if not self.practice:  # a trainee never sees the answer before the score
            self.answer_button.toggle()

    def _take(self) -> None:
        if self.practice and self.call is not None and self.play_button.isEnabled():
            self.take.emit(self.call)
            if not self.playing:
                self.seek(0.0)
                self.play()

    def _show_answer(self, shown: bool) -> None:
        self.answer.setVisible(shown)
        verb = "Hide" if shown else "Show"
        self.answer_button.setText(f"{verb} the expected decision  (Ctrl+R)")

    def _speed_changed(self, _index: int) -> None:
        self.player.set_rate(self.speed)
        self._clock.set_speed(self.speed)

    def _media_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self._tick()
            self._finished()

    def _media_error(self, _error: QMediaPlayer.Error, words: str) -> None:
        self.status_label.setText(f"The audio cannot be played ({words}): the transcript plays.")
        at = self.position()
        self.audio = None
        self._clock.seek(at)

    def _finished(self) -> None:
        self.timer.stop()
        self.play_button.setText("Play  (Space)")
        self.status_label.setText("The call has ended. Play (Space) starts it again.")

    def _tick(self) -> None:
        if self.call is None:
            return
        now = self.position()
        if (
            self.play_requested_at is not None
            and self.audio_started_after is None
            and now > 0
            and self.playing
        ):
            self.audio_started_after = time.perf_counter() - self.play_requested_at
        while self.shown < len(self.starts) and self.starts[self.shown] <= now + 0.001:
            line = self.call.transcript[self.shown]
            item = QListWidgetItem(f"{line.speaker}: {line.text}")
            item.setToolTip(f"{clock_text(self.starts[self.shown])}")
            self.transcript.addItem(item)
            self.transcript.setCurrentItem(item)
            self.transcript.scrollToItem(item)
            self.shown += 1
        self._update_time()
        if self.audio is None and self._clock.playing and now >= self.duration():
            self._clock.pause()
            self._finished()

    def _update_time(self) -> None:
        self.time_label.setText(f"{clock_text(self.position())} / {clock_text(self.duration())}")

    def closeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        """Stop the sound when the window closes."""
        self._stop()
        super().closeEvent(event)  # type: ignore[arg-type]


def _answer_html(call: SampleCall) -> str:
    expected = call.expected
    routes = (
        ", ".join(
            f"{escape(decision_words(r.route))}" + (f" ({escape(r.urgency)})" if r.urgency else "")
            for r in expected.routes
        )
        or "none"
    )
    stream = escape(decision_words(expected.stream)) if expected.stream else "none"
    points = "".join(f"<li>{escape(point)}</li>" for point in call.learning_points)
    resolvable = "yes" if expected.resolvable_at_first_contact else "no"
    return (
        f"<p><b>Level 1:</b> {escape(decision_words(expected.level1))} &nbsp; "
        f"<b>Stream:</b> {stream} &nbsp; <b>Routes:</b> {routes} &nbsp; "
        f"<b>Resolvable at first contact:</b> {resolvable}</p>"
        f"<p><b>Learning points</b></p><ul>{points}</ul>"
    )


def open_replay(
    parent: QWidget, library: Path = LIBRARY, *, practice: bool = False
) -> ReplayDialog:
    """Show the replay window over ``parent`` (the one already open, if there is one); in
    practice mode for a trainee."""
    dialog = parent.findChild(ReplayDialog)
    if dialog is None:
        calls, problems = read_library(library)
        dialog = ReplayDialog(calls, library, parent, practice=practice)
        dialog.setWindowFlag(Qt.WindowType.Window, True)
        if problems:
            dialog.library_problems.show()
            dialog.library_problems.setText(
                f"{len(problems)} file{'s' if len(problems) != 1 else ''} of the library could "
                f"not be read and {'are' if len(problems) != 1 else 'is'} left out: "
                + "; ".join(problems[:3])
            )
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
