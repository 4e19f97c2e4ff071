"""Start-up: the desk from process start to a painted main window, against a bare PySide6 window.

Both run as fresh processes, offscreen, alternately, several times; the medians are compared.
The desk logs in as the demo call handler on a SQLite database holding a month of demo data and
loads the current shift's contacts before it paints (``spa-desk --screenshot``). Target: ratio
no more than 2.0.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from db.engine import sqlite_url
from spa_desk.database import open_database
from spa_desk.demo.generator import generate_demo_data
from spa_desk.shifts import LONDON

RUNS = 9
TARGET_RATIO = 2.0


def _timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def run() -> dict[str, Any]:
    """Measure and print the start-up ratio."""
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        url = sqlite_url(workdir / "bench.sqlite3")
        database = open_database(url)
        from datetime import datetime

        today = datetime.now(LONDON).date()
        start = date(today.year, today.month, 1) if today.day > 1 else today
        generate_demo_data(database, months=1, start=start, seed=11)
        database.close()
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(workdir))
        bare_cmd = [sys.executable, "-m", "bench.bare_window", str(workdir / "bare.png")]
        desk_cmd = [
            sys.executable, "-m", "ui.launcher",
            "--database", url, "--screenshot", str(workdir / "desk.png"),
        ]  # fmt: skip
        _timed(bare_cmd, env)  # warm the file cache for both
        _timed(desk_cmd, env)
        bare, desk = [], []
        for _ in range(RUNS):
            bare.append(_timed(bare_cmd, env))
            desk.append(_timed(desk_cmd, env))
    bare_median = statistics.median(bare)
    desk_median = statistics.median(desk)
    ratio = desk_median / bare_median
    met = ratio <= TARGET_RATIO
    print(f"bare PySide6 window: median {bare_median * 1000:.0f} ms over {RUNS} runs")
    print(f"SPA Desk main window: median {desk_median * 1000:.0f} ms over {RUNS} runs")
    print(f"ratio {ratio:.2f} (target <= {TARGET_RATIO}): {'met' if met else 'MISSED'}")
    return {
        "bare_ms": [round(x * 1000, 1) for x in bare],
        "desk_ms": [round(x * 1000, 1) for x in desk],
        "bare_median_ms": round(bare_median * 1000, 1),
        "desk_median_ms": round(desk_median * 1000, 1),
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "target_met": met,
    }
