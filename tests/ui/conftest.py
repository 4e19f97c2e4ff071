"""Fixtures for driving the real desk: a qasync loop that pytest-qt's waiting spins.

One loop serves the whole test session: a second qasync loop in the same process never hears
from worker threads once the first has been closed (its call-soon signaller stops delivering), so
the loop is shared and each test only cancels what it left behind.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from tests.ui.call_desk import desk_for, people  # noqa: F401 - fixtures for the call tests


@pytest.fixture(scope="session")
def _session_qasync_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    loop.stop()
    asyncio.events._set_running_loop(None)
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def qasync_loop(
    _session_qasync_loop: asyncio.AbstractEventLoop, qapp: QApplication
) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop that runs whenever Qt's loop spins (``qtbot.waitUntil`` and friends)."""
    loop = _session_qasync_loop
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    yield loop
    leftovers = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in leftovers:
        task.cancel()
    for _ in range(20):
        if all(task.done() for task in leftovers):
            break
        qapp.processEvents()
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    qapp.processEvents()
    gc.unfreeze()  # a desk froze what it had loaded (ui.kit.backend.settle_memory); let it go
