"""The headless commands end to end, as real processes: demo data, export, screenshot."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from db.models import Contact
from spa_desk.database import open_database
from spa_desk.local_time import local_days_to_utc
from tests.cli_process import run_spa_desk


def test_demo_data_then_export_then_screenshot(
    sqlite_database_url: str, isolated_home: Path, tmp_path: Path
) -> None:
    url = ("--database", sqlite_database_url)
    made = run_spa_desk(
        *url, "demo-data", "--months", "1", "--start", "2026-02-01", "--seed", "5",
        home=isolated_home,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "calls: " in made.stderr and "(100%)" in made.stderr  # progress on the terminal
    assert "01 Feb 2026 to 28 Feb 2026" in made.stdout

    again = run_spa_desk(*url, "demo-data", "--months", "1", home=isolated_home)
    assert again.returncode == 1
    assert "already holds" in again.stderr and "Traceback" not in again.stderr
    kept = run_spa_desk(*url, "demo-data", "--months", "1", "--if-empty", home=isolated_home)
    assert kept.returncode == 0 and "left as it is" in kept.stdout

    target = tmp_path / "february.csv"
    exported = run_spa_desk(
        *url, "export", "contacts", "--from", "2026-02-02", "--to", "2026-02-08",
        "--csv", str(target), home=isolated_home,
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    with target.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    database = open_database(sqlite_database_url)
    start, end = local_days_to_utc(date(2026, 2, 2), date(2026, 2, 8))
    with database.sessions() as session:
        stored = session.execute(
            select(func.count()).where(
                Contact.started_at >= start, Contact.started_at < end, Contact.status == "complete"
            )
        ).scalar_one()
    database.close()
    assert len(rows) == stored > 2000  # a week at ~12,000 a month
    assert f"Exported {stored:,} contacts." in exported.stderr
    assert {row["outcome"] for row in rows} == {"resolved", "referred", "non_data", "emergency"}
    assert all(row["started_at"].endswith("Z") for row in rows)

    shot = tmp_path / "desk.png"
    shown = run_spa_desk(*url, "--screenshot", str(shot), home=isolated_home)
    assert shown.returncode == 0, shown.stderr
    assert shown.stderr == ""
    assert f"Saved a screenshot of the main window to {shot}" in shown.stdout
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 720)
    colours = {image.pixel(x, y) for x in range(0, 1280, 8) for y in range(0, 720, 8)}
    assert len(colours) > 5  # text and widgets, not a blank picture
