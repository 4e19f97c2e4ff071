"""Typed glue between qasync and the rest of the desk: async slots and one database worker."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar, cast

import qasync

P = ParamSpec("P")
T = TypeVar("T")

AsyncMethod = Callable[P, Coroutine[Any, Any, None]]


def async_slot(*types: type) -> Callable[[AsyncMethod[P]], Callable[P, None]]:
    """``qasync.asyncSlot`` with types mypy can follow: the slot schedules the coroutine."""
    return cast(Callable[[AsyncMethod[P]], Callable[P, None]], qasync.asyncSlot(*types))


def settle(future: asyncio.Future[T], value: T) -> None:
    """Give ``future`` its result unless it already has one (Qt may signal twice)."""
    if not future.done():
        future.set_result(value)


class DatabaseExecutor:
    """One worker thread that runs every database job, so the GUI thread never waits for one.

    A job is a plain function of the service layer; it never touches a widget.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spa-desk-db")

    async def run(self, job: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``job(*args, **kwargs)`` on the database thread and wait for it without blocking."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(job, *args, **kwargs))

    def shutdown(self) -> None:
        """Finish the job in hand, drop queued ones and stop the thread."""
        self._pool.shutdown(wait=True, cancel_futures=True)
