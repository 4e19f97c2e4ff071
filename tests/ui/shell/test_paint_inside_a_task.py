"""A desk painted from inside an asyncio task (a desk started again after a log-out, a crash, or
a second desk in the same process) must not step the other tasks inside its own: asyncio refuses
such a step, and the refused task waits for ever (a desk's live refresh never ran again)."""

from __future__ import annotations

import asyncio

from pytestqt.qtbot import QtBot

from ui.shell.main_window import MainWindow, paint_now


def test_painting_a_window_inside_a_task_leaves_the_other_tasks_running(
    qasync_loop: asyncio.AbstractEventLoop, qtbot: QtBot
) -> None:
    problems: list[dict[str, object]] = []
    qasync_loop.set_exception_handler(lambda _loop, context: problems.append(context))
    steps: list[int] = []

    async def other_desk_refreshing() -> None:
        for step in range(5):
            steps.append(step)
            await asyncio.sleep(0)

    async def starting_a_desk() -> MainWindow:
        other = asyncio.ensure_future(other_desk_refreshing())
        await asyncio.sleep(0)  # the other task is part-way through, its next step queued
        window = MainWindow()
        paint_now(window)
        await other
        return window

    try:
        started = asyncio.ensure_future(starting_a_desk())
        qtbot.waitUntil(started.done, timeout=5_000)
        window = started.result()
        qtbot.addWidget(window)
        assert window.isVisible()
        assert steps == [0, 1, 2, 3, 4]
        assert problems == []
    finally:
        qasync_loop.set_exception_handler(None)
