"""Nothing is lost: a desk killed (kill -9) mid-call offers the call back, exactly as it was."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import Contact, Referral
from spa_desk.calls.draft import CallDraft
from spa_desk.database import Database
from spa_desk.local_time import utc_clock
from tests.factories import add_person, add_user
from tests.ui.desk_helpers import desk_session, log_in, top_level

ROOT = Path(__file__).resolve().parents[3]


def _start_driver(
    database: Database, person: str, ready: Path, log: BinaryIO
) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.ui.desk_driver",
            database.url,
            "practitioner",
            person,
            str(ready),
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def test_a_killed_desk_offers_the_call_back_exactly_as_it_was(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, database: Database, tmp_path: Path
) -> None:
    add_user(database, "practitioner", "pass phrase 1", ("practitioner",), "Dana Whitfield")
    person = add_person(database, date_of_birth=date(1941, 3, 12))
    ready = tmp_path / "ready.json"
    log_path = tmp_path / "desk.log"
    with log_path.open("wb") as log:
        process = _start_driver(database, str(person), ready, log)
        try:
            deadline = time.monotonic() + 60
            while not ready.exists():
                problem = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
                assert process.poll() is None, problem
                assert time.monotonic() < deadline, "the desk never reached the middle of a call"
                time.sleep(0.1)
            time.sleep(0.2)
            before = CallDraft.model_validate(json.loads(ready.read_text(encoding="utf-8")))
        finally:
            process.send_signal(signal.SIGKILL)  # no clean-up, no goodbye: like a power cut
            process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    with database.sessions() as session:
        row = session.get(Contact, before.contact_id)
        assert row is not None and row.status == "draft"

    session_ = desk_session(database, tmp_path, utc_clock)
    run, window = log_in(qtbot, session_, "practitioner", "pass phrase 1")
    qtbot.waitUntil(lambda: top_level(QMessageBox)() is not None, timeout=10_000)
    offer = top_level(QMessageBox)()
    assert isinstance(offer, QMessageBox)
    assert "was not saved" in offer.text() and "exactly as it was" in offer.text()
    qtbot.keyClick(offer, Qt.Key.Key_Return)  # Carry on with the call (the default)
    qtbot.waitUntil(lambda: session_.call is not None, timeout=10_000)
    call = session_.call
    assert call is not None
    qtbot.waitUntil(lambda: call.person is not None, timeout=10_000)
    after = call.draft
    # The call is back exactly: times, line, number, answers, person, consent and notes.
    assert after == before
    screen = call.screen
    assert screen.outcome.notes.toPlainText() == "Carer exhausted; needs help with morning washes."
    assert screen.bar.number_label.text() == "From 07700900001"
    assert screen.bar.line_combo.currentText() == "Social care line"
    assert screen.bar.state_label.text() == "● On call"
    elapsed = datetime.now(UTC) - before.answered_at if before.answered_at else None
    assert elapsed is not None
    minutes, seconds = (int(x) for x in screen.bar.talk_label.text().split(":"))
    assert abs(minutes * 60 + seconds - elapsed.total_seconds()) <= 2
    assert "Ada TESTPERSON" in screen.person.record_label.text()
    assert screen.caller.type_combo.currentText() == "Unpaid carer"
    assert (screen.caller.name_edit.text(), screen.caller.relationship_edit.text()) == (
        "Robin Marsh", "Husband",
    )  # fmt: skip
    assert screen.caller.phone_edit.text() == "07700900001"  # from the telephone system
    history = [
        screen.screening.history.item(i).text() for i in range(screen.screening.history.count())
    ]
    assert any("washing, dressing" in line and line.endswith("Yes") for line in history)

    # The handler carries on and finishes the call: No to every question left.
    while (asked := call.session().next_question()) is not None:
        qtbot.wait(20)
        key = "0" if asked.question.fact.type == "enum_set" else "N"
        qtbot.keyClick(call.screen.screening.answer_buttons()[0], key)
    qtbot.keyClick(call.screen, "S", Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: session_.call is None, timeout=10_000)
    with database.sessions() as session:
        row = session.get(Contact, before.contact_id)
        assert row is not None and row.status == "complete" and row.draft is None
        assert row.answered_at == before.answered_at and row.person_id == person
        routes = session.scalars(select(Referral.route).where(Referral.contact_id == row.id)).all()
        assert list(routes) == ["adult_social_care"]
    window.close()
    qtbot.waitUntil(run.done, timeout=10_000)
