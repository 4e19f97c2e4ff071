"""The desk's own disk, off the GUI thread: the call journal, the phone journal.

Every write there (each one synced to the disk) runs on one worker thread of its own, in the
order asked: not on the GUI thread, where a slow disk would freeze the desk, and not behind a
database job that may be waiting for a server that does not answer.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_DISK = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spa-desk-disk")


async def on_disk(job: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``job(*args, **kwargs)`` on the disk's thread, after the jobs asked before it."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_DISK, functools.partial(job, *args, **kwargs))
