"""Leaving the desk and locking it (desks are shared, SPEC 8): Lock now (Ctrl+L) and the idle
lock, Log out (Ctrl+Shift+L), and Quit (Ctrl+Q), which asks first in the middle of a call.

A call on screen is never lost by leaving: its draft is written before the user goes, and it is
offered back at their next log-in. :class:`DeskLeaving` is a base of
:class:`ui.shell.session.DeskSession`, after :class:`ui.shell.desk_practice.DeskPractice`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from ui.kit.dialogs import run_dialog
from ui.shell.desk_practice import DeskPractice
from ui.shell.idle_lock import ask_to_unlock
from ui.shell.login_dialog import LoginDialog

if TYPE_CHECKING:
    from spa_desk.domain import CurrentUser

KEPT_AS_DRAFT = (
    "The call is kept as a draft, exactly as it is now, and offered back to you when you next "
    "log in."
)


class DeskLeaving(DeskPractice):
    """Locking, logging out and quitting (see the module's words)."""

    idle_ms: int
    _leaving: bool

    async def lock(self) -> None:
        """Hide the desk behind a lock until someone logs in; what was on screen comes back.

        The same user carries on exactly where they were; another user takes the desk over
        (:meth:`switch_user`; a call in progress stays with the desk).
        """
        if self.locked or self.user is None or self._leaving:
            return
        self.locked = True
        if self.watcher is not None:
            self.watcher.stop()
        central = self.window.centralWidget()
        assert central is not None
        central.hide()  # nothing personal stays on screen while the desk is unattended
        from ui.governance.menu import remove_governance_menu

        remove_governance_menu(self.window)  # its dialogs are windows of their own
        covered = [
            widget
            for widget in QApplication.topLevelWidgets()
            if widget.isVisible() and widget is not self.window and widget.isWindow()
        ]
        for widget in covered:  # a call's consent or new-person form, say
            widget.hide()
        try:
            user = await ask_to_unlock(
                self.window,
                self.backend.authenticate,
                self.user,
                idle_minutes=max(1, round(self.idle_ms / 60_000)),
                ended=lambda: self.ended,
            )
            if user is None:  # the desk was closed while it was locked
                return
            if user.id != self.user.id:
                reading = self.contact.view if self.contact is not None else None
                await self.switch_user(user)
                covered = [w for w in covered if w.parentWidget() is not reading]
        finally:
            self.locked = False
            if not self.ended:
                central.show()
                for widget in covered:
                    if shiboken6.isValid(widget):
                        widget.show()
                self.enable_calls()
                if self.call is not None and not covered:
                    self.call.refocus()
                if self.watcher is not None:
                    self.watcher.start()

    def lock_now(self) -> None:
        """Ctrl+L: lock the desk now, as the idle lock does."""
        self.spawn(self.lock())

    async def log_out(self) -> None:
        """Ctrl+Shift+L: end this user's session on the desk and ask who logs in next.

        A call on screen is asked about first, then its draft written and put aside. Cancelling
        the log-in closes the desk, as at its start.
        """
        if self.user is None or self.locked or self._leaving:
            return
        self._leaving = True
        try:
            if self.call is not None and not await self.may_leave_call("Log out"):
                return
            if self.watcher is not None:
                self.watcher.stop()
            await self.put_call_aside()
            self.close_home()
            user = await self._ask_who_logs_in()
            if user is None:
                if not self.ended:
                    self.window.close()
                return
            self.begin_work(user)
        finally:
            self._leaving = False

    async def quit_desk(self) -> None:
        """Ctrl+Q: close the desk; in the middle of a call, only after asking (the call's draft
        is kept as the desk closes)."""
        if self._leaving:
            return
        if self.call is not None:
            self._leaving = True
            try:
                if not await self.may_leave_call("Quit"):
                    return
            finally:
                self._leaving = False
        self.window.close()

    async def may_leave_call(self, verb: str) -> bool:
        """Ask before leaving the call on screen; True when the user chose to leave it."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "A call is in progress",
            f"{verb} in the middle of this call? {KEPT_AS_DRAFT}",
            QMessageBox.StandardButton.NoButton,
            self.window,
        )
        box.setObjectName("leaveCall")
        leave = box.addButton(
            f"&{verb}, keeping the call as a draft", QMessageBox.ButtonRole.AcceptRole
        )
        stay = box.addButton("&Stay on the call", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        await run_dialog(box)
        left = box.clickedButton() is leave
        box.deleteLater()
        if not left and self.call is not None:
            self.call.refocus()
        return left

    async def put_call_aside(self) -> None:
        """Write the draft of the call on screen, then take the call off the screen; it waits
        among the user's unfinished calls (or in the desk's journal while the database is out
        of reach)."""
        call = self.call
        if call is None:
            return
        _close_dialogs_of(call.screen)
        await asyncio.sleep(0)  # a dialog's caller hears it close while the screen is still up
        call.stop()
        await call.flush_draft()
        self.call = None
        self.window.remove_page(call.screen)

    async def _ask_who_logs_in(self) -> CurrentUser | None:
        dialog = LoginDialog(self.backend.authenticate, parent=self.window)
        dialog.show_database(self.window.database_label.text())
        reject: Callable[[], None] = dialog.reject
        self.window.closed.connect(reject)  # the desk closing ends the log-in too
        await run_dialog(dialog)
        self.window.closed.disconnect(reject)
        return dialog.user


def _close_dialogs_of(widget: QWidget) -> None:
    """Cancel the dialogs ``widget`` opened (a consent or new-person form), so none waits."""
    for dialog in widget.findChildren(QDialog):
        if dialog.isVisible():
            dialog.reject()
