"""Latent attributes of every account, drawn once and vectorised.

These are the hidden truths the rest of the generator turns into observable
facts: when an account arrives, what it buys, how fast it reaches value, how
heavily it uses the product and how likely it is to churn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csra.generator.calendar import Window
from csra.generator.config import BILLING_PERIODS, REGIONS, GeneratorConfig
from csra.generator.names import INDUSTRIES


@dataclass
class Accounts:
    n: int
    segment: np.ndarray  # index into config.segments
    region: np.ndarray  # index into REGIONS
    currency: np.ndarray  # index into config.currencies (primary customer)
    industry: np.ndarray  # index into names.INDUSTRIES
    name_code: np.ndarray  # unique per account, decoded by names.account_names
    acquired_day: np.ndarray  # first subscription (trial or paid) starts
    has_trial: np.ndarray
    trial_days: np.ndarray
    converts: np.ndarray  # trial converts to paid (always true without trial)
    paid_start_day: np.ndarray  # first paid day (planned; may lie after the window)
    signed_day: np.ndarray  # first `new` contract signature (planned)
    tier: np.ndarray  # 0 starter, 1 growth, 2 enterprise
    period: np.ndarray  # billing months
    is_flat: np.ndarray
    seats: np.ndarray
    seat_ceiling: np.ndarray  # addressable seats: the most the account will ever license
    price_factor: np.ndarray  # negotiated price vs list
    first_year_discount: np.ndarray  # percent, 0 = none
    is_pilot: np.ndarray  # starts with a 100 % discount for a month or two
    utilization: np.ndarray  # share of licensed seats active in a normal month
    is_ceiling: np.ndarray  # pushes against its tier (uses features above it)
    value_day: np.ndarray  # first value reached (float days; inf = never)
    churn_multiplier: np.ndarray  # per-account factor on the segment churn hazard


def _choice(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """Row-wise categorical draw from a (n, k) matrix of probabilities."""
    cumulative = np.cumsum(probs, axis=1)
    cumulative /= cumulative[:, -1:]
    return (rng.random(len(probs))[:, None] > cumulative).sum(axis=1)


def _acquisition_days(rng: np.random.Generator, n: int, window: Window, growth: float) -> np.ndarray:
    """Sign-up days with a linearly growing rate (inverse CDF of 1 + growth * t)."""
    u = rng.random(n)
    t = (-1.0 + np.sqrt(1.0 + 2.0 * growth * u * (1.0 + growth / 2.0))) / growth if growth > 0 else u
    return np.sort(window.first_day + np.floor(t * window.days).astype(np.int64))


def draw_accounts(config: GeneratorConfig, n: int, window: Window, rng: np.random.Generator) -> Accounts:
    segs, knobs = config.segments, config.accounts
    segment = _choice(rng, np.tile([s.share for s in segs], (n, 1)))
    region = _choice(rng, np.tile(config.region_mix, (n, 1)))
    currency_mix = np.array([config.region_currency_mix[r] for r in REGIONS])
    currency = _choice(rng, currency_mix[region])
    industry = rng.integers(0, len(INDUSTRIES), n)
    name_code = rng.permutation(n)

    def per_segment(attr: str) -> np.ndarray:
        return np.array([getattr(s, attr) for s in segs])[segment]

    acquired = _acquisition_days(rng, n, window, config.acquisition_growth)
    has_trial = rng.random(n) < per_segment("trial_share")
    trial_days = np.where(has_trial, rng.choice(list(knobs.trial_days), n), 0)
    converts = ~has_trial | (rng.random(n) < per_segment("trial_conversion"))
    paid_start = acquired + trial_days
    # Sales-led starts without a trial are often put on the 1st of a month.
    snap = ~has_trial & (rng.random(n) < config.first_of_month_start_share)
    month_first = paid_start.astype("datetime64[D]").astype("datetime64[M]").astype("datetime64[D]")
    paid_start = np.where(snap, np.maximum(month_first.astype(np.int64), window.first_day), paid_start)
    acquired = np.where(has_trial, acquired, paid_start)
    sign_lead = np.where(
        has_trial, rng.integers(*knobs.sign_lead_days_trial, n), rng.integers(*knobs.sign_lead_days_sales, n)
    )
    signed = np.maximum(paid_start - sign_lead, window.first_day)

    tier = _choice(rng, np.array([s.tier_mix for s in segs])[segment])
    period = np.array(BILLING_PERIODS)[_choice(rng, np.array([s.period_mix for s in segs])[segment])]
    is_flat = rng.random(n) < per_segment("flat_share")
    seats_raw = np.exp(np.log(per_segment("seats_median")) + per_segment("seats_sigma") * rng.standard_normal(n))
    seats = np.clip(np.round(seats_raw), per_segment("seats_min"), per_segment("seats_max")).astype(np.int64)
    spread = per_segment("price_spread")
    price_factor = 1.0 + spread * (2.0 * rng.random(n) - 1.0)
    # First-year discounts: mostly round numbers, some negotiated to the cent.
    round_discount = rng.choice(list(knobs.first_year_round_pcts), n)
    odd_discount = np.round(rng.uniform(*knobs.first_year_odd_pct, n), 2)
    first_year_discount = np.where(
        rng.random(n) < per_segment("first_year_discount_share"),
        np.where(rng.random(n) < knobs.first_year_round_share, round_discount, odd_discount),
        0.0,
    )
    is_pilot = ~has_trial & (rng.random(n) < knobs.pilot_share)

    utilization = np.clip(rng.beta(*knobs.utilization_beta, n), knobs.utilization_floor, 1.0)
    is_ceiling = rng.random(n) < config.ceiling_account_share

    # Time to value: lognormal days after signing, some never; some trials reach
    # value before they sign (counts as 0 days).
    ttv = np.exp(np.log(per_segment("ttv_median_days")) + knobs.ttv_sigma * rng.standard_normal(n))
    never = rng.random(n) < per_segment("never_value_share")
    in_trial = has_trial & ~never & (rng.random(n) < knobs.value_in_trial_share)
    value_day = np.where(
        in_trial,
        acquired + 2 + rng.random(n) * np.maximum(trial_days - 3, 1),
        signed + ttv,
    )
    value_day = np.where(never, np.inf, value_day)
    ttv_days = np.where(never, np.inf, np.maximum(value_day - signed, 0))
    bucket = np.digitize(ttv_days, [*knobs.ttv_bucket_edges_days, np.inf])
    noise = np.exp(knobs.churn_noise_sigma * rng.standard_normal(n))
    churn_multiplier = np.array(knobs.ttv_bucket_churn)[bucket] * noise
    churn_multiplier *= np.where(utilization > config.high_utilization, knobs.high_utilization_churn_multiplier, 1.0)
    for k in range(len(segs)):  # keep the segment's mean hazard as configured
        mask = segment == k
        if mask.any():
            churn_multiplier[mask] /= churn_multiplier[mask].mean()

    # Addressable seats (the people at the customer who could use the product):
    # seat-ups fill this headroom and stop at it, so expansion is bounded the
    # way a real account's is. A large account has already licensed more of
    # its company, so its headroom is a smaller share of what it signed (above
    # the segment's median, the headroom in seats stays about the median's).
    # Drawn last, so every attribute above stays what the seed gave before.
    headroom = np.exp(
        np.log(per_segment("seat_headroom")) + per_segment("seat_headroom_sigma") * rng.standard_normal(n)
    )
    headroom *= np.minimum(1.0, per_segment("seats_median") / seats)
    headroom = np.minimum(headroom, knobs.seat_headroom_cap)
    seat_ceiling = seats + np.maximum(1, np.round(seats * headroom)).astype(np.int64)

    return Accounts(
        n=n,
        segment=segment,
        region=region,
        currency=currency,
        industry=industry,
        name_code=name_code,
        acquired_day=acquired.astype(np.int64),
        has_trial=has_trial,
        trial_days=trial_days.astype(np.int64),
        converts=converts,
        paid_start_day=paid_start.astype(np.int64),
        signed_day=signed.astype(np.int64),
        tier=tier,
        period=period.astype(np.int64),
        is_flat=is_flat,
        seats=seats,
        seat_ceiling=seat_ceiling,
        price_factor=price_factor,
        first_year_discount=first_year_discount,
        is_pilot=is_pilot,
        utilization=utilization,
        is_ceiling=is_ceiling,
        value_day=value_day,
        churn_multiplier=churn_multiplier,
    )

