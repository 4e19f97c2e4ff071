"""Service gaps over any period (SPEC 6): unmet needs by need, age band and area (postcode
district), so commissioners can see a gap such as chiropody for older people.

A gap belongs to the period its contact started in, like every figure. Needs are counted
without regard to case or surrounding spaces, under the spelling that sorts first (capitals
before small letters: ``Chiropody`` before ``chiropody``), the same in every run. A gap
recorded for nobody, or for someone whose date of birth or postcode the desk does not have, is
counted under ``unknown`` so that every breakdown sums to the gaps recorded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import and_, func, literal, select

from db.models import Contact, ServiceGap
from spa_desk.database import Database
from spa_desk.database_marks import is_training
from spa_desk.domain import CurrentUser
from spa_desk.reports.asking import Progress, local_period, may_read_reports, producer
from spa_desk.reports.csv_rows import Row, csv_text, instant
from spa_desk.reports.definitions import AGE_BAND_KEYS, UNKNOWN
from spa_desk.vocabulary import ContactStatus


class NeedCount(BaseModel):
    model_config = ConfigDict(frozen=True)

    need: str
    count: int


class NeedByBand(BaseModel):
    model_config = ConfigDict(frozen=True)

    need: str
    age_band: str
    count: int


class GapsReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    first: date
    last: date
    start_utc: datetime
    end_utc: datetime
    produced_at: datetime
    produced_by: str
    training: bool = False
    """Counted on a training database (SPEC 7): every page says TRAINING."""
    total: int
    needs: tuple[NeedCount, ...]
    """Most often unmet first."""
    age_bands: dict[str, int]
    areas: dict[str, int]
    """Postcode districts, most gaps first."""
    needs_by_band: tuple[NeedByBand, ...]


def service_gaps(
    database: Database,
    actor: CurrentUser | None,
    first: date,
    last: date,
    *,
    now: datetime | None = None,
    produced_by: str | None = None,
    progress: Progress | None = None,
) -> GapsReport:
    """Unmet needs recorded on contacts started on local days ``first`` to ``last``."""
    may_read_reports(actor)
    start, end = local_period(first, last)
    tell = progress or (lambda done, steps: None)
    in_period = and_(
        Contact.id == ServiceGap.contact_id,
        Contact.started_at >= start,
        Contact.started_at < end,
        Contact.status == ContactStatus.COMPLETE.value,
    )
    need_key = func.lower(func.trim(ServiceGap.need))
    band = func.coalesce(ServiceGap.age_band, literal(UNKNOWN))
    area = func.coalesce(ServiceGap.area, literal(UNKNOWN))
    tell(0, 3)
    with database.sessions() as session:
        needs_rows = session.execute(
            select(need_key, func.min(func.trim(ServiceGap.need)), band, func.count())
            .select_from(ServiceGap)
            .join(Contact, in_period)
            .group_by(need_key, band)
        ).all()
        tell(1, 3)
        area_rows = session.execute(
            select(area, func.count())
            .select_from(ServiceGap)
            .join(Contact, in_period)
            .group_by(area)
            .order_by(func.count().desc(), area)
        ).all()
        tell(2, 3)
    written: dict[str, str] = {}
    per_need: dict[str, int] = {}
    per_band: dict[str, int] = {key: 0 for key in AGE_BAND_KEYS}
    by_band: list[NeedByBand] = []
    for key, as_written, age_band, count in needs_rows:
        written[key] = min(written.get(key, as_written), as_written)
        per_need[key] = per_need.get(key, 0) + count
        per_band[age_band] = per_band.get(age_band, 0) + count
        by_band.append(NeedByBand(need=key, age_band=age_band, count=count))
    needs = sorted(per_need.items(), key=lambda item: (-item[1], item[0]))
    band_order = {key: index for index, key in enumerate((*AGE_BAND_KEYS, UNKNOWN))}
    tell(3, 3)
    return GapsReport(
        first=first,
        last=last,
        start_utc=start,
        end_utc=end,
        produced_at=now or datetime.now(UTC),
        produced_by=producer(actor, produced_by),
        training=is_training(database),
        total=sum(per_need.values()),
        needs=tuple(NeedCount(need=written[key], count=count) for key, count in needs),
        age_bands=per_band,
        areas={str(a): int(n) for a, n in area_rows},
        needs_by_band=tuple(
            NeedByBand(need=written[row.need], age_band=row.age_band, count=row.count)
            for row in sorted(
                by_band,
                key=lambda r: (-per_need[r.need], r.need, band_order.get(r.age_band, 99)),
            )
        ),
    )


def gaps_rows(report: GapsReport) -> list[Row]:
    """The service-gaps CSV (SPEC 10): ``need,<need>``, ``age_band,<band>``,
    ``area,<district>``, and each need by age band."""
    rows: list[Row] = [
        ("period", "from", report.first.isoformat()),
        ("period", "to", report.last.isoformat()),
        ("period", "start", instant(report.start_utc)),
        ("period", "end", instant(report.end_utc)),
        ("report", "produced_at", instant(report.produced_at)),
        ("report", "produced_by", report.produced_by),
        ("summary", "gaps", str(report.total)),
    ]
    rows += [("need", need.need, str(need.count)) for need in report.needs]
    rows += [("age_band", band, str(count)) for band, count in report.age_bands.items()]
    rows += [("area", area, str(count)) for area, count in report.areas.items()]
    rows += [
        ("need_age_band", f"{row.need}/{row.age_band}", str(row.count))
        for row in report.needs_by_band
    ]
    return rows


def gaps_csv(report: GapsReport) -> str:
    return csv_text(gaps_rows(report))
