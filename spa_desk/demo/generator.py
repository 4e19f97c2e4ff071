"""``spa-desk demo-data``: fill an empty database with a fictional SPA's staff, services and calls.

The same seed gives the same data, identifiers included: everything random comes from
``random.Random`` objects seeded from the seed, never from the clock or ``uuid4``. Rows go in with
bulk inserts, a batch at a time, in one transaction, so a failure leaves the database empty.
Nothing personal is ever logged.

Nothing is dated after now. When the period reaches now (as it does without a chosen start), the
newest one to three calls are left as open drafts, as calls in progress on the desks would be.
"""

from __future__ import annotations

import random
import time
import uuid
from bisect import bisect_left
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from db.models import (
    Base,
    Caller,
    Consent,
    Contact,
    Person,
    Referral,
    Service,
    ServiceGap,
    User,
    UserRole,
    UserStream,
)
from spa_desk.database import Database
from spa_desk.demo.calls import DemoDesk
from spa_desk.demo.population import Population
from spa_desk.demo.roster import Roster
from spa_desk.demo.services import ServiceDirectory
from spa_desk.demo.users import (
    call_handlers,
    demo_stream_rows,
    demo_user_rows,
    practitioners,
)
from spa_desk.demo.volume import (
    CONTACTS_PER_MONTH,
    call_start_times,
    demo_period,
    local_midnight,
)
from spa_desk.errors import KnownError

BATCH_CONTACTS = 5_000
"""Contacts generated between two inserts (their people, consents and referrals go with them)."""

SQLITE_LOAD_CACHE_KIB = 131_072
"""SQLite page cache while loading: random UUID keys touch index pages all over the file."""

DRAFT_WINDOW = timedelta(hours=6)
DRAFT_MARGIN = timedelta(minutes=3)
"""Open drafts are the newest calls that started at least DRAFT_MARGIN before now (so they were
answered, within a minute, and consent recorded, within 90 seconds more, before now) and within
DRAFT_WINDOW of it. Calls that rang in the last DRAFT_MARGIN are still ringing: left out."""


class DemoProgress(BaseModel):
    """How far generation has got: ``done`` of ``total`` in the named stage."""

    model_config = ConfigDict(frozen=True)

    stage: str
    done: int
    total: int


class DemoSummary(BaseModel):
    """What was made: row counts, the period of local dates [start, end), the instant the data
    stops at (``stop``: the start of ``end``, or now when that is sooner) and the time taken.

    ``drafts`` counts the contacts left as open drafts (calls in progress at now).
    ``calls_in_progress`` counts calls that began before now but would still be going on and were
    not left as drafts, so were not saved: they are the difference between the calls generated
    and ``contacts``.
    """

    model_config = ConfigDict(frozen=True)

    people: int
    contacts: int
    drafts: int
    calls_in_progress: int
    users: int
    services: int
    start: date
    end: date
    stop: datetime
    seconds: float

    @property
    def up_to_now(self) -> bool:
        """True when the data runs up to the moment it was made (the period had not ended)."""
        return self.stop < local_midnight(self.end)


def database_is_empty(database: Database) -> bool:
    """True when the database holds no users, people or contacts, so demo data may go in."""
    with database.sessions() as session:
        for model in (User, Person, Contact):
            if session.execute(select(model.id).limit(1)).first() is not None:
                return False
    return True


def generate_demo_data(
    database: Database,
    *,
    months: int,
    start: date | None = None,
    seed: int,
    now: datetime | None = None,
    progress: Callable[[DemoProgress], None] | None = None,
    per_month: int = CONTACTS_PER_MONTH,
) -> DemoSummary:
    """Fill an empty database with ``months`` calendar months of demo data from local ``start``
    (default: the months that end now; see :func:`spa_desk.demo.volume.demo_period`).

    Calls arrive at about ``per_month`` a month (the reference volume by default) until the
    period ends or ``now`` (default: the current time), whichever comes first; when the period
    reaches now, the newest one to three calls are left as open drafts. Raises KnownError when
    ``start`` has not begun yet or the database already holds staff, people or contacts.
    """
    if months < 1:
        raise KnownError("The number of months of demo data must be at least 1.")
    now = datetime.now(UTC) if now is None else now
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    period = demo_period(months, now, start)
    if local_midnight(period.start) >= now:
        raise KnownError(
            f"Demo data cannot begin on {period.start:%a %d %b %Y}: that day has not started yet, "
            "and demo data holds nothing from the future. Choose an earlier start or leave it out."
        )
    if not database_is_empty(database):
        raise KnownError(
            f"The database ({database.description}) already holds staff, people or contacts. "
            "Demo data goes only into an empty database: choose a new database file or URL."
        )
    report = progress or (lambda _: None)
    clock = time.perf_counter()
    start = period.start
    rng = random.Random(f"spa-desk-demo:{seed}:calls")

    def new_id() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    times = call_start_times(
        random.Random(f"spa-desk-demo:{seed}:volume"), start, period.end, period.stop, per_month
    )
    drafts = (
        draft_positions(random.Random(f"spa-desk-demo:{seed}:drafts"), times, now)
        if period.up_to_now
        else set()
    )
    user_ids, users, roles = demo_user_rows(new_id, local_midnight(start) - timedelta(days=30))
    services = ServiceDirectory(new_id, rng)
    population = Population(rng, new_id, months, start)
    roster = Roster(rng, [user_ids[u.username] for u in call_handlers()])
    desk = DemoDesk(
        rng=rng,
        new_id=new_id,
        population=population,
        services=services,
        roster=roster,
        practitioner_ids=[user_ids[u.username] for u in practitioners()],
        now=now,
    )
    contacts = 0
    with database.sessions.begin() as session, _large_page_cache(session, database):
        report(DemoProgress(stage="staff and services", done=0, total=1))
        _insert(session, User, users)
        _insert(session, UserRole, roles)
        _insert(session, UserStream, demo_stream_rows(user_ids))
        _insert(session, Service, services.rows)
        report(DemoProgress(stage="staff and services", done=1, total=1))
        report(DemoProgress(stage="calls", done=0, total=len(times)))
        for index, started in enumerate(times):
            desk.take_call(started, draft=index in drafts)
            if len(desk.contacts) >= BATCH_CONTACTS:
                contacts += _flush(session, desk, population)
                report(DemoProgress(stage="calls", done=index + 1, total=len(times)))
        contacts += _flush(session, desk, population)
        report(DemoProgress(stage="calls", done=len(times), total=len(times)))
        report(DemoProgress(stage="saving", done=0, total=1))
    report(DemoProgress(stage="saving", done=1, total=1))
    return DemoSummary(
        people=population.people_made,
        contacts=contacts,
        drafts=len(drafts),
        calls_in_progress=len(times) - contacts,
        users=len(users),
        services=len(services.rows),
        start=start,
        end=period.end,
        stop=period.stop,
        seconds=round(time.perf_counter() - clock, 3),
    )


def draft_positions(rng: random.Random, times: list[datetime], now: datetime) -> set[int]:
    """The positions in ``times`` (in order) of the calls to leave as open drafts: the newest one
    to three that started between DRAFT_WINDOW and DRAFT_MARGIN before ``now``."""
    count = rng.randint(1, 3)
    last = bisect_left(times, now - DRAFT_MARGIN)
    first = max(bisect_left(times, now - DRAFT_WINDOW), last - count)
    return set(range(first, last))


@contextmanager
def _large_page_cache(session: Session, database: Database) -> Iterator[None]:
    """On SQLite, a page cache big enough for the indexes of a year of contacts while loading."""
    if not database.is_sqlite:
        yield
        return
    (previous,) = session.execute(text("PRAGMA cache_size")).one()
    session.execute(text(f"PRAGMA cache_size=-{SQLITE_LOAD_CACHE_KIB}"))
    try:
        yield
    finally:
        session.execute(text(f"PRAGMA cache_size={int(previous)}"))


def _insert(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """A Core executemany INSERT (much faster than the ORM's bulk path for versioned tables)."""
    if rows:
        session.execute(insert(Base.metadata.tables[model.__tablename__]), rows)


def _flush(session: Session, desk: DemoDesk, population: Population) -> int:
    """Insert what the desk and population have made since the last flush, parents first."""
    count = len(desk.contacts)
    for model, rows in (
        (Person, population.new_people),
        (Caller, population.new_callers),
        (Contact, desk.contacts),
        (Consent, desk.consents),
        (Referral, desk.referrals),
        (ServiceGap, desk.gaps),
    ):
        _insert(session, model, rows)
        rows.clear()
    return count
