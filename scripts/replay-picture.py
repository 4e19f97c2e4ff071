"""The README's picture of the trainer's replay window: a shipped sample call played at 4x until
a few lines are on screen, the expected decision shown. Usage:
``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/replay-picture.py [FILE]``."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication

from spa_desk.training.sample_calls import LIBRARY, read_library
from ui.training.replay import ReplayDialog


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/replay.png")
    app = QApplication([])
    asyncio.set_event_loop(qasync.QEventLoop(app))
    calls, _ = read_library(LIBRARY)
    dialog = ReplayDialog(calls, LIBRARY)
    dialog.resize(1180, 700)
    dialog.show()
    dialog.find_edit.setText("carer")
    end = time.monotonic() + 20
    while dialog.audio is None and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    dialog.speed_box.setCurrentIndex(dialog.speed_box.count() - 1)
    dialog.play()
    while len(dialog.lines_shown()) < 6 and time.monotonic() < end + 30:
        app.processEvents()
        time.sleep(0.01)
    dialog.pause()
    dialog.answer_button.setChecked(True)
    app.processEvents()
    dialog.grab().save(str(target))
    sys.stdout.write(f"{target}\n")
    dialog.close()


if __name__ == "__main__":
    main()
