"""A caller who hangs up before the desk answers (SPEC 12): an untouched call goes from the screen
to the missed list; a call the handler had begun to type into stays, nothing thrown away; a ring
the database could not take is kept, even when the desk closes before the database is back."""

from __future__ import annotations

import asyncio
import threading
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import PhoneCall
from spa_desk import durable
from spa_desk.cli.options import DeskOptions
from spa_desk.database import Database
from spa_desk.errors import DatabaseFailure
from spa_desk.settings import Settings, TelephonySettings
from spa_desk.telephony import phone_journal
from spa_desk.telephony.events import CallEnded, IncomingCall
from spa_desk.telephony.phone_journal import PHONE_JOURNAL_FOLDER, PhoneJournal, PhoneStep
from tests.phones import free_port
from tests.ui.call_desk import NOW, PASSWORD, DeskFactory
from tests.ui.desk_helpers import MovableClock, log_in
from ui.shell.main_window import MainWindow
from ui.shell.phone_link import PhoneLink
from ui.shell.session import DeskSession


def _phone(desk_session: DeskSession, tmp_path: Path) -> PhoneLink:
    link = PhoneLink(TelephonySettings(enabled=True), tmp_path, desk_session.clock)
    desk_session.phone = link  # a phone that is never started: the test speaks for baresip
    desk_session.listen_to(link.feed)
    return link


def test_an_untouched_call_goes_to_the_missed_list(desk_for: DeskFactory, tmp_path: Path) -> None:
    desk = desk_for("handler")
    phone = _phone(desk.session, tmp_path)
    phone.feed.publish(IncomingCall(call_ref="m1", at=NOW, caller_number="07700900001"))
    desk.qtbot.waitUntil(lambda: desk.session.call is not None, timeout=5_000)
    desk.clock.advance(9)
    phone.feed.publish(CallEnded(call_ref="m1", at=NOW + timedelta(seconds=9), by_caller=True))
    desk.qtbot.waitUntil(lambda: desk.session.call is None, timeout=5_000)
    panel = desk.window.shift_page.missed
    desk.qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=5_000)
    assert "07700900001 · general line · rang 9 s · TESTPERSON, Ada" in panel.list.item(0).text()


def test_a_call_begun_on_screen_is_kept_when_the_caller_hangs_up(
    desk_for: DeskFactory, tmp_path: Path
) -> None:
    desk = desk_for("handler")
    phone = _phone(desk.session, tmp_path)
    phone.feed.publish(IncomingCall(call_ref="m2", at=NOW, caller_number="07700900001"))
    desk.qtbot.waitUntil(lambda: desk.session.call is not None, timeout=5_000)
    call = desk.call
    desk.qtbot.keyClicks(call.screen.outcome.notes, "Daughter worried about falls.")
    desk.qtbot.waitUntil(lambda: call.draft.notes != "", timeout=5_000)
    phone.feed.publish(CallEnded(call_ref="m2", at=NOW + timedelta(seconds=5), by_caller=True))
    desk.qtbot.waitUntil(lambda: call.draft.ended_at is not None, timeout=5_000)
    assert desk.session.call is call
    assert call.draft.notes == "Daughter worried about falls."
    assert "what you typed is kept" in desk.window.refresh_label.text()

    def kept() -> PhoneCall | None:
        with desk.database.sessions() as session:
            return session.scalars(select(PhoneCall)).first()

    desk.qtbot.waitUntil(lambda: (row := kept()) is not None and row.ended_at is not None)


def test_a_ring_heard_while_the_database_is_out_of_reach_is_kept_when_it_is_back(
    desk_for: DeskFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = phone_journal.write_step
    tries: list[str] = []

    def write_while_out(database: Database, step: PhoneStep) -> None:
        tries.append(step.kind)  # the database refuses the ring's first two tries
        if len(tries) <= 2:
            raise DatabaseFailure("Cannot connect to the database server.")
        real_write(database, step)

    monkeypatch.setattr(phone_journal, "write_step", write_while_out)
    real_disk_write = durable.write_durably
    on_gui_thread: list[bool] = []

    def write_to_disk(target: Path, text: str) -> None:
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        real_disk_write(target, text)

    monkeypatch.setattr(phone_journal, "write_durably", write_to_disk)
    said: list[str] = []
    real_problem = MainWindow.show_refresh_problem

    def show_problem(window: MainWindow, message: str) -> None:
        said.append(message)  # the status bar's later notes may replace it before a look
        real_problem(window, message)

    monkeypatch.setattr(MainWindow, "show_refresh_problem", show_problem)
    desk = desk_for("handler")
    desk.session.phone_log_retry_seconds = 0.2
    phone = _phone(desk.session, tmp_path)
    phone.feed.publish(IncomingCall(call_ref="o1", at=NOW, caller_number="07700900001"))
    desk.qtbot.waitUntil(lambda: desk.session.call is not None, timeout=5_000)
    out = "the phone's calls are kept on this desk"
    desk.qtbot.waitUntil(lambda: any(out in words for words in said), timeout=5_000)
    phone.feed.publish(CallEnded(call_ref="o1", at=NOW + timedelta(seconds=7), by_caller=True))
    desk.qtbot.waitUntil(lambda: desk.session.call is None, timeout=5_000)
    panel = desk.window.shift_page.missed
    desk.qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=5_000)
    assert "07700900001 · general line · rang 7 s" in panel.list.item(0).text()
    assert tries == ["rang", "rang", "rang", "ended"]
    assert on_gui_thread == [False, False]  # the ring and its end, each synced to disk off it
    assert PhoneJournal(tmp_path / PHONE_JOURNAL_FOLDER).waiting() == []  # the database has both
    with desk.database.sessions() as session:
        [row] = session.scalars(select(PhoneCall)).all()
        assert row.ended_at is not None and row.answered_at is None


def _phone_desk(
    qtbot: QtBot, database: Database, data: Path
) -> tuple[DeskSession, asyncio.Future[int], MainWindow]:
    """A handler's desk with a telephone that never connects (the test speaks for it)."""
    telephony = TelephonySettings(enabled=True, start_softphone=False,
                                  control=f"127.0.0.1:{free_port()}")  # fmt: skip
    options = DeskOptions(
        settings=Settings(telephony=telephony), database_url=database.url, data_dir=data
    )
    session = DeskSession(options, clock=MovableClock(NOW))
    run, window = log_in(qtbot, session, "handler", PASSWORD)
    qtbot.waitUntil(lambda: session.phone is not None, timeout=10_000)
    return session, run, window


def test_a_ring_kept_on_the_desk_when_it_closed_during_an_outage_is_written_by_the_next_desk(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    people: dict[str, uuid.UUID],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_write = phone_journal.write_step

    refused: list[str] = []

    def out_of_reach(_database: Database, step: PhoneStep) -> None:
        refused.append(step.kind)
        raise DatabaseFailure("Cannot connect to the database server.")

    monkeypatch.setattr(phone_journal, "write_step", out_of_reach)
    session, run, window = _phone_desk(qtbot, database, tmp_path)
    assert session.phone is not None
    feed = session.phone.feed
    feed.publish(IncomingCall(call_ref="j1", at=NOW, caller_number="07700900001"))
    qtbot.waitUntil(lambda: session.call is not None, timeout=5_000)
    feed.publish(CallEnded(call_ref="j1", at=NOW + timedelta(seconds=12), by_caller=True))
    qtbot.waitUntil(lambda: session.call is None, timeout=5_000)
    # The ring is tried again and again (its end waits for it), until the desk closes.
    qtbot.waitUntil(lambda: refused.count("rang") >= 2, timeout=10_000)
    window.close()  # the desk is closed before the database is back
    qtbot.waitUntil(run.done, timeout=10_000)
    kept = PhoneJournal(tmp_path / PHONE_JOURNAL_FOLDER).waiting()
    assert [step.kind for _path, step in kept] == ["rang", "ended"]
    with database.sessions() as db:
        assert db.scalars(select(PhoneCall)).all() == []

    monkeypatch.setattr(phone_journal, "write_step", real_write)  # the database is back
    session, run, window = _phone_desk(qtbot, database, tmp_path)  # the next desk, same computer
    try:
        panel = window.shift_page.missed
        qtbot.waitUntil(lambda: panel.isVisible() and panel.list.count() == 1, timeout=10_000)
        assert "07700900001 · general line · rang 12 s" in panel.list.item(0).text()
        with database.sessions() as db:
            [row] = db.scalars(select(PhoneCall)).all()  # once, with its end
        assert row.answered_at is None and row.ended_at is not None
        assert PhoneJournal(tmp_path / PHONE_JOURNAL_FOLDER).waiting() == []
    finally:
        window.close()
        qtbot.waitUntil(run.done, timeout=10_000)
