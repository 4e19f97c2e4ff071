"""The idle lock (desks are shared, SPEC 8): noticing that nobody has used the desk for a while,
and the log-in that unlocks it.

Signals:
    idle: nobody has used the desk for the whole interval.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from ui.kit.dialogs import run_dialog
from ui.shell.login_dialog import Authenticate, LoginDialog
from ui.shell.main_window import MainWindow

if TYPE_CHECKING:
    from spa_desk.domain import CurrentUser

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleWatcher(QObject):
    """Emits ``idle`` after ``interval_ms`` without input anywhere in the application.

    Signals:
        idle: the interval passed with no key press, click, mouse move, wheel or touch.
    """

    idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def start(self) -> None:
        """Start (or restart) counting idle time."""
        self._timer.start()

    def stop(self) -> None:
        """Stop watching, for example while the desk is already locked."""
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False


async def ask_to_unlock(
    window: MainWindow,
    authenticate: Authenticate,
    locked_for: CurrentUser,
    *,
    idle_minutes: int,
    ended: Callable[[], bool],
) -> CurrentUser | None:
    """Keep the lock dialog up until someone logs in; who did (None when the desk closed)."""
    while not ended():
        dialog = LoginDialog(
            authenticate, parent=window, locked_for=locked_for, idle_minutes=idle_minutes
        )
        dialog.show_database(window.database_label.text())
        window.closed.connect(dialog.reject)  # the desk closing ends the lock too
        await run_dialog(dialog)
        if dialog.user is not None:
            return dialog.user
    return None
