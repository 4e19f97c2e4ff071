"""Figures from timings: nearest-rank percentiles and summaries, and the printed tables that put
each figure beside its baselines and target."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

from bench.call_desk.settings import (
    GUI_CALLS,
    PROBE_INTERVAL_MS,
    SAVE_P95_TARGET_MS,
    SEARCH_P95_TARGET_MS,
    STALL_TARGET_MS,
)

P = ParamSpec("P")
T = TypeVar("T")


def _percentile(ordered: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of sorted values."""
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def summary(samples_ms: Sequence[float]) -> dict[str, float]:
    """Count, median, p95, p99 and maximum, in milliseconds."""
    ordered = sorted(samples_ms)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(_percentile(ordered, 0.95), 3),
        "p99_ms": round(_percentile(ordered, 0.99), 3),
        "max_ms": round(ordered[-1], 3),
    }


def _line(label: str, figures: dict[str, float], target: str = "", verdict: str = "") -> None:
    print(
        f"  {label:<42} {figures['n']:>5,.0f} {figures['p50_ms']:>8.2f} {figures['p95_ms']:>8.2f} "
        f"{figures['p99_ms']:>8.2f} {figures['max_ms']:>8.2f}  {target:<10} {verdict}"
    )


def _header(title: str) -> None:
    print(f"  {title:<42} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}  target")


def timed(job: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> tuple[float, T]:
    """Milliseconds ``job(*args, **kwargs)`` took, and what it returned."""
    start = time.perf_counter_ns()
    answer = job(*args, **kwargs)
    return (time.perf_counter_ns() - start) / 1e6, answer


def stall_summary(gaps_ms: Sequence[float]) -> dict[str, float]:
    """The probe's firings, longest stall beyond its interval, p99 and median gaps, in ms."""
    ordered = sorted(gaps_ms)
    return {
        "firings": len(ordered),
        "longest_stall_ms": round(max(0.0, ordered[-1] - PROBE_INTERVAL_MS), 2),
        "p99_gap_ms": round(_percentile(ordered, 0.99), 2),
        "median_gap_ms": round(statistics.median(ordered), 2),
    }


def _verdict(value: float, target: float) -> str:
    return "met" if value < target else "MISSED"


def print_database(name: str, search: dict[str, Any], save: dict[str, Any]) -> None:
    """Print one database's search and save figures beside their baselines and targets."""
    print(f"\n{name}")
    _header("search while typing")
    _line(
        "search_people, every keystroke",
        search["search"],
        f"p95 < {SEARCH_P95_TARGET_MS:.0f}",
        _verdict(search["search"]["p95_ms"], SEARCH_P95_TARGET_MS),
    )
    for kind, figures in search["by_kind"].items():
        _line(f"  {kind}", figures)
    _line("the same keystrokes again (pages now cached)", search["search_again"])
    _line("baseline: SELECT 1 through a session", search["baseline_select_1"])
    _line("baseline: one person by primary key", search["baseline_primary_key_read"])
    slow = ", ".join(f"{s['text']!r} {s['ms']:.1f}" for s in search["slowest"][:3])
    print(f"  slowest keystrokes (ms): {slow}; NHS numbers found: {search['nhs_numbers_found']}")
    _header("saving")
    _line(
        "save_call",
        save["save_call"],
        f"p95 < {SAVE_P95_TARGET_MS:.0f}",
        _verdict(save["save_call"]["p95_ms"], SAVE_P95_TARGET_MS),
    )
    for kind, figures in save["save_call_by_kind"].items():
        _line(f"  {kind}", figures)
    for key, label in (
        ("save_draft_first", "save_draft, first autosave (new row)"),
        ("save_draft_answered", "save_draft, answered (update)"),
    ):
        _line(
            label,
            save[key],
            f"p95 < {SAVE_P95_TARGET_MS:.0f}",
            _verdict(save[key]["p95_ms"], SAVE_P95_TARGET_MS),
        )
    _line("baseline: one-row UPDATE and commit", save["baseline_one_row_write"])


def print_gui(figures: dict[str, Any]) -> None:
    """Print the GUI probe's figures: stalls busy and at rest, and what a full collection costs."""
    busy, idle = figures["busy"], figures["idle"]
    stall = busy["longest_stall_ms"]
    print(
        f"  GUI event loop, {PROBE_INTERVAL_MS} ms timer probe: the same keystrokes and "
        f"{GUI_CALLS} calls through DeskBackend ({figures['seconds']:.1f} s), then at rest as long"
    )
    print(
        f"    longest stall {stall:.2f} ms, p99 gap {busy['p99_gap_ms']:.2f} ms "
        f"(at rest: {idle['longest_stall_ms']:.2f} ms, p99 gap {idle['p99_gap_ms']:.2f} ms); "
        f"target stall < {STALL_TARGET_MS:.0f} ms: {_verdict(stall, STALL_TARGET_MS)}"
    )
    print(
        f"    longest stall {busy['at_s']:.2f} s in, during: "
        f"{'; '.join(busy['during']) or 'nothing recorded'}"
    )
    s, v = figures["search_through_backend"], figures["save_through_backend"]
    print(
        f"    through the backend: search p95 {s['p95_ms']:.1f} ms, save_call p95 "
        f"{v['p95_ms']:.1f} ms; {busy['gc']['count']} garbage collections meanwhile, longest "
        f"{busy['gc']['longest_ms']:.1f} ms"
    )
    collection = figures["full_collection"]
    print(
        f"    a full garbage collection ({collection['objects']:,.0f} objects) takes "
        f"{collection['ms']:.1f} ms, stalling the GUI whichever thread runs it; after "
        f"gc.freeze() {collection['after_freeze_ms']:.1f} ms"
    )
