"""Percentiles in the database: the median and the 90th percentile by group, the same on SQLite
(which has no percentile function) and PostgreSQL.

Window functions rank each group's values (``row_number`` and ``count`` over the group); only
the two ranked values either side of each percentile come back, and the percentile is the
straight line between them, as PostgreSQL's ``percentile_cont`` and NumPy's default give it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, literal, select, text, union_all
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


def percentiles_of(
    session: Session,
    where: ColumnElement[bool],
    values: dict[str, Any],
    groups: dict[str, Any],
) -> dict[tuple[str, str], dict[str, Percentiles]]:
    """Median and 90th percentile of each of ``values`` over the rows ``where`` holds, by each
    of ``groups`` (every pair in one statement: one ranked set a pair, UNION ALL), as
    ``{(value name, group name): {group's text: Percentiles}}``. NULL values are left out; a
    group's key is its text (a UUID as its usual hyphenated text on both databases)."""
    ranked_sets = [
        select(
            literal(value_name, String).label("v"),
            literal(group_name, String).label("k"),
            cast(group, String).label("g"),
            value.label("x"),
            func.row_number().over(partition_by=group, order_by=value).label("rn"),
            func.count().over(partition_by=group).label("n"),
        ).where(where, value.is_not(None))
        for value_name, value in values.items()
        for group_name, group in groups.items()
    ]
    ranked = union_all(*ranked_sets).subquery("ranked")
    picked: dict[tuple[str, str, str], dict[int, float]] = defaultdict(dict)
    sizes: dict[tuple[str, str, str], int] = {}
    rows = session.execute(
        select(ranked.c.v, ranked.c.k, ranked.c.g, ranked.c.x, ranked.c.rn, ranked.c.n).where(
            _WANTED
        )
    )
    for v, k, g, x, rn, n in rows:
        key = (str(v), str(k), _group_text(g))
        picked[key][int(rn)] = float(x)
        sizes[key] = int(n)
    result: dict[tuple[str, str], dict[str, Percentiles]] = {
        (v, k): {} for v in values for k in groups
    }
    for (v, k, g), ranks in picked.items():
        result[(v, k)][g] = _percentiles(ranks, sizes[(v, k, g)])
    return result


def _group_text(value: Any) -> str:
    """A group's text: a UUID (SQLite keeps 32 hex digits) as its hyphenated form."""
    text_value = str(value)
    if len(text_value) == 32 and all(c in "0123456789abcdef" for c in text_value):
        return str(uuid.UUID(text_value))
    return text_value


def _percentiles(ranks: dict[int, float], n: int) -> Percentiles:
    at: dict[int, float] = {}
    for share in SHARES:
        position = (n - 1) * share / 100
        low = ranks[int(position) + 1]
        high = ranks.get(int(position) + 2, low)
        at[share] = round(_interpolated(low, high, position), 1)
    return Percentiles(count=n, median=at[50], p90=at[90])
