"""The period's figures computed: one aggregate query per figure, in one session.

What each figure means is written once, in :mod:`spa_desk.reports.figures`, with the models
that carry them; here is how the database counts them. The same SQL runs on SQLite and
PostgreSQL except the few expressions :mod:`spa_desk.reports.sql` spells for each; no query
loads the period's contacts into Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, case, func, literal, or_, select, true
from sqlalchemy.orm import Session

from db.models import Contact, Handoff, ServiceGap, User
from spa_desk.database import Database
from spa_desk.domain import CurrentUser, route_choices
from spa_desk.reports.asking import may_read_reports
from spa_desk.reports.definitions import (
    CALLER_TYPE_KEYS,
    NO_STREAM,
    NO_URGENCY,
    ROUTE_KEYS,
    STREAM_KEYS,
    URGENCY_KEYS,
)
from spa_desk.reports.fcr import fcr_by_stream
from spa_desk.reports.figures import (
    GapCount,
    HandlerFigures,
    HandoffFigures,
    HourCount,
    OverrideRow,
    Percentiles,
    PeriodFigures,
    StreamFcr,
)
from spa_desk.reports.percentiles import percentiles_of
from spa_desk.reports.phone_figures import phone_figures
from spa_desk.reports.sql import as_utc_hour, contact_routes, seconds_between, utc_hour
from spa_desk.vocabulary import ContactStatus, HandoffStatus, Level1, Route, Urgency


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
    may_read_reports(actor)
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("report periods are timezone-aware")
    as_of = as_of or datetime.now(UTC)
    with database.sessions() as session:
        query = _Queries(session, start, end)
        fcr = query.fcr(sustained_days, as_of - timedelta(days=sustained_days))
        counts = query.counts(service_level_seconds)
        routes = query.routes()
        gaps = query.gaps()
        spread = query.spread()
        # Figures that are sums of others are summed here, not counted again.
        by_stream = {row.stream: row.data_contacts for row in fcr if row.stream != "all"}
        # Calls hung up before an answer left no contact: the phone's calls count them.
        abandoned = phone_figures(database, start, end, service_level_seconds).abandoned
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
            offered=counts["contacts"] + counts["drafts_open"] + abandoned,
            answered=counts["contacts"] + counts["drafts_open"],
            abandoned=abandoned,
            average_speed_of_answer=counts["asa"],
            answered_in_time=counts["in_time"],
            talk=spread[("talk", "all")].get("all", Percentiles()),
            wrap=spread[("wrap", "all")].get("all", Percentiles()),
            fcr=tuple(row for row in fcr if row.stream != "all"),
            fcr_all=next(row for row in fcr if row.stream == "all"),
            hours=query.hours(),
            caller_types=_every(CALLER_TYPE_KEYS, query.by(Contact.caller_type, data_only=True)),
            streams=_every(STREAM_KEYS, by_stream),
            routes=_every(ROUTE_KEYS, routes),
            urgency=_every(URGENCY_KEYS, query.most_urgent(counts["contacts"])),
            safeguarding=routes.get(Route.SAFEGUARDING.value, 0),
            crisis_responses=routes.get(Route.CRISIS_RESPONSE.value, 0),
            overrides=query.overrides(),
            handoffs=query.handoffs(as_of),
            gaps=gaps,
            gaps_recorded=sum(gap.count for gap in gaps),
            handlers=query.handlers(spread),
        )


def _every(keys: Sequence[str], counts: dict[str, int]) -> dict[str, int]:
    """``counts`` with every key in ``keys`` (0 when absent), in that order, then any other."""
    every = {key: counts.get(key, 0) for key in keys}
    every.update({key: value for key, value in counts.items() if key not in every})
    return every


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

    def spread(self) -> dict[tuple[str, str], dict[str, Percentiles]]:
        """Talk and wrap-up time's median and 90th percentile over the data contacts, for all of
        them and by handler, in one statement."""
        return percentiles_of(
            self.session,
            and_(self.saved, self.is_data),
            {"talk": self.talk_seconds, "wrap": self.wrap_seconds},
            {"all": literal("all", String), "handler": Contact.handler_id},
        )

    # First-contact resolution ------------------------------------------------------------------

    def fcr(self, days: int, known_before: datetime) -> list[StreamFcr]:
        """Recorded and sustained FCR by stream, and for all data contacts (stream ``all``)."""
        return fcr_by_stream(
            self.session,
            self.dialect,
            and_(self.saved, self.is_data),
            self.is_resolved,
            self.stream_key,
            days=days,
            known_before=known_before,
        )

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

    def most_urgent(self, contacts: int) -> dict[str, int]:
        """Contacts by the most urgent urgency of their routes; ``none`` for the rest of the
        ``contacts`` saved in the span."""
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
        counted[NO_URGENCY] = counted.get(NO_URGENCY, 0) + contacts - with_routes
        return counted

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
        """Unmet needs by need (``chiropody`` and ``Chiropody`` are one, shown as the spelling
        that sorts first: see :mod:`spa_desk.reports.gaps`)."""
        need = func.lower(func.trim(ServiceGap.need))
        rows = self.session.execute(
            select(func.min(func.trim(ServiceGap.need)), func.count())
            .join(Contact, Contact.id == ServiceGap.contact_id)
            .where(self.saved)
            .group_by(need)
            .order_by(func.count().desc(), need)
        )
        return tuple(GapCount(need=str(n), count=int(c)) for n, c in rows)

    # Staff ------------------------------------------------------------------------------------

    def handlers(
        self, spread: dict[tuple[str, str], dict[str, Percentiles]]
    ) -> tuple[HandlerFigures, ...]:
        talk, wrap = spread[("talk", "handler")], spread[("wrap", "handler")]
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
