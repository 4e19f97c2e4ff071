"""The reports' CSV (SPEC 10): header ``section,key,value``, one figure a row.

Fractions are written from 0 to 1 with four decimals, seconds with one, counts as whole numbers,
times in ISO 8601 UTC; a figure that has no value (a median of nothing) is an empty value.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime

Row = tuple[str, str, str]

HEADER: Row = ("section", "key", "value")


def fraction(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def csv_text(rows: Iterable[Row]) -> str:
    """The CSV file's text, header first, lines ending ``\\n``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def read_csv(text: str) -> list[Row]:
    """The rows of a report CSV (the header checked and left out)."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or tuple(rows[0]) != HEADER:
        raise ValueError("not a report CSV: the first line is not section,key,value")
    return [(r[0], r[1], r[2]) for r in rows[1:] if len(r) == 3]
