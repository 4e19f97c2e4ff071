"""The PostgreSQL server restarts mid-shift (issue 12): two desks open, a call in progress at
level 2 on one, the other's queue open. Both desks say they cannot hear the others, listen again
when the server is back and re-read; the call goes on and is handed off once; the practitioner's
queue shows it by itself and the claim takes it. One contact, nothing lost or doubled."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from db.models import Contact, Handoff
from spa_desk.database import Database
from tests.postgres_server import PostgresServer, postgres_server  # noqa: F401
from tests.ui.call_desk import Desk, DeskFactory
from tests.ui.desk_helpers import press
from tests.ui.queue.test_handoff_desks import _front, _to_level2, _two_desks
from ui.shell.live_bridge import LiveBridge


def _listens(live: LiveBridge, times: int) -> bool:
    return live.listener is not None and live.listener.listens >= times


def _says_paused(desk: Desk) -> bool:
    return "Live updates from other desks are paused" in desk.window.live_label.text()


def _live(desk: Desk) -> LiveBridge:
    live = desk.session.live
    assert live is not None
    return live


def test_a_server_restart_mid_shift_loses_nothing_and_the_desks_hear_again(
    desk_for: DeskFactory,
    postgres_server: PostgresServer,  # noqa: F811
    database: Database,
) -> None:
    handler, practitioner = _two_desks(desk_for)
    for desk in (handler, practitioner):
        desk.qtbot.waitUntil(partial(_listens, _live(desk), 1), timeout=5_000)
    _front(practitioner)
    press(practitioner.qtbot, Qt.Key.Key_F6)
    practitioner.qtbot.waitUntil(lambda: practitioner.session.queue is not None, timeout=5_000)
    queue = practitioner.session.queue
    assert queue is not None
    _to_level2(handler)
    call = handler.call

    postgres_server.stop()
    for desk in (handler, practitioner):
        desk.qtbot.waitUntil(partial(_says_paused, desk), timeout=15_000)
    handler.qtbot.keyClicks(call.screen.outcome.notes, "Fell on Sunday.")  # the call goes on
    postgres_server.start()
    for desk in (handler, practitioner):
        desk.qtbot.waitUntil(partial(_listens, _live(desk), 2), timeout=20_000)

    _front(handler)
    press(handler.qtbot, Qt.Key.Key_F7)
    handler.qtbot.waitUntil(lambda: handler.session.call is None, timeout=20_000)
    practitioner.qtbot.waitUntil(lambda: queue.model.rowCount() == 1, timeout=5_000)
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Contact)) == 1
        assert session.scalar(select(func.count()).select_from(Handoff)) == 1
        contact = session.scalars(select(Contact)).one()
        assert contact.draft is not None and contact.draft["notes"] == "Fell on Sunday."
