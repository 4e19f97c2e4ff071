"""What the reports compare against and how they name what has no name (SPEC 5 and 6).

The figures themselves are defined once, in :mod:`spa_desk.reports.figures`; this module holds the
constants they and the pages that show them share.
"""

from __future__ import annotations

from spa_desk.people.age import AGE_BANDS
from spa_desk.vocabulary import CallerType, Route, Stream, Urgency

REFERENCE_FCR: dict[str, float] = {
    Stream.SOCIAL_CARE.value: 0.73,
    Stream.MENTAL_HEALTH.value: 0.67,
    Stream.HEALTH.value: 0.26,
}
"""The reference SPA's recorded first-contact resolution by stream (SPEC 5; for mental health,
its out-of-hours figure)."""

NO_STREAM = "none"
"""The stream key of a data contact that level 1 closed without a stream (information, or an
emergency), so that the streams of a report sum to its data contacts."""

NO_URGENCY = "none"
"""The urgency key of a contact none of whose routes has an urgency, so that the urgency counts
sum to the contacts."""

STREAM_KEYS: tuple[str, ...] = (*(stream.value for stream in Stream), NO_STREAM)
"""Every stream key a report may show, in the order it shows them."""

URGENCY_KEYS: tuple[str, ...] = (*(urgency.value for urgency in Urgency), NO_URGENCY)

ROUTE_KEYS: tuple[str, ...] = tuple(route.value for route in Route)
"""Every route a report counts, in the order it shows them: each one is in every report, 0 when
no contact took it, as the streams and urgencies are (SPEC 10's ``routes,<route>``)."""

CALLER_TYPE_KEYS: tuple[str, ...] = tuple(caller.value for caller in CallerType)
"""Every caller type a report counts (SPEC 10's ``caller_type,<type>``), 0 when none rang."""

AGE_BAND_KEYS: tuple[str, ...] = tuple(label for _, label in AGE_BANDS)
"""The age bands of the service-gaps report (SPEC 6), as :mod:`spa_desk.people.age` makes them."""

UNKNOWN = "unknown"
"""The age band or area of a service gap recorded for nobody, or for someone whose date of
birth or postcode the desk does not have."""


def stream_words(key: str) -> str:
    """A stream key in words, for a page or a screen."""
    if key == NO_STREAM:
        return "No stream (level 1)"
    return Stream(key).label
