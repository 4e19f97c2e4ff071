"""The GUI probe: a Qt application on a qasync loop whose 5 ms timer records the gaps between
its firings while the desk searches and saves through DeskBackend, naming what ran in a stall."""

from __future__ import annotations

import gc
import itertools
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from bench.call_desk.settings import PROBE_INTERVAL_MS
from bench.call_desk.stats import stall_summary, summary, timed
from bench.call_desk.workload import PlannedCall
from spa_desk.calls.draft import save_draft
from spa_desk.calls.save import save_call
from spa_desk.people.records import open_person
from spa_desk.people.search import search_people
from triage_rules import RuleSet

T = TypeVar("T")


class Timeline:
    """What ran when (database jobs, GUI work, garbage collections), to name a stall's cause."""

    def __init__(self) -> None:
        self.spans: list[tuple[float, float, str]] = []
        self._collecting: dict[int, float] = {}

    def add(self, start: float, end: float, label: str) -> None:
        """Record that ``label`` ran from ``start`` to ``end`` (perf_counter seconds)."""
        self.spans.append((start, end, label))

    def on_gc(self, phase: str, info: dict[str, Any]) -> None:
        """A ``gc.callbacks`` hook: every collection becomes a span."""
        thread = threading.get_ident()
        if phase == "start":
            self._collecting[thread] = time.perf_counter()
        elif thread in self._collecting:
            start = self._collecting.pop(thread)
            where = threading.current_thread().name
            self.add(start, time.perf_counter(), f"gc gen {info['generation']} on {where}")

    def during(self, start: float, end: float) -> list[str]:
        """What overlapped [start, end] most, longest overlap first (at most three)."""
        overlaps = sorted(
            ((min(end, e) - max(start, s), label) for s, e, label in self.spans),
            reverse=True,
        )
        return [
            f"{label} ({overlap * 1000:.0f} ms of it)"
            for overlap, label in overlaps[:3]
            if overlap > 0.001
        ]

    def collections(self, start: float, end: float) -> dict[str, float]:
        """How many garbage collections ran in [start, end] and the longest, in ms."""
        pauses = [
            e - s for s, e, label in self.spans if label.startswith("gc") and start <= s < end
        ]
        return {"count": len(pauses), "longest_ms": round(max(pauses, default=0.0) * 1000, 2)}


def bench_gui(
    url: str, typed: Sequence[tuple[str, str]], calls: Sequence[PlannedCall], ruleset: RuleSet
) -> dict[str, Any]:
    """The probe's gaps while ``typed`` and ``calls`` run through a DeskBackend, and at rest."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")
    import asyncio

    import qasync
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QListWidget

    from spa_desk.memory import settle_memory
    from ui.kit.backend import DeskBackend
    from ui.shell.qt_messages import quieten_harmless_qt_messages

    quieten_harmless_qt_messages()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    ticks: list[float] = []
    timeline = Timeline()
    probe = QTimer()
    probe.setTimerType(Qt.TimerType.PreciseTimer)
    probe.setInterval(PROBE_INTERVAL_MS)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    results_list = QListWidget()
    results_list.resize(500, 400)
    results_list.show()

    def stalls(start: float, end: float) -> dict[str, Any]:
        times = [t for t in ticks if start <= t <= end]
        gaps = [(b - a, b) for a, b in itertools.pairwise(times)]
        figures: dict[str, Any] = stall_summary([gap * 1000 for gap, _ in gaps])
        longest, at = max(gaps)
        figures["at_s"] = round(at - longest - start, 3)
        figures["during"] = timeline.during(at - longest, at)
        figures["gc"] = timeline.collections(start, end)
        return figures

    async def run_job(
        backend: DeskBackend, label: str, job: Callable[..., T], *args: Any, **kwargs: Any
    ) -> T:
        start = time.perf_counter()
        try:
            return await backend.run(job, *args, **kwargs)
        finally:
            timeline.add(start, time.perf_counter(), label)

    async def load(
        backend: DeskBackend, typed: Sequence[tuple[str, str]], calls: Sequence[PlannedCall]
    ) -> dict[str, list[float]]:
        latencies: dict[str, list[float]] = {"search": [], "save": []}
        actor = calls[0].actor
        for _what, typed_text in typed:
            start = time.perf_counter()
            found = await run_job(
                backend, f"search {typed_text!r}", search_people, actor, typed_text
            )
            shown = time.perf_counter()
            results_list.clear()
            results_list.addItems([f"{p.name}  {p.nhs_label}" for p in found.people])
            timeline.add(shown, time.perf_counter(), "showing the results (GUI thread)")
            latencies["search"].append((time.perf_counter() - start) * 1000)
        for call in calls:
            await run_job(backend, "save_draft", save_draft, call.actor, call.first)
            if call.consent is not None and call.draft.person_id is not None:
                person_id, contact_id = call.draft.person_id, call.draft.contact_id
                await run_job(
                    backend, "open_person", open_person, call.actor, person_id, call.consent,
                    contact_id=contact_id,
                )  # fmt: skip
            await run_job(backend, "save_draft", save_draft, call.actor, call.draft)
            start = time.perf_counter()
            label = f"save_call ({call.kind})"
            await run_job(backend, label, save_call, call.actor, call.draft, ruleset)
            latencies["save"].append((time.perf_counter() - start) * 1000)
        return latencies

    async def scenario() -> dict[str, Any]:
        backend = DeskBackend(url)
        try:
            await backend.database()
            await backend.run(search_people, calls[0].actor, typed[0][1])  # warm the thread
            settle_memory()  # as the desk does after log-in (DeskSession.prepare_for_calls)
            probe.start()
            await asyncio.sleep(0.05)
            start = time.perf_counter()
            latencies = await load(backend, typed, calls)
            busy_until = time.perf_counter()
            await asyncio.sleep(busy_until - start)
            idle_until = time.perf_counter()
            probe.stop()
            collection = full_collection()
        finally:
            backend.close()
        return {
            "seconds": round(busy_until - start, 1),
            "full_collection": collection,
            "busy": stalls(start, busy_until),
            "idle": stalls(busy_until, idle_until),
            "search_through_backend": summary(latencies["search"]),
            "save_through_backend": summary(latencies["save"]),
        }

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    gc.callbacks.append(timeline.on_gc)
    try:
        result: dict[str, Any] = loop.run_until_complete(scenario())
    finally:
        gc.callbacks.remove(timeline.on_gc)
        results_list.close()
        loop.close()
        asyncio.set_event_loop(None)
    return result


def full_collection() -> dict[str, float]:
    """What a full (generation 2) garbage collection of this process costs, as it stands and
    after ``gc.freeze()``; whichever thread triggers one holds the GIL, the GUI thread waits."""
    objects = len(gc.get_objects())
    spent = statistics.median(timed(gc.collect)[0] for _ in range(3))
    gc.freeze()
    try:
        frozen = statistics.median(timed(gc.collect)[0] for _ in range(3))
    finally:
        gc.unfreeze()
    return {"objects": objects, "ms": round(spent, 1), "after_freeze_ms": round(frozen, 1)}
