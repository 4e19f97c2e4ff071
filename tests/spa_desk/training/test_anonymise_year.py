"""The anonymiser over a whole demo year (SPEC 7: "no personal data may survive"): none of the
database's identifiers is in what it writes. Slow (a year is about 130,000 data contacts, some
minutes): run with ``./dev.sh test -m slow``."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from spa_desk.database import open_database
from spa_desk.demo.generator import generate_demo_data
from spa_desk.training.anonymise import anonymise
from spa_desk.training.sample_calls import sample_call_files
from tests.spa_desk.training.test_anonymise import identifiers_leaked


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_a_whole_demo_year_leaves_no_identifier(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'year.sqlite3'}")
    try:
        generate_demo_data(
            database,
            months=12,
            start=date(2025, 1, 1),
            seed=7,
            now=datetime(2026, 1, 2, tzinfo=UTC),
        )
        first, last = date(2025, 1, 1), date(2025, 12, 31)
        began = time.perf_counter()
        done = anonymise(database, None, first, last, tmp_path / "calls", seed=3)
        took = time.perf_counter() - began
        assert done.written > 100_000 and done.skipped == ()
        assert len(sample_call_files(tmp_path / "calls")) == done.written
        leaks = identifiers_leaked(database, tmp_path / "calls", first, last)
        print(f"\n{done.written:,} calls in {took:.0f} s; {leaks.checked:,} identifiers checked")
        assert leaks.words == set() and leaks.numbers == set()
    finally:
        database.close()
