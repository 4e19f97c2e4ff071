"""Start-up: the desk from launch to a painted main window, against a bare PySide6 window.

Both run as fresh processes, offscreen, alternately, several times, and report (through
``ui.shell.startup_timing``) how long after launch their main window was first painted; the desk
also reports when the current shift's contacts were on screen, after logging in as the demo call
handler on a SQLite database holding a month of demo data (``spa-desk --screenshot``). The
process's whole run, to the saved PNG, is timed too. Target: first paint ratio no more than 2.0.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from db.engine import sqlite_url
from spa_desk.database import open_database
from spa_desk.demo.generator import generate_demo_data
from spa_desk.demo.volume import add_months
from spa_desk.local_time import LONDON

RUNS = 9
TARGET_RATIO = 2.0
MILESTONE = re.compile(r"^startup: (.+) ([0-9.]+) ms$", re.MULTILINE)


def _launch(command: list[str], env: dict[str, str]) -> dict[str, float]:
    launched = time.time()
    start = time.perf_counter()
    result = subprocess.run(
        command,
        env=dict(env, SPA_DESK_STARTUP_T0=repr(launched)),
        check=True,
        capture_output=True,
        text=True,
    )
    times = {name: float(ms) for name, ms in MILESTONE.findall(result.stderr)}
    times["process exit"] = (time.perf_counter() - start) * 1000
    return times


def _median(runs: list[dict[str, float]], milestone: str) -> float:
    return statistics.median(run[milestone] for run in runs)


def run() -> dict[str, Any]:
    """Measure and print the start-up figures and the ratio."""
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        url = sqlite_url(workdir / "bench.sqlite3")
        database = open_database(url)
        today = datetime.now(LONDON).date()
        generate_demo_data(database, months=1, start=add_months(today, -1), seed=11)
        database.close()
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(workdir))
        bare_cmd = [sys.executable, "-m", "bench.bare_window", str(workdir / "bare.png")]
        desk_cmd = [
            sys.executable, "-m", "ui.shell.launcher",
            "--database", url, "--screenshot", str(workdir / "desk.png"),
        ]  # fmt: skip
        _launch(bare_cmd, env)  # warm the file cache for both
        _launch(desk_cmd, env)
        bare: list[dict[str, float]] = []
        desk: list[dict[str, float]] = []
        for _ in range(RUNS):
            bare.append(_launch(bare_cmd, env))
            desk.append(_launch(desk_cmd, env))
    result: dict[str, Any] = {"runs": RUNS, "bare": bare, "desk": desk}
    for milestone in ("main window painted", "shift contacts shown", "process exit"):
        bare_ms, desk_ms = _median(bare, milestone), _median(desk, milestone)
        ratio = desk_ms / bare_ms
        key = milestone.replace(" ", "_")
        result[key] = {"bare_ms": round(bare_ms, 1), "desk_ms": round(desk_ms, 1)}
        result[key]["ratio"] = round(ratio, 2)
        print(
            f"{milestone:>22}: desk {desk_ms:6.0f} ms, bare PySide6 window {bare_ms:6.0f} ms, "
            f"ratio {ratio:.2f} (medians of {RUNS})"
        )
    ratio = result["main_window_painted"]["ratio"]
    result["target_ratio"] = TARGET_RATIO
    result["target_met"] = ratio <= TARGET_RATIO
    print(
        f"main window painted: ratio {ratio:.2f} (target <= {TARGET_RATIO}): "
        f"{'met' if result['target_met'] else 'MISSED'}"
    )
    return result
