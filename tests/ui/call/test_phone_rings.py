"""The real window and two real baresip softphones (SPEC 12): a call rings the desk with the
caller's number and line and pops the person that number matches before anyone answers; F9
answers on the phone, Ctrl+H holds, the caller hangs up, the call is saved with the phone's
talk time and a recording exists; a call hung up before an answer is listed as missed; the
desk's softphone stopping is said and it is started again."""

from __future__ import annotations

import asyncio
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import Contact, PhoneCall
from spa_desk.cli.options import DeskOptions
from spa_desk.database import Database
from spa_desk.reports.phone_figures import phone_figures
from spa_desk.settings import Settings, TelephonySettings
from spa_desk.telephony.baresip import BaresipControl, close_quietly
from spa_desk.telephony.events import IncomingCall, TelephonyEvent
from spa_desk.telephony.recordings import recording_files
from spa_desk.vocabulary import Line
from tests.factories import add_person, add_user
from tests.phones import CALLER_NUMBER, Phones, control, make_phones, needs_baresip, started
from tests.ui.desk_helpers import log_in, press
from ui.shell.main_window import MainWindow
from ui.shell.session import DeskSession

PASSWORD = "pass phrase 1"
T = TypeVar("T")


def _desk(database: Database, phones: Phones, data: Path) -> DeskSession:
    telephony = phones.desk_settings(
        lines={"desk": Line.HEALTH}, dial=f"sip:{{number}}@{phones.caller.config.sip_listen}"
    )
    options = DeskOptions(
        settings=Settings(telephony=telephony), database_url=database.url, data_dir=data
    )
    return DeskSession(options)


def _wait(qtbot: QtBot, job: asyncio.Future[T]) -> T:
    qtbot.waitUntil(job.done, timeout=20_000)
    return job.result()


@pytest.fixture
def caller(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> Iterator[tuple[Phones, BaresipControl]]:
    phones = make_phones(tmp_path / "phones")
    client = control(phones.caller)
    reading = _wait(qtbot, asyncio.ensure_future(started(phones.caller, client)))
    yield phones, client
    _wait(qtbot, asyncio.ensure_future(close_quietly(reading, client)))
    _wait(qtbot, asyncio.ensure_future(phones.caller.stop()))


@dataclass
class PhoneDesk:
    """A handler's desk with its own softphone, ready, and a caller's phone to ring it."""

    session: DeskSession
    window: MainWindow
    phones: Phones
    caller: BaresipControl
    data: Path
    """The desk's data folder (its recordings are in ``recordings/``)."""


@pytest.fixture
def phone_desk(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    tmp_path: Path,
    caller: tuple[Phones, BaresipControl],
) -> Iterator[PhoneDesk]:
    """Sam Okafor logged in at a desk whose phone is ready (Ada TESTPERSON has the caller's
    number); the desk closed afterwards, its softphone stopped with it."""
    phones, phone = caller
    add_user(database, "handler", PASSWORD, ("call_handler",), "Sam Okafor")
    add_person(database, phone_primary=CALLER_NUMBER)
    data = tmp_path / "desk-data"
    session = _desk(database, phones, data)
    run, window = log_in(qtbot, session, "handler", PASSWORD)
    try:
        qtbot.waitUntil(lambda: _ready(window), timeout=30_000)
        yield PhoneDesk(session, window, phones, phone, data)
    finally:
        window.close()
        qtbot.waitUntil(run.done, timeout=20_000)
    softphone = session.phone.softphone if session.phone is not None else None
    assert softphone is not None and not softphone.running  # stopped with the desk


def _seconds(recording: Path) -> float:
    with wave.open(str(recording)) as sound:
        return float(sound.getnframes() / sound.getframerate())


def _phone_call(database: Database) -> PhoneCall:
    with database.sessions() as db:
        [kept] = db.scalars(select(PhoneCall)).all()
        return kept


def _answering(answers: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and answers.isAncestorOf(focus)


def _ready(window: MainWindow) -> None:
    """The desk's phone is ready (waited for: a failure shows what the status bar said)."""
    said = window.phone_label.text()
    assert said == "☎ Phone ready", (
        f"the phone is not ready: {said!r} ({window.phone_label.toolTip()!r})"
    )


@needs_baresip
def test_a_call_rings_pops_the_person_is_answered_held_and_saved(
    qtbot: QtBot, database: Database, phone_desk: PhoneDesk
) -> None:
    session, window = phone_desk.session, phone_desk.window
    phones, phone = phone_desk.phones, phone_desk.caller
    _wait(qtbot, asyncio.ensure_future(phone.dial(phones.desk_uri)))
    qtbot.waitUntil(lambda: session.call is not None, timeout=10_000)
    call = session.call
    assert call is not None
    bar = call.screen.bar
    assert bar.state_label.text() == "● Ringing"
    assert bar.number_label.text() == f"From {CALLER_NUMBER}"
    assert bar.line_combo.currentText() == "Health line"
    # The person that number belongs to is on screen before anyone answers.
    qtbot.waitUntil(lambda: len(call.matches) == 1, timeout=10_000)
    assert "TESTPERSON, Ada" in call.screen.person.results.item(0).text()
    assert call.draft.answered_at is None
    qtbot.keyClick(window, Qt.Key.Key_F9)  # answered on the phone
    qtbot.waitUntil(lambda: call.draft.answered_at is not None, timeout=10_000)
    assert bar.state_label.text() == "● On call"
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert bar.state_label.text().startswith("● On hold")
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert bar.state_label.text() == "● On call"
    qtbot.wait(1500)  # they talk
    _wait(qtbot, asyncio.ensure_future(phone.hang_up()))  # the caller hangs up
    qtbot.waitUntil(lambda: call.draft.ended_at is not None, timeout=10_000)
    assert bar.state_label.text() == "● Wrap-up"
    answered, ended = call.draft.answered_at, call.draft.ended_at
    assert answered is not None and ended is not None
    assert 1.0 < (ended - answered).total_seconds() < 6
    # A wrong number, saved: the stored contact has the phone's times.
    call.screen.screening.focus_answers()
    qtbot.waitUntil(lambda: _answering(call.screen.screening.answers_box), timeout=5_000)
    press(qtbot, "3")
    press(qtbot, "S", modifier=Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: session.call is None, timeout=10_000)
    with database.sessions() as db:
        [contact] = db.scalars(select(Contact)).all()
    assert contact.caller_number == CALLER_NUMBER and contact.line == "health"
    assert contact.answered_at is not None and contact.ended_at is not None
    assert abs((contact.answered_at.replace(tzinfo=UTC) - answered).total_seconds()) < 1
    # The recording is kept under the call's name, linked to its contact, as long as the
    # call was answered (both sides, what the desk heard and what it sent).
    recordings = phone_desk.data / "recordings"
    qtbot.waitUntil(lambda: _phone_call(database).contact_id == contact.id, timeout=10_000)
    kept = _phone_call(database)
    assert kept.recording is not None and CALLER_NUMBER not in kept.recording
    heard, sent = recording_files(recordings, kept.recording)
    assert sorted(p.name for p in recordings.iterdir()) == sorted([heard.name, sent.name])
    qtbot.waitUntil(lambda: _seconds(heard) > 0, timeout=10_000)  # sndfile has closed it
    seconds = _seconds(heard)
    assert abs(seconds - (ended - answered).total_seconds()) < 1.0


@needs_baresip
def test_a_call_hung_up_before_an_answer_is_listed_as_missed(
    qtbot: QtBot, database: Database, phone_desk: PhoneDesk
) -> None:
    session, window = phone_desk.session, phone_desk.window
    phones, phone = phone_desk.phones, phone_desk.caller
    _wait(qtbot, asyncio.ensure_future(phone.dial(phones.desk_uri)))
    qtbot.waitUntil(lambda: session.call is not None, timeout=10_000)
    qtbot.wait(500)
    _wait(qtbot, asyncio.ensure_future(phone.hang_up()))
    qtbot.waitUntil(lambda: session.call is None, timeout=10_000)
    panel = window.shift_page.missed
    qtbot.waitUntil(lambda: panel.isVisible() and panel.list.count() == 1, timeout=10_000)
    [missed] = panel.calls
    assert missed.caller_number == CALLER_NUMBER and missed.line == "health"
    assert missed.rang_at <= datetime.now(UTC) and 0 <= missed.rang_seconds < 10
    assert "TESTPERSON, Ada" in panel.list.item(0).text()  # who it may have been
    with database.sessions() as db:
        assert db.scalars(select(Contact)).all() == []  # nothing was said: no contact
        [kept] = db.scalars(select(PhoneCall)).all()
    assert kept.answered_at is None and kept.ended_at is not None
    # F11 calls the number back: a real outgoing call rings the caller's phone.
    heard: list[TelephonyEvent] = []
    phone.feed.subscribe(heard.append)
    qtbot.keyClick(window.shift_page, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: any(isinstance(e, IncomingCall) for e in heard), timeout=10_000)
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=10_000)  # off every desk's list
    with database.sessions() as db:
        [kept] = db.scalars(select(PhoneCall)).all()
    assert kept.called_back_at is not None
    figures = phone_figures(database, kept.rang_at - timedelta(hours=1), datetime.now(UTC), 20)
    assert (figures.offered, figures.answered, figures.abandoned) == (1, 0, 1)
    _wait(qtbot, asyncio.ensure_future(phone.hang_up()))


def test_without_baresip_the_desk_says_so_and_works_on(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_user(database, "handler", PASSWORD, ("call_handler",), "Sam Okafor")
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    telephony = TelephonySettings(enabled=True, start_softphone=True)
    options = DeskOptions(
        settings=Settings(telephony=telephony), database_url=database.url, data_dir=tmp_path
    )
    session = DeskSession(options)
    run, window = log_in(qtbot, session, "handler", PASSWORD)
    try:
        qtbot.waitUntil(lambda: window.phone_label.text() == "☎ No phone", timeout=10_000)
        assert "baresip is not installed" in window.phone_label.toolTip()
        assert "Traceback" not in window.refresh_label.text()
        qtbot.keyClick(window, Qt.Key.Key_F2)  # calls by hand still work
        qtbot.waitUntil(lambda: session.call is not None, timeout=10_000)
        call = session.call
        assert call is not None
        qtbot.keyClick(window, Qt.Key.Key_F9)  # answered by hand: no phone to ask
        qtbot.waitUntil(lambda: call.draft.answered_at is not None, timeout=5_000)
    finally:
        window.close()
        qtbot.waitUntil(run.done, timeout=20_000)


@needs_baresip
def test_the_desks_softphone_stopping_is_said_and_it_comes_back(
    qtbot: QtBot, phone_desk: PhoneDesk
) -> None:
    session, window = phone_desk.session, phone_desk.window
    phones, phone = phone_desk.phones, phone_desk.caller
    said: list[tuple[bool, str]] = []
    link = session.phone
    assert link is not None and link.softphone is not None
    link.state_changed.connect(lambda ready, words: said.append((ready, words)))
    process = link.softphone.process
    assert process is not None
    process.kill()  # baresip crashes mid-shift
    stopped = (False, "The softphone stopped (baresip ended with code -9): starting it again.")
    qtbot.waitUntil(lambda: stopped in said, timeout=10_000)
    # It is back on its own: started again, and the desk connected to it again.
    qtbot.waitUntil(lambda: said[-1][0] and said.index(stopped) < len(said) - 1, timeout=30_000)
    _ready(window)
    assert link.softphone.process is not process and link.softphone.running
    _wait(qtbot, asyncio.ensure_future(phone.dial(phones.desk_uri)))  # and calls ring
    qtbot.waitUntil(lambda: session.call is not None, timeout=10_000)
    _wait(qtbot, asyncio.ensure_future(phone.hang_up()))
