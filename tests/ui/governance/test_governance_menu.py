"""The Governance menu against a real database: it follows the user's roles, opens its dialogs by
keyboard and closes them when it is taken away; and every control of both dialogs is named and
reached by Tab in order.
"""

from __future__ import annotations

import asyncio

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QWidget
from pytestqt.qtbot import QtBot

from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from tests.factories import add_user
from tests.ui.governance.helpers import NOW, PASSWORD, log_in
from ui.governance.audit_controller import AuditController
from ui.governance.audit_view import AuditView
from ui.governance.menu import (
    GovernanceMenu,
    add_governance_menu,
    governance_menu,
    remove_governance_menu,
)
from ui.governance.users_controller import UserAdminController
from ui.governance.users_view import UserAdminView
from ui.kit.backend import DeskBackend
from ui.shell.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def _menu_titles(window: MainWindow) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def _user(database: Database, username: str, *roles: str) -> CurrentUser:
    add_user(database, username, PASSWORD, roles=roles, display_name=username.title())
    return log_in(database, username, PASSWORD)


def test_the_governance_menu_follows_the_roles(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    backend: DeskBackend,
    window: MainWindow,
) -> None:
    handler = _user(database, "handler", "call_handler")
    trainer = _user(database, "trainer", "trainer")
    manager = _user(database, "manager", "spa_manager")
    admin = _user(database, "admin", "administrator")

    for nobody in (handler, trainer):
        assert add_governance_menu(window, backend, nobody) is None
        assert "&Governance" not in _menu_titles(window)

    menu = add_governance_menu(window, backend, manager)
    assert menu is not None and _menu_titles(window)[-1] == "&Governance"
    assert [a.text() for a in menu.actions()] == ["&Audit log…", "&Rules…"]
    assert menu.users_action is None and menu.audit_action is not None
    assert menu.audit_action.shortcut().toString() == "Ctrl+Shift+A"

    # Administrators manage accounts and, by the role matrix, may read the audit log too.
    menu = add_governance_menu(window, backend, admin)
    assert menu is not None and menu.user is admin
    assert _menu_titles(window).count("&Governance") == 1  # replaced, not added
    assert [a.text() for a in menu.actions()] == ["&Users…", "&Audit log…"]
    assert menu.users_action is not None
    assert menu.users_action.shortcut().toString() == "Ctrl+Shift+U"

    # The handler takes the desk over: the menu goes.
    assert add_governance_menu(window, backend, handler) is None
    assert "&Governance" not in _menu_titles(window)
    assert governance_menu(window) is None


def test_the_menu_opens_the_dialogs_by_keyboard_and_closes_them_when_removed(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    backend: DeskBackend,
    window: MainWindow,
    admin: CurrentUser,
) -> None:
    menu = add_governance_menu(window, backend, admin, clock=lambda: NOW)
    assert isinstance(menu, GovernanceMenu)
    qtbot.keyClick(
        window,
        Qt.Key.Key_U,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: menu.user_dialog is not None, timeout=10_000)
    accounts = menu.user_dialog
    assert accounts is not None
    qtbot.waitUntil(lambda: accounts.model.rowCount() == 1, timeout=10_000)
    assert accounts.isVisible() and accounts.parent() is window
    assert accounts.isModal()  # window-modal: the shift list waits behind it
    qtbot.keyClick(accounts, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: menu.user_dialog is None, timeout=10_000)
    qtbot.waitUntil(lambda: not shiboken6.isValid(accounts))  # closed and deleted

    assert menu.audit_action is not None
    menu.audit_action.trigger()
    qtbot.waitUntil(lambda: menu.audit_dialog is not None, timeout=10_000)
    audit = menu.audit_dialog
    assert audit is not None
    qtbot.waitUntil(lambda: audit.summary_label.text().endswith("newest first."), timeout=10_000)
    assert audit.model.rowCount() == 1  # alex's log-in, found by the search made on opening

    remove_governance_menu(window)  # the desk locks, or someone else takes it over
    qtbot.waitUntil(lambda: menu.audit_dialog is None, timeout=10_000)
    qtbot.waitUntil(lambda: not shiboken6.isValid(audit))
    assert "&Governance" not in _menu_titles(window)


def _tab_chain(dialog: QWidget) -> list[QWidget]:
    """The dialog's widgets in the order Tab visits them."""
    chain = []
    widget = dialog.nextInFocusChain()
    while widget is not None and widget is not dialog:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def test_every_control_is_named_and_reached_by_tab_in_order(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    backend: DeskBackend,
    admin: CurrentUser,
) -> None:
    accounts = UserAdminController(UserAdminView(), backend, admin).view
    audit = AuditController(AuditView(), backend, admin).view
    expected: dict[QDialog, list[QWidget]] = {
        accounts: [
            accounts.table,
            accounts.disable_button,
            accounts.reset_button,
            accounts.refresh_button,
            accounts.password_label,
            accounts.username_edit,
            accounts.name_edit,
            *accounts.role_boxes.values(),
            accounts.add_button,
            accounts.close_button,
        ],
        audit: [
            audit.from_edit,
            audit.to_edit,
            audit.user_edit,
            audit.person_edit,
            audit.search_button,
            audit.table,
            audit.export_button,
            audit.close_button,
        ],
    }
    for dialog, controls in expected.items():
        qtbot.addWidget(dialog)
        chain = _tab_chain(dialog)
        assert [w for w in chain if w in controls] == controls
        for control in controls:
            assert control.accessibleName(), control
            if isinstance(control, QAbstractButton):
                assert "&" in control.text(), control.text()
        dialog.show()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Escape closes
        assert not dialog.isVisible()
