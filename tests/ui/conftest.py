"""Fixtures for driving the real desk: a qasync loop that pytest-qt's waiting spins, and a watch
on everything a test starts (after napari's conftest).

One loop serves the whole test session: a second qasync loop in the same process never hears
from worker threads once the first has been closed (its call-soon signaller stops delivering), so
the loop is shared and each test must finish what it started.

A test that leaves something running fails, naming where it was started: a QTimer still active, a
QThread still running, a job still running or queued on a thread pool (Qt's or Python's, such as
the desk's database worker), or an asyncio task still pending. What it left is stopped after the
report, so the next test starts clean. Windows a test leaves open are closed first, as closing
the desk would: what closing the window stops is not a leak. A test whose desk wrote a crash report
fails too, showing the report, unless it asks for ``crash_reports_expected``.
"""

from __future__ import annotations

import asyncio
import gc
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import pytest
import qasync
from PySide6.QtCore import QThread, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication

from tests.ui.call_desk import desk_for, people  # noqa: F401 - fixtures for the call tests

_WAIT_FOR_POOL_MS = 2000
HERE = Path(__file__).resolve()
ROOT = HERE.parents[2]


def _started_at() -> str:
    """Where in the project the thing being started was started: ``ui/call/x.py:12 (function)``."""
    for frame in reversed(traceback.extract_stack()[:-2]):
        path = Path(frame.filename)
        if not path.is_relative_to(ROOT) or path == HERE or ".venv" in path.parts:
            continue
        return f"{path.relative_to(ROOT)}:{frame.lineno} ({frame.name})"
    return "(outside the project)"


class Leaks:
    """What a test started, and where, so that what is still running at its end can be named."""

    def __init__(self) -> None:
        self.timers: WeakKeyDictionary[QTimer, str] = WeakKeyDictionary()
        self.threads: WeakKeyDictionary[QThread, str] = WeakKeyDictionary()
        self.qt_pool_jobs: list[tuple[QThreadPool, str]] = []
        self.pool_jobs: list[tuple[Future[Any], str]] = []

    def running(self) -> list[str]:
        """Everything still running, in words, stopping each so the next test starts clean."""
        found: list[str] = []
        for timer, where in list(self.timers.items()):
            if _alive(timer.isActive):
                found.append(f"a QTimer still active, started at {where}")
                timer.stop()
        for thread, where in list(self.threads.items()):
            if _alive(thread.isRunning):
                found.append(f"a QThread still running, started at {where}")
                thread.quit()
                try:
                    thread.wait(_WAIT_FOR_POOL_MS)
                except TypeError:  # a QThread subclass (qasync's workers) with its own wait()
                    thread.wait()
        for pool, where in self.qt_pool_jobs:
            if _alive(lambda pool=pool: pool.activeThreadCount() > 0):  # type: ignore[misc]
                found.append(f"a QThreadPool job still running, started at {where}")
                pool.clear()
                pool.waitForDone(_WAIT_FOR_POOL_MS)
        for future, where in self.pool_jobs:
            if not future.done():
                found.append(f"a thread pool job still running or queued, submitted at {where}")
                future.cancel()
        return found


def _alive(check: Callable[[], bool]) -> bool:
    """``check()``, or False when its Qt object has been deleted already."""
    try:
        return check()
    except RuntimeError:  # the C++ object is gone: nothing left running
        return False


def _watch(monkeypatch: pytest.MonkeyPatch, leaks: Leaks) -> None:
    timer_start = QTimer.start
    thread_start = QThread.start
    qt_pool_start = QThreadPool.start
    pool_submit = ThreadPoolExecutor.submit

    def start_timer(self: QTimer, *args: Any) -> None:
        leaks.timers[self] = _started_at()
        timer_start(self, *args)

    def start_thread(self: QThread, *args: Any) -> None:
        leaks.threads[self] = _started_at()
        thread_start(self, *args)

    def start_qt_pool_job(self: QThreadPool, *args: Any) -> None:
        leaks.qt_pool_jobs.append((self, _started_at()))
        qt_pool_start(self, *args)

    def submit(self: ThreadPoolExecutor, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = pool_submit(self, fn, *args, **kwargs)
        leaks.pool_jobs.append((future, _started_at()))
        return future

    monkeypatch.setattr(QTimer, "start", start_timer)
    monkeypatch.setattr(QThread, "start", start_thread)
    monkeypatch.setattr(QThreadPool, "start", start_qt_pool_job)
    monkeypatch.setattr(ThreadPoolExecutor, "submit", submit)


def _close_windows(qapp: QApplication) -> None:
    """Close every window the test left; hide those that refuse (a locked desk's log-in dialog
    ignores Escape), so that a failed test leaves no window on show for the next one to find."""
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.hide()
        widget.deleteLater()
    qapp.processEvents()


@pytest.fixture(autouse=True)
def _nothing_left_running(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test that leaves a timer, a thread, a pool job or (see ``qasync_loop``) a task."""
    leaks = Leaks()
    _watch(monkeypatch, leaks)
    yield
    _close_windows(qapp)
    for _ in range(20):  # a thread pool job that is finishing now is not a leak
        if all(future.done() for future, _where in leaks.pool_jobs):
            break
        QThread.msleep(10)
        qapp.processEvents()
    found = leaks.running()
    gc.unfreeze()  # a desk froze what it had loaded (spa_desk.memory.settle_memory); let it go
    if found:
        pytest.fail("The test left things running:\n- " + "\n- ".join(found), pytrace=False)


@pytest.fixture
def crash_reports_expected() -> None:
    """Asked for by a test that makes the desk meet a bug on purpose (see ``_no_crash_reports``)."""


@pytest.fixture(autouse=True)
def _no_crash_reports(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[None]:
    """Fail a test whose desk met a bug: the desk's crash handler (ui.shell.crash_handler) takes
    the exceptions pytest-qt would otherwise report, and writes a report in its data folder."""
    yield
    reports = sorted((tmp_path / "crash-reports").glob("*.txt"))
    if reports and "crash_reports_expected" not in request.fixturenames:
        report = reports[0].read_text(encoding="utf-8")
        pytest.fail(f"The desk met a bug and wrote a crash report:\n{report}", pytrace=False)


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
    """A qasync loop that runs whenever Qt's loop spins (``qtbot.waitUntil`` and friends).

    The test fails if it leaves an asyncio task pending; the task is cancelled after the report.
    """
    loop = _session_qasync_loop
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    yield loop
    _close_windows(qapp)
    for _ in range(20):  # closing the desk lets its own tasks end; give them the loop to do it
        if all(task.done() for task in asyncio.all_tasks(loop)):
            break
        qapp.processEvents()
        QThread.msleep(5)
    leftovers = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in leftovers:
        task.cancel()
    for _ in range(20):
        if all(task.done() for task in leftovers):
            break
        qapp.processEvents()
    if leftovers:
        named = "\n- ".join(f"an asyncio task still pending: {_task_words(t)}" for t in leftovers)
        pytest.fail(f"The test left things running:\n- {named}", pytrace=False)


def _task_words(task: asyncio.Task[Any]) -> str:
    """The coroutine a task runs, and where it is waiting."""
    coroutine = task.get_coro()
    name = getattr(coroutine, "__qualname__", repr(coroutine))
    frame = getattr(coroutine, "cr_frame", None)
    where = f" (at {frame.f_code.co_filename.split('/')[-1]}:{frame.f_lineno})" if frame else ""
    return f"{name}{where}"
