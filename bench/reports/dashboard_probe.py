"""The dashboard on a year of data: how long a refresh takes (from asking to the last bar on
screen) and the longest stall of the GUI thread meanwhile, with a 5 ms timer as the probe."""

from __future__ import annotations

import itertools
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from typing import Any

from bench.call_desk.stats import stall_summary
from spa_desk.domain import CurrentUser
from spa_desk.settings import Settings

REFRESHES = 20
NOW = datetime(2026, 9, 14, 11, 30, tzinfo=UTC)
"""Half way through the busy Monday early shift of the benchmark's year."""


def bench_dashboard(url: str, manager: CurrentUser) -> dict[str, Any]:
    """Refresh the dashboard ``REFRESHES`` times on ``url``; its times and the GUI's stalls."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import asyncio

    import qasync
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from bench.call_desk.settings import PROBE_INTERVAL_MS
    from spa_desk.memory import settle_memory
    from ui.kit.backend import DeskBackend
    from ui.reports.controller import DashboardController
    from ui.shell.qt_messages import quieten_harmless_qt_messages

    quieten_harmless_qt_messages()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    ticks: list[float] = []
    probe = QTimer()
    probe.setTimerType(Qt.TimerType.PreciseTimer)
    probe.setInterval(PROBE_INTERVAL_MS)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))

    async def scenario() -> dict[str, Any]:
        backend = DeskBackend(url)
        board = DashboardController(backend, manager, lambda: NOW, Settings())
        board.page.resize(1280, 720)
        board.page.show()
        try:
            await backend.database()
            await board.refresh()  # warm: the first query plans, the charts' first paint
            settle_memory()
            probe.start()
            await asyncio.sleep(0.1)
            refreshes = []
            for _ in range(REFRESHES):
                await board.refresh()
                assert board.refresh_ms is not None
                refreshes.append(board.refresh_ms)
                await asyncio.sleep(0.05)
            probe.stop()
        finally:
            board.page.close()
            backend.close()
        gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
        ordered = sorted(refreshes)
        return {
            "contacts_in_shift": board.shown.figures.contacts if board.shown else None,
            "refresh_ms": {
                "median": round(statistics.median(ordered), 1),
                "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
                "max": round(ordered[-1], 1),
            },
            "gui": stall_summary(gaps),
        }

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        result: dict[str, Any] = loop.run_until_complete(scenario())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    return result
