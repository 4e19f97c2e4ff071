"""Demo-data generation rate: a year of contacts on SQLite (target: under a minute).

The baseline, measured in the same run, is a bare ``sqlite3`` executemany of the same number of
minimal rows, so a slow machine shows up as a slow baseline rather than a slow generator.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from db.engine import sqlite_url
from spa_desk.database import open_database
from spa_desk.demo.generator import generate_demo_data

TARGET_SECONDS = 60.0
START = date(2025, 1, 1)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _baseline(rows: int, folder: Path) -> float:
    connection = sqlite3.connect(folder / "baseline.sqlite3")
    connection.execute("CREATE TABLE t (id TEXT PRIMARY KEY, started TEXT, kind TEXT, n INTEGER)")
    data = [(f"{i:032x}", "2025-01-01 00:00:00", "data", i) for i in range(rows)]
    start = time.perf_counter()
    with connection:
        connection.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", data)
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def _generate(url: str) -> tuple[int, float]:
    database = open_database(url)
    start = time.perf_counter()
    summary = generate_demo_data(database, months=12, start=START, seed=2024, now=NOW)
    elapsed = time.perf_counter() - start
    database.close()
    return summary.contacts, elapsed


def run() -> dict[str, Any]:
    """Generate a year on SQLite (and on PostgreSQL when a test server is given) and print rates."""
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        contacts, seconds = _generate(sqlite_url(workdir / "year.sqlite3"))
        baseline = _baseline(contacts, workdir)
    met = seconds < TARGET_SECONDS
    print(
        f"SQLite: a year = {contacts:,} contacts in {seconds:.1f} s "
        f"= {contacts / seconds:,.0f} contacts/s (target < {TARGET_SECONDS:.0f} s): "
        f"{'met' if met else 'MISSED'}"
    )
    print(
        f"baseline: bare sqlite3 executemany of {contacts:,} minimal rows in {baseline:.2f} s "
        f"= {contacts / baseline:,.0f} rows/s"
    )
    result.update(
        sqlite_contacts=contacts,
        sqlite_seconds=round(seconds, 2),
        sqlite_contacts_per_second=round(contacts / seconds),
        baseline_rows_per_second=round(contacts / baseline),
        target_seconds=TARGET_SECONDS,
        target_met=met,
    )
    admin_url = os.environ.get("SPA_DESK_TEST_POSTGRES_URL")
    if admin_url:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS spa_bench_demo"))
            connection.execute(text("CREATE DATABASE spa_bench_demo"))
        url = make_url(admin_url).set(database="spa_bench_demo")
        pg_contacts, pg_seconds = _generate(url.render_as_string(hide_password=False))
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE spa_bench_demo WITH (FORCE)"))
        admin.dispose()
        print(
            f"PostgreSQL: a year = {pg_contacts:,} contacts in {pg_seconds:.1f} s "
            f"= {pg_contacts / pg_seconds:,.0f} contacts/s"
        )
        result.update(
            postgres_seconds=round(pg_seconds, 2),
            postgres_contacts_per_second=round(pg_contacts / pg_seconds),
        )
    return result
