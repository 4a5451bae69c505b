"""Product usage events, generated inside DuckDB.

numpy decides how many events each account has in each active month (by
seats, utilization, onboarding ramp and the decline before churn); a single
INSERT ... SELECT then expands those counts with `unnest(range(n))` and shapes
every event with hash-based pseudo-randomness (`hash(event_number, seed, salt)`),
so tens of millions of rows never pass through Python and the same seed always
yields the same events.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import duckdb
import numpy as np

from csra.generator.accounts import Accounts
from csra.generator.billing import Billing
from csra.generator.calendar import NULL_US, US_PER_DAY, Window
from csra.generator.config import TIERS, GeneratorConfig
from csra.generator.timeline import Timeline
from csra.generator.writer import id_sql, id_width, insert, timestamps

REGION_START_HOUR = np.array([13, 7, 23, 12])  # UTC start of the working day: na, emea, apac, latam


FEATURE_SLOTS = 64  # each (tier, pool) maps 64 hash slots onto features, by popularity
LICENSED, NONCORE, ABOVE = range(3)


def _spread(weights: list[tuple[str, int]], slots: int) -> list[str]:
    """Allocate `slots` slots to features in proportion to weight (largest remainder)."""
    total = sum(w for _, w in weights)
    exact = [(key, slots * w / total) for key, w in weights]
    counts = {key: int(x) for key, x in exact}
    by_remainder = sorted(exact, key=lambda kx: (-(kx[1] - int(kx[1])), kx[0]))
    for key, _ in by_remainder[: slots - sum(counts.values())]:
        counts[key] += 1
    return [key for key, _ in weights for _ in range(counts[key])]


def feature_slots(config: GeneratorConfig) -> dict[str, np.ndarray]:
    """Lookup (slot_key -> feature_key) for the event generator.

    slot_key = tier_rank * 1000 + pool * 100 + slot, tier_rank 1-3, pool:
    0 licensed features, 1 licensed non-core features, 2 features above the
    tier (the licensed ones again for the top tier).
    """
    rank = {t: i + 1 for i, t in enumerate(TIERS)}
    keys: list[int] = []
    features: list[str] = []
    for tier_rank in (1, 2, 3):
        licensed = [(f.feature_key, f.popularity) for f in config.features if rank[f.min_tier] <= tier_rank]
        noncore = [(f.feature_key, f.popularity) for f in config.features
                   if rank[f.min_tier] <= tier_rank and not f.is_core_workflow]
        above = [(f.feature_key, f.popularity) for f in config.features if rank[f.min_tier] > tier_rank]
        for pool, weights in ((LICENSED, licensed), (NONCORE, noncore), (ABOVE, above or licensed)):
            for slot, key in enumerate(_spread(weights, FEATURE_SLOTS)):
                keys.append(tier_rank * 1000 + pool * 100 + slot)
                features.append(key)
    return {"slot_key": np.array(keys, dtype=np.int64), "feature_key": np.array(features, dtype=object)}


def event_plan(
    config: GeneratorConfig,
    acc: Accounts,
    billing: Billing,
    timeline: Timeline,
    window: Window,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """One row per active account-month with its event count and event-number offset."""
    ends = window.month_starts[1:][None, :]
    value = timeline.value_day[:, None]
    usage = config.usage
    ramp = np.where(value >= ends, usage.ramp_before_value,
                    np.where(value >= ends - usage.ramp_days, usage.ramp_after_value, 1.0))
    seats = np.maximum(billing.seats, 1)
    users = np.clip(
        np.round(seats * acc.utilization[:, None] * np.sqrt(timeline.decline * ramp)), 1, seats
    ).astype(np.int64)
    weight = np.array([s.event_weight for s in config.segments])[acc.segment][:, None]
    lam = weight * users ** usage.users_exponent * timeline.active_share * timeline.decline * ramp
    lam = np.where(timeline.active, lam, 0.0)
    total = lam.sum()
    if total > 0:
        lam *= config.events_per_account * acc.n / total
    counts = rng.poisson(lam)
    account, month = np.nonzero(counts)  # row-major: account, then month
    n = counts[account, month]
    finite = np.isfinite(timeline.value_day)
    value_s = np.floor(np.where(finite, timeline.value_day, 0.0) * 86_400).astype(np.int64)
    first_value = np.where(finite, value_s * 1_000_000, NULL_US)
    above = np.where(acc.is_ceiling, config.ceiling_above_tier_share, config.above_tier_usage_share)
    return {
        "acct": account.astype(np.int64),
        "n": n.astype(np.int64),
        "ev_base": (np.cumsum(n) - n).astype(np.int64),
        "day_from": timeline.span_from[account, month].astype(np.int64),
        "span": timeline.span_days[account, month].astype(np.int64),
        "users": users[account, month],
        "tier_rank": (billing.tier[account, month] + 1).astype(np.int64),
        "above_bp": np.round(above[account] * 10_000).astype(np.int64),
        "hour0": REGION_START_HOUR[acc.region[account]].astype(np.int64),
        "fv_us": timestamps(first_value[account]),
    }


def events_sql(config: GeneratorConfig, seed: int, account_width: int, event_width: int) -> str:
    """SELECT expanding the event plan (`src`) into contract-shaped event rows.

    Needs the `feature_slots` lookup table. Ids are kept at most 12 characters
    where possible (DuckDB stores those inline), which matters at 50M rows.
    """
    dup_bp = round(config.duplicate_event_share * 10_000)
    late_bp = round(config.late_event_share * 10_000)
    usage = config.usage
    # `kind` is uniform in 0-999: session_start below, workflow_completed from, feature_used between
    feature_from = round(usage.session_start_share * 1000)
    workflow_from = 1000 - round(usage.workflow_completed_share * 1000)
    weekend_moved = round(usage.weekend_moved_share * 10)
    return f"""
        with planned as (
            -- per account-month strings are built once, not once per event
            select *,
                {id_sql('acc_', 'acct', account_width)} as account_id,
                'u' || lpad((acct + 1)::varchar, {account_width}, '0') || '_' as user_prefix
            from src
        ),
        expanded as (
            select account_id, user_prefix, users, tier_rank, above_bp, hour0, fv_us, day_from, span,
                ev_base + k as ev_no
            from (select *, unnest(range(n)) as k from planned)
        ),
        hashed as (
            select *,
                (hash(ev_no, {seed}, 1) >> 1)::bigint as h1,
                (hash(ev_no, {seed}, 2) >> 1)::bigint as h2,
                (hash(ev_no, {seed}, 3) >> 1)::bigint as h3
            from expanded
        ),
        dated as (
            select *,
                day_from + h1 % span as first_day,
                day_from + (h3 >> 50) % span as second_day,
                (h2 >> 30) % 1000 as kind
            from hashed
        ),
        timed as (
            select *,
                make_timestamp(
                    -- B2B rhythm: most weekend draws move to a second, random day
                    case when (first_day + 3) % 7 >= 5 and (h1 >> 56) % 10 < {weekend_moved} then second_day
                         else first_day end * {US_PER_DAY}
                    + ((hour0 * 3600 + (h1 >> 16) % 36000) % 86400) * 1000000
                    + ((h1 >> 32) % 1000) * 1000
                ) as occurred_at
            from dated
        ),
        classified as (
            select *,
                -- completed workflows are never on a core feature before first
                -- value, so the first core workflow_completed marks time to
                -- value; above-tier usage shows up as feature_used only
                tier_rank * 1000
                + case when kind >= {workflow_from} and (fv_us is null or occurred_at < fv_us) then {NONCORE * 100}
                       when kind < {workflow_from} and (h2 >> 40) % 10000 < above_bp then {ABOVE * 100}
                       else {LICENSED * 100} end
                + (h2 >> 20) % {FEATURE_SLOTS} as slot_key,
                case when (h3 >> 14) % 10000 < {late_bp}
                     then 86400 * (1 + (h3 >> 28) % 10) + (h3 >> 8) % 3600
                     else 20 + (h3 >> 28) % 1800 end as delay_s,
                case when h3 % 10000 < {dup_bp} then [0, 1] else [0] end as copies
            from timed
        )
        select
            'evt_' || lpad((ev_no + 1)::varchar, {event_width}, '0') as event_id,
            account_id,
            user_prefix
                || lpad((1 + floor(users * pow(((h2 >> 8) % 1000000) / 1000000.0, {usage.user_skew_exponent})))
                        ::bigint::varchar, 4, '0')
                as user_id,
            case when kind < {feature_from} then 'session_start'
                 when kind < {workflow_from} then 'feature_used'
                 else 'workflow_completed' end as event_name,
            case when kind >= {feature_from} then feature_slots.feature_key end as feature_key,
            occurred_at,
            occurred_at + to_seconds(delay_s + copy * (600 + (h3 >> 40) % 259200)) as loaded_at
        from (select *, unnest(copies) as copy from classified) as events
        inner join feature_slots on feature_slots.slot_key = events.slot_key
    """


def insert_events(
    con: duckdb.DuckDBPyConnection,
    config: GeneratorConfig,
    plan: dict[str, np.ndarray],
    seed: int,
    account_width: int,
    event_width: int,
    progress: Callable[[str], None] | None = None,
    batch_events: int = 5_000_000,
) -> int:
    """Expand the plan into raw_product.events (regular events, duplicates, late arrivals).

    Inserted in batches of about `batch_events` planned events so long runs
    report progress; every event's content depends only on its global event
    number and the seed, so batching never changes the data.
    """
    sql = events_sql(config, seed, account_width, event_width)
    con.register("slots_src", feature_slots(config))
    con.execute("create or replace temp table feature_slots as select * from slots_src")
    con.unregister("slots_src")
    total = int(plan["n"].sum())
    ends = np.searchsorted(np.cumsum(plan["n"]), np.arange(batch_events, total, batch_events), side="right")
    bounds = [0, *ends.tolist(), len(plan["n"])]
    try:
        for lo, hi in pairwise(bounds):
            if hi <= lo:
                continue
            con.register("src", {name: column[lo:hi] for name, column in plan.items()})
            try:
                con.execute(f"insert into raw_product.events by name {sql}")
            finally:
                con.unregister("src")
            if progress is not None and hi < len(plan["n"]):
                done = int(plan["ev_base"][hi])
                progress(f"raw_product.events: {done:,} of {total:,} planned events ({done / total:.0%})")
    finally:
        con.execute("drop table if exists feature_slots")
    return int(con.execute("select count(*) from raw_product.events").fetchone()[0])


def insert_first_value_events(
    con: duckdb.DuckDBPyConnection,
    config: GeneratorConfig,
    billing: Billing,
    timeline: Timeline,
    window: Window,
    first_event_number: int,
    account_width: int,
    event_width: int,
    rng: np.random.Generator,
) -> int:
    """The core workflow an account completes when it reaches first value."""
    value = timeline.value_day
    account = np.flatnonzero(np.isfinite(value))
    day = np.floor(value[account]).astype(np.int64)
    month = window.month_of(day)
    inside = (day >= timeline.span_from[account, month]) & (
        day < timeline.span_from[account, month] + timeline.span_days[account, month]
    )
    account, day, month = account[inside], day[inside], month[inside]
    occurred = np.floor(value[account] * 86_400).astype(np.int64) * 1_000_000
    occurred += rng.integers(0, 3_600, len(account)) * 1_000_000
    occurred = np.minimum(occurred, (day + 1) * US_PER_DAY - 1_000_000)
    rank = {t: i for i, t in enumerate(TIERS)}
    tier = billing.tier[account, month]
    core = [f for f in config.features if f.is_core_workflow]
    feature = np.empty(len(account), dtype=object)
    for t in range(3):
        options = [f.feature_key for f in core if rank[f.min_tier] <= t]
        mask = tier == t
        feature[mask] = np.array(options, dtype=object)[rng.integers(0, len(options), int(mask.sum()))]
    columns = {
        "ev_no": first_event_number + np.arange(len(account), dtype=np.int64),
        "acct": account.astype(np.int64),
        "feature": feature,
        "occurred": timestamps(occurred),
        "loaded": timestamps(occurred + rng.integers(20, 1800, len(account)) * 1_000_000),
    }
    select = f"""
        'evt_' || lpad((ev_no + 1)::varchar, {event_width}, '0') as event_id,
        {id_sql('acc_', 'acct', account_width)} as account_id,
        'u' || lpad((acct + 1)::varchar, {account_width}, '0') || '_0001' as user_id,
        'workflow_completed' as event_name,
        feature as feature_key,
        occurred as occurred_at,
        loaded as loaded_at
    """
    return insert(con, "raw_product.events", columns, select)


def account_width_for(n: int) -> int:
    return id_width(n, 6)


def event_width_for(total_events: int) -> int:
    """8 digits keep 'evt_' ids at 12 characters (stored inline) up to 100M events."""
    return id_width(total_events, 8)
