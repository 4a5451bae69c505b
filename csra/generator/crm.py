"""CRM facts: users, accounts, contracts, opportunities, onboarding, cases, activities.

All of them are derived from the latent accounts and the billing simulation,
so contracts line up with paid tenures, won expansion opportunities close
shortly before a real expansion, and onboarding milestones carry the
account's time to value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from csra.generator.accounts import Accounts
from csra.generator.billing import EXPANSION_KINDS, Billing, ChangeKind, TenureKind
from csra.generator.calendar import NULL_DAY, NULL_US, US_PER_DAY, Window, add_months
from csra.generator.config import GeneratorConfig
from csra.generator.names import person_names
from csra.generator.timeline import Timeline, expand_cells, random_times_in_spans

ROLES = ("csm", "ae", "sdr", "manager", "other")
CSM, AE, SDR, MANAGER, OTHER = range(5)
SEGMENT_TEAMS = ("SMB", "Mid-Market", "Enterprise")
CONTRACT_TYPES = ("new", "renewal", "expansion")
OPPORTUNITY_TYPES = ("new_business", "expansion", "renewal")
NEW_BUSINESS, EXPANSION, RENEWAL = range(3)
STAGES = ("discovery", "qualified", "proposal", "negotiation", "closed_won", "closed_lost")
DISCOVERY, QUALIFIED, PROPOSAL, NEGOTIATION, WON, LOST = range(6)
ORIGINS = ("cs", "sales", "marketing", "partner", "self_serve")
CS, SALES, MARKETING, PARTNER, SELF_SERVE = range(5)
SIGNALS = ("seat_utilization", "feature_ceiling", "new_persona", "qbr", "inbound", "other")
SEAT_UTILIZATION, FEATURE_CEILING, NEW_PERSONA, QBR_SIGNAL, INBOUND, OTHER_SIGNAL = range(6)
NO_SIGNAL = -1
MILESTONES = ("kickoff", "integration_live", "first_value", "onboarding_complete")
PRIORITIES = ("low", "normal", "high", "urgent")
ACTIVITY_TYPES = ("qbr", "call", "email", "training", "exec_meeting")
QBR, CALL, EMAIL, TRAINING, EXEC_MEETING = range(5)


def _pick(rng: np.random.Generator, n: int, probs: tuple[float, ...]) -> np.ndarray:
    return rng.choice(len(probs), size=n, p=np.asarray(probs) / np.sum(probs))


def _time_of_day(rng: np.random.Generator, days: np.ndarray, lo: float = 8.0, hi: float = 18.0) -> np.ndarray:
    days = np.floor(np.asarray(days, dtype=float)).astype(np.int64)
    return days * US_PER_DAY + rng.uniform(lo * 3600, hi * 3600, len(days)).astype(np.int64) * 1_000_000


@dataclass
class Users:
    role: np.ndarray
    team: np.ndarray  # object
    is_active: np.ndarray
    first_name: np.ndarray
    last_name: np.ndarray
    pools: dict[tuple[int, int], np.ndarray]  # (role, segment or -1) -> active user ids


@dataclass
class Crm:
    users: Users
    csm: np.ndarray  # per account, -1 = none
    ae: np.ndarray
    account_created_us: np.ndarray
    account_updated_us: np.ndarray
    contracts: dict[str, np.ndarray]
    opportunities: dict[str, np.ndarray]
    milestones: dict[str, np.ndarray]
    cases: dict[str, np.ndarray]
    activities: dict[str, np.ndarray]


def build_users(
    config: GeneratorConfig, acc: Accounts, rng: np.random.Generator
) -> tuple[Users, np.ndarray, np.ndarray]:
    """CRM users sized to the book, and each account's CSM and AE."""
    roles: list[int] = []
    teams: list[str] = []
    segments: list[int] = []
    knobs = config.crm
    covered = rng.random(acc.n) < np.array([s.csm_coverage for s in config.segments])[acc.segment]
    for k, seg in enumerate(config.segments):
        in_seg = acc.segment == k
        n_csm = max(1, math.ceil((in_seg & covered).sum() / seg.accounts_per_csm))
        n_ae = max(1, math.ceil(in_seg.sum() / knobs.accounts_per_ae[k]))
        roles += [CSM] * n_csm + [AE] * n_ae
        teams += [f"CS - {SEGMENT_TEAMS[k]}"] * n_csm + [f"Sales - {SEGMENT_TEAMS[k]}"] * n_ae
        segments += [k] * (n_csm + n_ae)
    n_sdr = max(2, math.ceil(acc.n / knobs.accounts_per_sdr))
    n_managers = max(2, math.ceil(len(roles) / knobs.users_per_manager))
    n_other = 2 + acc.n // knobs.accounts_per_other_user
    roles += [SDR] * n_sdr + [MANAGER] * n_managers + [OTHER] * n_other
    teams += ["Sales Development"] * n_sdr
    teams += ["CS Leadership" if i % 2 == 0 else "Sales Leadership" for i in range(n_managers)]
    teams += ["RevOps" if i % 2 == 0 else "Support Operations" for i in range(n_other)]
    segments += [-1] * (n_sdr + n_managers + n_other)
    role = np.array(roles)
    segment = np.array(segments)
    is_active = rng.random(len(role)) < knobs.user_active_share
    pools: dict[tuple[int, int], np.ndarray] = {}
    for r in range(len(ROLES)):
        for s in (-1, 0, 1, 2):
            members = np.flatnonzero((role == r) & ((segment == s) | (s == -1)))
            if len(members) == 0:
                continue
            if not is_active[members].any():
                is_active[members[0]] = True
            pools[(r, s)] = members[is_active[members]]
    first, last = person_names(rng, len(role))

    csm = np.full(acc.n, -1, dtype=np.int64)
    ae = np.full(acc.n, -1, dtype=np.int64)
    for k in range(len(config.segments)):
        in_seg = np.flatnonzero(acc.segment == k)
        csm_pool, ae_pool = pools[(CSM, k)], pools[(AE, k)]
        csm[in_seg] = csm_pool[rng.integers(0, len(csm_pool), len(in_seg))]
        ae[in_seg] = ae_pool[rng.integers(0, len(ae_pool), len(in_seg))]
    csm[~covered] = -1
    ae[rng.random(acc.n) < knobs.no_ae_share] = -1
    users = Users(role=role, team=np.array(teams, dtype=object), is_active=is_active,
                  first_name=first, last_name=last, pools=pools)
    return users, csm, ae


def _pool_pick(rng: np.random.Generator, pool: np.ndarray, n: int) -> np.ndarray:
    return pool[rng.integers(0, len(pool), n)]


def _csm_or_pooled(rng: np.random.Generator, users: Users, csm: np.ndarray, accounts: np.ndarray) -> np.ndarray:
    """The account's CSM, or a pooled (digital-touch) SMB CSM when it has none."""
    out = csm[accounts].copy()
    missing = out < 0
    out[missing] = _pool_pick(rng, users.pools[(CSM, 0)], int(missing.sum()))
    return out


def _ae_or_any(rng: np.random.Generator, users: Users, ae: np.ndarray, accounts: np.ndarray) -> np.ndarray:
    out = ae[accounts].copy()
    missing = out < 0
    out[missing] = _pool_pick(rng, users.pools[(AE, -1)], int(missing.sum()))
    return out


def _mrr_lookup(billing: Billing, accounts: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Account MRR around a month: the first positive of M..M+2, else the last before M."""
    mrr = billing.mrr
    n_months = mrr.shape[1]
    out = np.zeros(len(accounts))
    for k in (0, 1, 2):
        m = np.minimum(months + k, n_months - 1)
        value = mrr[accounts, m]
        out = np.where((out <= 0) & (value > 0), value, out)
    filled = np.maximum.accumulate(np.where(mrr > 0, np.arange(n_months)[None, :], -1), axis=1)
    last = filled[accounts, np.minimum(months, n_months - 1)]
    previous = np.where(last >= 0, mrr[accounts, np.maximum(last, 0)], 0.0)
    return np.where(out > 0, out, previous)


def build_contracts(
    config: GeneratorConfig, acc: Accounts, billing: Billing, window: Window, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """`new` at each paid tenure's start, `renewal` per 12-month term kept, some `expansion`."""
    knobs = config.crm
    ten = billing.tenures
    currency = billing.customers["currency"][ten["customer"]]
    n_ten = len(ten["account"])
    tenure_id = np.arange(n_ten)
    max_terms = window.months // 12 + 2
    t_idx = np.repeat(tenure_id, max_terms)
    term = np.tile(np.arange(max_terms), n_ten)
    term_start = add_months(ten["start_day"][t_idx], 12 * term)
    term_end = add_months(ten["start_day"][t_idx], 12 * (term + 1))
    ended = ten["end_day"][t_idx]
    alive = (ended == NULL_DAY) | (ended > term_start)
    keep = (term_start < window.end_day) & ((term == 0) | alive)
    t_idx, term, term_start, term_end = t_idx[keep], term[keep], term_start[keep], term_end[keep]
    account = ten["account"][t_idx]
    count = len(t_idx)

    first_kind = (term == 0) & (ten["kind"][t_idx] == TenureKind.FIRST)
    sign_day = np.where(
        term == 0,
        np.where(first_kind, acc.signed_day[account], term_start - rng.integers(0, 11, count)),
        term_start - np.where(rng.random(count) < knobs.renewal_signed_early_share, rng.integers(0, 46, count),
                              -rng.integers(1, 21, count)),
    )
    sign_day = np.maximum(sign_day, window.first_day)
    jittered = (term > 0) & (rng.random(count) < knobs.renewal_start_jitter_share)
    jitter = np.where(jittered, rng.integers(-20, 21, count), 0)
    start = term_start + jitter
    signed_us = _time_of_day(rng, sign_day)
    in_window = signed_us < window.end_day * US_PER_DAY
    arr = 12 * _mrr_lookup(billing, account, window.month_of(term_start))
    base = {
        "account": account,
        "tenure": t_idx,
        "type": np.where(term == 0, 0, 1),
        "signed_us": signed_us,
        "start_day": start,
        "end_day": term_end,
        "arr": np.round(arr, 2),
        "currency": currency[t_idx],
        "term": term,
    }
    base = {k: v[in_window] for k, v in base.items()}

    # Expansion order forms, co-termed with the running contract.
    ch = billing.changes
    is_exp = np.isin(ch["kind"], EXPANSION_KINDS)
    seg = acc.segment[ch["account"]]
    paper = is_exp & (rng.random(len(is_exp)) < np.array(knobs.expansion_paper_share)[seg])
    acct = ch["account"][paper]
    t = ch["tenure"][paper]
    day = ch["day"][paper]
    t_start = ten["start_day"][t]
    co_term = np.full(len(day), NULL_DAY, dtype=np.int64)
    for k in range(1, max_terms + 1):
        boundary = add_months(t_start, 12 * k)
        co_term = np.where((co_term == NULL_DAY) & (boundary > day), boundary, co_term)
    sign = np.maximum(day - rng.integers(0, 21, len(day)), np.maximum(t_start, window.first_day))
    exp = {
        "account": acct,
        "tenure": t,
        "type": np.full(len(acct), 2),
        "signed_us": _time_of_day(rng, sign),
        "start_day": day,
        "end_day": co_term,
        "arr": np.round(12 * ch["delta_mrr"][paper], 2),
        "currency": currency[t],
        "term": np.full(len(acct), -1),
    }
    contracts = {k: np.concatenate([base[k], exp[k]]) for k in base}
    order = np.lexsort((contracts["type"], contracts["start_day"], contracts["account"]))
    return {k: v[order] for k, v in contracts.items()}


def _signal_for(
    rng: np.random.Generator, origin: np.ndarray, mixes: dict[str, tuple[tuple[str | None, float], ...]]
) -> np.ndarray:
    """The signal each opportunity cites, drawn from its origin's mix (CrmConfig.signal_mix)."""
    n = len(origin)
    out = np.full(n, NO_SIGNAL, dtype=np.int64)
    for origin_name, mix in mixes.items():
        values = [NO_SIGNAL if name is None else SIGNALS.index(name) for name, _ in mix]
        probs = tuple(share for _, share in mix)
        mask = origin == ORIGINS.index(origin_name)
        out[mask] = np.array(values)[_pick(rng, int(mask.sum()), probs)]
    return out


def _opps(
    account: np.ndarray,
    opp_type: int,
    stage: np.ndarray,
    amount: np.ndarray,
    currency: np.ndarray,
    created_us: np.ndarray,
    created_by: np.ndarray,
    owner: np.ndarray,
    origin: np.ndarray,
    signal: np.ndarray,
    qualified_us: np.ndarray,
    closed_us: np.ndarray,
) -> dict[str, np.ndarray]:
    return {
        "account": account,
        "type": np.full(len(account), opp_type),
        "stage": stage,
        "amount": np.round(np.maximum(amount, 0.0), 2),
        "currency": currency,
        "created_us": created_us,
        "created_by": created_by,
        "owner": owner,
        "origin": origin,
        "signal": signal,
        "qualified_us": qualified_us,
        "closed_us": closed_us,
    }


def _between(rng: np.random.Generator, lo_us: np.ndarray, hi_us: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """A time at a random fraction in [lo, hi] of the way from lo_us to hi_us."""
    frac = rng.uniform(lo, hi, len(lo_us))
    return (lo_us + frac * (hi_us - lo_us)).astype(np.int64)


def build_opportunities(
    config: GeneratorConfig,
    acc: Accounts,
    billing: Billing,
    timeline: Timeline,
    contracts: dict[str, np.ndarray],
    users: Users,
    csm: np.ndarray,
    ae: np.ndarray,
    window: Window,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    w_first_us = window.first_day * US_PER_DAY
    w_end_us = window.end_day * US_PER_DAY
    parts: list[dict[str, np.ndarray]] = []
    knobs = config.crm
    seg_cycle = np.array(knobs.sales_cycle_days)
    signal_mix = knobs.signal_mix
    sdr_pool, other_pool = users.pools[(SDR, -1)], users.pools[(OTHER, -1)]

    def creators(origin: np.ndarray, accounts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        by_csm = _csm_or_pooled(rng, users, csm, accounts)
        by_ae = _ae_or_any(rng, users, ae, accounts)
        created_by = np.select(
            [origin == CS, origin == MARKETING, origin == SELF_SERVE],
            [by_csm, _pool_pick(rng, sdr_pool, len(origin)), _pool_pick(rng, other_pool, len(origin))],
            by_ae,
        )
        owner = np.where((origin == CS) & (rng.random(len(origin)) < knobs.cs_owner_share), by_csm, by_ae)
        return created_by, owner

    # New business won: one per `new` contract (first purchase or win-back).
    new = contracts["type"] == 0
    acct = contracts["account"][new]
    closed = contracts["signed_us"][new]
    cycle = rng.uniform(seg_cycle[acc.segment[acct], 0], seg_cycle[acc.segment[acct], 1])
    earliest = w_first_us + rng.integers(0, 36_000, len(acct)) * 1_000_000
    created = np.maximum(closed - (cycle * US_PER_DAY).astype(np.int64), earliest)
    created = np.minimum(created, closed)
    win_back = billing.tenures["kind"][contracts["tenure"][new]] == TenureKind.WIN_BACK
    origin = np.where(win_back, np.where(rng.random(len(acct)) < knobs.win_back_cs_share, CS, SALES),
                      _pick(rng, len(acct), knobs.new_business_origin_mix))
    by, owner = creators(origin, acct)
    parts.append(_opps(acct, NEW_BUSINESS, np.full(len(acct), WON), contracts["arr"][new],
                       contracts["currency"][new], created, by, owner, origin, _signal_for(rng, origin, signal_mix),
                       _between(rng, created, closed, *knobs.new_business_qualified_at), closed))

    # New business lost (trials that did not convert) and open (trials still running).
    trial_end = acc.acquired_day + acc.trial_days
    lost = np.flatnonzero(acc.has_trial & ~acc.converts & (trial_end < window.end_day))
    running = np.flatnonzero(acc.has_trial & (trial_end >= window.end_day) & (acc.acquired_day < window.end_day))
    for accounts, stage_mix in ((lost, None), (running, knobs.open_trial_stage_mix)):
        k = len(accounts)
        created = np.maximum(_time_of_day(rng, acc.acquired_day[accounts] - rng.integers(0, 11, k)), w_first_us)
        if stage_mix is None:
            stage = np.full(k, LOST)
            closed = np.maximum(_time_of_day(rng, trial_end[accounts]), created + US_PER_DAY)
            qualified = np.where(rng.random(k) < knobs.lost_trial_qualified_share,
                                 _between(rng, created, closed, *knobs.lost_trial_qualified_at), NULL_US)
        else:
            stage = _pick(rng, k, stage_mix)
            closed = np.full(k, NULL_US)
            qualified = _between(rng, created, np.full(k, w_end_us - 1), *knobs.open_trial_qualified_at)
            qualified = np.where(rng.random(k) < knobs.open_trial_qualified_share, qualified, NULL_US)
        list_arr = 12 * billing.book.unit_amount(
            billing.book.main_plan(acc.tier[accounts], acc.period[accounts], acc.is_flat[accounts]),
            acc.currency[accounts], acc.price_factor[accounts],
        ) * np.where(acc.is_flat[accounts], 1, acc.seats[accounts]) / acc.period[accounts]
        origin = _pick(rng, k, knobs.trial_origin_mix)
        by, owner = creators(origin, accounts)
        parts.append(_opps(accounts, NEW_BUSINESS, stage, list_arr, acc.currency[accounts], created, by,
                           owner, origin, _signal_for(rng, origin, signal_mix), qualified, closed))

    # Renewals: one per contract term of accounts that run a renewal process.
    term = contracts["type"] <= 1
    acct = contracts["account"][term]
    managed = (acc.segment[acct] > 0) | (acc.period >= 12)[acct]
    end = contracts["end_day"][term]
    created = _time_of_day(rng, end - rng.integers(60, 121, len(acct)))
    created = np.maximum(created, (contracts["start_day"][term] + 1) * US_PER_DAY)
    ten_id = contracts["tenure"][term]
    next_key = ten_id * 1000 + contracts["term"][term] + 1
    key = contracts["tenure"] * 1000 + contracts["term"]
    sorter = np.argsort(key)
    pos = np.searchsorted(key[sorter], next_key)
    pos = np.minimum(pos, len(key) - 1)
    has_next = key[sorter][pos] == next_key
    next_signed = contracts["signed_us"][sorter][pos]
    ten_end = billing.tenures["end_day"][ten_id]
    churned = (ten_end != NULL_DAY) & (ten_end <= end)
    stage = np.where(has_next, WON, np.where(churned, LOST, -1))
    lost_at = _time_of_day(rng, np.maximum(ten_end - rng.integers(0, 15, len(acct)), 0))
    closed = np.where(has_next, next_signed, np.where(churned, lost_at, NULL_US))
    created = np.where(stage == WON, np.minimum(created, closed - rng.integers(5, 30, len(acct)) * US_PER_DAY), created)
    open_ = stage < 0
    stage = np.where(open_, _pick(rng, len(acct), knobs.open_renewal_stage_mix), stage)
    keep = managed & (created < w_end_us) & ((stage == WON) | (closed > created) | open_)
    keep &= ~((stage == LOST) & (closed <= created))
    origin = np.where(rng.random(len(acct)) < knobs.renewal_cs_share, CS, SALES)
    signal = np.where((origin == CS) & (rng.random(len(acct)) < knobs.renewal_qbr_signal_share), QBR_SIGNAL, NO_SIGNAL)
    by, owner = creators(origin, acct)
    qualified = np.where(
        (stage != DISCOVERY) & (rng.random(len(acct)) < knobs.renewal_qualified_share),
        _between(rng, created, np.where(closed == NULL_US, w_end_us - 1, closed), *knobs.renewal_qualified_at),
        NULL_US,
    )
    renewals = _opps(acct, RENEWAL, stage, contracts["arr"][term], contracts["currency"][term], created,
                     by, owner, origin, signal, qualified, closed)
    parts.append({k: v[keep] for k, v in renewals.items()})

    # Expansion won: closed 0-60 days before a real seat increase, upgrade or add-on.
    ch = billing.changes
    is_exp = np.isin(ch["kind"], EXPANSION_KINDS)
    seg = acc.segment[ch["account"]]
    won = is_exp & (rng.random(len(is_exp)) < np.array(knobs.expansion_opportunity_share)[seg])
    acct = ch["account"][won]
    k = len(acct)
    t_start = billing.tenures["start_day"][ch["tenure"][won]]
    close_day = np.maximum(ch["day"][won] - rng.integers(0, 61, k), np.maximum(t_start, window.first_day))
    closed = _time_of_day(rng, close_day)
    created = np.maximum(closed - rng.integers(7, 76, k) * US_PER_DAY, t_start * US_PER_DAY)
    created = np.maximum(created, w_first_us)
    created = np.minimum(created, closed - 3_600_000_000)
    kind = ch["kind"][won]
    cs_bias = (acc.utilization[acct] > config.high_utilization) & (kind == ChangeKind.SEAT_UP)
    origin = np.where(cs_bias & (rng.random(k) < knobs.high_utilization_cs_share), CS,
                      _pick(rng, k, knobs.expansion_origin_mix))
    signal = _signal_for(rng, origin, signal_mix)
    cites_seats = (origin == CS) & cs_bias & (rng.random(k) < knobs.seat_utilization_signal_share)
    signal = np.where(cites_seats, SEAT_UTILIZATION, signal)
    ceiling = (origin == CS) & (kind == ChangeKind.UPGRADE) & acc.is_ceiling[acct] & (
        rng.random(k) < knobs.feature_ceiling_signal_share
    )
    signal = np.where(ceiling, FEATURE_CEILING, signal)
    currency = billing.customers["currency"][billing.tenures["customer"][ch["tenure"][won]]]
    by, owner = creators(origin, acct)
    amount = 12 * ch["delta_mrr"][won] * rng.uniform(*knobs.expansion_amount_spread, k)
    qualified = np.where(rng.random(k) < knobs.expansion_qualified_share,
                         _between(rng, created, closed, *knobs.expansion_qualified_at), NULL_US)
    parts.append(_opps(acct, EXPANSION, np.full(k, WON), amount, currency, created, by, owner, origin, signal,
                       qualified, closed))

    # Expansion lost and open: in random active months, weighted to larger accounts.
    weights = np.array(knobs.lost_open_expansion_weight)[acc.segment][:, None] * timeline.active
    n_lost = round(knobs.lost_expansions_per_won * k) + 1
    n_open = round(knobs.open_expansions_per_active_account * int(timeline.active[:, -1].sum())) + 1
    recent = np.zeros_like(weights)
    recent_months = knobs.open_expansion_recent_months
    recent[:, -recent_months:] = weights[:, -recent_months:]
    for count, w, is_open in ((n_lost, weights, False), (n_open, recent, True)):
        if w.sum() <= 0:
            continue
        flat = rng.choice(w.size, size=count, p=(w / w.sum()).ravel())
        acct, month = flat // w.shape[1], flat % w.shape[1]
        created = random_times_in_spans(rng, timeline.span_from[acct, month], timeline.span_days[acct, month])
        if is_open:
            stage = _pick(rng, count, knobs.open_expansion_stage_mix)
            closed = np.full(count, NULL_US)
        else:
            closed = created + rng.integers(14, 91, count) * US_PER_DAY
            late = closed >= w_end_us
            stage = np.where(late, _pick(rng, count, knobs.late_lost_expansion_stage_mix), LOST)
            closed = np.where(late, NULL_US, closed)
        qualified_share = np.where(stage == LOST, knobs.lost_expansion_qualified_share,
                                   knobs.open_expansion_qualified_share)
        qualified = np.where(
            (stage != DISCOVERY) & (rng.random(count) < qualified_share),
            _between(rng, created, np.where(closed == NULL_US, np.maximum(w_end_us - 1, created + 1), closed),
                     *knobs.lost_open_expansion_qualified_at),
            NULL_US,
        )
        origin = _pick(rng, count, knobs.lost_open_expansion_origin_mix)
        by, owner = creators(origin, acct)
        arr_share = rng.uniform(*knobs.lost_open_expansion_arr_share, count)
        amount = 12 * billing.mrr[acct, month] * arr_share + knobs.lost_open_expansion_arr_floor
        parts.append(_opps(acct, EXPANSION, stage, amount, billing.customers["currency"][acct], created, by,
                           owner, origin, _signal_for(rng, origin, signal_mix), qualified, closed))

    opps = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    qualified_ok = (opps["qualified_us"] == NULL_US) | (
        (opps["qualified_us"] >= opps["created_us"])
        & ((opps["closed_us"] == NULL_US) | (opps["qualified_us"] <= opps["closed_us"]))
    )
    opps["qualified_us"] = np.where(qualified_ok, opps["qualified_us"], NULL_US)
    order = np.lexsort((opps["type"], opps["account"], opps["created_us"]))
    return {k: v[order] for k, v in opps.items()}


def build_milestones(
    config: GeneratorConfig,
    acc: Accounts,
    billing: Billing,
    timeline: Timeline,
    contracts: dict[str, np.ndarray],
    window: Window,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Four onboarding milestones per account with a first `new` contract."""
    knobs = config.crm
    first_new = (contracts["type"] == 0) & (billing.tenures["kind"][contracts["tenure"]] == TenureKind.FIRST)
    acct = contracts["account"][first_new]
    signed = contracts["signed_us"][first_new] // US_PER_DAY
    k = len(acct)
    seg = acc.segment[acct]
    scale = np.array(knobs.milestone_target_scale)[seg]
    targets = np.stack([signed + np.round(d * scale).astype(np.int64) for d in knobs.milestone_target_days], axis=1)
    value = timeline.value_day[acct]
    reached = np.isfinite(value)
    in_trial = reached & (value < signed)
    kickoff = np.where(in_trial, acc.acquired_day[acct] + rng.integers(0, 3, k), signed + rng.integers(1, 11, k))
    kickoff = np.where(rng.random(k) < knobs.kickoff_never_share, np.inf, kickoff)
    value_safe = np.where(reached, value, signed + 400.0)
    median_days, sigma = knobs.integration_without_value_days
    integration = np.where(
        reached,
        np.minimum(kickoff, value_safe)
        + rng.uniform(*knobs.integration_progress, k) * np.maximum(value_safe - kickoff, 0),
        np.where(rng.random(k) < knobs.integration_without_value_share,
                 signed + rng.lognormal(np.log(median_days), sigma, k), np.inf),
    )
    on_time = rng.random(k) < knobs.first_value_logged_on_time_share
    late = rng.random(k) < knobs.first_value_logged_late_share
    lag = np.select([on_time, late], [0.0, rng.uniform(*knobs.first_value_logged_late_days, k)], np.inf)
    first_value = np.where(reached, value + lag, np.inf)
    completes = reached & (rng.random(k) < knobs.onboarding_complete_share)
    complete = np.where(completes, value_safe + rng.uniform(*knobs.onboarding_complete_days, k), np.inf)
    done = np.stack([kickoff, integration, first_value, complete], axis=1).astype(float)
    # Nothing completes after the account first stops or after the window.
    stop = np.minimum(billing.first_end_day[acct], window.end_day).astype(float)
    done = np.where(done < stop[:, None], done, np.inf)
    day = np.floor(np.where(np.isfinite(done), done, 0)).astype(np.int64)
    frac = np.where(np.isfinite(done), done - np.floor(np.where(np.isfinite(done), done, 0)), 0)
    seconds = np.where(frac > 0, (frac * 86_400).astype(np.int64), rng.integers(8 * 3600, 18 * 3600, (k, 4)))
    completed = np.where(np.isfinite(done), day * US_PER_DAY + seconds * 1_000_000, NULL_US)
    return {
        "account": np.repeat(acct, 4),
        "milestone": np.tile(np.arange(4), k),
        "target_day": targets.ravel(),
        "completed_us": completed.ravel(),
    }


def build_cases(
    config: GeneratorConfig, acc: Accounts, timeline: Timeline, window: Window, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    knobs = config.crm
    near_end = timeline.months_to_end <= knobs.near_stop_months
    rate = np.array([s.cases_per_month for s in config.segments])[acc.segment][:, None]
    lam = rate * timeline.active_share * np.where(near_end, knobs.cases_near_stop_multiplier, 1.0)
    account, month = expand_cells(rng.poisson(lam))
    k = len(account)
    opened = random_times_in_spans(rng, timeline.span_from[account, month], timeline.span_days[account, month], 0, 24)
    risky = near_end[account, month]
    priority = np.where(risky, _pick(rng, k, knobs.case_priority_mix_near_stop), _pick(rng, k, knobs.case_priority_mix))
    escalation = np.array(knobs.escalation_share)[priority]
    escalation = escalation * np.where(risky, knobs.escalation_near_stop_multiplier, 1.0)
    escalated = rng.random(k) < escalation
    response_h = rng.lognormal(np.log(np.array(knobs.first_response_hours)[priority]), knobs.first_response_sigma)
    first_response = opened + (response_h * 3_600_000_000).astype(np.int64)
    resolve_median_days, resolve_sigma = knobs.resolve_days
    resolve_d = rng.lognormal(np.log(resolve_median_days), resolve_sigma, k)
    resolved = first_response + (resolve_d * US_PER_DAY).astype(np.int64)
    w_end = window.end_day * US_PER_DAY
    no_response = rng.random(k) < knobs.no_response_share
    first_response = np.where(no_response | (first_response >= w_end), NULL_US, first_response)
    resolved = np.where(
        (first_response == NULL_US) | (rng.random(k) < knobs.unresolved_share) | (resolved >= w_end), NULL_US, resolved
    )
    order = np.lexsort((account, opened))
    return {
        "account": account[order],
        "opened_us": opened[order],
        "first_response_us": first_response[order],
        "resolved_us": resolved[order],
        "priority": priority[order],
        "is_escalated": escalated[order],
        "month": month[order],
    }


def build_activities(
    config: GeneratorConfig,
    acc: Accounts,
    timeline: Timeline,
    users: Users,
    csm: np.ndarray,
    window: Window,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    knobs = config.crm
    near_end = timeline.months_to_end <= knobs.near_stop_months
    rate = np.array([s.activities_per_month for s in config.segments])[acc.segment][:, None]
    lam = rate * timeline.active_share * np.where(near_end, knobs.activities_near_stop_multiplier, 1.0)
    account, month = expand_cells(rng.poisson(lam))
    exec_share = np.array(knobs.exec_meeting_share)[acc.segment[account]]
    kind = _pick(rng, len(account), knobs.activity_mix)
    kind = np.where(rng.random(len(account)) < exec_share, EXEC_MEETING, kind)
    # Quarterly business reviews for mid-market and enterprise accounts.
    months = np.arange(window.months)[None, :]
    phase = (acc.name_code % 3)[:, None]
    qbr_due = (acc.segment[:, None] > 0) & timeline.active & ((months + phase) % 3 == 2)
    qbr_due &= rng.random(qbr_due.shape) < np.where(near_end, knobs.qbr_held_share_near_stop, knobs.qbr_held_share)
    q_account, q_month = np.nonzero(qbr_due)
    account = np.concatenate([account, q_account])
    month = np.concatenate([month, q_month])
    kind = np.concatenate([kind, np.full(len(q_account), QBR)])
    occurred = random_times_in_spans(rng, timeline.span_from[account, month], timeline.span_days[account, month])
    user = _csm_or_pooled(rng, users, csm, account)
    by_manager = (kind == EXEC_MEETING) & (rng.random(len(kind)) < knobs.exec_meeting_manager_share)
    user = np.where(by_manager, _pool_pick(rng, users.pools[(MANAGER, -1)], len(kind)), user)
    order = np.lexsort((kind, account, occurred))
    return {
        "account": account[order],
        "user": user[order],
        "kind": kind[order],
        "occurred_us": occurred[order],
        "month": month[order],
    }


def build_crm(
    config: GeneratorConfig,
    acc: Accounts,
    billing: Billing,
    timeline: Timeline,
    window: Window,
    rng: np.random.Generator,
) -> Crm:
    users, csm, ae = build_users(config, acc, rng)
    first_seen = np.minimum(acc.acquired_day, acc.signed_day)
    created_day = np.maximum(first_seen - rng.integers(3, 61, acc.n), window.first_day)
    created = _time_of_day(rng, created_day, 0, 24)
    created = np.minimum(created, acc.acquired_day * US_PER_DAY)
    updated = created + (rng.random(acc.n) * (window.end_day * US_PER_DAY - 1 - created)).astype(np.int64)
    contracts = build_contracts(config, acc, billing, window, rng)
    return Crm(
        users=users,
        csm=csm,
        ae=ae,
        account_created_us=created,
        account_updated_us=updated,
        contracts=contracts,
        opportunities=build_opportunities(config, acc, billing, timeline, contracts, users, csm, ae, window, rng),
        milestones=build_milestones(config, acc, billing, timeline, contracts, window, rng),
        cases=build_cases(config, acc, timeline, window, rng),
        activities=build_activities(config, acc, timeline, users, csm, window, rng),
    )
