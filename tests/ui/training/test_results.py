"""The trainer's results window (SPEC 7): trainees with their share right, a trainee's history
with what differed, the routes learnt worst, and the session report saved as a PDF whose text
holds each call and its differences."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.training.sample_calls import LIBRARY, load_sample_call
from spa_desk.training.scoring import GivenRoute, TraineeDecision, record_score
from spa_desk.vocabulary import Role
from tests.factories import add_user
from triage_rules import default_ruleset
from ui.kit.backend import DeskBackend
from ui.training.results import ResultsDialog

CARER = load_sample_call(LIBRARY / "carer-breakdown-husband-with-dementia.yaml")


def _user(database: Database, name: str, role: Role) -> CurrentUser:
    user_id = add_user(database, name, "pw-long-enough-1", roles=(role.value,), display_name=name)
    return CurrentUser(id=user_id, username=name, display_name=name, roles=(role,))


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def test_the_trainer_sees_history_and_routes_and_saves_the_session_report(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, database: Database, tmp_path: Path
) -> None:
    kim = _user(database, "Kim Trainee", Role.CALL_HANDLER)
    trainer = _user(database, "Tess Trainer", Role.TRAINER)
    missed = TraineeDecision(
        level1="stream",
        stream="social_care",
        routes=(
            GivenRoute(route="adult_social_care", urgency="soon"),
            GivenRoute(route="vcs", urgency="routine"),
        ),
        resolved_at_first_contact=False,
    )
    record_score(database, kim, CARER, missed, default_ruleset())
    backend = DeskBackend(database.url)
    dialog = ResultsDialog(backend, trainer)
    qtbot.addWidget(dialog)
    dialog.show()
    target = tmp_path / "session.pdf"

    async def choose(_suggested: str) -> Path | None:
        return target

    dialog.choose_path = choose

    async def scenario() -> Path | None:
        await dialog.load()
        await dialog.show_history()
        return await dialog.save_report()

    done = asyncio.ensure_future(scenario())
    try:
        qtbot.waitUntil(done.done, timeout=20_000)
        saved = done.result()
    finally:
        backend.close()
    assert dialog.trainee_list.count() == 1
    assert dialog.trainee_list.item(0).text() == "Kim Trainee: 1 calls, 80%"
    assert dialog.history.rowCount() == 1
    assert _cell(dialog.history, 0, 2) == "4 of 5"
    assert "Missed route crisis response" in _cell(dialog.history, 0, 3)
    assert _cell(dialog.routes, 0, 0) == "Crisis response"  # learnt worst: first
    assert _cell(dialog.routes, 0, 4) == "0%"
    assert saved == target
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "Training results: Kim Trainee" in text
    assert "Missed route crisis response" in text and "4 of 5" in text
