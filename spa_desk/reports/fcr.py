"""First-contact resolution by stream (SPEC 5), recorded and sustained, in one aggregate query.

Recorded: data contacts resolved at first contact (the flag the rule set gave at the save) over
data contacts. Sustained: those resolved with no later contact (saved, or a call still open)
about the same person on the same stream within N days (an EXISTS on the contacts'
person-and-time index), over data contacts; one whose N days are not over and that has no such
contact yet is not yet known.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from db.models import Contact
from spa_desk.reports.definitions import REFERENCE_FCR, STREAM_KEYS
from spa_desk.reports.figures import StreamFcr
from spa_desk.reports.sql import within_days


def fcr_by_stream(
    session: Session,
    dialect: str,
    data_contacts: ColumnElement[bool],
    is_resolved: ColumnElement[bool],
    stream_key: ColumnElement[Any],
    *,
    days: int,
    known_before: datetime,
) -> list[StreamFcr]:
    """Recorded and sustained FCR of the contacts ``data_contacts`` holds, by stream, and for
    all of them (stream ``all``); sustained is known for contacts started by ``known_before``."""
    later = aliased(Contact)
    repeated = exists().where(
        # Any later call about them, saved or not yet: a call still open is a further contact
        # too. (No condition on status here, so that the person-and-time index is the one used.)
        later.person_id == Contact.person_id,
        later.stream.is_not_distinct_from(Contact.stream),
        later.started_at > Contact.started_at,
        within_days(dialect, later.started_at, Contact.started_at, days),
    )
    resolved_alone = and_(is_resolved, ~repeated)
    rows = session.execute(
        select(
            stream_key.label("stream"),
            func.count().label("data_contacts"),
            func.count().filter(is_resolved).label("resolved"),
            func.count()
            .filter(and_(resolved_alone, Contact.started_at <= known_before))
            .label("sustained"),
            func.count()
            .filter(and_(resolved_alone, Contact.started_at > known_before))
            .label("unknown"),
        )
        .where(data_contacts)
        .group_by(stream_key)
    ).all()
    by_stream = {
        str(row.stream): StreamFcr(
            stream=str(row.stream),
            data_contacts=row.data_contacts,
            resolved=row.resolved,
            sustained=row.sustained,
            not_yet_known=row.unknown,
            reference=REFERENCE_FCR.get(str(row.stream)),
        )
        for row in rows
    }
    ordered = [by_stream[key] for key in STREAM_KEYS if key in by_stream]
    ordered += [row for key, row in sorted(by_stream.items()) if key not in STREAM_KEYS]
    total = StreamFcr(
        stream="all",
        data_contacts=sum(row.data_contacts for row in ordered),
        resolved=sum(row.resolved for row in ordered),
        sustained=sum(row.sustained for row in ordered),
        not_yet_known=sum(row.not_yet_known for row in ordered),
    )
    return [*ordered, total]
