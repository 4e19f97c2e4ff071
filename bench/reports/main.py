"""The reports benchmark (see the package's words): build or reuse the databases, time each
report beside its own SQL replayed alone, and the dashboard's refresh on a year of data."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from spa_desk.database import Database, open_database
from spa_desk.domain import CurrentUser
from spa_desk.local_time import local_days_to_utc
from spa_desk.reports.files import gaps_files, shift_files, trends_files
from spa_desk.reports.gaps import service_gaps
from spa_desk.reports.period import period_figures
from spa_desk.reports.shift_report import named_shift, shift_report
from spa_desk.reports.trends import trends
from spa_desk.settings import Settings
from spa_desk.vocabulary import Role

CACHE_DIR = Path(__file__).parent.parent / "results" / "cache"
DATA_VERSION = 3
"""Bump when the demo data changes shape, so cached databases are made again."""
PER_MONTH = 12_500
"""Issue 13's year is 150,000 contacts: a little over the reference SPA's 12,000 a month."""
FIRST_DAY = date(2025, 10, 1)
"""The year of data: October 2025 to September 2026; the month is its last, September 2026."""
MONTH = (date(2026, 9, 1), date(2026, 9, 30))
YEAR = (date(2025, 10, 1), date(2026, 9, 30))
SHIFT = (date(2026, 9, 14), "early")
"""A Monday early shift, the busiest of the week."""
REPEATS = 3
TARGETS = {"month_s": 3.0, "year_s": 15.0, "vs_raw": 3.0, "refresh_ms": 200.0, "stall_ms": 50.0}
MANAGER = CurrentUser(
    id=uuid.uuid4(), username="bench", display_name="Bench Manager", roles=(Role.SPA_MANAGER,)
)


def _cli(url: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "ui.shell.launcher", "--database", url, *args],
        check=True, capture_output=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip


def _fill(url: str) -> None:
    print(f"  generating a year of demo data in {make_url(url).render_as_string()}", flush=True)
    began = time.perf_counter()
    _cli(url, "db", "upgrade")
    _cli(url, "demo-data", "--months", "12", "--start", FIRST_DAY.isoformat(), "--seed", "13",
         "--per-month", str(PER_MONTH))  # fmt: skip
    print(f"  ... in {time.perf_counter() - began:.0f} s", flush=True)


def sqlite_database() -> str:
    """The cached SQLite year, made first when missing."""
    path = CACHE_DIR / f"reports-year-v{DATA_VERSION}.sqlite3"
    url = f"sqlite+pysqlite:///{path}"
    if not path.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        _fill(f"sqlite+pysqlite:///{partial}")
        partial.replace(path)
    _cli(url, "db", "upgrade")
    return url


def postgres_database() -> str | None:
    """The PostgreSQL year on the server ``SPA_DESK_TEST_POSTGRES_URL`` names (made when
    missing), or None without a server."""
    admin_url = os.environ.get("SPA_DESK_TEST_POSTGRES_URL")
    if not admin_url:
        return None
    name = f"spa_desk_bench_reports_v{DATA_VERSION}"
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        known = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        filled = False
        if known:
            probe = create_engine(url)
            with probe.connect() as inside:
                filled = bool(inside.scalar(text("SELECT count(*) > 140000 FROM contacts")))
            probe.dispose()
        if not filled:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    if not filled:
        _fill(url)
    _cli(url, "db", "upgrade")
    return url


@contextmanager
def recorded(database: Database) -> Iterator[list[tuple[str, Any]]]:
    """Every statement ``database`` runs meanwhile, with its parameters, as the driver got it."""
    statements: list[tuple[str, Any]] = []

    def keep(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        statements.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", keep)


def replay(database: Database, statements: list[tuple[str, Any]]) -> float:
    """Seconds the database takes to run ``statements`` alone and hand back every row."""
    raw = database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        began = time.perf_counter()
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            if cursor.description is not None:
                cursor.fetchall()
        spent = time.perf_counter() - began
        raw.rollback()
        return spent
    finally:
        raw.close()


def _median_time(job: Callable[[], object]) -> float:
    spent = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        job()
        spent.append(time.perf_counter() - began)
    return statistics.median(spent)


def measure(database: Database, name: str, figures: Callable[[], object],
            report: Callable[[], object]) -> dict[str, Any]:  # fmt: skip
    """One report: its figures beside the same SQL replayed alone, and the whole report (figures,
    PDF and CSV)."""
    figures()  # warm: the database's cache, the statements' compilation
    with recorded(database) as statements:
        figures()
    figures_s = _median_time(figures)
    raw_s = statistics.median(replay(database, statements) for _ in range(REPEATS))
    report_s = _median_time(report)
    result = {
        "statements": len(statements),
        "raw_queries_s": round(raw_s, 3),
        "figures_s": round(figures_s, 3),
        "figures_vs_raw": round(figures_s / raw_s, 2) if raw_s else None,
        "whole_report_s": round(report_s, 3),
    }
    print(f"  {name:<6} {result}", flush=True)
    return result


def bench_database(url: str) -> dict[str, Any]:
    settings = Settings()
    database = open_database(url, upgrade_schema=False)
    try:
        shift = named_shift(SHIFT[0], SHIFT[1], settings.shifts)
        now = datetime(2026, 10, 1, 12, tzinfo=UTC)
        result: dict[str, Any] = {
            "shift": measure(
                database,
                "shift",
                lambda: shift_report(database, MANAGER, shift, settings, now=now),
                lambda: shift_files(database, MANAGER, shift, settings, now=now),
            )
        }
        for name, (first, last) in (("month", MONTH), ("year", YEAR)):
            start, end = local_days_to_utc(first, last)

            def figures(first: date = first, last: date = last, start: datetime = start,
                        end: datetime = end) -> object:  # fmt: skip
                period_figures(database, MANAGER, start, end, as_of=now)
                trends(database, MANAGER, first, last)
                return service_gaps(database, MANAGER, first, last)

            def whole(first: date = first, last: date = last, start: datetime = start,
                      end: datetime = end) -> object:  # fmt: skip
                period_figures(database, MANAGER, start, end, as_of=now)
                trends_files(database, MANAGER, first, last)
                return gaps_files(database, MANAGER, first, last)

            result[name] = measure(database, name, figures, whole)
        with database.sessions() as session:
            result["contacts_in_year"] = session.scalar(text("SELECT count(*) FROM contacts"))
        return result
    finally:
        database.close()


def verdict(result: dict[str, Any]) -> bool:
    return bool(
        result["month"]["whole_report_s"] < TARGETS["month_s"]
        and result["year"]["whole_report_s"] < TARGETS["year_s"]
        and all(
            (result[scope]["figures_vs_raw"] or 0) <= TARGETS["vs_raw"]
            for scope in ("shift", "month", "year")
        )
    )
