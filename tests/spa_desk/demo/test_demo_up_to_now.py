"""Demo data made on a day that ends a month (30 November) runs up to the moment it is made.

The command's own arithmetic (:func:`default_demo_start`) with a fixed 'now', on each backend: the
desk's current shift has its calls so far, one to three calls are still open as drafts, and
nothing (call, consent, referral, person or caller) is dated after now.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from db.models import Caller, Consent, Contact, Person, Referral, ServiceGap
from spa_desk.cli.demo_data import default_demo_start
from spa_desk.database import Database
from spa_desk.demo.generator import generate_demo_data
from spa_desk.local_time import LONDON
from spa_desk.reports.shifts import shift_at

NOW = datetime(2026, 11, 30, 10, 15, 30, tzinfo=UTC)
"""Monday 30 November 2026, 10:15:30 GMT: the early shift (07:00-15:00) is three hours old."""


def test_demo_data_made_on_30_november_runs_up_to_now(database: Database) -> None:
    start = default_demo_start(1, NOW.astimezone(LONDON).date())
    summary = generate_demo_data(database, months=1, start=start, seed=11, now=NOW)
    assert summary.start == date(2026, 10, 31)
    shift = shift_at(NOW)
    with database.sessions() as session:
        rows = list(session.execute(select(Contact)).scalars())
        consents = session.execute(select(func.max(Consent.recorded_at))).scalar_one()
        referrals = session.execute(select(func.max(Referral.made_at))).scalar_one()
        gaps = session.execute(select(func.max(ServiceGap.recorded_at))).scalar_one()
        people = session.execute(select(func.max(Person.created_at))).scalar_one()
        callers = session.execute(select(func.max(Caller.created_at))).scalar_one()
    started = sorted(c.started_at for c in rows)
    assert started[0].astimezone(LONDON).date() == date(2026, 10, 31)
    assert NOW - timedelta(minutes=15) < started[-1] < NOW  # the newest call: minutes ago

    in_shift = [c for c in rows if shift.start_utc <= c.started_at]
    by_hour = Counter(c.started_at.astimezone(LONDON).hour for c in in_shift)
    assert all(by_hour[hour] >= 10 for hour in (7, 8, 9)), by_hour  # the shift so far is full
    assert by_hour[10] > 0

    drafts = [c for c in rows if c.status == "draft"]
    assert 1 <= len(drafts) <= 3
    assert all(shift.start_utc <= d.started_at < NOW for d in drafts)
    assert all(d.outcome is None and d.wrap_up_ended_at is None for d in drafts)
    assert summary.contacts == len(rows)

    for contact in rows:  # nothing from the future
        stamps = (
            contact.started_at, contact.answered_at, contact.ended_at,
            contact.wrap_up_ended_at, contact.created_at, contact.updated_at,
        )  # fmt: skip
        assert all(stamp is None or stamp <= NOW for stamp in stamps), contact.id
    assert all(latest is not None and latest <= NOW for latest in (consents, referrals, gaps))
    assert all(latest is not None and latest <= NOW for latest in (people, callers))
    assert (summary.stop, summary.drafts) == (NOW, len(drafts))
