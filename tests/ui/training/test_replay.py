"""The trainer's replay window (SPEC 7), driven by keys: a sample call chosen, its voices made
(espeak-ng, cached) and played through QtMultimedia, the transcript appearing in time, pause,
next line, speed 0.5x to 4x, the expected decision shown on demand; with no espeak-ng the
transcript plays on its own clock and the window says why."""

from __future__ import annotations

import asyncio
import shutil
import wave
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from spa_desk.training import voices
from spa_desk.training.sample_calls import LIBRARY, load_sample_call, read_library
from ui.training.replay import ReplayDialog, open_replay

CALL = "hang-up-before-saying-why"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """Two calls of the shipped library, in a folder of the test's own."""
    folder = tmp_path / "library"
    folder.mkdir()
    for name in ("abusive-caller-after-long-wait.yaml", f"{CALL}.yaml"):
        shutil.copy(LIBRARY / name, folder / name)
    return folder


def _open(qtbot: QtBot, library: Path) -> ReplayDialog:
    calls, problems = read_library(library)
    assert problems == []
    dialog = ReplayDialog(calls, library)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_call_plays_with_its_voices_and_its_lines_in_time(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, library: Path
) -> None:
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is part of the set-up (./dev.sh setup installs it)")
    dialog = _open(qtbot, library)
    qtbot.keyClick(dialog, "F", Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.find_edit, "abusive")
    assert dialog.call is not None and dialog.call.id == "abusive-caller-after-long-wait"
    qtbot.keyClick(dialog.find_edit, Qt.Key.Key_Return)  # back to the list, ready to play
    qtbot.waitUntil(lambda: dialog.audio is not None, timeout=20_000)
    audio = dialog.audio
    assert audio is not None
    # The voices are real speech: as long as the file says, each line after the last one ends.
    with wave.open(str(audio.path), "rb") as made:
        assert made.getnframes() / made.getframerate() == pytest.approx(audio.duration, abs=0.01)
    assert audio.path.is_relative_to(voices.cache_dir())
    assert list(audio.starts) == sorted(audio.starts)
    assert [round(s) for s in audio.starts][:2] == [0, 6]
    assert "2 voices" in dialog.status_label.text()
    assert dialog.answer.isHidden()

    qtbot.keyClick(dialog.library_list, "+")  # 1.25x
    for _ in range(5):
        qtbot.keyClick(dialog.library_list, "+")
    assert dialog.speed == 4.0
    qtbot.waitUntil(lambda: dialog.player.qt.playbackRate() == 4.0)  # Qt's loop sets it
    qtbot.keyClick(dialog.library_list, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(dialog.lines_shown()) >= 2, timeout=10_000)
    assert dialog.lines_shown()[0].startswith("Handler: Single Point of Access")
    assert dialog.audio_started_after is not None and dialog.audio_started_after < 1.0
    qtbot.keyClick(dialog.library_list, Qt.Key.Key_Space)  # pause
    assert not dialog.playing
    shown = len(dialog.lines_shown())
    qtbot.keyClick(dialog.library_list, "N")  # step to the next line
    qtbot.waitUntil(lambda: len(dialog.lines_shown()) == shown + 1)
    assert dialog.position() == pytest.approx(audio.starts[shown], abs=0.1)
    for _ in range(8):
        qtbot.keyClick(dialog.library_list, "-")
    assert dialog.speed == 0.5
    qtbot.keyClick(dialog.library_list, "R", Qt.KeyboardModifier.ControlModifier)
    assert dialog.answer.isVisible() and "Not a data call" in dialog.answer.text()


def test_without_espeak_the_transcript_plays_on_its_own_clock(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    library: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("spa_desk.training.voices.shutil.which", lambda _name: None)
    dialog = _open(qtbot, library)
    dialog.choose(CALL)
    qtbot.waitUntil(dialog.play_button.isEnabled, timeout=10_000)
    assert dialog.audio is None
    assert "espeak-ng is not installed" in dialog.status_label.text()
    call = load_sample_call(library / f"{CALL}.yaml")
    dialog.speed_box.setCurrentIndex(dialog.speed_box.count() - 1)  # 4x
    qtbot.keyClick(dialog.library_list, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(dialog.lines_shown()) == len(call.transcript), timeout=15_000)
    qtbot.waitUntil(lambda: not dialog.playing, timeout=10_000)
    assert "has ended" in dialog.status_label.text()


def test_the_trainer_opens_replay_from_the_home_with_its_key(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, library: Path
) -> None:
    from PySide6.QtWidgets import QWidget

    home = QWidget()
    qtbot.addWidget(home)
    first = open_replay(home, library)
    again = open_replay(home, library)
    assert first is again and first.library_list.count() == 2
    qtbot.waitUntil(first.play_button.isEnabled, timeout=20_000)  # its voices are made
    (library / "broken.yaml").write_text("id: [", encoding="utf-8")
    first.close()
    first.deleteLater()
    qtbot.waitUntil(lambda: home.findChild(ReplayDialog) is None)
    fresh = open_replay(home, library)
    qtbot.waitUntil(fresh.play_button.isEnabled, timeout=20_000)
    assert "could not be read" in fresh.library_problems.text()
    assert "broken.yaml" in fresh.library_problems.text()
