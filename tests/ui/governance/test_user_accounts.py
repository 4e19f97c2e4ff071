"""The user accounts dialog against a real database: an administrator adds users (each with a
one-time password), disables them and resets passwords; anyone else is told in words.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import User
from spa_desk.access.login import authenticate
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import LoginFailed
from spa_desk.vocabulary import Role, Stream
from tests.factories import add_user
from tests.ui.governance.helpers import PASSWORD, column_texts, log_in, open_user_admin, run
from ui.governance.users_controller import UserAdminController
from ui.governance.users_view import UserAdminView
from ui.kit.backend import DeskBackend


def _row_of(dialog: UserAdminView, username: str) -> list[str]:
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


def test_admin_adds_a_user_with_two_roles_and_their_one_time_password_logs_in(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    backend: DeskBackend,
    admin: CurrentUser,
) -> None:
    controller = open_user_admin(qtbot, backend, admin)
    dialog = controller.view
    assert column_texts(dialog, 0) == ["alex"]
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
        "Practitioner, Trainer (social care, health, mental health, hospital discharge)",
        "Yes",
        "No",
    ]
    selected = controller.selected_account()
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
    assert controller.chosen_roles() == ()

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
    controller = open_user_admin(qtbot, backend, admin)
    dialog = controller.view
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
    assert controller.chosen_roles() == (Role.CALL_HANDLER,)
    assert not dialog.password_frame.isVisible()
    assert column_texts(dialog, 0) == ["alex"]
    assert _stored_user(database, "Jo Bloggs!") is None

    # A taken name and a missing role are named too; fixing them adds the user.
    dialog.username_edit.setText("alex")
    run(qtbot, controller.add_user())
    assert dialog.error_label.text() == "User name: 'alex' is already taken"
    dialog.username_edit.setText("jo.bloggs")
    dialog.role_boxes[Role.CALL_HANDLER].setChecked(False)
    run(qtbot, controller.add_user())
    assert dialog.error_label.text() == "Roles: give the user at least one role"
    assert dialog.focusWidget() is dialog.role_boxes[Role.CALL_HANDLER]
    dialog.role_boxes[Role.CALL_HANDLER].setChecked(True)
    added = run(qtbot, controller.add_user())
    assert added is not None and added.roles == (Role.CALL_HANDLER,)
    assert not dialog.error_label.isVisible()
    assert column_texts(dialog, 0) == ["alex", "jo.bloggs"]


def test_admin_disables_a_user_after_saying_yes(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    backend: DeskBackend,
    admin: CurrentUser,
) -> None:
    add_user(database, "sam", PASSWORD, display_name="Sam Okafor")
    controller = open_user_admin(qtbot, backend, admin)
    dialog = controller.view
    asked: list[str] = []
    assert not dialog.disable_button.isEnabled()  # nothing selected yet

    controller.confirm = _answer(False, asked)
    assert controller.select_user("sam")
    assert dialog.disable_button.isEnabled()
    assert run(qtbot, controller.disable_selected()) is None
    assert asked == [
        "Disable user: Disable sam (Sam Okafor)?\n\n"
        "They will no longer be able to log in. Their history stays."
    ]
    stored = _stored_user(database, "sam")
    assert stored is not None and stored.active

    controller.confirm = _answer(True, asked)
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
    assert controller.select_user("alex")
    assert run(qtbot, controller.disable_selected()) is None
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
    controller = open_user_admin(qtbot, backend, admin)
    dialog = controller.view
    assert _row_of(dialog, "sam")[4].startswith("Until ")
    asked: list[str] = []
    controller.confirm = _answer(True, asked)
    assert controller.select_user("sam")
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
    manager = log_in(database, "morgan", PASSWORD)
    controller = UserAdminController(UserAdminView(), backend, manager)
    dialog = controller.view
    qtbot.addWidget(dialog)
    assert not run(qtbot, controller.refresh())
    assert dialog.error_label.text().startswith(
        "Morgan Achebe (SPA manager) may not manage user accounts."
    )
    assert dialog.model.rowCount() == 0


def test_admin_gives_a_practitioner_their_streams_and_changes_them(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    backend: DeskBackend,
    admin: CurrentUser,
) -> None:
    from ui.governance.users_view import StreamsDialog
    from ui.kit.dialogs import run_dialog  # noqa: F401 - the dialog opens through it

    controller = open_user_admin(qtbot, backend, admin)
    dialog = controller.view
    assert not dialog.stream_boxes[Stream.MENTAL_HEALTH].isEnabled()  # not a practitioner yet
    qtbot.keyClicks(dialog.username_edit, "mo.nurse")
    qtbot.keyClicks(dialog.name_edit, "Mo Nurse")
    qtbot.mouseClick(dialog.role_boxes[Role.PRACTITIONER], Qt.MouseButton.LeftButton)
    assert dialog.stream_boxes[Stream.MENTAL_HEALTH].isEnabled()
    qtbot.mouseClick(dialog.stream_boxes[Stream.MENTAL_HEALTH], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.stream_boxes[Stream.HEALTH], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.row_of("mo.nurse") is not None, timeout=10_000)
    assert _row_of(dialog, "mo.nurse")[2] == "Practitioner (health, mental health)"
    assert authenticate(database, "mo.nurse", dialog.password_label.text()).streams == (
        Stream.HEALTH, Stream.MENTAL_HEALTH,
    )  # fmt: skip

    assert controller.select_user("mo.nurse") and dialog.streams_button.isEnabled()
    qtbot.mouseClick(dialog.streams_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _visible(StreamsDialog) is not None, timeout=5_000)
    streams = _visible(StreamsDialog)
    assert isinstance(streams, StreamsDialog)
    assert streams.chosen() == (Stream.HEALTH, Stream.MENTAL_HEALTH)
    streams.boxes[Stream.HEALTH].setChecked(False)
    streams.accept()
    qtbot.waitUntil(lambda: _row_of(dialog, "mo.nurse")[2] == "Practitioner (mental health)")
    assert dialog.note_label.text() == "Mo Nurse works: mental health."
    assert controller.select_user("alex") and not dialog.streams_button.isEnabled()


def _visible(kind: type[object]) -> object | None:
    from PySide6.QtWidgets import QApplication

    return next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()),
        None,
    )
