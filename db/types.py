"""Column types shared by the tables: UTC timestamps and desk-made identifiers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator


def new_id() -> uuid.UUID:
    """A random identifier that any desk can make without asking the server."""
    return uuid.uuid4()


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and always returned timezone-aware in UTC.

    Naive datetimes are refused on the way in: a time without a zone is a bug waiting to happen
    around the clock changes.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column; attach a timezone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


JSONDocument = JSON().with_variant(JSONB(), "postgresql")
"""JSON on SQLite, JSONB on PostgreSQL."""


def json_default_dict() -> dict[str, Any]:
    """A fresh empty JSON object for column defaults."""
    return {}


def json_default_list() -> list[Any]:
    """A fresh empty JSON array for column defaults."""
    return []
