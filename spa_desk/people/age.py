"""A person's age from their date of birth, and the age bands reports count service gaps in
(SPEC 6: 18-64, 65-74, 75-84, 85+)."""

from __future__ import annotations

from datetime import date

AGE_BANDS = ((18, "18-64"), (65, "65-74"), (75, "75-84"), (85, "85+"))
"""Age bands for service gap reports: lower bound and label."""


def age_on(born: date, day: date) -> int:
    """Age in whole years on ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_band(age: int) -> str:
    """The report band an age falls in: ``18-64``, ``65-74``, ``75-84`` or ``85+``."""
    label = AGE_BANDS[0][1]
    for lower, band in AGE_BANDS:
        if age >= lower:
            label = band
    return label
