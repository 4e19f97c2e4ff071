"""The Governance menu: user accounts and the audit log, for the roles that may use them.

:func:`add_governance_menu` gives the logged-in user the menu their roles allow (none for most
staff); :func:`remove_governance_menu` takes it away again, closing any governance dialog still
open, for when the desk locks or someone else takes it over. The dialogs and the permission
matrix load only when needed, so importing this module stays cheap for the desk's start-up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QWidget

from spa_desk.local_time import Clock, utc_clock
from ui.kit.dialogs import run_dialog

if TYPE_CHECKING:
    from spa_desk.domain import CurrentUser
    from ui.governance.audit_view import AuditView
    from ui.governance.users_view import UserAdminView
    from ui.kit.backend import DeskBackend
    from ui.rules.view import RulesView

MENU_OBJECT_NAME = "governanceMenu"


class GovernanceMenu(QMenu):
    """The "Governance" menu of one logged-in user; ``users_action`` and ``audit_action`` are
    None when their roles do not allow them. It keeps track of the dialogs it opened (each a
    view, driven by the controller made with it).
    """

    def __init__(
        self,
        window: QMainWindow,
        backend: DeskBackend,
        user: CurrentUser,
        *,
        manage_users: bool,
        view_audit: bool,
        manage_rules: bool = False,
        clock: Clock = utc_clock,
    ) -> None:
        super().__init__("&Governance", window)
        self.setObjectName(MENU_OBJECT_NAME)
        self._window = window
        self._backend = backend
        self.user = user
        self._clock = clock
        self.user_dialog: UserAdminView | None = None
        self.audit_dialog: AuditView | None = None
        self.rules_dialog: RulesView | None = None
        self._tasks: set[asyncio.Future[None]] = set()
        self.users_action = (
            self._add("&Users…", "Ctrl+Shift+U", self.open_users) if manage_users else None
        )
        self.audit_action = (
            self._add("&Audit log…", "Ctrl+Shift+A", self.open_audit) if view_audit else None
        )
        self.rules_action = (
            self._add("&Rules…", "Ctrl+Shift+R", self.open_rules) if manage_rules else None
        )

    def _add(
        self, text: str, shortcut: str, opener: Callable[[], Coroutine[Any, Any, None]]
    ) -> QAction:
        action = self.addAction(text)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda: self._start(opener()))
        return action

    def _start(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def open_users(self) -> None:
        """Open the user accounts (or bring them to the front) and wait until they close."""
        if self.user_dialog is not None:
            _bring_forward(self.user_dialog)
            return
        from ui.governance.users_controller import UserAdminController
        from ui.governance.users_view import UserAdminView

        dialog = UserAdminView(parent=self._window)
        controller = UserAdminController(dialog, self._backend, self.user, clock=self._clock)
        self.user_dialog = dialog
        try:
            await _run_loaded(dialog, controller.refresh)
        finally:
            self.user_dialog = None

    async def open_audit(self) -> None:
        """Open the audit log with the last week's entries and wait until it closes."""
        if self.audit_dialog is not None:
            _bring_forward(self.audit_dialog)
            return
        from ui.governance.audit_controller import AuditController
        from ui.governance.audit_view import AuditView

        dialog = AuditView(parent=self._window)
        controller = AuditController(dialog, self._backend, self.user, clock=self._clock)
        self.audit_dialog = dialog
        try:
            await _run_loaded(dialog, controller.search)
        finally:
            self.audit_dialog = None

    async def open_rules(self) -> None:
        """Open the Rules screen (SPA managers) and wait until it closes."""
        if self.rules_dialog is not None:
            _bring_forward(self.rules_dialog)
            return
        from ui.rules.controller import RulesController
        from ui.rules.view import RulesView

        dialog = RulesView(parent=self._window)
        controller = RulesController(dialog, self._backend, self.user, clock=self._clock)
        self.rules_dialog = dialog
        try:
            await _run_loaded(dialog, controller.refresh)
        finally:
            self.rules_dialog = None

    def close_dialogs(self) -> None:
        """Close the governance dialogs still open (a one-time password on show goes too)."""
        for dialog in (self.user_dialog, self.audit_dialog, self.rules_dialog):
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.reject()


def _bring_forward(dialog: QWidget) -> None:
    dialog.raise_()
    dialog.activateWindow()


async def _run_loaded(dialog: QDialog, load: Callable[[], Coroutine[Any, Any, object]]) -> None:
    """Open ``dialog``, fill it while it shows, and wait until it is closed; then delete it."""
    finished = asyncio.ensure_future(run_dialog(dialog))
    try:
        await load()
        await finished
    finally:
        if shiboken6.isValid(dialog):  # not when the window went first and took it along
            if not finished.done():
                dialog.reject()
            dialog.deleteLater()


def governance_menu(window: QMainWindow) -> GovernanceMenu | None:
    """The Governance menu on ``window``, if it has one."""
    for menu in window.findChildren(QMenu):
        if isinstance(menu, GovernanceMenu):
            return menu
    return None


def remove_governance_menu(window: QMainWindow) -> None:
    """Take the Governance menu off ``window`` and close its dialogs (no-op without one)."""
    menu = governance_menu(window)
    if menu is None:
        return
    menu.close_dialogs()
    window.menuBar().removeAction(menu.menuAction())
    menu.setParent(None)
    menu.deleteLater()


def add_governance_menu(
    window: QMainWindow, backend: DeskBackend, user: CurrentUser, *, clock: Clock = utc_clock
) -> GovernanceMenu | None:
    """Give ``user`` the Governance menu their roles allow, in place of anyone else's.

    "Users…" (Ctrl+Shift+U) needs MANAGE_USERS, "Audit log…" (Ctrl+Shift+A) VIEW_AUDIT and
    "Rules…" (Ctrl+Shift+R) MANAGE_RULES; with none of them there is no menu (None).
    ``clock`` sets "today" for the audit log.
    """
    from spa_desk.permissions import Action, allowed

    remove_governance_menu(window)
    manage_users = allowed(user, Action.MANAGE_USERS)
    view_audit = allowed(user, Action.VIEW_AUDIT)
    manage_rules = allowed(user, Action.MANAGE_RULES)
    if not (manage_users or view_audit or manage_rules):
        return None
    menu = GovernanceMenu(
        window,
        backend,
        user,
        manage_users=manage_users,
        view_audit=view_audit,
        manage_rules=manage_rules,
        clock=clock,
    )
    window.menuBar().addMenu(menu)
    return menu
