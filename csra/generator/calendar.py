"""The generation window and vectorised date arithmetic.

Dates are int64 day numbers (days since 1970-01-01) and timestamps are int64
microseconds since 1970-01-01 UTC throughout the generator; they become SQL
dates and timestamps only when a table is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

US_PER_DAY = 86_400 * 1_000_000
NULL_DAY = -1  # sentinel for "no date" in int day arrays
NULL_US = np.iinfo(np.int64).min  # sentinel for "no timestamp" in int us arrays


def parse_month(text: str) -> dt.date:
    """Parse 'YYYY-MM' into the first day of that month."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return dt.date(year, month, 1)
    except ValueError as exc:  # also raised for a wrong number of parts
        raise ValueError(f"expected a month as YYYY-MM, got {text!r}") from exc


def default_start_month(months: int, today: dt.date) -> dt.date:
    """First month of a window of `months` months that ends with today's month."""
    index = today.year * 12 + (today.month - 1) - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def day_number(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


def to_date(day: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(day))


@dataclass(frozen=True)
class Window:
    """`months` calendar months starting at `start`; facts fall in [first_day, end_day)."""

    start: dt.date
    months: int

    @property
    def month_starts(self) -> np.ndarray:
        """Day numbers of the first day of each month, plus the day after the window."""
        first = np.datetime64(self.start, "M")
        return np.arange(first, first + self.months + 1).astype("datetime64[D]").astype(np.int64)

    @property
    def first_day(self) -> int:
        return int(self.month_starts[0])

    @property
    def end_day(self) -> int:
        """First day after the window (exclusive)."""
        return int(self.month_starts[-1])

    @property
    def days(self) -> int:
        return self.end_day - self.first_day

    def month_of(self, days: np.ndarray) -> np.ndarray:
        """Month index (0-based within the window) of each day number."""
        return np.searchsorted(self.month_starts, days, side="right") - 1


def add_months(days: np.ndarray, months: np.ndarray | int) -> np.ndarray:
    """Add calendar months to day numbers, clamping the day of month (Jan 31 + 1 = Feb 28)."""
    days = np.asarray(days, dtype=np.int64)
    month = days.astype("datetime64[D]").astype("datetime64[M]")
    day_of_month = days - month.astype("datetime64[D]").astype(np.int64)
    target = month + np.asarray(months, dtype=np.int64)
    target_first = target.astype("datetime64[D]").astype(np.int64)
    month_length = (target + 1).astype("datetime64[D]").astype(np.int64) - target_first
    return target_first + np.minimum(day_of_month, month_length - 1)


def day_of_month(days: np.ndarray) -> np.ndarray:
    """1-based day of month of each day number."""
    days = np.asarray(days, dtype=np.int64)
    first = days.astype("datetime64[D]").astype("datetime64[M]").astype("datetime64[D]")
    return days - first.astype(np.int64) + 1
