"""Per account-month views derived from the billing simulation.

`Timeline` holds what every downstream generator needs to place facts in the
account's active periods: the active day span of each month, how many months
are left before the account's activity stops (for the pre-churn decline) and
whether that stop is a churn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csra.generator.accounts import Accounts
from csra.generator.billing import Billing
from csra.generator.calendar import US_PER_DAY, Window
from csra.generator.config import GeneratorConfig

NO_END = 10_000  # months to end for activity that runs past the window


@dataclass
class Timeline:
    active: np.ndarray  # (n, months) bool
    span_from: np.ndarray  # (n, months) first active day
    span_days: np.ndarray  # (n, months) active days (0 if inactive)
    active_share: np.ndarray  # (n, months) active days / days in month
    months_to_end: np.ndarray  # (n, months) 0 = activity stops this month
    decline: np.ndarray  # (n, months) usage multiplier before a stop (1 = none)
    value_day: np.ndarray  # (n,) first value day (float, inf = never within activity)


def build_timeline(config: GeneratorConfig, acc: Accounts, billing: Billing, window: Window) -> Timeline:
    n, months = acc.n, window.months
    lengths = np.diff(window.month_starts)
    active = billing.active_from < billing.active_to
    span_days = np.where(active, billing.active_to - billing.active_from, 0)
    ends_here = active & (
        (billing.active_to < window.month_starts[1:][None, :])
        | ~np.concatenate([active[:, 1:], np.zeros((n, 1), dtype=bool)], axis=1)
    )
    # The last window month "ends" only if activity stopped before its last day.
    ends_here[:, -1] = active[:, -1] & (billing.active_to[:, -1] < window.end_day)
    months_to_end = np.full((n, months), NO_END, dtype=np.int64)
    following = np.full(n, NO_END, dtype=np.int64)
    for m in range(months - 1, -1, -1):
        following = np.where(ends_here[:, m], 0, np.where(following >= NO_END, NO_END, following + 1))
        months_to_end[:, m] = following
    decline = np.ones((n, months))
    # Usage multiplier in the month activity stops, and the 1, 2 months before.
    for k, factor in enumerate(config.usage.decline_before_stop):
        decline[months_to_end == k] = factor
    value_day = np.where(acc.value_day < billing.first_end_day, acc.value_day, np.inf)
    value_day = np.where(value_day < window.end_day, value_day, np.inf)
    return Timeline(
        active=active,
        span_from=billing.active_from,
        span_days=span_days,
        active_share=span_days / lengths[None, :],
        months_to_end=months_to_end,
        decline=decline,
        value_day=value_day,
    )


def random_times_in_spans(
    rng: np.random.Generator,
    span_from: np.ndarray,
    span_days: np.ndarray,
    hour_lo: float = 7.0,
    hour_hi: float = 19.0,
) -> np.ndarray:
    """A random microsecond timestamp inside each active span, in working hours."""
    day = span_from + np.floor(rng.random(len(span_from)) * span_days).astype(np.int64)
    seconds = rng.uniform(hour_lo * 3600, hour_hi * 3600, len(day)).astype(np.int64)
    return day * US_PER_DAY + seconds * 1_000_000


def expand_cells(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(account, month) index of each of counts.sum() facts drawn per account-month cell."""
    flat = counts.ravel()
    cells = np.repeat(np.arange(flat.size), flat)
    return cells // counts.shape[1], cells % counts.shape[1]
