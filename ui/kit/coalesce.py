"""Refreshing on news without piling up: many announcements in a burst give one read, and news
that comes while a read is under way gives exactly one more read after it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class Coalesced:
    """Runs ``job`` when asked, never two at once, and once more if asked meanwhile."""

    def __init__(self, job: Callable[[], Awaitable[None]]) -> None:
        self._job = job
        self._task: asyncio.Task[None] | None = None
        self._again = False

    def request(self) -> None:
        """Run the job soon (or once more after the run under way)."""
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        while True:
            self._again = False
            await self._job()
            if not self._again:
                return

    def cancel(self) -> None:
        """Stop (the desk is closing or the reader is gone)."""
        if self._task is not None:
            self._task.cancel()
        self._again = False
