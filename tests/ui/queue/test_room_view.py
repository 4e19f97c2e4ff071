"""Presence and the room (issue 12 item 5) on real desk windows: the SPA manager opens the room
(F6) and sees the call handler's desk go from available to on a call to in wrap-up and away,
and each stream's queue; on PostgreSQL without a key, on SQLite (one desk alone) on F5."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from spa_desk.database import Database
from tests.factories import add_user
from tests.ui.call_desk import NOW, PASSWORD, Desk, DeskFactory
from tests.ui.desk_helpers import MovableClock, press
from tests.ui.queue.test_handoff_desks import _front, _settled
from tests.ui.shell.role_desk import start_desk
from ui.room.controller import RoomController
from ui.shell.session import DeskSession


def _where(room: RoomController, name: str) -> str | None:
    model = room.desks
    for row in range(model.rowCount()):
        if model.data(model.index(row, 0)) == name:
            value = model.data(model.index(row, 1))
            return str(value)
    return None


def _is(room: RoomController, name: str, state: str) -> bool:
    return _where(room, name) == state


def _seen(
    manager: DeskSession, room: RoomController, name: str, state: str, *, live: bool, qtbot: QtBot
) -> None:
    """The manager's room shows ``name`` as ``state``: by itself on PostgreSQL within a second
    or two (the desk says where it is once a second); on SQLite after F5."""
    if live:
        qtbot.waitUntil(partial(_is, room, name, state), timeout=3_000)
        return
    for _ in range(30):
        manager.window.refresh_action.trigger()
        qtbot.wait(100)
        if _is(room, name, state):
            return
    raise AssertionError(f"{name} never showed as {state}: {_where(room, name)}")


def test_the_manager_sees_who_is_where(
    desk_for: DeskFactory, database: Database, database_url: str, tmp_path: Path
) -> None:
    add_user(database, "boss", PASSWORD, ("spa_manager",), "Morgan Achebe")
    handler: Desk = desk_for("handler")
    handler.qtbot.waitUntil(partial(_settled, handler), timeout=10_000)
    run, manager = start_desk(handler.qtbot, database, tmp_path / "boss", "boss", MovableClock(NOW))
    live = database_url.startswith("postgresql")
    try:
        qtbot = handler.qtbot
        qtbot.waitUntil(manager.window.queue_action.isEnabled, timeout=5_000)
        assert manager.window.queue_action.text() == "The &room"
        manager.window.raise_()
        manager.window.activateWindow()
        qtbot.waitUntil(manager.window.isActiveWindow, timeout=5_000)
        press(qtbot, Qt.Key.Key_F6)
        qtbot.waitUntil(lambda: manager.room is not None, timeout=5_000)
        room = manager.room
        assert room is not None
        _seen(manager, room, "Sam Okafor", "Available", live=live, qtbot=qtbot)
        assert _where(room, "Morgan Achebe") == "Available"
        health = [room.streams.data(room.streams.index(r, 0)) for r in range(4)]
        assert health == ["Social care", "Health", "Mental health", "Hospital discharge"]
        assert "0 missed calls to ring back" in room.page.summary.text()

        _front(handler)
        handler.new_call()
        _seen(manager, room, "Sam Okafor", "On a call", live=live, qtbot=qtbot)
        press(qtbot, Qt.Key.Key_F10)  # the call ends: wrap-up
        _seen(manager, room, "Sam Okafor", "In wrap-up", live=live, qtbot=qtbot)
        manager.window.raise_()
        manager.window.activateWindow()
        qtbot.waitUntil(manager.window.isActiveWindow, timeout=5_000)
        both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        qtbot.keyClick(manager.window, Qt.Key.Key_W, both)
        assert manager.window.away_action.isChecked()
        _seen(manager, room, "Morgan Achebe", "Away", live=live, qtbot=qtbot)
    finally:
        manager.window.close()
        handler.qtbot.waitUntil(run.done, timeout=10_000)
