"""Runs the call-desk benchmark: each database generated (or reused) and measured in turn, its
figures printed and returned for bench/results/call-desk.json."""

from __future__ import annotations

import os
from typing import Any

from bench.call_desk.cache import build_postgres, build_sqlite
from bench.call_desk.gui_probe import bench_gui
from bench.call_desk.measure import measure
from bench.call_desk.settings import (
    CONTACTS,
    GUI_CALLS,
    PEOPLE,
    SAVE_P95_TARGET_MS,
    SAVED_CALLS,
    SEARCH_P95_TARGET_MS,
    SEED,
    STALL_TARGET_MS,
    TYPED_PEOPLE,
)
from bench.call_desk.stats import print_gui
from bench.call_desk.workload import SAVE_KINDS, Sought, keystrokes, plan_calls, sample_people
from db.engine import sqlite_url
from triage_rules import default_ruleset


def run(
    *, people: int = PEOPLE, contacts: int = CONTACTS, require_postgres: bool = False
) -> dict[str, Any]:
    """Generate (or reuse) the databases, measure and print the call desk figures.

    Each database is generated and measured before the next one is loaded, so the measurements
    never share the disk with a bulk load's write-back.
    """
    admin_url = os.environ.get("SPA_DESK_TEST_POSTGRES_URL")
    if require_postgres and not admin_url:
        raise SystemExit(
            "call-desk --postgres needs SPA_DESK_TEST_POSTGRES_URL: run it under "
            "scripts/with-postgres.sh (or ./dev.sh bench call-desk --postgres)"
        )
    result: dict[str, Any] = {"people": people, "contacts": contacts, "generation_seconds": {}}
    ruleset = default_ruleset()
    met = True
    sought: list[Sought] = []
    typed: list[tuple[str, str]] = []
    for number, name in enumerate(("SQLite", "PostgreSQL") if admin_url else ("SQLite",)):
        if admin_url and name == "PostgreSQL":
            url, seconds = build_postgres(admin_url, people, contacts)
        else:
            path, seconds = build_sqlite(people, contacts)
            url = sqlite_url(path)
            sought = sample_people(path, TYPED_PEOPLE, SEED)
            typed = keystrokes(sought)
            print(
                f"\ncall desk on {people:,} people and {contacts:,} contacts: {len(typed)} "
                f"keystrokes typing {len(sought) + 2} people, {SAVED_CALLS} calls saved "
                f"({', '.join(SAVE_KINDS)})"
            )
        result["generation_seconds"][name.lower()] = seconds and round(seconds)
        figures, staff = measure(
            name, url, typed=typed, sought=sought, ruleset=ruleset, seed=SEED + number
        )
        calls = plan_calls(GUI_CALLS, sought, staff, ruleset, SEED + 100 + number)
        figures["gui"] = bench_gui(url, typed, calls, ruleset)
        print_gui(figures["gui"])
        result[name.lower()] = figures
        met = met and figures["search"]["search"]["p95_ms"] < SEARCH_P95_TARGET_MS
        for key in ("save_call", "save_draft_first", "save_draft_answered"):
            met = met and figures["save"][key]["p95_ms"] < SAVE_P95_TARGET_MS
        met = met and figures["gui"]["busy"]["longest_stall_ms"] < STALL_TARGET_MS
    result["targets"] = {
        "search_p95_ms": SEARCH_P95_TARGET_MS,
        "save_p95_ms": SAVE_P95_TARGET_MS,
        "gui_stall_ms": STALL_TARGET_MS,
    }
    result["target_met"] = met
    print(f"\ncall desk targets: {'met' if met else 'MISSED'}")
    return result
