"""Billing lifecycle: customers, subscriptions and price phases.

A month-by-month simulation, vectorised over accounts. `simulate_billing`
runs the months; each month follows the life of an account in order:

1. new accounts start a trial or a paid phase (`_start_new_accounts`);
2. trials that end convert or are lost (`_end_trials`);
3. paused subscriptions resume (`_resume_pauses`);
4. churned accounts come back on a new subscription (`_win_back`);
5. each running paid subscription draws at most one event
   (`_draw_events`): churn, pause, seats up or down, upgrade, downgrade,
   a discount change or a short corrective phase; churn and pause stop it
   (`_churn_and_pause`), the others open the next price phase, as do renewal
   repricing and the end of a free pilot (`_change_price_phases`,
   `_correct_phases`);
6. add-ons are added or dropped (`_change_addons`);
7. the month's active days, seats, tier and MRR are recorded (`_record_month`).

Every change closes the running price phase and opens the next on the same
day, exactly as the contract's `subscription_items` expects. The CRM, survey
and product generators derive their facts from the per account-month record.
The rates live in csra/generator/config.py (per segment, and BillingConfig).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from csra.generator.accounts import Accounts
from csra.generator.calendar import NULL_DAY, Window
from csra.generator.config import BILLING_PERIODS, TIERS, BillingConfig, GeneratorConfig
from csra.generator.store import Collector, Registry
from csra.generator.stripe import ZERO_DECIMAL


class AccountState(IntEnum):
    """Where an account stands in its billing life."""

    PROSPECT = 0  # not a customer yet
    TRIAL = 1
    LIVE = 2  # on a paid subscription (a free pilot included)
    PAUSED = 3
    CHURNED = 4  # may come back (win-back)
    LOST = 5  # trial not converted; never comes back


SUB_STATUSES = ("trialing", "active", "paused", "canceled")


class SubscriptionStatus(IntEnum):
    """A subscription's status, as an index into SUB_STATUSES."""

    TRIALING = 0
    ACTIVE = 1
    PAUSED = 2
    CANCELED = 3


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
# Churn reasons are the ones before these two.
TRIAL_NOT_CONVERTED = CANCEL_REASONS.index("trial not converted")
CONSOLIDATED = CANCEL_REASONS.index("consolidated billing")
NO_REASON = -1


class ChangeKind(IntEnum):
    """Price changes logged in `Billing.changes` for contracts and opportunities."""

    SEAT_UP = 0
    UPGRADE = 1
    ADDON_ADD = 2
    REPRICE = 3  # any other change that raised MRR


EXPANSION_KINDS = (ChangeKind.SEAT_UP, ChangeKind.UPGRADE, ChangeKind.ADDON_ADD)


class TenureKind(IntEnum):
    """A paid tenure is the account's first, or a win-back after churning."""

    FIRST = 0
    WIN_BACK = 1


class CustomerKind(IntEnum):
    """Why a billing customer exists (its name in raw_billing.customers says so)."""

    FIRST = 0
    WIN_BACK_ENTITY = 1  # a win-back billed to a new legal entity
    SUBSIDIARY = 2  # a second customer paying for part of the account


class Event(IntEnum):
    """What happens to a running paid subscription in a month: at most one of these.

    The values are the order in which `_draw_events` stacks their
    probabilities, so they must not be renumbered.
    """

    NONE = -1
    CHURN_AT_PERIOD_END = 0
    CHURN_NOW = 1
    PAUSE = 2
    SEAT_UP = 3
    SEAT_DOWN = 4
    UPGRADE = 5
    DOWNGRADE = 6
    DISCOUNT_CHANGE = 7
    CORRECTION = 8  # a short corrective phase inside the month


DRAWN_EVENTS = tuple(e for e in Event if e != Event.NONE)
# Events that price the next phase of the same subscription.
PRICE_EVENTS = (Event.SEAT_UP, Event.SEAT_DOWN, Event.UPGRADE, Event.DOWNGRADE, Event.DISCOUNT_CHANGE)
# Events that wait for the end of the billing period.
AT_PERIOD_END = (Event.CHURN_AT_PERIOD_END, Event.PAUSE, Event.SEAT_DOWN, Event.DOWNGRADE)

NO_DAY = np.iinfo(np.int64).max
NEVER_CHURNED = -100  # churn month of an account that never churned (far from any win-back window)
TERM_MONTHS = 12  # contracts renew yearly: renewal repricing on every 12th month of the anchor
ADDON_TIER = len(TIERS)  # add-on plans sort after the main tiers
TOP_TIER = len(TIERS) - 1
ADDON_MIN_TIER = TIERS.index("growth")  # starter accounts buy no add-ons
LAST_ANCHOR_DAY = 28  # billing anchors after the 28th move to the 28th (every month has one)
FULL_DISCOUNT = 100.0
NO_PLAN = -1


class PriceBook:
    """Plans as arrays, a (tier, period, flat) -> plan lookup and list prices."""

    def __init__(self, config: GeneratorConfig) -> None:
        plans = config.plans
        self.tier = np.array([TIERS.index(p.tier) if p.tier in TIERS else ADDON_TIER for p in plans])
        self.period = np.array([p.billing_period_months for p in plans])
        self.is_flat = np.array([p.pricing_model == "flat" for p in plans])
        self.monthly_usd = np.array([p.monthly_usd for p in plans])
        self.addons = np.flatnonzero(self.tier == ADDON_TIER)
        self.currency_multiplier = np.array([c.price_multiplier for c in config.currencies])
        # zero-decimal currencies (JPY, only with --billing-format stripe or
        # --with-jpy) list whole units: Stripe cannot bill a fraction of a yen
        self.zero_decimal = np.array([c.code in ZERO_DECIMAL for c in config.currencies])
        self.period_factor = np.array([config.period_discount[p] for p in self.period])
        # The closest main plan to each (tier, period, flat): same tier first,
        # then the same pricing model, then the nearest (preferably longer) period.
        self.lookup = np.zeros((ADDON_TIER, max(BILLING_PERIODS) + 1, 2), dtype=np.int64)
        mains = np.flatnonzero(self.tier < ADDON_TIER)
        for tier in range(ADDON_TIER):
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
    customers: dict[str, np.ndarray]  # account, currency, created_day, kind (CustomerKind)
    subscriptions: dict[str, np.ndarray]  # customer, created_day, status, canceled_day, reason
    items: dict[str, np.ndarray]  # sub, plan, qty, unit, disc, currency, valid_from, valid_to
    tenures: dict[str, np.ndarray]  # account, sub, customer, start_day, end_day, kind (TenureKind)
    changes: dict[str, np.ndarray]  # account, tenure, day, kind (ChangeKind), delta_mrr
    active_from: np.ndarray  # (n, months): first active day in the month
    active_to: np.ndarray  # (n, months): first inactive day; active iff from < to
    seats: np.ndarray  # (n, months) licensed seats (team size on flat plans)
    tier: np.ndarray  # (n, months) tier of the main plan
    mrr: np.ndarray  # (n, months) MRR at month end, customer currency
    first_end_day: np.ndarray  # first pause/churn/lost-trial day per account (NO_DAY if none)
    book: PriceBook


@dataclass(frozen=True)
class MonthDraws:
    """The month's uniform draws, one per account for each random choice."""

    day: np.ndarray  # the day of the month a win-back, add-on or mid-month event happens
    win_back: np.ndarray
    event: np.ndarray  # which event, if any, a running subscription has
    correction_start: np.ndarray
    correction_end: np.ndarray
    addon_add: np.ndarray
    addon_pick: np.ndarray  # which add-on
    addon_drop: np.ndarray
    seat_up_kept: np.ndarray  # thins drawn seat-ups by headroom and need

    @classmethod
    def draw(cls, rng: np.random.Generator, n: int) -> MonthDraws:
        # Twelve rows, of which nine are used: the random stream, and so the
        # data every seed gives, stays as it was when more were planned.
        rows = rng.random((12, n))
        return cls(*rows[:9])


@dataclass
class Month:
    """The month being simulated, and the active span each account has in it."""

    index: int
    first: int  # first day
    end: int  # first day of the next month
    draws: MonthDraws
    random_day: np.ndarray  # per account, from draws.day
    active_from: np.ndarray
    active_to: np.ndarray

    @property
    def length(self) -> int:
        return self.end - self.first


@dataclass
class RunningEvents:
    """The month's running paid subscriptions and the event each drew."""

    running: np.ndarray  # live with a phase that started before this month
    period: np.ndarray  # billing months of the main plan
    term: np.ndarray  # a yearly renewal falls in this month
    pilot_due: np.ndarray  # a free pilot ends this month
    tier: np.ndarray  # main tier at the start of the month
    headroom: np.ndarray  # addressable seats not yet licensed
    event: np.ndarray  # Event per account
    day: np.ndarray  # the day the event happens


def _on_anniversary(rate: np.ndarray, anniversary: np.ndarray, period: np.ndarray) -> np.ndarray:
    """Probability that a monthly hazard, accrued over a billing period, fires at its end."""
    return np.where(anniversary, 1.0 - (1.0 - rate) ** period, 0.0)


def _new_discount(rng: np.random.Generator, n: int, knobs: BillingConfig) -> np.ndarray:
    """A fresh discount per account: usually a round percentage, else an odd one."""
    whole = rng.choice(list(knobs.discount_round_pcts), n)
    odd = np.round(rng.uniform(*knobs.discount_odd_pct, n), 2)
    return np.where(rng.random(n) < knobs.discount_round_share, whole, odd)


def simulate_billing(
    config: GeneratorConfig, acc: Accounts, window: Window, rng: np.random.Generator
) -> Billing:
    """Simulate every account's billing month by month over the window."""
    simulation = _Simulation(config, acc, window, rng)
    for m in range(window.months):
        simulation.run_month(m)
    return simulation.finish()


class _Simulation:
    """The billing state of every account, and the steps of one month."""

    def __init__(self, config: GeneratorConfig, acc: Accounts, window: Window, rng: np.random.Generator) -> None:
        n, months = acc.n, window.months
        self.config, self.knobs, self.acc, self.window, self.rng = config, config.billing, acc, window, rng
        self.n = n
        self.book = book = PriceBook(config)
        knobs = self.knobs

        self.seats_min = np.maximum(self._per_account("seats_min").astype(np.int64) // knobs.seat_floor_divisor, 1)
        self.churn_hazard = np.clip(self._per_account("monthly_churn") * acc.churn_multiplier,
                                    0.0, knobs.churn_hazard_cap)
        self.high_utilization = acc.utilization > config.high_utilization

        self.customers = Registry(n + n // 4, account=np.int64, currency=np.int64, created_day=np.int64,
                                  kind=np.int8)
        self.customers.new(n, account=np.arange(n), currency=acc.currency, created_day=acc.acquired_day,
                           kind=CustomerKind.FIRST)
        self.subs = Registry(2 * n, customer=np.int64, created_day=np.int64, status=np.int8,
                             canceled_day=np.int64, reason=np.int64)
        self.tenures = Registry(2 * n, account=np.int64, sub=np.int64, customer=np.int64,
                                start_day=np.int64, end_day=np.int64, kind=np.int8)
        self.items = Collector("sub", "plan", "qty", "unit", "disc", "currency", "valid_from", "valid_to")
        self.changes = Collector("account", "tenure", "day", "kind", "delta_mrr")

        # Per account: its state, current subscription, customer and tenure.
        self.state = np.full(n, AccountState.PROSPECT, dtype=np.int8)
        self.sub = np.full(n, -1, dtype=np.int64)
        self.cust = np.arange(n, dtype=np.int64)
        self.ten = np.full(n, -1, dtype=np.int64)
        # The running main price phase.
        self.plan = book.main_plan(acc.tier, acc.period, acc.is_flat)
        self.seats = acc.seats.copy()
        self.qty = np.where(book.is_flat[self.plan], 1, self.seats)
        self.factor = acc.price_factor.copy()
        self.unit = np.zeros(n)
        self.disc = np.zeros(n)
        self.phase_start = np.zeros(n, dtype=np.int64)
        # Billing anchor: the month and day of month billing periods count from.
        self.anchor_month = np.zeros(n, dtype=np.int64)
        self.anchor_dom = np.ones(n, dtype=np.int64)
        self.first_year_pending = acc.first_year_discount > 0
        self.pilot_end = np.full(n, NO_DAY, dtype=np.int64)
        self.resume_day = np.full(n, NO_DAY, dtype=np.int64)
        self.churn_month = np.full(n, NEVER_CHURNED, dtype=np.int64)
        self.first_end = np.full(n, NO_DAY, dtype=np.int64)
        # The running add-on phase (at most one add-on at a time).
        self.addon = np.full(n, NO_PLAN, dtype=np.int64)
        self.addon_qty = np.zeros(n, dtype=np.int64)
        self.addon_unit = np.zeros(n)
        self.addon_start = np.zeros(n, dtype=np.int64)

        # The per account-month record the other generators read.
        self.active_from = np.zeros((n, months), dtype=np.int64)
        self.active_to = np.zeros((n, months), dtype=np.int64)
        self.seats_by_month = np.zeros((n, months), dtype=np.int64)
        self.tier_by_month = np.zeros((n, months), dtype=np.int8)
        self.mrr_by_month = np.zeros((n, months))

    # -- helpers -------------------------------------------------------------

    def _per_account(self, name: str) -> np.ndarray:
        """A segment knob (SegmentConfig field) for every account, as floats."""
        return np.array([getattr(s, name) for s in self.config.segments], dtype=float)[self.acc.segment]

    def _in_state(self, *states: AccountState) -> np.ndarray:
        return np.isin(self.state, states)

    def _currency_of(self, idx: np.ndarray) -> np.ndarray:
        return self.customers.get("currency")[self.cust[idx]]

    def _close_main(self, idx: np.ndarray, day: np.ndarray) -> None:
        """Write the running main price phase of `idx`, ending at `day`."""
        self.items.add(sub=self.sub[idx], plan=self.plan[idx], qty=self.qty[idx], unit=self.unit[idx],
                       disc=self.disc[idx], currency=self._currency_of(idx), valid_from=self.phase_start[idx],
                       valid_to=day)

    def _close_addon(self, idx: np.ndarray, day: np.ndarray) -> None:
        """Write the running add-on phase of those of `idx` that have one, ending at `day`."""
        idx_day = np.broadcast_to(day, idx.shape)
        keep = self.addon[idx] >= 0
        idx, idx_day = idx[keep], idx_day[keep]
        self.items.add(sub=self.sub[idx], plan=self.addon[idx], qty=self.addon_qty[idx], unit=self.addon_unit[idx],
                       disc=np.zeros(len(idx)), currency=self._currency_of(idx),
                       valid_from=self.addon_start[idx], valid_to=idx_day)
        self.addon[idx] = NO_PLAN

    def _set_anchor(self, idx: np.ndarray, day: np.ndarray, m: int) -> None:
        """Billing periods of `idx` now count from `day` (in month `m`)."""
        self.anchor_month[idx] = m
        self.anchor_dom[idx] = np.minimum(day - self.window.month_starts[m] + 1, LAST_ANCHOR_DAY)

    def _open_paid(self, idx: np.ndarray, day: np.ndarray, m: int, kind: TenureKind) -> None:
        """Start a paid phase and tenure (first purchase, trial conversion or win-back).

        A first-year discount applies until the first renewal; a pilot
        account's first tenure starts with a free pilot (100 % discount).
        """
        acc = self.acc
        self.state[idx] = AccountState.LIVE
        self.unit[idx] = self.book.unit_amount(self.plan[idx], self._currency_of(idx), self.factor[idx])
        self.disc[idx] = np.where(self.first_year_pending[idx], acc.first_year_discount[idx], 0.0)
        pilot = acc.is_pilot[idx] & (kind == TenureKind.FIRST)
        self.disc[idx[pilot]] = FULL_DISCOUNT
        self.pilot_end[idx[pilot]] = day[pilot] + self.rng.integers(*self.knobs.pilot_days, pilot.sum())
        self.phase_start[idx] = day
        self._set_anchor(idx, day, m)
        self.subs.set("status", self.sub[idx], SubscriptionStatus.ACTIVE)
        self.ten[idx] = self.tenures.new(len(idx), account=idx, sub=self.sub[idx], customer=self.cust[idx],
                                         start_day=day, end_day=NULL_DAY, kind=kind)

    def _close_phases(self, idx: np.ndarray, day: np.ndarray, new_state: AccountState) -> None:
        """Stop the main and add-on phases of `idx` at `day` (a pause or churn)."""
        self._close_main(idx, day)
        self._close_addon(idx, day)
        self.state[idx] = new_state
        self.first_end[idx] = np.minimum(self.first_end[idx], day)

    def _churn(self, idx: np.ndarray, day: np.ndarray, m: int, reason: np.ndarray) -> None:
        """Cancel the subscription of `idx` at `day`; the cancellation is recorded some days earlier."""
        self._close_phases(idx, day, AccountState.CHURNED)
        self.churn_month[idx] = m
        notice = self.rng.integers(*self.knobs.cancel_notice_days, len(idx))
        created = self.subs.get("created_day")[self.sub[idx]]
        self.subs.set("status", self.sub[idx], SubscriptionStatus.CANCELED)
        self.subs.set("canceled_day", self.sub[idx], np.maximum(day - notice, created))
        self.subs.set("reason", self.sub[idx], reason)
        self.tenures.set("end_day", self.ten[idx], day)

    def _pause(self, idx: np.ndarray, day: np.ndarray) -> None:
        """Pause the subscription of `idx` at `day`; it resumes on the same subscription."""
        self._close_phases(idx, day, AccountState.PAUSED)
        self.subs.set("status", self.sub[idx], SubscriptionStatus.PAUSED)

    # -- one month -----------------------------------------------------------

    def run_month(self, m: int) -> None:
        """Every step of month `m`, in the order an account's life needs them."""
        starts = self.window.month_starts
        first, end = int(starts[m]), int(starts[m + 1])
        draws = MonthDraws.draw(self.rng, self.n)
        month = Month(
            index=m,
            first=first,
            end=end,
            draws=draws,
            random_day=first + np.floor(draws.day * (end - first)).astype(np.int64),
            active_from=np.where(self._in_state(AccountState.TRIAL, AccountState.LIVE), first, end),
            active_to=np.full(self.n, first, dtype=np.int64),
        )
        self._start_new_accounts(month)
        self._end_trials(month)
        self._resume_pauses(month)
        self._win_back(month)
        events = self._draw_events(month)
        self._churn_and_pause(month, events)
        self._change_price_phases(month, events)
        self._correct_phases(month, events)
        self._change_addons(month, events)
        self._record_month(month)

    def _start_new_accounts(self, month: Month) -> None:
        """Accounts acquired this month start a trial or a paid phase on a new subscription."""
        acc = self.acc
        new = np.flatnonzero((self.state == AccountState.PROSPECT) & (acc.acquired_day < month.end))
        if not len(new):
            return
        day = acc.acquired_day[new]
        self.sub[new] = self.subs.new(len(new), customer=self.cust[new], created_day=day,
                                      status=SubscriptionStatus.TRIALING, canceled_day=NULL_DAY, reason=NO_REASON)
        self.phase_start[new] = day
        month.active_from[new] = day
        trial = new[acc.has_trial[new]]
        self.state[trial] = AccountState.TRIAL
        self.unit[trial] = 0.0
        self.disc[trial] = 0.0
        paid = new[~acc.has_trial[new]]
        self._open_paid(paid, acc.paid_start_day[paid], month.index, TenureKind.FIRST)

    def _end_trials(self, month: Month) -> None:
        """Trials that end this month convert to a paid phase or are lost for good."""
        acc = self.acc
        trial_end = acc.acquired_day + acc.trial_days
        ending = np.flatnonzero((self.state == AccountState.TRIAL) & (trial_end < month.end))
        if not len(ending):
            return
        self._close_main(ending, trial_end[ending])
        converted = ending[acc.converts[ending]]
        self._open_paid(converted, trial_end[converted], month.index, TenureKind.FIRST)
        lost = ending[~acc.converts[ending]]
        self.state[lost] = AccountState.LOST
        self.first_end[lost] = trial_end[lost]
        month.active_to[lost] = trial_end[lost]
        self.subs.set("status", self.sub[lost], SubscriptionStatus.CANCELED)
        notice = self.rng.integers(*self.knobs.trial_cancel_notice_days, len(lost))
        self.subs.set("canceled_day", self.sub[lost], np.maximum(trial_end[lost] - notice, acc.acquired_day[lost]))
        self.subs.set("reason", self.sub[lost], TRIAL_NOT_CONVERTED)

    def _resume_pauses(self, month: Month) -> None:
        """Paused subscriptions whose pause ends this month resume on the same subscription."""
        resuming = np.flatnonzero((self.state == AccountState.PAUSED) & (self.resume_day < month.end))
        if not len(resuming):
            return
        day = self.resume_day[resuming]
        self.state[resuming] = AccountState.LIVE
        self.phase_start[resuming] = day
        month.active_from[resuming] = day
        self._set_anchor(resuming, day, month.index)
        self.subs.set("status", self.sub[resuming], SubscriptionStatus.ACTIVE)
        self.resume_day[resuming] = NO_DAY

    def _win_back(self, month: Month) -> None:
        """Churned accounts come back on a new subscription, sometimes as a new customer.

        They come back a little smaller: sometimes one tier lower, with part
        of the seats they had, and without a first-year discount.
        """
        book, knobs, rng = self.book, self.knobs, self.rng
        since = month.index - self.churn_month
        earliest, latest = knobs.win_back_months
        back = np.flatnonzero(
            (self.state == AccountState.CHURNED) & (since >= earliest) & (since <= latest)
            & (month.draws.win_back < self._per_account("reactivation_rate"))
        )
        if not len(back):
            return
        day = month.random_day[back]
        new_entity = rng.random(len(back)) < knobs.win_back_new_customer_share
        if new_entity.any():
            moved = back[new_entity]
            self.cust[moved] = self.customers.new(len(moved), account=moved, currency=self._currency_of(moved),
                                                  created_day=day[new_entity], kind=CustomerKind.WIN_BACK_ENTITY)
        self.sub[back] = self.subs.new(len(back), customer=self.cust[back], created_day=day,
                                       status=SubscriptionStatus.ACTIVE, canceled_day=NULL_DAY, reason=NO_REASON)
        plan = self.plan[back]
        tier = book.tier[plan]
        tier = np.where(rng.random(len(back)) < knobs.win_back_downgrade_share, np.maximum(tier - 1, 0), tier)
        kept = rng.uniform(*knobs.win_back_seats_kept, len(back))
        self.seats[back] = np.maximum(np.round(self.seats[back] * kept), self.seats_min[back])
        self.plan[back] = book.main_plan(tier, book.period[plan], book.is_flat[plan])
        self.qty[back] = np.where(book.is_flat[self.plan[back]], 1, self.seats[back])
        self.first_year_pending[back] = False
        self._open_paid(back, day, month.index, TenureKind.WIN_BACK)
        month.active_from[back] = day

    def _draw_events(self, month: Month) -> RunningEvents:
        """Each running paid subscription draws at most one event of the month.

        Hazards that belong to a billing period (churn at its end, pause,
        seats down, downgrade) fire on the period's anniversary; the others
        on a random day. Free pilots draw nothing until the pilot ends.
        """
        acc, book, knobs = self.acc, self.book, self.knobs
        running = (self.state == AccountState.LIVE) & (self.phase_start < month.first)
        since_anchor = month.index - self.anchor_month
        period = book.period[self.plan]
        anniversary = running & (since_anchor > 0) & (since_anchor % period == 0)
        term = anniversary & (since_anchor % TERM_MONTHS == 0)
        anniversary_day = month.first + np.minimum(self.anchor_dom, month.length) - 1
        pilot_due = running & (self.pilot_end < month.end)
        may_change = running & ~pilot_due & (self.pilot_end == NO_DAY)
        tier = book.tier[self.plan]
        # Seat headroom: the addressable seats not yet licensed, as a share of
        # what was addressable at signing (room), and how much the account's
        # users need more seats (none below 30 % utilisation, full from 70 %).
        headroom = np.maximum(acc.seat_ceiling - self.seats, 0)
        room = np.minimum(headroom / np.maximum(acc.seat_ceiling - acc.seats, 1), 1.0)
        need = np.clip((acc.utilization - knobs.seat_need_start) / knobs.seat_need_span, 0.0, 1.0)

        multi_month = period > 1
        hazard = {
            Event.CHURN_AT_PERIOD_END: _on_anniversary(self.churn_hazard, anniversary, period)
            * np.where(multi_month, 1.0 - knobs.midterm_churn_share, 1.0),
            Event.CHURN_NOW: np.where(multi_month, knobs.midterm_churn_share * self.churn_hazard, 0.0),
            Event.PAUSE: np.where(period <= knobs.pause_max_period_months,
                                  _on_anniversary(self._per_account("pause_rate"), anniversary, period), 0.0),
            # thinned by room x need below
            Event.SEAT_UP: self._per_account("seat_up_rate")
            * np.where(self.high_utilization, knobs.seat_up_high_utilization_multiplier, 1.0),
            Event.SEAT_DOWN: _on_anniversary(self._per_account("seat_down_rate"), anniversary, period),
            Event.UPGRADE: self._per_account("upgrade_rate")
            * np.where(acc.is_ceiling, knobs.upgrade_ceiling_multiplier, 1.0) * (tier < TOP_TIER),
            Event.DOWNGRADE: _on_anniversary(self._per_account("downgrade_rate"), anniversary, period) * (tier > 0),
            Event.DISCOUNT_CHANGE: self._per_account("discount_change_rate"),
            Event.CORRECTION: self._per_account("correction_rate") * ~term,
        }
        cumulative = np.cumsum(np.stack([hazard[e] for e in DRAWN_EVENTS]) * may_change, axis=0)
        u = month.draws.event
        event = np.where(u < cumulative[-1], (u[None, :] >= cumulative).sum(axis=0), Event.NONE)
        # Seat-ups fill the account's addressable seats: a drawn seat-up happens
        # with probability room x need, so they do not compound, an account that
        # has licensed its whole company stops growing in seats, and one whose
        # users leave seats idle does not buy more. (Thinning with its own
        # uniform keeps every other event, churn included, as it was.)
        event = np.where((event == Event.SEAT_UP) & (month.draws.seat_up_kept >= room * need), Event.NONE, event)
        at_anniversary = np.isin(event, AT_PERIOD_END) | term
        day = np.where(at_anniversary, anniversary_day, month.random_day)
        return RunningEvents(running=running, period=period, term=term, pilot_due=pilot_due, tier=tier,
                             headroom=headroom, event=event, day=day)

    def _churn_and_pause(self, month: Month, events: RunningEvents) -> None:
        """Churn and pause stop the subscription (add-ons stop with it); a pause is scheduled to end."""
        event, day = events.event, events.day
        churn = np.flatnonzero((event == Event.CHURN_AT_PERIOD_END) | (event == Event.CHURN_NOW))
        if len(churn):
            reasons = self.rng.integers(0, TRIAL_NOT_CONVERTED, len(churn))
            self._churn(churn, day[churn], month.index, reasons)
            month.active_to[churn] = day[churn]
        pause = np.flatnonzero(event == Event.PAUSE)
        if len(pause):
            self._pause(pause, day[pause])
            month.active_to[pause] = day[pause]
            self._schedule_resume(pause, month.index)

    def _schedule_resume(self, pause: np.ndarray, m: int) -> None:
        """Pick the day a pause ends: a geometric number of months later, capped; none after the window."""
        knobs, starts, months = self.knobs, self.window.month_starts, self.window.months
        resume_month = m + self.rng.geometric(knobs.pause_resume_rate, len(pause))
        resume_month = np.minimum(resume_month, m + knobs.pause_max_months)
        later = resume_month < months
        self.resume_day[pause] = NO_DAY
        month_start = starts[np.minimum(resume_month, months)]
        month_len = starts[np.minimum(resume_month + 1, months)] - month_start
        self.resume_day[pause[later]] = (month_start + np.floor(self.rng.random(len(pause)) * month_len))[later]

    def _change_price_phases(self, month: Month, events: RunningEvents) -> None:
        """Seat, tier and discount events, renewal repricing and pilot ends open the next price phase.

        The next phase is computed for every account, then the running phase
        is closed and the next opened where they differ; changes that raise
        MRR are logged for contracts and opportunities.
        """
        book, rng, n = self.book, self.rng, self.n
        event, running, term, pilot_due = events.event, events.running, events.term, events.pilot_due
        seat_up, seat_down = event == Event.SEAT_UP, event == Event.SEAT_DOWN
        new_seats = self._resized_seats(events, seat_up, seat_down)
        upgrade, downgrade = event == Event.UPGRADE, event == Event.DOWNGRADE
        new_tier = events.tier + upgrade - downgrade
        flat = book.is_flat[self.plan]
        new_plan = np.where(upgrade | downgrade,
                            book.main_plan(new_tier, events.period, flat & (new_tier < TOP_TIER)), self.plan)
        fresh_discount = _new_discount(rng, n, self.knobs)
        new_disc = np.where(event == Event.DISCOUNT_CHANGE, np.where(self.disc > 0, 0.0, fresh_discount), self.disc)
        # Renewal repricing on the 12-month anniversary: first-year discounts
        # end (whatever happens that month), some list prices go up.
        reprice = term & ((event == Event.NONE) | np.isin(event, PRICE_EVENTS))
        new_disc = np.where(reprice & self.first_year_pending, 0.0, new_disc)
        self.first_year_pending &= ~term
        uplift = reprice & (rng.random(n) < self.knobs.renewal_uplift_share)
        new_factor = np.where(uplift, self.factor * rng.uniform(*self.knobs.renewal_uplift, n), self.factor)
        # Pilot accounts pay in full once the free pilot ends.
        new_disc = np.where(pilot_due, 0.0, new_disc)
        day = np.where(pilot_due, np.maximum(self.pilot_end, month.first), events.day)
        self.pilot_end[pilot_due] = NO_DAY
        new_qty = np.where(book.is_flat[new_plan], 1, new_seats)
        new_unit = book.unit_amount(new_plan, self._currency_of(np.arange(n)), new_factor)
        new_unit = np.where(self.state == AccountState.LIVE, new_unit, self.unit)
        changed = (running & (np.isin(event, PRICE_EVENTS) | reprice | pilot_due)) & (
            (new_plan != self.plan) | (new_qty != self.qty) | (new_unit != self.unit) | (new_disc != self.disc)
        )
        idx = np.flatnonzero(changed)
        if len(idx):
            old_mrr = book.mrr(self.plan[idx], self.qty[idx], self.unit[idx], self.disc[idx])
            self._close_main(idx, day[idx])
            self.plan[idx], self.qty[idx] = new_plan[idx], new_qty[idx]
            self.unit[idx], self.disc[idx] = new_unit[idx], new_disc[idx]
            self.factor[idx] = new_factor[idx]
            self.phase_start[idx] = day[idx]
            # A new billing period length restarts the anchor.
            switched = idx[book.period[self.plan[idx]] != events.period[idx]]
            self._set_anchor(switched, day[switched], month.index)
            delta = book.mrr(self.plan[idx], self.qty[idx], self.unit[idx], self.disc[idx]) - old_mrr
            kind = np.where(upgrade[idx], ChangeKind.UPGRADE,
                            np.where(seat_up[idx], ChangeKind.SEAT_UP, ChangeKind.REPRICE))
            grew = delta > 0
            self.changes.add(account=idx[grew], tenure=self.ten[idx[grew]], day=day[idx[grew]],
                             kind=kind[grew], delta_mrr=delta[grew])
        self.seats = np.where(seat_up | seat_down, new_seats, self.seats)

    def _resized_seats(self, events: RunningEvents, seat_up: np.ndarray, seat_down: np.ndarray) -> np.ndarray:
        """Seats after this month's seat-ups and seat-downs (the others keep theirs).

        A seat-up takes 20-60 % of the seats still addressable, and is one new
        team: at most 40 % of the seats licensed, and never more than 40 % of
        the segment's median account, however large the account already is.
        A seat-down drops 10-30 % of the seats, down to the seat floor.
        """
        knobs, seats, n = self.knobs, self.seats, self.n
        team = knobs.seat_up_team_share * np.minimum(seats, self._per_account("seats_median"))
        grow = np.round(np.minimum(events.headroom * self.rng.uniform(*knobs.seat_up_headroom_share, n), team))
        new_seats = np.where(seat_up, seats + np.maximum(grow, 1).astype(np.int64), seats)
        shrink = np.maximum(1, np.round(seats * self.rng.uniform(*knobs.seat_down_share, n))).astype(np.int64)
        return np.where(seat_down, np.maximum(seats - shrink, self.seats_min), new_seats)

    def _correct_phases(self, month: Month, events: RunningEvents) -> None:
        """A short corrective phase: a wrong seat count (or discount) fixed days later.

        The wrong phase runs from a random day to a later one in the month;
        then the right terms come back.
        """
        fix = np.flatnonzero(events.event == Event.CORRECTION)
        if not len(fix):
            return
        draws, knobs = month.draws, self.knobs
        wrong_from = month.first + np.floor(draws.correction_start[fix] * (month.length - 2)).astype(np.int64)
        fixed_on = wrong_from + 1 + np.floor(draws.correction_end[fix] * (month.end - wrong_from - 1)).astype(np.int64)
        self._close_main(fix, wrong_from)
        right_qty, right_disc = self.qty[fix].copy(), self.disc[fix].copy()
        on_seats = ~self.book.is_flat[self.plan[fix]]
        extra = self.rng.integers(*knobs.correction_extra_seats, len(fix))
        self.qty[fix] = np.where(on_seats, right_qty + extra, right_qty)
        wrong_disc = np.minimum(right_disc + knobs.correction_discount_points, FULL_DISCOUNT)
        self.disc[fix] = np.where(on_seats, right_disc, wrong_disc)
        self.phase_start[fix] = wrong_from
        self._close_main(fix, fixed_on)
        self.qty[fix], self.disc[fix] = right_qty, right_disc
        self.phase_start[fix] = fixed_on

    def _change_addons(self, month: Month, events: RunningEvents) -> None:
        """Add-ons are separate lines on the same subscription: some accounts add one, some drop theirs."""
        book, draws = self.book, month.draws
        steady = events.running & (self.state == AccountState.LIVE)
        add = np.flatnonzero(steady & (self.addon < 0) & (events.tier >= ADDON_MIN_TIER)
                             & (draws.addon_add < self._per_account("addon_rate")))
        if len(add):
            which = book.addons[np.floor(draws.addon_pick[add] * len(book.addons)).astype(np.int64)]
            day = month.random_day[add]
            self.addon[add] = which
            self.addon_qty[add] = np.where(book.is_flat[which], 1, self.seats[add])
            self.addon_unit[add] = book.unit_amount(which, self._currency_of(add), np.ones(len(add)))
            self.addon_start[add] = day
            delta = book.mrr(which, self.addon_qty[add], self.addon_unit[add], np.zeros(len(add)))
            self.changes.add(account=add, tenure=self.ten[add], day=day, kind=ChangeKind.ADDON_ADD, delta_mrr=delta)
        drop = np.flatnonzero(steady & (self.addon >= 0) & (self.addon_start < month.first)
                              & (draws.addon_drop < self._per_account("addon_removal_rate")))
        if len(drop):
            self._close_addon(drop, month.random_day[drop])

    def _record_month(self, month: Month) -> None:
        """Month end: the active span, seats, tier and MRR (main plus add-on) of every account."""
        m, book = month.index, self.book
        alive = self._in_state(AccountState.TRIAL, AccountState.LIVE)
        self.active_from[:, m] = month.active_from
        self.active_to[:, m] = np.where(alive, month.end, month.active_to)
        self.seats_by_month[:, m] = self.seats
        self.tier_by_month[:, m] = book.tier[self.plan]
        main_mrr = np.where(self.state == AccountState.LIVE, book.mrr(self.plan, self.qty, self.unit, self.disc), 0.0)
        addon_mrr = np.where(
            self.addon >= 0, book.mrr(np.maximum(self.addon, 0), self.addon_qty, self.addon_unit, np.zeros(self.n)), 0.0
        )
        self.mrr_by_month[:, m] = main_mrr + addon_mrr

    # -- the end of the window -----------------------------------------------

    def finish(self) -> Billing:
        """Leave the phases still in force open (valid_to null), add second customers, return the result."""
        alive = np.flatnonzero(self._in_state(AccountState.TRIAL, AccountState.LIVE))
        self._close_main(alive, np.full(len(alive), NULL_DAY))
        self._close_addon(alive, np.full(len(alive), NULL_DAY))
        _add_second_customers(self.config, self.acc, self.window, self.rng, self.book, self.customers, self.subs,
                              self.items, self.tenures, self.first_end)
        return Billing(
            customers=self.customers.frame(),
            subscriptions=self.subs.frame(),
            items=self.items.frame(),
            tenures=self.tenures.frame(),
            changes=self.changes.frame(),
            active_from=self.active_from,
            active_to=self.active_to,
            seats=self.seats_by_month,
            tier=self.tier_by_month,
            mrr=self.mrr_by_month,
            first_end_day=self.first_end,
            book=self.book,
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
    knobs = config.billing
    share = np.array([s.second_customer_share for s in config.segments])[acc.segment]
    first_tenure_start = np.full(acc.n, NO_DAY, dtype=np.int64)
    first_kind = tenures.get("kind") == TenureKind.FIRST
    first_tenure_start[tenures.get("account")[first_kind]] = tenures.get("start_day")[first_kind]
    start = first_tenure_start + rng.integers(*knobs.second_customer_delay_days, acc.n)
    stop = np.minimum(first_end, window.end_day)
    chosen = np.flatnonzero(
        (first_tenure_start != NO_DAY) & (rng.random(acc.n) < share) & (start < stop - 1)
    )
    if not len(chosen):
        return
    k = len(chosen)
    # Some bill in another currency (a European or British subsidiary).
    other = np.where(acc.currency[chosen] == 1, 2, 1)  # EUR <-> GBP, others to EUR
    currency = np.where(rng.random(k) < knobs.second_customer_other_currency_share, acc.currency[chosen], other)
    created = start[chosen]
    cust_ids = customers.new(k, account=chosen, currency=currency, created_day=created, kind=CustomerKind.SUBSIDIARY)
    ended = stop[chosen] < window.end_day
    cancel = np.maximum(stop[chosen] - rng.integers(*knobs.second_customer_notice_days, k), created)
    sub_ids = subs.new(
        k,
        customer=cust_ids,
        created_day=created,
        status=np.where(ended, SubscriptionStatus.CANCELED, SubscriptionStatus.ACTIVE),
        canceled_day=np.where(ended, cancel, NULL_DAY),
        reason=np.where(ended, CONSOLIDATED, NO_REASON),
    )
    period = np.where(rng.random(k) < knobs.second_customer_monthly_share, 1, 12)
    plan = book.main_plan(acc.tier[chosen], period, np.zeros(k, dtype=bool))
    seat_share = rng.uniform(*knobs.second_customer_seat_share, k)
    qty = np.maximum(1, np.round(acc.seats[chosen] * seat_share)).astype(np.int64)
    unit = book.unit_amount(plan, currency, acc.price_factor[chosen])
    items.add(sub=sub_ids, plan=plan, qty=qty, unit=unit, disc=np.zeros(k), currency=currency,
              valid_from=created, valid_to=np.where(ended, stop[chosen], NULL_DAY))
