"""``spa-desk demo-data`` as a real process, on the real clock: without ``--start`` the data runs
up to the moment the command runs; a ``--start`` that has not begun yet is refused in words. And
what the command says it made."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from db.models import Contact
from spa_desk.cli.demo_data import describe
from spa_desk.database import open_database
from spa_desk.demo.generator import DemoSummary, database_is_empty
from spa_desk.demo.volume import local_midnight
from spa_desk.local_time import LONDON
from tests.cli_process import run_spa_desk


def test_demo_data_without_start_runs_up_to_now(
    sqlite_database_url: str, isolated_home: Path
) -> None:
    before = datetime.now(UTC)
    made = run_spa_desk(
        "--database", sqlite_database_url, "demo-data", "--months", "1", "--seed", "3",
        home=isolated_home,
    )  # fmt: skip
    after = datetime.now(UTC)
    assert made.returncode == 0, made.stderr
    assert "up to now" in made.stdout and "open draft" in made.stdout, made.stdout
    database = open_database(sqlite_database_url)
    try:
        with database.sessions() as session:
            newest = session.execute(select(func.max(Contact.started_at))).scalar_one()
            drafts = session.execute(
                select(func.count()).where(Contact.status == "draft")
            ).scalar_one()
            first = session.execute(select(func.min(Contact.started_at))).scalar_one()
    finally:
        database.close()
    assert before - timedelta(hours=6) < newest < after  # at 4 a.m. calls are hours apart
    assert 1 <= drafts <= 3
    today = before.astimezone(LONDON).date()
    assert 28 <= (today - first.astimezone(LONDON).date()).days + 1 <= 31


def test_demo_data_refuses_a_start_in_the_future(
    sqlite_database_url: str, isolated_home: Path
) -> None:
    later = datetime.now(LONDON).date() + timedelta(days=2)
    result = run_spa_desk(
        "--database", sqlite_database_url, "demo-data", "--months", "1",
        "--start", later.isoformat(), home=isolated_home,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert "has not started yet" in result.stderr, result.stderr
    database = open_database(sqlite_database_url)
    try:
        assert database_is_empty(database)
    finally:
        database.close()


def _summary(start: date, end: date, stop: datetime, drafts: int, left_out: int) -> DemoSummary:
    return DemoSummary(
        people=2_000, contacts=11_000, drafts=drafts, calls_in_progress=left_out, users=19,
        services=21, start=start, end=end, stop=stop, seconds=4.25,
    )  # fmt: skip


def test_what_demo_data_says_it_made() -> None:
    now = datetime(2026, 11, 30, 10, 15, tzinfo=UTC)
    up_to_now = describe(_summary(date(2026, 10, 31), date(2026, 12, 1), now, 2, 3), "here")
    assert up_to_now == [
        "Demo data in here: 11,000 contacts about 2,000 people, 19 staff, 21 services, "
        "31 Oct 2026 up to now (30 Nov 2026 10:15), in 4.2 s.",
        "2 call(s) in progress now are open drafts (3 more, still ringing or talking, left out): "
        "demo data holds nothing from the future.",
    ]
    february = _summary(date(2026, 2, 1), date(2026, 3, 1), local_midnight(date(2026, 3, 1)), 0, 0)
    assert february.up_to_now is False
    assert describe(february, "here") == [
        "Demo data in here: 11,000 contacts about 2,000 people, 19 staff, 21 services, "
        "01 Feb 2026 to 28 Feb 2026, in 4.2 s."
    ]
