"""Every figure of SPEC 6 for a span of time, computed in the database.

The one place the report figures are defined: the shift report's PDF and CSV, the dashboard and
the tests all read :class:`PeriodFigures`. Each figure is an aggregate query (GROUP BY, window
functions for the percentiles, EXISTS for sustained first-contact resolution), the same SQL on
SQLite and PostgreSQL except for the few expressions :mod:`spa_desk.reports.sql` spells for each;
no query loads the period's contacts into Python.

Definitions (SPEC 5 and 6), for contacts that started in ``[start, end)``:

- **contacts**: saved (complete) contacts; **data contacts**: those whose level 1 is not
  ``non_data``; **drafts left open**: calls started and never saved.
- **offered / answered / abandoned**: until a telephone system reports rings, every call was
  started by hand at the desk and so counts as offered and answered (saved contacts and open
  drafts alike); none was abandoned.
- **average speed of answer**: mean seconds from the start of the call to its answer, calls
  with an answer time; **service level**: answered within the threshold (a setting, 20 s by
  default) / offered.
- **talk time, wrap-up time**: median and 90th percentile in seconds of data contacts, as the
  contacts CSV reads them (kept with the contact; for rows from before that was kept, from the
  answer to the end of the call, and from the end of the call to the save). Percentiles are
  linear between the two nearest values (PostgreSQL's ``percentile_cont``).
- **recorded FCR**: data contacts resolved at first contact (the flag the rule set gave at the
  save) / data contacts; **sustained FCR**: resolved data contacts with no later saved contact
  about the same person on the same stream within N days (a setting, 7 by default) / data
  contacts. A resolved contact whose N days are not over yet and has no such contact so far is
  *not yet known*, counted apart. A contact about nobody cannot be followed up and is sustained
  once its N days are over.
- **stream**: the data contact's stream; level-1 outcomes without one (information, emergency)
  are ``none`` (:data:`~spa_desk.reports.definitions.NO_STREAM`), so the streams sum to the
  data contacts.
- **caller types**: of the data contacts (a silent line or a wrong number has no caller type).
- **routes**: contacts per route (a contact with two routes counts in both); **urgency**:
  contacts per most urgent urgency among their routes, ``none`` when no route has one, so the
  urgencies sum to the contacts.
- **safeguarding concerns / crisis responses**: contacts with a safeguarding / crisis response
  route. **Overrides**: contacts whose final routes differ from the recommendation.
- **hand-offs**: made in the period (by their hand-off time), claimed, still waiting (now, or
  with the SPA manager after three unanswered call-backs), and claimed after their due time.
- **calls by hour**: contacts by the local (Europe/London) hour they started in, every hour of
  the span, so the hours sum to the contacts. On the October clock change 01:00 comes twice.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import (
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased

from db.models import Contact, Handoff, ServiceGap, User
from spa_desk.database import Database
from spa_desk.domain import CurrentUser, route_choices
from spa_desk.local_time import LONDON
from spa_desk.permissions import Action, require
from spa_desk.reports.definitions import (
    NO_STREAM,
    NO_URGENCY,
    REFERENCE_FCR,
    STREAM_KEYS,
    URGENCY_KEYS,
)
from spa_desk.reports.sql import (
    as_utc_hour,
    contact_routes,
    seconds_between,
    utc_hour,
    within_days,
)
from spa_desk.vocabulary import (
    ContactStatus,
    HandoffStatus,
    Level1,
    Route,
    Urgency,
)

SHARES = (50, 90)
"""The percentiles the reports give: the median and the 90th."""


class Percentiles(BaseModel):
    """The median and 90th percentile of a set of seconds; None when there is nothing."""

    model_config = ConfigDict(frozen=True)

    count: int = 0
    median: float | None = None
    p90: float | None = None


class StreamFcr(BaseModel):
    """First-contact resolution of one stream (or of all data contacts)."""

    model_config = ConfigDict(frozen=True)

    stream: str
    data_contacts: int
    resolved: int
    sustained: int
    not_yet_known: int
    reference: float | None = None

    @property
    def recorded_fraction(self) -> float | None:
        return self.resolved / self.data_contacts if self.data_contacts else None

    @property
    def sustained_fraction(self) -> float | None:
        return self.sustained / self.data_contacts if self.data_contacts else None


class HourCount(BaseModel):
    """Contacts that started in one hour of the span."""

    model_config = ConfigDict(frozen=True)

    start_utc: datetime
    contacts: int

    @property
    def local_start(self) -> datetime:
        return self.start_utc.astimezone(LONDON)

    @property
    def key(self) -> str:
        """The local hour, ``00`` to ``23`` (the CSV's key)."""
        return f"{self.local_start:%H}"

    @property
    def label(self) -> str:
        """``01:00``; :func:`hour_labels` tells apart an hour the clocks repeat."""
        return f"{self.local_start:%H:%M}"


class OverrideRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    contact_id: uuid.UUID
    started_at: datetime
    handler: str
    recommended: tuple[str, ...]
    final: tuple[str, ...]
    reason: str


class HandoffFigures(BaseModel):
    model_config = ConfigDict(frozen=True)

    made: int = 0
    claimed: int = 0
    waiting: int = 0
    claimed_late: int = 0


class GapCount(BaseModel):
    model_config = ConfigDict(frozen=True)

    need: str
    count: int


class HandlerFigures(BaseModel):
    """One member of staff's contacts in the span (by who took the call)."""

    model_config = ConfigDict(frozen=True)

    user_id: uuid.UUID
    username: str
    name: str
    contacts: int
    data_contacts: int
    resolved: int
    overrides: int
    talk_median: float | None
    wrap_median: float | None

    @property
    def fcr(self) -> float | None:
        return self.resolved / self.data_contacts if self.data_contacts else None


class PeriodFigures(BaseModel):
    """Every SPEC 6 figure for the contacts that started in ``[start_utc, end_utc)``."""

    model_config = ConfigDict(frozen=True)

    start_utc: datetime
    end_utc: datetime
    as_of: datetime
    sustained_days: int
    service_level_seconds: int
    contacts: int
    data_contacts: int
    resolved: int
    drafts_open: int
    offered: int
    answered: int
    abandoned: int
    average_speed_of_answer: float | None
    answered_in_time: int
    talk: Percentiles
    wrap: Percentiles
    fcr: tuple[StreamFcr, ...]
    """By stream, every stream with data contacts, in :data:`STREAM_KEYS` order."""
    fcr_all: StreamFcr
    hours: tuple[HourCount, ...]
    caller_types: dict[str, int]
    streams: dict[str, int]
    routes: dict[str, int]
    urgency: dict[str, int]
    safeguarding: int
    crisis_responses: int
    overrides: tuple[OverrideRow, ...]
    handoffs: HandoffFigures
    gaps: tuple[GapCount, ...]
    gaps_recorded: int
    handlers: tuple[HandlerFigures, ...]

    @property
    def service_level(self) -> float | None:
        return self.answered_in_time / self.offered if self.offered else None


def period_figures(
    database: Database,
    actor: CurrentUser | None,
    start: datetime,
    end: datetime,
    *,
    as_of: datetime | None = None,
    sustained_days: int = 7,
    service_level_seconds: int = 20,
) -> PeriodFigures:
    """Every figure for contacts started in ``[start, end)`` (aware datetimes), as they stand at
    ``as_of`` (now by default: it decides which sustained FCR is not yet known). ``actor`` None
    is the command line, run by whoever may read the database."""
    if actor is not None:
        require(actor, Action.VIEW_REPORTS)
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("report periods are timezone-aware")
    as_of = as_of or datetime.now(UTC)
    with database.sessions() as session:
        query = _Queries(session, start, end)
        fcr = query.fcr(sustained_days, as_of - timedelta(days=sustained_days))
        counts = query.counts(service_level_seconds)
        return PeriodFigures(
            start_utc=start.astimezone(UTC),
            end_utc=end.astimezone(UTC),
            as_of=as_of.astimezone(UTC),
            sustained_days=sustained_days,
            service_level_seconds=service_level_seconds,
            contacts=counts["contacts"],
            data_contacts=counts["data_contacts"],
            resolved=counts["resolved"],
            drafts_open=counts["drafts_open"],
            offered=counts["contacts"] + counts["drafts_open"],
            answered=counts["contacts"] + counts["drafts_open"],
            abandoned=0,
            average_speed_of_answer=counts["asa"],
            answered_in_time=counts["in_time"],
            talk=query.percentiles(query.talk_seconds),
            wrap=query.percentiles(query.wrap_seconds),
            fcr=tuple(row for row in fcr if row.stream != "all"),
            fcr_all=next(row for row in fcr if row.stream == "all"),
            hours=query.hours(),
            caller_types=query.by(Contact.caller_type, data_only=True),
            streams=_every(STREAM_KEYS, query.by(query.stream_key, data_only=True)),
            routes=query.routes(),
            urgency=_every(URGENCY_KEYS, query.most_urgent()),
            safeguarding=query.with_route(Route.SAFEGUARDING),
            crisis_responses=query.with_route(Route.CRISIS_RESPONSE),
            overrides=query.overrides(),
            handoffs=query.handoffs(as_of),
            gaps=query.gaps(),
            gaps_recorded=query.gaps_recorded(),
            handlers=query.handlers(),
        )


def hour_labels(hours: Sequence[HourCount]) -> list[str]:
    """Each hour's label, with its zone (``01:00 BST``, ``01:00 GMT``) where the same local hour
    comes twice, as on the night the clocks go back."""
    seen: dict[str, int] = defaultdict(int)
    for hour in hours:
        seen[hour.label] += 1
    return [
        f"{hour.label} {hour.local_start.tzname()}" if seen[hour.label] > 1 else hour.label
        for hour in hours
    ]


def _every(keys: Sequence[str], counts: dict[str, int]) -> dict[str, int]:
    """``counts`` with every key in ``keys`` (0 when absent), in that order, then any other."""
    every = {key: counts.get(key, 0) for key in keys}
    every.update({key: value for key, value in counts.items() if key not in every})
    return every


def _interpolated(low: float, high: float, position: float) -> float:
    return low + (high - low) * (position - int(position))


class _Queries:
    """The period's aggregate queries, in one session."""

    def __init__(self, session: Session, start: datetime, end: datetime) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name
        self.start = start
        self.end = end
        self.saved = and_(
            Contact.started_at >= start,
            Contact.started_at < end,
            Contact.status == ContactStatus.COMPLETE.value,
        )
        self.is_data = and_(Contact.level1.is_not(None), Contact.level1 != Level1.NON_DATA.value)
        self.is_resolved = and_(self.is_data, Contact.resolved_at_first_contact.is_(True))
        self.stream_key = func.coalesce(Contact.stream, literal(NO_STREAM))
        self.talk_seconds = func.coalesce(
            Contact.talk_seconds,
            seconds_between(
                self.dialect,
                func.coalesce(Contact.answered_at, Contact.started_at),
                Contact.ended_at,
            ),
        )
        self.wrap_seconds = func.coalesce(
            Contact.wrap_up_seconds,
            seconds_between(self.dialect, Contact.ended_at, Contact.wrap_up_ended_at),
        )

    # Counts ---------------------------------------------------------------------------------

    def counts(self, service_level_seconds: int) -> dict[str, Any]:
        answer_wait = seconds_between(self.dialect, Contact.started_at, Contact.answered_at)
        started = and_(Contact.started_at >= self.start, Contact.started_at < self.end)
        complete = Contact.status == ContactStatus.COMPLETE.value
        row = self.session.execute(
            select(
                func.count().filter(complete).label("contacts"),
                func.count().filter(and_(complete, self.is_data)).label("data_contacts"),
                func.count().filter(and_(complete, self.is_resolved)).label("resolved"),
                func.count().filter(Contact.status == ContactStatus.DRAFT.value).label("drafts"),
                func.avg(answer_wait).filter(Contact.answered_at.is_not(None)).label("asa"),
                func.count()
                .filter(or_(Contact.answered_at.is_(None), answer_wait <= service_level_seconds))
                .label("in_time"),
            ).where(started)
        ).one()
        return {
            "contacts": row.contacts,
            "data_contacts": row.data_contacts,
            "resolved": row.resolved,
            "drafts_open": row.drafts,
            "asa": None if row.asa is None else round(float(row.asa), 1),
            "in_time": row.in_time,
        }

    def by(self, key: Any, *, data_only: bool = False) -> dict[str, int]:
        where = and_(self.saved, self.is_data) if data_only else self.saved
        rows = self.session.execute(
            select(key.label("key"), func.count()).where(where).group_by(key).order_by(key)
        )
        return {str(k): int(n) for k, n in rows}

    # Percentiles ------------------------------------------------------------------------------

    def percentiles(self, value: Any) -> Percentiles:
        found = self._percentiles(value, literal("all"))
        return found.get("all", Percentiles())

    def _percentiles(self, value: Any, group: Any) -> dict[str, Percentiles]:
        """Median and 90th percentile of ``value`` over the data contacts, by ``group``: the two
        ranked values around each percentile picked with window functions, interpolated here."""
        ranked = (
            select(
                group.label("g"),
                value.label("x"),
                func.row_number().over(partition_by=group, order_by=value).label("rn"),
                func.count().over(partition_by=group).label("n"),
            )
            .where(self.saved, self.is_data, value.is_not(None))
            .subquery()
        )
        wanted = or_(
            *(
                or_(
                    ranked.c.rn == (ranked.c.n - 1) * share // 100 + 1,
                    ranked.c.rn == ((ranked.c.n - 1) * share + 99) // 100 + 1,
                )
                for share in SHARES
            )
        )
        picked: dict[str, dict[int, float]] = defaultdict(dict)
        sizes: dict[str, int] = {}
        for g, x, rn, n in self.session.execute(
            select(ranked.c.g, ranked.c.x, ranked.c.rn, ranked.c.n).where(wanted)
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

    # First-contact resolution ------------------------------------------------------------------

    def fcr(self, days: int, known_before: datetime) -> list[StreamFcr]:
        """Recorded and sustained FCR by stream, and for all data contacts (stream ``all``)."""
        later = aliased(Contact)
        repeated = exists().where(
            later.person_id == Contact.person_id,
            later.stream.is_not_distinct_from(Contact.stream),
            later.status == ContactStatus.COMPLETE.value,
            later.started_at > Contact.started_at,
            within_days(self.dialect, later.started_at, Contact.started_at, days),
        )
        resolved_alone = and_(self.is_resolved, ~repeated)
        rows = self.session.execute(
            select(
                self.stream_key.label("stream"),
                func.count().label("data_contacts"),
                func.count().filter(self.is_resolved).label("resolved"),
                func.count()
                .filter(and_(resolved_alone, Contact.started_at <= known_before))
                .label("sustained"),
                func.count()
                .filter(and_(resolved_alone, Contact.started_at > known_before))
                .label("unknown"),
            )
            .where(self.saved, self.is_data)
            .group_by(self.stream_key)
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

    # Time ------------------------------------------------------------------------------------

    def hours(self) -> tuple[HourCount, ...]:
        """Contacts by UTC hour (each exactly one local hour), every hour of the span."""
        hour = utc_hour(self.dialect, Contact.started_at)
        counted = {
            as_utc_hour(h): int(n)
            for h, n in self.session.execute(
                select(hour, func.count()).where(self.saved).group_by(hour)
            )
        }
        first = self.start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        result = []
        moment = first
        while moment < self.end:
            result.append(HourCount(start_utc=moment, contacts=counted.pop(moment, 0)))
            moment += timedelta(hours=1)
        return tuple(result)

    # Routes ----------------------------------------------------------------------------------

    def routes(self) -> dict[str, int]:
        rows, route, _ = contact_routes(self.dialect)
        counted = {
            str(r): int(n)
            for r, n in self.session.execute(
                select(route, func.count(func.distinct(Contact.id)))
                .select_from(Contact)
                .join(rows, true())
                .where(self.saved)
                .group_by(route)
            )
            if r is not None
        }
        return _every([r.value for r in Route if r.value in counted], counted)

    def most_urgent(self) -> dict[str, int]:
        rows, _, urgency = contact_routes(self.dialect)
        rank = case(
            *((urgency == u.value, u.rank) for u in Urgency),
            else_=None,
        )
        per_contact = (
            select(Contact.id.label("id"), func.min(rank).label("rank"))
            .select_from(Contact)
            .join(rows, true())
            .where(self.saved)
            .group_by(Contact.id)
            .subquery()
        )
        counted: dict[str, int] = {}
        for r, n in self.session.execute(
            select(per_contact.c.rank, func.count()).group_by(per_contact.c.rank)
        ):
            key = NO_URGENCY if r is None else list(Urgency)[int(r)].value
            counted[key] = counted.get(key, 0) + int(n)
        # Contacts with no routes at all (a non-data call) have no urgency either.
        with_routes = sum(counted.values())
        contacts = self.session.scalar(select(func.count()).where(self.saved)) or 0
        counted[NO_URGENCY] = counted.get(NO_URGENCY, 0) + contacts - with_routes
        return counted

    def with_route(self, wanted: Route) -> int:
        rows, route, _ = contact_routes(self.dialect)
        return int(
            self.session.scalar(
                select(func.count(func.distinct(Contact.id)))
                .select_from(Contact)
                .join(rows, true())
                .where(self.saved, route == wanted.value)
            )
            or 0
        )

    def overrides(self) -> tuple[OverrideRow, ...]:
        rows = self.session.execute(
            select(
                Contact.id,
                Contact.started_at,
                User.display_name,
                Contact.recommended_routes,
                Contact.final_routes,
                Contact.override_reason,
            )
            .join(User, User.id == Contact.handler_id)
            .where(self.saved, Contact.overridden.is_(True))
            .order_by(Contact.started_at, Contact.id)
        )
        return tuple(
            OverrideRow(
                contact_id=cid,
                started_at=started,
                handler=handler,
                recommended=_route_words(recommended),
                final=_route_words(final),
                reason=(reason or "").strip(),
            )
            for cid, started, handler, recommended, final, reason in rows
        )

    # Hand-offs and gaps -----------------------------------------------------------------------

    def handoffs(self, as_of: datetime) -> HandoffFigures:
        made = and_(Handoff.handed_at >= self.start, Handoff.handed_at < self.end)
        open_now = Handoff.status.in_((HandoffStatus.WAITING.value, HandoffStatus.ESCALATED.value))
        row = self.session.execute(
            select(
                func.count(),
                func.count().filter(Handoff.claimed_at.is_not(None)),
                func.count().filter(open_now),
                func.count().filter(Handoff.claimed_at > Handoff.due_at),
            ).where(made)
        ).one()
        return HandoffFigures(made=row[0], claimed=row[1], waiting=row[2], claimed_late=row[3])

    def gaps(self) -> tuple[GapCount, ...]:
        """Unmet needs by need, as first written (``chiropody`` and ``Chiropody`` are one)."""
        need = func.lower(func.trim(ServiceGap.need))
        rows = self.session.execute(
            select(func.min(func.trim(ServiceGap.need)), func.count())
            .join(Contact, Contact.id == ServiceGap.contact_id)
            .where(self.saved)
            .group_by(need)
            .order_by(func.count().desc(), need)
        )
        return tuple(GapCount(need=str(n), count=int(c)) for n, c in rows)

    def gaps_recorded(self) -> int:
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(ServiceGap)
                .join(Contact, Contact.id == ServiceGap.contact_id)
                .where(self.saved)
            )
            or 0
        )

    # Staff ------------------------------------------------------------------------------------

    def handlers(self) -> tuple[HandlerFigures, ...]:
        talk = self._percentiles(self.talk_seconds, Contact.handler_id)
        wrap = self._percentiles(self.wrap_seconds, Contact.handler_id)
        rows = self.session.execute(
            select(
                User.id,
                User.username,
                User.display_name,
                func.count(),
                func.count().filter(self.is_data),
                func.count().filter(self.is_resolved),
                func.count().filter(Contact.overridden.is_(True)),
            )
            .join(User, User.id == Contact.handler_id)
            .where(self.saved)
            .group_by(User.id, User.username, User.display_name)
            .order_by(User.display_name, User.username)
        )
        result = []
        for uid, username, name, contacts, data, resolved, overrides in rows:
            key = str(uid)
            result.append(
                HandlerFigures(
                    user_id=uid,
                    username=username,
                    name=name,
                    contacts=contacts,
                    data_contacts=data,
                    resolved=resolved,
                    overrides=overrides,
                    talk_median=talk[key].median if key in talk else None,
                    wrap_median=wrap[key].median if key in wrap else None,
                )
            )
        return tuple(result)


def _route_words(stored: list[dict[str, Any]] | None) -> tuple[str, ...]:
    return tuple(
        f"{choice.route.value}:{choice.urgency.value}" if choice.urgency else choice.route.value
        for choice in route_choices(stored)
    )
