"""Training mode (SPEC 7): the trainee logs into the normal desk against a separate training
database, marked TRAINING on the window title, a banner and the status bar; a database that holds
live records is never made a training one; the live database is left byte for byte as it was."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from spa_desk.cli.options import DeskOptions
from spa_desk.database import open_database
from spa_desk.database_marks import is_training
from spa_desk.settings import Settings
from spa_desk.training.mode import LiveDatabase, make_training
from tests.cli_process import run_spa_desk
from tests.factories import add_person, add_user
from tests.ui.desk_helpers import log_in
from ui.shell.session import DeskSession

NOW = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
PASSWORD = "trainee-password-1"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_empty_database_becomes_a_training_one_and_a_live_one_never(tmp_path: Path) -> None:
    empty = open_database(f"sqlite:///{tmp_path / 'training.sqlite3'}")
    live = open_database(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    try:
        assert not is_training(empty)
        make_training(empty)
        make_training(empty)  # once is enough; again changes nothing
        assert is_training(empty)
        add_person(live)
        with pytest.raises(LiveDatabase, match="holds people or contacts"):
            make_training(live)
        assert not is_training(live)
    finally:
        empty.close()
        live.close()


def test_the_trainee_desk_says_training_everywhere_and_the_live_database_is_untouched(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    live_path = tmp_path / "spa-desk.sqlite3"
    live = open_database(f"sqlite:///{live_path}")
    add_person(live)
    live.close()
    before = _digest(live_path)
    training_path = tmp_path / "training.sqlite3"
    training = open_database(f"sqlite:///{training_path}")
    add_user(training, "trainee", PASSWORD, display_name="Tia Trainee")
    training.close()
    options = DeskOptions(
        settings=Settings(),
        database_url=f"sqlite:///{training_path}",
        data_dir=tmp_path,
        training=True,
    )
    session = DeskSession(options, clock=lambda: NOW)
    desk, window = log_in(qtbot, session, "trainee", PASSWORD)
    assert window.windowTitle() == "TRAINING - SPA Desk - Tia Trainee"
    banner = window.training_banner
    assert banner is not None and banner.isVisible() and banner.text().startswith("TRAINING")
    assert window.database_label.text().startswith("TRAINING · Database:")
    window.close()
    qtbot.waitUntil(desk.done, timeout=10_000)
    assert _digest(live_path) == before


def test_training_refuses_a_live_database_in_words(tmp_path: Path) -> None:
    live_path = tmp_path / "live.sqlite3"
    live = open_database(f"sqlite:///{live_path}")
    add_person(live)
    live.close()
    before = _digest(live_path)
    home = tmp_path / "home"
    refused = run_spa_desk("--training", "--database", f"sqlite:///{live_path}",
                           "--screenshot", str(tmp_path / "x.png"), home=home)  # fmt: skip
    assert refused.returncode != 0
    assert "is not a training database" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert _digest(live_path) == before
    # Without --database, training mode uses its own file in the data folder.
    status = run_spa_desk("--training", "db", "status", home=home)
    assert status.returncode == 0, status.stderr
    assert "training.sqlite3" in status.stdout
    # A headless command in training mode marks its database first, and never a live one.
    listed = run_spa_desk("--training", "queue", "list", home=home)
    assert listed.returncode == 0, listed.stderr
    [made] = (home / ".local" / "share").rglob("training.sqlite3")
    training = open_database(f"sqlite:///{made}")
    try:
        assert is_training(training)
    finally:
        training.close()
    refused = run_spa_desk("--training", "--database", f"sqlite:///{live_path}", "queue", "list",
                           home=home)  # fmt: skip
    assert refused.returncode == 1 and "is not a training database" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert _digest(live_path) == before


def test_every_printed_page_from_the_training_database_says_training(tmp_path: Path) -> None:
    import io

    from pypdf import PdfReader

    from spa_desk.reports.files import gaps_files, shift_files, trends_files
    from spa_desk.reports.shift_report import named_shift

    def pages(pdf: bytes) -> list[str]:
        return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]

    for name, training in (("practice", True), ("live", False)):
        database = open_database(f"sqlite:///{tmp_path / f'{name}.sqlite3'}")
        try:
            if training:
                make_training(database)
            settings = Settings()
            shift = named_shift(date(2026, 3, 16), "early", settings.shifts)
            printed = [
                shift_files(database, None, shift, settings, produced_by="test").pdf,
                trends_files(database, None, date(2026, 3, 1), date(2026, 3, 31)).pdf,
                gaps_files(database, None, date(2026, 3, 1), date(2026, 3, 31)).pdf,
            ]
        finally:
            database.close()
        for pdf in printed:
            texts = pages(pdf)
            assert texts
            marked = ["TRAINING: practice data" in text for text in texts]
            assert marked == [training] * len(texts), name
