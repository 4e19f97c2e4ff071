"""The few SQL expressions that SQLite and PostgreSQL spell differently, for the report queries.

Everything else in the reports is the same SQL on both. Each helper takes the dialect name
(``session.get_bind().dialect.name``) and returns an expression that means the same on both:

- the hour a timestamp falls in (UTC; Europe/London is a whole number of hours from UTC, so a
  UTC hour is exactly one local hour, and the local label is put on in Python);
- whole seconds between two timestamps;
- "no later than N days after";
- the routes of a contact, one row a route, from its JSON list.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Case,
    ColumnElement,
    FromClause,
    Integer,
    String,
    case,
    cast,
    func,
    literal,
)

from db.models import Contact

POSTGRESQL = "postgresql"


def utc_hour(dialect: str, moment: Any) -> ColumnElement[Any]:
    """The start of the UTC hour ``moment`` (a stored UTC timestamp) falls in."""
    if dialect == POSTGRESQL:
        return func.date_trunc("hour", moment)
    return func.strftime("%Y-%m-%d %H:00:00", moment)


def as_utc_hour(value: Any) -> datetime:
    """A :func:`utc_hour` result as an aware UTC datetime (PostgreSQL gives a naive datetime,
    SQLite text)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def seconds_between(dialect: str, earlier: Any, later: Any) -> ColumnElement[int]:
    """Whole seconds from ``earlier`` to ``later`` (rounded; never below 0)."""
    if dialect == POSTGRESQL:
        raw: ColumnElement[Any] = func.extract("epoch", later - earlier)
    else:
        raw = (func.julianday(later) - func.julianday(earlier)) * 86400
    rounded = cast(func.round(raw), Integer)
    return case((rounded < 0, 0), else_=rounded)


def within_days(dialect: str, later: Any, earlier: Any, days: int) -> ColumnElement[bool]:
    """``later`` is no more than ``days`` days after ``earlier``."""
    if dialect == POSTGRESQL:
        within: ColumnElement[bool] = later <= earlier + func.make_interval(0, 0, 0, days)
    else:
        within = func.julianday(later) <= func.julianday(earlier) + days
    return within


@cache  # made once: each table-valued function made anew registers its columns for good
def contact_routes(dialect: str) -> tuple[FromClause, ColumnElement[Any], ColumnElement[Any]]:
    """The routes of each contact as rows: the table-valued function to join after ``contacts``
    (``.join(rows, true())``), the route and its urgency (NULL when none). The final routes, or the
    recommended ones when no final routes were kept, as the contacts CSV reads them."""
    if dialect == POSTGRESQL:
        chosen: Case[Any] = case(
            (func.jsonb_array_length(Contact.final_routes) > 0, Contact.final_routes),
            else_=Contact.recommended_routes,
        )
        lateral = func.jsonb_array_elements(chosen).table_valued("value").lateral("route_rows")
        route: ColumnElement[Any] = lateral.c.value.op("->>")(literal("route", String))
        urgency: ColumnElement[Any] = lateral.c.value.op("->>")(literal("urgency", String))
        return lateral, route, urgency
    chosen = case(
        (func.json_array_length(Contact.final_routes) > 0, Contact.final_routes),
        else_=Contact.recommended_routes,
    )
    # SQLite lets a table-valued function read the tables to its left without LATERAL.
    rows = func.json_each(chosen).table_valued("value").alias("route_rows")
    route = func.json_extract(rows.c.value, "$.route")
    urgency = func.json_extract(rows.c.value, "$.urgency")
    return rows, route, urgency
