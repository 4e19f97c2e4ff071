"""Trends over any period (SPEC 6): demand by weekday and hour, its peaks and troughs, and
month-on-month volume and first-contact resolution by stream.

Counted in the database: contacts by UTC hour (each exactly one Europe/London hour; local
weekday and hour are put on here) and, for the months, by local month and stream with a CASE
over the months' UTC bounds. The heat map's cell is the **mean contacts per hour**: the contacts
that started in that local weekday-hour over the period, divided by how many times that
weekday-hour occurred in the period (the October night has two 01:00 hours, the March night
none). Recorded FCR is as in :mod:`spa_desk.reports.figures`: resolved data contacts / data
contacts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlalchemy import and_, case, func, literal, select

from db.models import Contact
from spa_desk.database import Database
from spa_desk.database_marks import is_training
from spa_desk.domain import CurrentUser
from spa_desk.local_time import LONDON, local_days_to_utc
from spa_desk.reports.asking import Progress, local_period, may_read_reports, producer
from spa_desk.reports.csv_rows import Row, csv_text, fraction, instant
from spa_desk.reports.definitions import NO_STREAM, REFERENCE_FCR, STREAM_KEYS
from spa_desk.reports.sql import as_utc_hour, utc_hour
from spa_desk.vocabulary import ContactStatus, Level1

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NAMED = 3
"""How many peaks and troughs a trends report names."""


class HeatCell(BaseModel):
    model_config = ConfigDict(frozen=True)

    weekday: int
    """0 Monday .. 6 Sunday (local)."""
    hour: int
    contacts: int
    occurrences: int
    """How many times this local weekday-hour came in the period."""

    @property
    def mean(self) -> float | None:
        return self.contacts / self.occurrences if self.occurrences else None

    @property
    def key(self) -> str:
        return f"{WEEKDAYS[self.weekday]}-{self.hour:02d}"

    @property
    def words(self) -> str:
        return f"{WEEKDAY_WORDS[self.weekday]} {self.hour:02d}:00-{(self.hour + 1) % 24:02d}:00"


class StreamMonth(BaseModel):
    model_config = ConfigDict(frozen=True)

    data_contacts: int
    resolved: int

    @property
    def fcr(self) -> float | None:
        return self.resolved / self.data_contacts if self.data_contacts else None


class MonthFigures(BaseModel):
    model_config = ConfigDict(frozen=True)

    month: date
    """The first local day of the month."""
    contacts: int
    data_contacts: int
    resolved: int
    streams: dict[str, StreamMonth]

    @property
    def key(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def fcr(self) -> float | None:
        return self.resolved / self.data_contacts if self.data_contacts else None


class Trends(BaseModel):
    model_config = ConfigDict(frozen=True)

    first: date
    last: date
    start_utc: datetime
    end_utc: datetime
    produced_at: datetime
    produced_by: str
    training: bool = False
    """Counted on a training database (SPEC 7): every page says TRAINING."""
    contacts: int
    cells: tuple[HeatCell, ...]
    """7 x 24, Monday 00:00 first."""
    months: tuple[MonthFigures, ...]

    @property
    def peaks(self) -> tuple[HeatCell, ...]:
        """The busiest weekday-hours, busiest first (none in a period without a contact)."""
        seen = [cell for cell in self.cells if cell.occurrences and self.contacts]
        return tuple(sorted(seen, key=lambda c: (-(c.mean or 0), c.weekday, c.hour))[:NAMED])

    @property
    def troughs(self) -> tuple[HeatCell, ...]:
        """The quietest weekday-hours, quietest first (none in a period without a contact)."""
        seen = [cell for cell in self.cells if cell.occurrences and self.contacts]
        return tuple(sorted(seen, key=lambda c: (c.mean or 0, c.weekday, c.hour))[:NAMED])

    def cell(self, weekday: int, hour: int) -> HeatCell:
        return self.cells[weekday * 24 + hour]


def _months(first: date, last: date) -> list[tuple[date, datetime, datetime]]:
    """Each local month touching ``first``..``last``: its first day and its UTC span, clipped."""
    start, end = local_days_to_utc(first, last)
    months = []
    month = first.replace(day=1)
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        span_start = datetime.combine(month, datetime.min.time(), tzinfo=LONDON).astimezone(UTC)
        span_end = datetime.combine(following, datetime.min.time(), tzinfo=LONDON).astimezone(UTC)
        months.append((month, max(span_start, start), min(span_end, end)))
        month = following
    return months


def trends(
    database: Database,
    actor: CurrentUser | None,
    first: date,
    last: date,
    *,
    now: datetime | None = None,
    produced_by: str | None = None,
    progress: Progress | None = None,
) -> Trends:
    """Demand and FCR trends for local days ``first`` to ``last`` inclusive."""
    may_read_reports(actor)
    start, end = local_period(first, last)
    tell = progress or (lambda done, steps: None)
    months = _months(first, last)
    tell(0, 3)
    with database.sessions() as session:
        dialect = session.get_bind().dialect.name
        saved = and_(
            Contact.started_at >= start,
            Contact.started_at < end,
            Contact.status == ContactStatus.COMPLETE.value,
        )
        hour = utc_hour(dialect, Contact.started_at)
        by_hour = {
            as_utc_hour(h): int(n)
            for h, n in session.execute(select(hour, func.count()).where(saved).group_by(hour))
        }
        tell(1, 3)
        month_index = case(
            *((Contact.started_at < month_end, index) for index, (_, _, month_end) in
              enumerate(months)),
            else_=len(months) - 1,
        )  # fmt: skip
        stream_key = func.coalesce(Contact.stream, literal(NO_STREAM))
        is_data = and_(Contact.level1.is_not(None), Contact.level1 != Level1.NON_DATA.value)
        rows = session.execute(
            select(
                month_index.label("month"),
                stream_key.label("stream"),
                func.count().label("contacts"),
                func.count().filter(is_data).label("data"),
                func.count()
                .filter(and_(is_data, Contact.resolved_at_first_contact.is_(True)))
                .label("resolved"),
            )
            .where(saved)
            .group_by(month_index, stream_key)
        ).all()
        tell(2, 3)
    cells = _cells(start, end, by_hour)
    per_month: dict[int, dict[str, tuple[int, int, int]]] = defaultdict(dict)
    for row in rows:
        per_month[int(row.month)][str(row.stream)] = (row.contacts, row.data, row.resolved)
    month_figures = []
    for index, (month, _, _) in enumerate(months):
        streams = per_month.get(index, {})
        month_figures.append(
            MonthFigures(
                month=month,
                contacts=sum(c for c, _, _ in streams.values()),
                data_contacts=sum(d for _, d, _ in streams.values()),
                resolved=sum(r for _, _, r in streams.values()),
                streams={
                    key: StreamMonth(data_contacts=streams[key][1], resolved=streams[key][2])
                    for key in STREAM_KEYS
                    if key in streams and streams[key][1]
                },
            )
        )
    tell(3, 3)
    return Trends(
        first=first,
        last=last,
        start_utc=start,
        end_utc=end,
        produced_at=now or datetime.now(UTC),
        produced_by=producer(actor, produced_by),
        training=is_training(database),
        contacts=sum(by_hour.values()),
        cells=cells,
        months=tuple(month_figures),
    )


def _cells(start: datetime, end: datetime, by_hour: dict[datetime, int]) -> tuple[HeatCell, ...]:
    contacts = [[0] * 24 for _ in range(7)]
    occurrences = [[0] * 24 for _ in range(7)]
    moment = start
    while moment < end:
        local = moment.astimezone(LONDON)
        occurrences[local.weekday()][local.hour] += 1
        contacts[local.weekday()][local.hour] += by_hour.get(moment, 0)
        moment += timedelta(hours=1)
    return tuple(
        HeatCell(weekday=d, hour=h, contacts=contacts[d][h], occurrences=occurrences[d][h])
        for d in range(7)
        for h in range(24)
    )


def trends_rows(report: Trends) -> list[Row]:
    """The trends CSV (SPEC 10): ``heatmap,<weekday>-<HH>`` is the mean contacts per hour
    (``heatmap_contacts`` its contacts, which sum to the period's); ``month_stream`` a month's
    data contacts by stream, which sum to its ``month_data_contacts``."""
    rows: list[Row] = [
        ("period", "from", report.first.isoformat()),
        ("period", "to", report.last.isoformat()),
        ("period", "start", instant(report.start_utc)),
        ("period", "end", instant(report.end_utc)),
        ("report", "produced_at", instant(report.produced_at)),
        ("report", "produced_by", report.produced_by),
        ("summary", "contacts", str(report.contacts)),
    ]
    rows += [("heatmap", cell.key, fraction(cell.mean)) for cell in report.cells]
    rows += [("heatmap_contacts", cell.key, str(cell.contacts)) for cell in report.cells]
    rows += [("heatmap_hours", cell.key, str(cell.occurrences)) for cell in report.cells]
    rows += [("peak", cell.key, fraction(cell.mean)) for cell in report.peaks]
    rows += [("trough", cell.key, fraction(cell.mean)) for cell in report.troughs]
    for month in report.months:
        rows += [
            ("month_contacts", month.key, str(month.contacts)),
            ("month_data_contacts", month.key, str(month.data_contacts)),
            ("month_fcr_recorded", f"{month.key}/all", fraction(month.fcr)),
        ]
        rows += [
            ("month_stream", f"{month.key}/{stream}", str(figures.data_contacts))
            for stream, figures in month.streams.items()
        ]  # the month's data contacts by stream: they sum to month_data_contacts
        rows += [
            ("month_fcr_recorded", f"{month.key}/{stream}", fraction(figures.fcr))
            for stream, figures in month.streams.items()
        ]
    rows += [("fcr_reference", stream, fraction(value)) for stream, value in REFERENCE_FCR.items()]
    return rows


def trends_csv(report: Trends) -> str:
    return csv_text(trends_rows(report))
