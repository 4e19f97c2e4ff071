"""The governance screens against a real database: user accounts for administrators, the audit log
for those who may read it, and the Governance menu that opens them as the user's roles allow.
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Coroutine, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import User
from spa_desk.access.login import authenticate
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import LoginFailed
from spa_desk.governance.export import EXPORT_COLUMNS
from spa_desk.people.consent import ConsentGiven
from spa_desk.people.records import open_person
from spa_desk.vocabulary import ConsentBasis, Role
from tests.factories import add_person, add_user
from ui.governance.audit_dialog import AuditDialog
from ui.governance.menu import (
    GovernanceMenu,
    add_governance_menu,
    governance_menu,
    remove_governance_menu,
)
from ui.governance.users_dialog import UserAdminDialog
from ui.kit.backend import DeskBackend
from ui.shell.main_window import MainWindow

T = TypeVar("T")

# 09:30 UTC on Friday 10 July 2026 is 10:30 in London (British Summer Time).
NOW = datetime(2026, 7, 10, 9, 30, tzinfo=UTC)
ADMIN_PASSWORD = "admin password 1"
PASSWORD = "handler password"


@pytest.fixture
def backend(database: Database) -> Iterator[DeskBackend]:
    desk_backend = DeskBackend(database.url)
    yield desk_backend
    desk_backend.close()


def _log_in(database: Database, username: str, password: str, at: datetime = NOW) -> CurrentUser:
    return authenticate(database, username, password, now=at)


@pytest.fixture
def admin(database: Database) -> CurrentUser:
    add_user(database, "alex", ADMIN_PASSWORD, roles=("administrator",), display_name="Alex Mbeki")
    return _log_in(database, "alex", ADMIN_PASSWORD)


def _run(qtbot: QtBot, work: Coroutine[Any, Any, T]) -> T:
    """Run ``work`` on the qasync loop while Qt spins; its result."""
    task = asyncio.ensure_future(work)
    qtbot.waitUntil(task.done, timeout=10_000)
    return task.result()


def _open_user_admin(qtbot: QtBot, backend: DeskBackend, user: CurrentUser) -> UserAdminDialog:
    dialog = UserAdminDialog(backend, user)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    assert _run(qtbot, dialog.refresh())
    return dialog


def _column(dialog: UserAdminDialog | AuditDialog, column: int) -> list[str]:
    model = dialog.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def _row_of(dialog: UserAdminDialog, username: str) -> list[str]:
    row = dialog.model.row_of(username)
    assert row is not None, f"{username} is not listed"
    return [dialog.model.data(dialog.model.index(row, c)) for c in range(5)]


def _stored_user(database: Database, username: str) -> User | None:
    with database.sessions() as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is not None:
            session.expunge(user)
            _ = [role.role for role in user.roles]
        return user


def _answer(answer: bool, asked: list[str]) -> Any:
    async def confirm(title: str, question: str) -> bool:
        asked.append(f"{title}: {question}")
        return answer

    return confirm


# User accounts --------------------------------------------------------------------------------


def test_admin_adds_a_user_with_two_roles_and_their_one_time_password_logs_in(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    backend: DeskBackend,
    admin: CurrentUser,
) -> None:
    dialog = _open_user_admin(qtbot, backend, admin)
    assert _column(dialog, 0) == ["alex"]
    assert dialog.count_label.text() == "1 account, 1 active"

    qtbot.keyClicks(dialog.username_edit, "jo.bloggs")
    qtbot.keyClicks(dialog.name_edit, "Jo Bloggs")
    qtbot.mouseClick(dialog.role_boxes[Role.PRACTITIONER], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.role_boxes[Role.TRAINER], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.row_of("jo.bloggs") is not None, timeout=10_000)
    qtbot.waitUntil(lambda: dialog.password_label.text() != "", timeout=10_000)

    assert _row_of(dialog, "jo.bloggs") == [
        "jo.bloggs",
        "Jo Bloggs",
        "Practitioner, Trainer",
        "Yes",
        "No",
    ]
    selected = dialog.selected_account()
    assert selected is not None and selected.username == "jo.bloggs"
    assert dialog.note_label.text() == "Added jo.bloggs (Jo Bloggs) as Practitioner, Trainer."
    assert not dialog.error_label.isVisible()
    assert dialog.password_frame.isVisible()
    assert "jo.bloggs (Jo Bloggs)" in dialog.password_heading.text()
    flags = dialog.password_label.textInteractionFlags()
    assert flags & Qt.TextInteractionFlag.TextSelectableByMouse
    assert flags & Qt.TextInteractionFlag.TextSelectableByKeyboard
    # The form is empty again for the next user.
    assert dialog.username_edit.text() == dialog.name_edit.text() == ""
    assert dialog.chosen_roles() == ()

    stored = _stored_user(database, "jo.bloggs")
    assert stored is not None and stored.display_name == "Jo Bloggs" and stored.active
    assert sorted(role.role for role in stored.roles) == ["practitioner", "trainer"]
    shown = dialog.password_label.text()
    assert shown not in stored.password_hash
    jo = authenticate(database, "jo.bloggs", shown)
    assert jo.roles == (Role.PRACTITIONER, Role.TRAINER)

    # Shown once: the next action forgets it.
    qtbot.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.password_frame.isVisible())
    assert dialog.password_label.text() == ""


def test_a_bad_user_name_is_named_and_what_was_typed_stays(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    backend: DeskBackend,
    admin: CurrentUser,
) -> None:
    dialog = _open_user_admin(qtbot, backend, admin)
    qtbot.keyClicks(dialog.username_edit, "Jo Bloggs!")
    qtbot.keyClicks(dialog.name_edit, "Jo Bloggs")
    dialog.role_boxes[Role.CALL_HANDLER].setChecked(True)
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)  # Enter in the form adds

    qtbot.waitUntil(dialog.error_label.isVisible, timeout=10_000)
    assert dialog.error_label.text().startswith("User name: 'Jo Bloggs!' must be 2-32 characters")
    assert "b00020" in dialog.error_label.styleSheet()  # red
    assert "Traceback" not in dialog.error_label.text()
    assert dialog.focusWidget() is dialog.username_edit
    assert dialog.username_edit.text() == "Jo Bloggs!"
    assert dialog.name_edit.text() == "Jo Bloggs"
    assert dialog.chosen_roles() == (Role.CALL_HANDLER,)
    assert not dialog.password_frame.isVisible()
    assert _column(dialog, 0) == ["alex"]
    assert _stored_user(database, "Jo Bloggs!") is None

    # A taken name and a missing role are named too; fixing them adds the user.
    dialog.username_edit.setText("alex")
    _run(qtbot, dialog.add_user())
    assert dialog.error_label.text() == "User name: 'alex' is already taken"
    dialog.username_edit.setText("jo.bloggs")
    dialog.role_boxes[Role.CALL_HANDLER].setChecked(False)
    _run(qtbot, dialog.add_user())
    assert dialog.error_label.text() == "Roles: give the user at least one role"
    assert dialog.focusWidget() is dialog.role_boxes[Role.CALL_HANDLER]
    dialog.role_boxes[Role.CALL_HANDLER].setChecked(True)
    added = _run(qtbot, dialog.add_user())
    assert added is not None and added.roles == (Role.CALL_HANDLER,)
    assert not dialog.error_label.isVisible()
    assert _column(dialog, 0) == ["alex", "jo.bloggs"]


def test_admin_disables_a_user_after_saying_yes(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    backend: DeskBackend,
    admin: CurrentUser,
) -> None:
    add_user(database, "sam", PASSWORD, display_name="Sam Okafor")
    dialog = _open_user_admin(qtbot, backend, admin)
    asked: list[str] = []
    assert not dialog.disable_button.isEnabled()  # nothing selected yet

    dialog.confirm = _answer(False, asked)
    assert dialog.select_user("sam")
    assert dialog.disable_button.isEnabled()
    assert _run(qtbot, dialog.disable_selected()) is None
    assert asked == [
        "Disable user: Disable sam (Sam Okafor)?\n\n"
        "They will no longer be able to log in. Their history stays."
    ]
    stored = _stored_user(database, "sam")
    assert stored is not None and stored.active

    dialog.confirm = _answer(True, asked)
    qtbot.mouseClick(dialog.disable_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _row_of(dialog, "sam")[3] == "No (disabled)", timeout=10_000)
    assert dialog.note_label.text() == "Disabled sam: they can no longer log in."
    assert dialog.count_label.text() == "2 accounts, 1 active"
    assert not dialog.disable_button.isEnabled()  # sam is still selected, and disabled
    stored = _stored_user(database, "sam")
    assert stored is not None and not stored.active
    with pytest.raises(LoginFailed, match="disabled"):
        authenticate(database, "sam", PASSWORD)

    # The service's refusals show in words: an administrator cannot disable themself.
    assert dialog.select_user("alex")
    assert _run(qtbot, dialog.disable_selected()) is None
    assert dialog.error_label.text() == "You cannot disable your own account."
    assert _row_of(dialog, "alex")[3] == "Yes"


def test_admin_resets_a_password_and_the_one_time_password_logs_in(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    backend: DeskBackend,
    admin: CurrentUser,
) -> None:
    add_user(database, "sam", PASSWORD, display_name="Sam Okafor")
    for _ in range(5):  # five wrong passwords lock the account
        with pytest.raises(LoginFailed):
            authenticate(database, "sam", "wrong")
    dialog = _open_user_admin(qtbot, backend, admin)
    assert _row_of(dialog, "sam")[4].startswith("Until ")
    asked: list[str] = []
    dialog.confirm = _answer(True, asked)
    assert dialog.select_user("sam")
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.password_label.text() != "", timeout=10_000)

    assert asked and asked[0].startswith("Reset password: Give sam (Sam Okafor) a new one-time")
    assert dialog.note_label.text() == "Reset the password of sam."
    assert _row_of(dialog, "sam")[4] == "No"  # the lock is lifted
    new_password = dialog.password_label.text()
    assert len(new_password) >= 10
    assert authenticate(database, "sam", new_password).username == "sam"
    with pytest.raises(LoginFailed):
        authenticate(database, "sam", PASSWORD)
    dialog.reject()  # closing forgets the password on show
    assert dialog.password_label.text() == ""


def test_someone_who_may_not_manage_users_is_told_in_words(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, database: Database, backend: DeskBackend
) -> None:
    add_user(database, "morgan", PASSWORD, roles=("spa_manager",), display_name="Morgan Achebe")
    manager = _log_in(database, "morgan", PASSWORD)
    dialog = UserAdminDialog(backend, manager)
    qtbot.addWidget(dialog)
    assert not _run(qtbot, dialog.refresh())
    assert dialog.error_label.text().startswith(
        "Morgan Achebe (SPA manager) may not manage user accounts."
    )
    assert dialog.model.rowCount() == 0


# The audit log --------------------------------------------------------------------------------


@pytest.fixture
def manager(database: Database) -> CurrentUser:
    """An SPA manager, with log-ins of two handlers over the last fortnight in the audit log."""
    add_user(database, "morgan", PASSWORD, roles=("spa_manager",), display_name="Morgan Achebe")
    add_user(database, "sam", PASSWORD, display_name="Sam Okafor")
    add_user(database, "kim", PASSWORD, display_name="Kim Haddad")
    _log_in(database, "sam", PASSWORD, NOW - timedelta(days=10))  # before the last 7 days
    _log_in(database, "sam", PASSWORD, NOW - timedelta(days=2))
    with pytest.raises(LoginFailed):
        _log_in(database, "kim", "wrong", NOW - timedelta(days=1))
    _log_in(database, "kim", PASSWORD, NOW - timedelta(days=1, minutes=-1))
    return _log_in(database, "morgan", PASSWORD, NOW)


def _open_audit(qtbot: QtBot, backend: DeskBackend, user: CurrentUser) -> AuditDialog:
    dialog = AuditDialog(backend, user, clock=lambda: NOW)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def _shown(dialog: AuditDialog) -> list[tuple[str, str]]:
    """The rows shown as (user, action)."""
    return list(zip(_column(dialog, 1), _column(dialog, 2), strict=True))


def _search(qtbot: QtBot, dialog: AuditDialog) -> list[tuple[str, str]]:
    """Search with the filters as they stand; the rows shown as (user, action)."""
    _run(qtbot, dialog.search())
    return _shown(dialog)


def test_manager_searches_the_audit_log_by_period_and_user(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    backend: DeskBackend,
    manager: CurrentUser,
) -> None:
    dialog = _open_audit(qtbot, backend, manager)
    # The last 7 local days by default, today included.
    assert dialog.filters().first == date(2026, 7, 4)
    assert dialog.filters().last == date(2026, 7, 10)

    assert _search(qtbot, dialog) == [
        ("morgan", "Logged in"),
        ("kim", "Logged in"),
        ("kim", "Log-in failed"),
        ("sam", "Logged in"),
    ]
    assert dialog.summary_label.text() == "4 entries, newest first."
    # Times in London: 09:30 UTC is 10:30 BST.
    assert dialog.model.data(dialog.model.index(0, 0)) == "Fri 10 Jul 2026 10:30:00"
    assert dialog.model.data(dialog.model.index(2, 4)) == "failures: 1 · reason: wrong password"

    qtbot.keyClicks(dialog.user_edit, "sam")
    qtbot.keyClick(dialog.user_edit, Qt.Key.Key_Return)  # Enter searches
    qtbot.waitUntil(lambda: _shown(dialog) == [("sam", "Logged in")], timeout=10_000)
    assert dialog.summary_label.text() == "1 entry, newest first."
    assert dialog.model.data(dialog.model.index(0, 0)) == "Wed 08 Jul 2026 10:30:00"
    dialog.from_edit.setDate(dialog.from_edit.date().addDays(-7))
    assert _search(qtbot, dialog) == [("sam", "Logged in"), ("sam", "Logged in")]
    assert dialog.model.data(dialog.model.index(1, 0)) == "Tue 30 Jun 2026 10:30:00"

    # Yesterday only, everyone: kim's failure and log-in.
    dialog.user_edit.clear()
    dialog.from_edit.setDate(dialog.to_edit.date().addDays(-1))
    dialog.to_edit.setDate(dialog.to_edit.date().addDays(-1))
    assert _search(qtbot, dialog) == [("kim", "Logged in"), ("kim", "Log-in failed")]


def test_a_search_that_cannot_run_says_why_and_keeps_the_filters(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    backend: DeskBackend,
    manager: CurrentUser,
) -> None:
    dialog = _open_audit(qtbot, backend, manager)
    assert len(_search(qtbot, dialog)) == 4
    qtbot.keyClicks(dialog.user_edit, "nobody")
    assert _search(qtbot, dialog) == [
        ("morgan", "Logged in"),
        ("kim", "Logged in"),
        ("kim", "Log-in failed"),
        ("sam", "Logged in"),
    ]  # the last result stays
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == "User: there is no user named 'nobody'"
    assert dialog.user_edit.text() == "nobody"

    dialog.user_edit.clear()
    qtbot.keyClicks(dialog.person_edit, "9990000026")
    _search(qtbot, dialog)
    assert dialog.error_label.text().startswith("Person id: '9990000026' is not a person id")
    assert dialog.person_edit.text() == "9990000026"

    dialog.person_edit.clear()
    dialog.to_edit.setDate(dialog.from_edit.date().addDays(-1))
    _search(qtbot, dialog)
    assert dialog.error_label.text() == "To: 03 Jul 2026 is before the first day, 04 Jul 2026"


def test_manager_searches_by_person_and_sees_who_opened_the_record(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    backend: DeskBackend,
    manager: CurrentUser,
) -> None:
    person_id = add_person(database)
    other_id = add_person(database, nhs_number="9990000034")
    sam = _log_in(database, "sam", PASSWORD, NOW - timedelta(hours=3))
    consent = ConsentGiven(basis=ConsentBasis.GIVEN_BY_PERSON, purpose="caller asks for help")
    open_person(database, sam, person_id, consent, now=NOW - timedelta(hours=2))
    open_person(database, sam, other_id, consent, now=NOW - timedelta(hours=1))

    dialog = _open_audit(qtbot, backend, manager)
    qtbot.keyClicks(dialog.person_edit, f"  {person_id}  ")
    assert _search(qtbot, dialog) == [("sam", "Record opened")]
    assert dialog.model.data(dialog.model.index(0, 3)) == f"Person {person_id}"
    assert dialog.model.data(dialog.model.index(0, 4)) == "basis: given_by_person"
    assert "9990000026" not in " ".join(_column(dialog, 4))


def test_export_writes_a_csv_with_a_header_and_the_matching_rows(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    backend: DeskBackend,
    manager: CurrentUser,
    tmp_path: Path,
) -> None:
    dialog = _open_audit(qtbot, backend, manager)
    suggested: list[str] = []
    target = tmp_path / "exports" / "sam.csv"
    target.parent.mkdir()

    async def choose(name: str) -> Path:
        suggested.append(name)
        return target

    dialog.choose_export_path = choose
    qtbot.keyClicks(dialog.user_edit, "sam")
    dialog.from_edit.setDate(dialog.from_edit.date().addDays(-7))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.note_label.isVisible, timeout=10_000)

    assert suggested == ["audit-2026-06-27-to-2026-07-10.csv"]
    assert dialog.note_label.text() == f"Exported 2 entries to {target}."
    with target.open(encoding="utf-8", newline="") as exported:
        reader = csv.DictReader(exported)
        assert tuple(reader.fieldnames or ()) == EXPORT_COLUMNS
        rows = list(reader)
    assert [(row["username"], row["action"]) for row in rows] == [
        ("sam", "login_succeeded"),
        ("sam", "login_succeeded"),
    ]
    assert [row["occurred_at"] for row in rows] == ["2026-06-30T09:30:00Z", "2026-07-08T09:30:00Z"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["sam.csv"]  # no .part left

    # A place that cannot be written is explained; cancelling writes nothing.
    async def unwritable(name: str) -> Path:
        return tmp_path / "missing-folder" / "audit.csv"

    dialog.choose_export_path = unwritable
    assert _run(qtbot, dialog.export()) is None
    assert dialog.error_label.text().startswith(f"Cannot write {tmp_path / 'missing-folder'}")

    async def cancel(name: str) -> None:
        return None

    dialog.choose_export_path = cancel
    assert _run(qtbot, dialog.export()) is None
    assert not dialog.error_label.isVisible() and not dialog.note_label.isVisible()


def test_the_audit_log_refuses_roles_that_may_not_read_it(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, database: Database, backend: DeskBackend
) -> None:
    add_user(database, "sam", PASSWORD, display_name="Sam Okafor")
    handler = _log_in(database, "sam", PASSWORD)
    dialog = _open_audit(qtbot, backend, handler)
    assert _run(qtbot, dialog.search()) is None
    assert dialog.error_label.text().startswith("Sam Okafor (Call handler) may not read the audit")
    assert dialog.model.rowCount() == 0


def test_the_table_models_follow_qts_rules(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    backend: DeskBackend,
    admin: CurrentUser,
) -> None:
    add_user(database, "sam", PASSWORD, display_name="Sam Okafor", active=False)
    accounts = _open_user_admin(qtbot, backend, admin)
    assert accounts.model.rowCount() == 2
    ModelTester(None).check(accounts.model)
    audit = _open_audit(qtbot, backend, admin)  # administrators may read the audit log
    assert _run(qtbot, audit.search())
    assert audit.model.rowCount() == 1
    ModelTester(None).check(audit.model)


# The Governance menu --------------------------------------------------------------------------


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
    return _log_in(database, username, PASSWORD)


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
    assert [a.text() for a in menu.actions()] == ["&Audit log…"]
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
    accounts = UserAdminDialog(backend, admin)
    audit = AuditDialog(backend, admin)
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
