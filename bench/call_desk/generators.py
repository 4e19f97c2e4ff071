"""Worker processes that generate the people's and contacts' rows a chunk at a time, ahead of
the process writing them to a database, so generating and writing overlap."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.pool import AsyncResult
from typing import Any

from bench.call_desk.contact_rows import contact_templates
from bench.call_desk.people_rows import (
    Chunk,
    drama_phones,
    family_names,
    given_names,
    nhs_number_of,
    nhs_test_range,
    part_count,
    worker,
)
from bench.call_desk.settings import CHUNK
from db.models import name_key
from triage_rules import default_ruleset


def start_worker(people: list[str], handlers: list[str]) -> None:
    """Set up a generating process: what every chunk it makes draws on."""
    family, cumulative = family_names()
    given = given_names()
    worker.update(
        people=people,
        handlers=handlers,
        templates=contact_templates(default_ruleset()),
        given=given,
        family=family,
        family_cumulative=cumulative,
        keys={name: name_key(name) for name in (*family, *given)},  # given and family alike
        phones=drama_phones(),
    )


class Generators:
    """Worker processes that generate chunks ahead of the writer, a few at a time, in order."""

    AHEAD = 3

    def __init__(self, people: list[str], handlers: list[str]) -> None:
        workers = max(1, (os.cpu_count() or 2) - 1)  # one core stays with the writer
        self._pool = multiprocessing.get_context("spawn").Pool(
            workers, initializer=start_worker, initargs=(people, handlers)
        )

    def chunks(
        self, job: Callable[..., Chunk], tasks: Iterator[tuple[Any, ...]]
    ) -> Iterator[Chunk]:
        """The results of ``job(*task)`` for each task, in order, never many waiting in memory."""
        waiting: deque[AsyncResult[Chunk]] = deque()
        for task in tasks:
            waiting.append(self._pool.apply_async(job, task))
            if len(waiting) >= self.AHEAD:
                yield waiting.popleft().get()
        while waiting:
            yield waiting.popleft().get()

    def close(self) -> None:
        """Stop the workers."""
        self._pool.terminate()
        self._pool.join()

    def __enter__(self) -> Generators:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def people_tasks(everyone: list[str], *, copy_text: bool) -> Iterator[tuple[Any, ...]]:
    """The arguments of ``people_chunk`` for every chunk of ``everyone``."""
    pool = nhs_test_range()
    for part, start in enumerate(range(0, len(everyone), CHUNK)):
        chunk = everyone[start : start + CHUNK]
        nhs = [nhs_number_of(start + i, pool) for i in range(len(chunk))]
        yield part, chunk, nhs, copy_text


def contact_tasks(count: int, *, copy_text: bool) -> Iterator[tuple[Any, ...]]:
    """The arguments of ``contact_chunk`` for every chunk of ``count`` contacts."""
    for part in range(part_count(count)):
        yield part, count, copy_text
