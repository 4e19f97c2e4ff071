"""A media player the desk can stop without freezing for good.

Qt's FFmpeg media back end plays on threads of its own. When a playback is stopped, or its
source changed, its audio renderer is deleted on its own thread, and that deletion disconnects
it from the objects made in Python (the ``QAudioOutput``, the player): PySide then takes
Python's global lock (the GIL) to look for a Python override of a virtual method, while Qt's
lock on those connections is held. If the GUI thread called ``stop()`` from Python, it holds
the GIL and waits for that same Qt lock: each thread waits for the other, for ever, and the
desk is frozen. Seen here one
stop in a few dozen while a call played (gdb: ``QObject::~QObject`` -> ``Sbk_GetPyOverride``
-> ``take_gil`` on the renderer's thread, ``QObject::disconnect`` -> ``QBasicMutex::lockInternal``
on the GUI thread).

So :class:`Player` never calls the player's controls from Python: each one is posted to the
player and run by Qt's event loop, which holds no GIL while it runs C++. Until Qt has run them,
the player answers with what it was last asked (playing, paused or stopped, and the position),
so that a screen that asks right after "play" is told "playing".
"""

from __future__ import annotations

from PySide6.QtCore import Q_ARG, QMetaObject, QObject, Qt, QUrl, Slot
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

_LATER = Qt.ConnectionType.QueuedConnection
PlaybackState = QMediaPlayer.PlaybackState


class Player(QObject):
    """A ``QMediaPlayer`` with an audio output, its controls run by Qt's event loop (see above).

    Its signals are the player's own: ``player.qt.mediaStatusChanged`` and the rest.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.qt = QMediaPlayer(self)
        self.output = QAudioOutput(self)
        self.qt.setAudioOutput(self.output)
        self._waiting = 0
        self._state: PlaybackState | None = None
        self._position_ms: int | None = None

    def play(self) -> None:
        self._state = PlaybackState.PlayingState
        self._ask("play")

    def pause(self) -> None:
        self._state = PlaybackState.PausedState
        self._ask("pause")

    def stop(self) -> None:
        self._state, self._position_ms = PlaybackState.StoppedState, 0
        self._ask("stop")

    def set_source(self, source: QUrl) -> None:
        """Play ``source`` from now on (an empty QUrl: nothing), stopped at its start."""
        self._state, self._position_ms = PlaybackState.StoppedState, 0
        self._ask("setSource", Q_ARG(QUrl, source))

    def set_position(self, milliseconds: int) -> None:
        self._position_ms = milliseconds
        self._ask("setPosition", Q_ARG("qint64", milliseconds))

    def set_rate(self, rate: float) -> None:
        self._ask("setPlaybackRate", Q_ARG(float, rate))

    def state(self) -> PlaybackState:
        """Playing, paused or stopped: as asked, until Qt has done what it was asked."""
        return self._state if self._state is not None else self.qt.playbackState()

    @property
    def playing(self) -> bool:
        return self.state() == PlaybackState.PlayingState

    def position_ms(self) -> int:
        """Where the playback is: as asked, until Qt has done what it was asked."""
        return self._position_ms if self._position_ms is not None else self.qt.position()

    def _ask(self, control: str, *arguments: object) -> None:
        self._waiting += 1
        QMetaObject.invokeMethod(self.qt, control, _LATER, *arguments)  # type: ignore[call-overload]
        QMetaObject.invokeMethod(self, "_done", _LATER)  # after it: posted events keep their order

    @Slot()
    def _done(self) -> None:
        self._waiting -= 1
        if self._waiting == 0:
            self._state = self._position_ms = None
