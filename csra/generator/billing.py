"""Billing lifecycle: customers, subscriptions and price phases.

A month-by-month simulation, vectorised over accounts: each month every
account may start (trial or paid), convert or lose a trial, resume from a
pause, come back after churning, or change its price phase (seats, tier,
discount, a short corrective phase, renewal repricing), add or drop an add-on,
pause or churn. Every change closes the running price phase and opens the
next on the same day, exactly as the contract's `subscription_items` expects.

Alongside the billing rows it records, per account and month, the days the
account had an item in force, its seats, tier and month-end MRR; the CRM,
survey and product generators derive their facts from those.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csra.generator.accounts import Accounts
from csra.generator.calendar import NULL_DAY, Window
from csra.generator.config import BILLING_PERIODS, TIERS, GeneratorConfig
from csra.generator.store import Collector, Registry
from csra.generator.stripe import ZERO_DECIMAL

PROSPECT, TRIAL, LIVE, PAUSED, CHURNED, LOST = range(6)
SUB_STATUSES = ("trialing", "active", "paused", "canceled")
TRIALING, ACTIVE, SUB_PAUSED, CANCELED = range(4)
CANCEL_REASONS = (
    "budget cuts",
    "switched to a competitor",
    "low adoption",
    "missing features",
    "company acquired",
    "poor support experience",
    "project ended",
    "went out of business",
    "trial not converted",
    "consolidated billing",
)
TRIAL_NOT_CONVERTED = CANCEL_REASONS.index("trial not converted")
CONSOLIDATED = CANCEL_REASONS.index("consolidated billing")
# Change kinds logged for contracts and opportunities.
SEAT_UP, UPGRADE, ADDON_ADD, REPRICE = range(4)
EXPANSION_KINDS = (SEAT_UP, UPGRADE, ADDON_ADD)
NO_DAY = np.iinfo(np.int64).max


class PriceBook:
    """Plans as arrays, a (tier, period, flat) -> plan lookup and list prices."""

    def __init__(self, config: GeneratorConfig) -> None:
        plans = config.plans
        self.tier = np.array([TIERS.index(p.tier) if p.tier in TIERS else 3 for p in plans])
        self.period = np.array([p.billing_period_months for p in plans])
        self.is_flat = np.array([p.pricing_model == "flat" for p in plans])
        self.monthly_usd = np.array([p.monthly_usd for p in plans])
        self.addons = np.flatnonzero(self.tier == 3)
        self.currency_multiplier = np.array([c.price_multiplier for c in config.currencies])
        # zero-decimal currencies (JPY, only with --billing-format stripe or
        # --with-jpy) list whole units: Stripe cannot bill a fraction of a yen
        self.zero_decimal = np.array([c.code in ZERO_DECIMAL for c in config.currencies])
        period_discount = {1: 1.0, 3: 1.0, 6: 0.95, 12: 0.90}
        self.period_factor = np.array([period_discount[p] for p in self.period])
        self.lookup = np.zeros((3, 13, 2), dtype=np.int64)
        mains = np.flatnonzero(self.tier < 3)
        for tier in range(3):
            for period in BILLING_PERIODS:
                for flat in (0, 1):
                    score = (
                        (self.tier[mains] != tier) * 1000
                        + (self.is_flat[mains] != bool(flat)) * 100
                        + np.abs(self.period[mains] - period) * 2
                        + (self.period[mains] < period)
                    )
                    self.lookup[tier, period, flat] = mains[np.argmin(score)]

    def main_plan(self, tier: np.ndarray, period: np.ndarray, flat: np.ndarray) -> np.ndarray:
        return self.lookup[tier, period, flat.astype(np.int64)]

    def unit_amount(self, plan: np.ndarray, currency: np.ndarray, factor: np.ndarray) -> np.ndarray:
        """List price per unit per billing period, in the customer's currency."""
        amount = (
            self.monthly_usd[plan]
            * self.period[plan]
            * self.period_factor[plan]
            * self.currency_multiplier[currency]
            * factor
        )
        if self.zero_decimal.any():
            return np.where(self.zero_decimal[currency], np.round(amount, 0), np.round(amount, 2))
        return np.round(amount, 2)

    def mrr(self, plan: np.ndarray, qty: np.ndarray, unit: np.ndarray, disc: np.ndarray) -> np.ndarray:
        return qty * unit * (1.0 - disc / 100.0) / self.period[plan]


@dataclass
class Billing:
    customers: dict[str, np.ndarray]  # account, currency, created_day, kind
    subscriptions: dict[str, np.ndarray]  # customer, created_day, status, canceled_day, reason
    items: dict[str, np.ndarray]  # sub, plan, qty, unit, disc, currency, valid_from, valid_to
    tenures: dict[str, np.ndarray]  # account, sub, customer, start_day, end_day, kind
    changes: dict[str, np.ndarray]  # account, tenure, day, kind, delta_mrr
    active_from: np.ndarray  # (n, months): first active day in the month
    active_to: np.ndarray  # (n, months): first inactive day; active iff from < to
    seats: np.ndarray  # (n, months) licensed seats (team size on flat plans)
    tier: np.ndarray  # (n, months) tier of the main plan
    mrr: np.ndarray  # (n, months) MRR at month end, customer currency
    first_end_day: np.ndarray  # first pause/churn/lost-trial day per account (NO_DAY if none)
    book: PriceBook


def _on_anniversary(rate: np.ndarray, anniversary: np.ndarray, period: np.ndarray) -> np.ndarray:
    """Probability that a monthly hazard, accrued over a billing period, fires at its end."""
    return np.where(anniversary, 1.0 - (1.0 - rate) ** period, 0.0)


def _new_discount(rng: np.random.Generator, n: int) -> np.ndarray:
    whole = rng.choice([5.0, 10.0, 15.0, 20.0, 25.0, 30.0], n)
    odd = np.round(rng.uniform(3.0, 30.0, n), 2)
    return np.where(rng.random(n) < 0.6, whole, odd)


def simulate_billing(
    config: GeneratorConfig, acc: Accounts, window: Window, rng: np.random.Generator
) -> Billing:
    n, months = acc.n, window.months
    starts = window.month_starts
    book = PriceBook(config)

    def seg(name: str) -> np.ndarray:
        return np.array([getattr(s, name) for s in config.segments], dtype=float)[acc.segment]

    seats_min = np.maximum(seg("seats_min").astype(np.int64) // 2, 1)
    churn_hazard = np.clip(seg("monthly_churn") * acc.churn_multiplier, 0.0, 0.5)
    high_util = acc.utilization > 0.85

    customers = Registry(n + n // 4, account=np.int64, currency=np.int64, created_day=np.int64, kind=np.int8)
    customers.new(n, account=np.arange(n), currency=acc.currency, created_day=acc.acquired_day, kind=0)
    subs = Registry(
        2 * n,
        customer=np.int64,
        created_day=np.int64,
        status=np.int8,
        canceled_day=np.int64,
        reason=np.int64,
    )
    tenures = Registry(2 * n, account=np.int64, sub=np.int64, customer=np.int64,
                       start_day=np.int64, end_day=np.int64, kind=np.int8)
    items = Collector("sub", "plan", "qty", "unit", "disc", "currency", "valid_from", "valid_to")
    changes = Collector("account", "tenure", "day", "kind", "delta_mrr")

    state = np.full(n, PROSPECT, dtype=np.int8)
    sub = np.full(n, -1, dtype=np.int64)
    cust = np.arange(n, dtype=np.int64)
    ten = np.full(n, -1, dtype=np.int64)
    plan = book.main_plan(acc.tier, acc.period, acc.is_flat)
    seats = acc.seats.copy()
    qty = np.where(book.is_flat[plan], 1, seats)
    factor = acc.price_factor.copy()
    unit = np.zeros(n)
    disc = np.zeros(n)
    phase_start = np.zeros(n, dtype=np.int64)
    anchor_month = np.zeros(n, dtype=np.int64)
    anchor_dom = np.ones(n, dtype=np.int64)
    first_year_pending = acc.first_year_discount > 0
    pilot_end = np.full(n, NO_DAY, dtype=np.int64)
    resume_day = np.full(n, NO_DAY, dtype=np.int64)
    churn_month = np.full(n, -100, dtype=np.int64)
    first_end = np.full(n, NO_DAY, dtype=np.int64)
    addon = np.full(n, -1, dtype=np.int64)
    addon_qty = np.zeros(n, dtype=np.int64)
    addon_unit = np.zeros(n)
    addon_start = np.zeros(n, dtype=np.int64)

    active_from = np.zeros((n, months), dtype=np.int64)
    active_to = np.zeros((n, months), dtype=np.int64)
    seats_m = np.zeros((n, months), dtype=np.int64)
    tier_m = np.zeros((n, months), dtype=np.int8)
    mrr_m = np.zeros((n, months))

    def currency_of(idx: np.ndarray) -> np.ndarray:
        return customers.get("currency")[cust[idx]]

    def close_main(idx: np.ndarray, day: np.ndarray) -> None:
        items.add(sub=sub[idx], plan=plan[idx], qty=qty[idx], unit=unit[idx], disc=disc[idx],
                  currency=currency_of(idx), valid_from=phase_start[idx], valid_to=day)

    def close_addon(idx: np.ndarray, day: np.ndarray) -> None:
        idx_day = np.broadcast_to(day, idx.shape)
        keep = addon[idx] >= 0
        idx, idx_day = idx[keep], idx_day[keep]
        items.add(sub=sub[idx], plan=addon[idx], qty=addon_qty[idx], unit=addon_unit[idx],
                  disc=np.zeros(len(idx)), currency=currency_of(idx),
                  valid_from=addon_start[idx], valid_to=idx_day)
        addon[idx] = -1

    def set_anchor(idx: np.ndarray, day: np.ndarray, month: int) -> None:
        anchor_month[idx] = month
        anchor_dom[idx] = np.minimum(day - starts[month] + 1, 28)

    def open_paid(idx: np.ndarray, day: np.ndarray, month: int, kind: int) -> None:
        """Start a paid phase (first purchase, trial conversion or reactivation)."""
        state[idx] = LIVE
        unit[idx] = book.unit_amount(plan[idx], currency_of(idx), factor[idx])
        disc[idx] = np.where(first_year_pending[idx], acc.first_year_discount[idx], 0.0)
        pilot = acc.is_pilot[idx] & (kind == 0)
        disc[idx[pilot]] = 100.0
        pilot_end[idx[pilot]] = day[pilot] + rng.integers(30, 62, pilot.sum())
        phase_start[idx] = day
        set_anchor(idx, day, month)
        subs.set("status", sub[idx], ACTIVE)
        ten[idx] = tenures.new(len(idx), account=idx, sub=sub[idx], customer=cust[idx],
                               start_day=day, end_day=NULL_DAY, kind=kind)

    def stop(idx: np.ndarray, day: np.ndarray, new_state: int, month: int, reason: np.ndarray | None) -> None:
        """Pause or churn: close the main and add-on phases at `day`."""
        close_main(idx, day)
        close_addon(idx, day)
        state[idx] = new_state
        first_end[idx] = np.minimum(first_end[idx], day)
        if new_state == PAUSED:
            subs.set("status", sub[idx], SUB_PAUSED)
        else:
            churn_month[idx] = month
            notice = rng.integers(0, 26, len(idx))
            created = subs.get("created_day")[sub[idx]]
            subs.set("status", sub[idx], CANCELED)
            subs.set("canceled_day", sub[idx], np.maximum(day - notice, created))
            subs.set("reason", sub[idx], reason if reason is not None else -1)
            tenures.set("end_day", ten[idx], day)

    for m in range(months):
        first, end = int(starts[m]), int(starts[m + 1])
        length = end - first
        u = rng.random((12, n))
        rand_day = first + np.floor(u[0] * length).astype(np.int64)
        act_from = np.where((state == TRIAL) | (state == LIVE), first, end)
        act_to = np.full(n, first, dtype=np.int64)

        # 1. New accounts: a trial or a paid phase on a new subscription.
        new = np.flatnonzero((state == PROSPECT) & (acc.acquired_day < end))
        if len(new):
            day = acc.acquired_day[new]
            sub[new] = subs.new(len(new), customer=cust[new], created_day=day,
                                status=TRIALING, canceled_day=NULL_DAY, reason=-1)
            phase_start[new] = day
            act_from[new] = day
            trial = new[acc.has_trial[new]]
            state[trial] = TRIAL
            unit[trial] = 0.0
            disc[trial] = 0.0
            paid = new[~acc.has_trial[new]]
            open_paid(paid, acc.paid_start_day[paid], m, kind=0)

        # 2. Trials that end this month convert or are lost.
        trial_end = acc.acquired_day + acc.trial_days
        ending = np.flatnonzero((state == TRIAL) & (trial_end < end))
        if len(ending):
            close_main(ending, trial_end[ending])
            converted = ending[acc.converts[ending]]
            open_paid(converted, trial_end[converted], m, kind=0)
            lost = ending[~acc.converts[ending]]
            state[lost] = LOST
            first_end[lost] = trial_end[lost]
            act_to[lost] = trial_end[lost]
            subs.set("status", sub[lost], CANCELED)
            subs.set("canceled_day", sub[lost], np.maximum(trial_end[lost] - rng.integers(0, 4, len(lost)),
                                                          acc.acquired_day[lost]))
            subs.set("reason", sub[lost], TRIAL_NOT_CONVERTED)

        # 3. Paused subscriptions resume on the same subscription.
        resuming = np.flatnonzero((state == PAUSED) & (resume_day < end))
        if len(resuming):
            day = resume_day[resuming]
            state[resuming] = LIVE
            phase_start[resuming] = day
            act_from[resuming] = day
            set_anchor(resuming, day, m)
            subs.set("status", sub[resuming], ACTIVE)
            resume_day[resuming] = NO_DAY

        # 4. Churned accounts come back on a new subscription (sometimes a new customer).
        since = m - churn_month
        back = np.flatnonzero(
            (state == CHURNED) & (since >= 2) & (since <= 24) & (u[1] < seg("reactivation_rate"))
        )
        if len(back):
            day = rand_day[back]
            new_entity = rng.random(len(back)) < 0.2
            if new_entity.any():
                moved = back[new_entity]
                cust[moved] = customers.new(len(moved), account=moved, currency=currency_of(moved),
                                            created_day=day[new_entity], kind=1)
            sub[back] = subs.new(len(back), customer=cust[back], created_day=day,
                                 status=ACTIVE, canceled_day=NULL_DAY, reason=-1)
            tier = book.tier[plan[back]]
            tier = np.where(rng.random(len(back)) < 0.3, np.maximum(tier - 1, 0), tier)
            seats[back] = np.maximum(np.round(seats[back] * rng.uniform(0.5, 1.0, len(back))), seats_min[back])
            plan[back] = book.main_plan(tier, book.period[plan[back]], book.is_flat[plan[back]])
            qty[back] = np.where(book.is_flat[plan[back]], 1, seats[back])
            first_year_pending[back] = False
            open_paid(back, day, m, kind=1)
            act_from[back] = day

        # 5. Changes to running paid subscriptions (phase started before this month).
        running = (state == LIVE) & (phase_start < first)
        since_anchor = m - anchor_month
        period = book.period[plan]
        anniversary = running & (since_anchor > 0) & (since_anchor % period == 0)
        term = anniversary & (since_anchor % 12 == 0)
        ann_day = first + np.minimum(anchor_dom, length) - 1
        pilot_due = running & (pilot_end < end)
        free = running & ~pilot_due & (pilot_end == NO_DAY)
        tier_now = book.tier[plan]
        flat_now = book.is_flat[plan]
        # Seat headroom: the addressable seats not yet licensed, as a share of
        # what was addressable at signing (room), and how much the account's
        # users need more seats (none below 30 % utilisation, full from 70 %).
        headroom = np.maximum(acc.seat_ceiling - seats, 0)
        room = np.minimum(headroom / np.maximum(acc.seat_ceiling - acc.seats, 1), 1.0)
        need = np.clip((acc.utilization - 0.3) / 0.4, 0.0, 1.0)

        probs = np.stack([
            # 0 churn at the end of the billing period
            _on_anniversary(churn_hazard, anniversary, period) * np.where(period > 1, 0.9, 1.0),
            np.where(period > 1, 0.1 * churn_hazard, 0.0),  # 1 churn now
            np.where(period <= 3, _on_anniversary(seg("pause_rate"), anniversary, period), 0.0),  # 2 pause
            seg("seat_up_rate") * np.where(high_util, 2.5, 1.0),  # 3 seats up (thinned by room x need below)
            _on_anniversary(seg("seat_down_rate"), anniversary, period),  # 4 seats down
            seg("upgrade_rate") * np.where(acc.is_ceiling, 3.0, 1.0) * (tier_now < 2),  # 5 upgrade
            _on_anniversary(seg("downgrade_rate"), anniversary, period) * (tier_now > 0),  # 6 downgrade
            seg("discount_change_rate"),  # 7 discount change
            seg("correction_rate") * ~term,  # 8 short corrective phase
        ]) * free
        cumulative = np.cumsum(probs, axis=0)
        event = np.where(u[2] < cumulative[-1], (u[2][None, :] >= cumulative).sum(axis=0), -1)
        # Seat-ups fill the account's addressable seats: a drawn seat-up happens
        # with probability room x need, so they do not compound, an account that
        # has licensed its whole company stops growing in seats, and one whose
        # users leave seats idle does not buy more. (Thinning with its own
        # uniform keeps every other event, churn included, as it was.)
        event = np.where((event == 3) & (u[8] >= room * need), -1, event)
        at_anniversary = np.isin(event, (0, 2, 4, 6)) | term
        day = np.where(at_anniversary, ann_day, rand_day)

        # Churn and pause stop the subscription (add-ons stop with it).
        churn = np.flatnonzero((event == 0) | (event == 1))
        if len(churn):
            reasons = rng.integers(0, TRIAL_NOT_CONVERTED, len(churn))
            stop(churn, day[churn], CHURNED, m, reasons)
            act_to[churn] = day[churn]
        pause = np.flatnonzero(event == 2)
        if len(pause):
            stop(pause, day[pause], PAUSED, m, None)
            act_to[pause] = day[pause]
            resume_month = m + 1 + rng.geometric(0.45, len(pause)) - 1
            resume_month = np.minimum(resume_month, m + 4)
            later = resume_month < months
            resume_day[pause] = NO_DAY
            month_start = starts[np.minimum(resume_month, months)]
            month_len = starts[np.minimum(resume_month + 1, months)] - month_start
            resume_day[pause[later]] = (month_start + np.floor(rng.random(len(pause)) * month_len))[later]

        # Price-phase changes: compute the next phase, then close/open where it differs.
        new_plan, new_qty, new_seats = plan.copy(), qty.copy(), seats.copy()
        new_disc, new_factor = disc.copy(), factor.copy()
        up = event == 3
        # A seat-up takes 20-60 % of the seats still addressable, and is one new
        # team: at most 40 % of the seats licensed, and never more than 40 % of
        # the segment's median account, however large the account already is.
        team = 0.4 * np.minimum(seats, seg("seats_median"))
        grow = np.round(np.minimum(headroom * rng.uniform(0.2, 0.6, n), team))
        new_seats = np.where(up, seats + np.maximum(grow, 1).astype(np.int64), new_seats)
        down = event == 4
        shrink = np.maximum(1, np.round(seats * rng.uniform(0.1, 0.3, n))).astype(np.int64)
        new_seats = np.where(down, np.maximum(seats - shrink, seats_min), new_seats)
        upgrade = event == 5
        downgrade = event == 6
        new_tier = tier_now + upgrade - downgrade
        tier_change = upgrade | downgrade
        new_plan = np.where(tier_change, book.main_plan(new_tier, period, flat_now & (new_tier < 2)), new_plan)
        new_disc = np.where(event == 7, np.where(disc > 0, 0.0, _new_discount(rng, n)), new_disc)
        # Renewal repricing on the 12-month anniversary: first-year discounts end,
        # some list prices go up.
        reprice = term & (event < 0) | term & np.isin(event, (3, 4, 5, 6, 7))
        new_disc = np.where(reprice & first_year_pending, 0.0, new_disc)
        first_year_pending &= ~(reprice | (running & term))
        uplift = reprice & (rng.random(n) < 0.3)
        new_factor = np.where(uplift, factor * rng.uniform(1.03, 1.08, n), new_factor)
        # Pilot accounts pay in full once the free pilot ends.
        new_disc = np.where(pilot_due, 0.0, new_disc)
        day = np.where(pilot_due, np.maximum(pilot_end, first), day)
        pilot_end[pilot_due] = NO_DAY
        new_qty = np.where(book.is_flat[new_plan], 1, new_seats)
        new_unit = book.unit_amount(new_plan, currency_of(np.arange(n)), new_factor)
        new_unit = np.where(state == LIVE, new_unit, unit)
        changed = (running & ((event >= 3) & (event <= 7) | reprice | pilot_due)) & (
            (new_plan != plan) | (new_qty != qty) | (new_unit != unit) | (new_disc != disc)
        )
        idx = np.flatnonzero(changed)
        if len(idx):
            old_mrr = book.mrr(plan[idx], qty[idx], unit[idx], disc[idx])
            close_main(idx, day[idx])
            plan[idx], qty[idx], unit[idx], disc[idx] = new_plan[idx], new_qty[idx], new_unit[idx], new_disc[idx]
            factor[idx] = new_factor[idx]
            phase_start[idx] = day[idx]
            switched = idx[book.period[plan[idx]] != period[idx]]
            set_anchor(switched, day[switched], m)
            delta = book.mrr(plan[idx], qty[idx], unit[idx], disc[idx]) - old_mrr
            kind = np.where(upgrade[idx], UPGRADE, np.where(up[idx], SEAT_UP, REPRICE))
            grew = delta > 0
            changes.add(account=idx[grew], tenure=ten[idx[grew]], day=day[idx[grew]],
                        kind=kind[grew], delta_mrr=delta[grew])
        seats = np.where(up | down, new_seats, seats)

        # Short corrective phase: a wrong seat count (or discount) fixed days later.
        fix = np.flatnonzero(event == 8)
        if len(fix):
            d1 = first + np.floor(u[3][fix] * (length - 2)).astype(np.int64)
            d2 = d1 + 1 + np.floor(u[4][fix] * (end - d1 - 1)).astype(np.int64)
            close_main(fix, d1)
            saved_qty, saved_disc = qty[fix].copy(), disc[fix].copy()
            on_seats = ~book.is_flat[plan[fix]]
            qty[fix] = np.where(on_seats, saved_qty + rng.integers(1, 6, len(fix)), saved_qty)
            disc[fix] = np.where(on_seats, saved_disc, np.minimum(saved_disc + 10.0, 100.0))
            phase_start[fix] = d1
            close_main(fix, d2)
            qty[fix], disc[fix] = saved_qty, saved_disc
            phase_start[fix] = d2

        # Add-ons are separate lines on the same subscription.
        steady = running & (state == LIVE)
        add = np.flatnonzero(steady & (addon < 0) & (tier_now >= 1) & (u[5] < seg("addon_rate")))
        if len(add):
            which = book.addons[np.floor(u[6][add] * len(book.addons)).astype(np.int64)]
            addon[add] = which
            addon_qty[add] = np.where(book.is_flat[which], 1, seats[add])
            addon_unit[add] = book.unit_amount(which, currency_of(add), np.ones(len(add)))
            addon_start[add] = rand_day[add]
            delta = book.mrr(which, addon_qty[add], addon_unit[add], np.zeros(len(add)))
            changes.add(account=add, tenure=ten[add], day=rand_day[add], kind=ADDON_ADD, delta_mrr=delta)
        drop = np.flatnonzero(
            steady & (addon >= 0) & (addon_start < first) & (u[7] < seg("addon_removal_rate"))
        )
        if len(drop):
            close_addon(drop, rand_day[drop])

        # Month-end bookkeeping.
        alive = (state == TRIAL) | (state == LIVE)
        act_to = np.where(alive, end, act_to)
        active_from[:, m] = act_from
        active_to[:, m] = act_to
        seats_m[:, m] = seats
        tier_m[:, m] = book.tier[plan]
        main_mrr = np.where(state == LIVE, book.mrr(plan, qty, unit, disc), 0.0)
        addon_mrr = np.where(
            addon >= 0, book.mrr(np.maximum(addon, 0), addon_qty, addon_unit, np.zeros(n)), 0.0
        )
        mrr_m[:, m] = main_mrr + addon_mrr

    # Phases still in force at the end of the window stay open (valid_to null).
    alive = np.flatnonzero((state == TRIAL) | (state == LIVE))
    close_main(alive, np.full(len(alive), NULL_DAY))
    close_addon(alive, np.full(len(alive), NULL_DAY))

    _add_second_customers(config, acc, window, rng, book, customers, subs, items, tenures, first_end)

    return Billing(
        customers=customers.frame(),
        subscriptions=subs.frame(),
        items=items.frame(),
        tenures=tenures.frame(),
        changes=changes.frame(),
        active_from=active_from,
        active_to=active_to,
        seats=seats_m,
        tier=tier_m,
        mrr=mrr_m,
        first_end_day=first_end,
        book=book,
    )


def _add_second_customers(
    config: GeneratorConfig,
    acc: Accounts,
    window: Window,
    rng: np.random.Generator,
    book: PriceBook,
    customers: Registry,
    subs: Registry,
    items: Collector,
    tenures: Registry,
    first_end: np.ndarray,
) -> None:
    """A few accounts also pay through a second billing entity (a subsidiary).

    Its subscription starts after the account's first paid start and stops
    when the account first pauses or churns, so it never keeps an otherwise
    churned account alive.
    """
    share = np.array([s.second_customer_share for s in config.segments])[acc.segment]
    first_tenure_start = np.full(acc.n, NO_DAY, dtype=np.int64)
    first_kind = tenures.get("kind") == 0
    first_tenure_start[tenures.get("account")[first_kind]] = tenures.get("start_day")[first_kind]
    start = first_tenure_start + rng.integers(30, 241, acc.n)
    stop = np.minimum(first_end, window.end_day)
    chosen = np.flatnonzero(
        (first_tenure_start != NO_DAY) & (rng.random(acc.n) < share) & (start < stop - 1)
    )
    if not len(chosen):
        return
    k = len(chosen)
    # Half bill in another currency (a European or British subsidiary).
    other = np.where(acc.currency[chosen] == 1, 2, 1)  # EUR <-> GBP, others to EUR
    currency = np.where(rng.random(k) < 0.5, acc.currency[chosen], other)
    created = start[chosen]
    cust_ids = customers.new(k, account=chosen, currency=currency, created_day=created, kind=2)
    ended = stop[chosen] < window.end_day
    cancel = np.maximum(stop[chosen] - rng.integers(0, 11, k), created)
    sub_ids = subs.new(
        k,
        customer=cust_ids,
        created_day=created,
        status=np.where(ended, CANCELED, ACTIVE),
        canceled_day=np.where(ended, cancel, NULL_DAY),
        reason=np.where(ended, CONSOLIDATED, -1),
    )
    period = np.where(rng.random(k) < 0.6, 1, 12)
    plan = book.main_plan(acc.tier[chosen], period, np.zeros(k, dtype=bool))
    qty = np.maximum(1, np.round(acc.seats[chosen] * rng.uniform(0.1, 0.4, k))).astype(np.int64)
    unit = book.unit_amount(plan, currency, acc.price_factor[chosen])
    items.add(sub=sub_ids, plan=plan, qty=qty, unit=unit, disc=np.zeros(k), currency=currency,
              valid_from=created, valid_to=np.where(ended, stop[chosen], NULL_DAY))
