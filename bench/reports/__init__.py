"""The SPA manager's reports (issue 13): ``python -m bench reports`` (``./dev.sh bench reports``
also starts a PostgreSQL server, so both databases are measured).

On a year of demo data of 150,000 contacts (12,500 a month, a little over the reference SPA's
12,000; the month, its last, about 12,300), on SQLite and on PostgreSQL: a shift report, a month
and a year. Each is timed twice over: its figures, beside the very SQL they ran replayed alone on
the driver in the same run (target: no more than 3x the raw queries), and the whole report as a
manager gets it, figures, PDF and CSV (targets: a month under 3 s, a year under 15 s). Then the
dashboard on the year's busiest shift: its refresh (target under 200 ms) and the GUI thread's
longest stall while it refreshes (target under 50 ms). The databases are made once and kept in
bench/results/cache.
"""

from __future__ import annotations

from typing import Any

from bench.reports.dashboard_probe import bench_dashboard
from bench.reports.main import (
    MANAGER,
    TARGETS,
    bench_database,
    postgres_database,
    sqlite_database,
    verdict,
)


def run() -> dict[str, Any]:
    """The benchmark's figures, and whether every target was met."""
    result: dict[str, Any] = {"targets": TARGETS}
    urls = {"sqlite": sqlite_database(), "postgresql": postgres_database()}
    met = True
    for name, url in urls.items():
        if url is None:
            print(f"  {name}: no server (./dev.sh bench reports starts one)", flush=True)
            continue
        print(f"  {name}:", flush=True)
        figures = bench_database(url)
        figures["dashboard"] = bench_dashboard(url, MANAGER)
        print(f"  dashboard {figures['dashboard']}", flush=True)
        dashboard_met = (
            figures["dashboard"]["refresh_ms"]["p95"] < TARGETS["refresh_ms"]
            and figures["dashboard"]["gui"]["longest_stall_ms"] < TARGETS["stall_ms"]
        )
        figures["target_met"] = verdict(figures) and dashboard_met
        met = met and figures["target_met"]
        result[name] = figures
    result["target_met"] = met
    return result


__all__ = ["run"]
