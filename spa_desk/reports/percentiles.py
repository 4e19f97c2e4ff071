"""Percentiles in the database: the median and the 90th percentile by group, the same on SQLite
(which has no percentile function) and PostgreSQL.

Window functions rank each group's values (``row_number`` and ``count`` over the group); only
the two ranked values either side of each percentile come back, and the percentile is the
straight line between them, as PostgreSQL's ``percentile_cont`` and NumPy's default give it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.orm import Session

from spa_desk.reports.figures import SHARES, Percentiles

_WANTED = text(
    " OR ".join(
        f"ranked.rn = (ranked.n - 1) * {share} / 100 + 1 OR "
        f"ranked.rn = ((ranked.n - 1) * {share} + 99) / 100 + 1"
        for share in SHARES
    )
)
"""The two ranks either side of each percentile (integer division on both databases: ``rn``
and ``n`` are whole numbers); written once as SQL text, not built afresh for every report."""


def _interpolated(low: float, high: float, position: float) -> float:
    return low + (high - low) * (position - int(position))


def percentiles_by(
    session: Session, where: ColumnElement[bool], value: Any, group: Any
) -> dict[str, Percentiles]:
    """Median and 90th percentile of ``value`` over the rows ``where`` holds, by ``group``
    (its text as the key); NULL values are left out."""
    ranked = (
        select(
            group.label("g"),
            value.label("x"),
            func.row_number().over(partition_by=group, order_by=value).label("rn"),
            func.count().over(partition_by=group).label("n"),
        )
        .where(where, value.is_not(None))
        .subquery("ranked")
    )
    picked: dict[str, dict[int, float]] = defaultdict(dict)
    sizes: dict[str, int] = {}
    for g, x, rn, n in session.execute(
        select(ranked.c.g, ranked.c.x, ranked.c.rn, ranked.c.n).where(_WANTED)
    ):
        picked[str(g)][int(rn)] = float(x)
        sizes[str(g)] = int(n)
    result: dict[str, Percentiles] = {}
    for g, values in picked.items():
        n = sizes[g]
        at: dict[int, float] = {}
        for share in SHARES:
            position = (n - 1) * share / 100
            low = values[int(position) + 1]
            high = values.get(int(position) + 2, low)
            at[share] = round(_interpolated(low, high, position), 1)
        result[g] = Percentiles(count=n, median=at[50], p90=at[90])
    return result
