"""Every figure of SPEC 6 for a span of time, computed in the database.

The one place the report figures are defined: the shift report's PDF and CSV, the dashboard and
the tests all read :class:`PeriodFigures`. Each figure is an aggregate query (GROUP BY, window
functions for the percentiles, EXISTS for sustained first-contact resolution), the same SQL on
SQLite and PostgreSQL except for the few expressions :mod:`spa_desk.reports.sql` spells for each;
no query loads the period's contacts into Python.

Definitions (SPEC 5 and 6), for contacts that started in ``[start, end)``:

- **contacts**: saved (complete) contacts; **data contacts**: those whose level 1 is not
  ``non_data``; **drafts left open**: calls started and never saved.
- **offered / answered / abandoned**: every call on the desk (saved contacts and open drafts
  alike, whether it rang on the desk's phone or was started by hand) is offered and answered;
  a call that rang on the phone and was hung up before an answer left no contact, and is
  counted as offered and abandoned from the phone's calls (:mod:`spa_desk.reports.phone_figures`).
- **average speed of answer**: mean seconds from the start of the call to its answer, calls
  with an answer time; **service level**: answered within the threshold (a setting, 20 s by
  default) / offered.
- **talk time, wrap-up time**: median and 90th percentile in seconds of data contacts, as the
  contacts CSV reads them (kept with the contact; for rows from before that was kept, from the
  answer to the end of the call, and from the end of the call to the save). Percentiles are
  linear between the two nearest values (PostgreSQL's ``percentile_cont``).
- **recorded FCR**: data contacts resolved at first contact (the flag the rule set gave at the
  save) / data contacts; **sustained FCR**: resolved data contacts with no later contact (saved,
  or a call still open) about the same person on the same stream within N days (a setting, 7 by
  default) / data contacts. A resolved contact whose N days are not over yet and has no such
  contact so far is *not yet known*, counted apart. A contact about nobody cannot be followed
  up and is sustained once its N days are over.
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
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from spa_desk.local_time import LONDON

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
