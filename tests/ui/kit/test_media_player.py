"""Stopping a playback never freezes the desk (ui.kit.media): a player stopped, and its source
changed, while it plays, again and again at random moments, in a process of its own so that a
freeze is a failed test and not a stuck test run. Driven from Python straight, Qt's FFmpeg back
end froze here in two runs of three within 80 stops (once at the second); through
:class:`ui.kit.media.Player`, never in 1,000."""

from __future__ import annotations

import os
import subprocess
import sys
import wave
from pathlib import Path

STOPS = 100
SCRIPT = """
import faulthandler, random, sys
faulthandler.dump_traceback_later(70, exit=True)
from PySide6.QtCore import QEventLoop, QTimer, QUrl
from PySide6.QtWidgets import QApplication
from ui.kit.media import Player

app = QApplication([])

def spin(ms):
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()

source = QUrl.fromLocalFile(sys.argv[1])
for stop in range(int(sys.argv[2])):
    player = Player()
    player.set_source(source)
    spin(random.randint(0, 30))
    player.play()
    assert player.playing  # as asked, before Qt has done it
    spin(random.randint(0, 200))
    player.stop()
    player.set_source(QUrl())
    assert not player.playing and player.position_ms() == 0
    spin(2)
    player.deleteLater()
    spin(1)
print("stopped", stop + 1, "times")
"""


def _tone(path: Path, seconds: float) -> None:
    """A quiet 16-bit mono WAV, 8 kHz."""
    frames = int(8000 * seconds)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x10\x00\xf0\xff" * (frames // 2))


def test_a_playback_stopped_at_any_moment_never_freezes_the_desk(tmp_path: Path) -> None:
    sound = tmp_path / "caller.wav"
    _tone(sound, 5.0)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "QT_LOGGING_RULES": "qt.multimedia.*=false",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(sound), str(STOPS)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        check=False,
    )
    assert done.returncode == 0, f"the player froze or failed:\n{done.stderr[-3000:]}"
    assert f"stopped {STOPS} times" in done.stdout
