"""The generated company's billing as Fivetran's Stripe tables.

`write_stripe_billing` reads the contract billing tables the generator has
just written (raw_billing.customers, plans, subscriptions,
subscription_items, invoices) and writes the same billing as Stripe would
have recorded it into raw_stripe (csra.raw_schema.STRIPE_TABLES), then drops
those five contract tables, so a build with `billing_source: stripe` can only
read Stripe. Deriving Stripe from the contract rows keeps one company in both
shapes: the same arguments give identical marts either way.

How Stripe records each contract fact:
- a plan in a currency at a list price is a Stripe price (prices are
  immutable), its product carries the tier and pricing model in metadata;
- each subscription line (the main plan, or an add-on) is a subscription
  item; its price phases become invoice lines: a billing cycle starts when
  the line starts (or resumes, converts from trial, or changes interval) and
  renews every period; a change inside a cycle bills a proration credit for
  the old state ("unused time", negative) and a proration charge for the new
  one ("remaining time") up to the cycle end; a stop inside a cycle (pause,
  cancellation, add-on removed) bills a credit only;
- a trial is the subscription's [trial_start, trial_end) with a $0 line;
- a discount is a `forever` percent coupon on the subscription item from the
  phase it starts to the phase it ends (`end`); some subscriptions also get a
  `once` amount-off coupon, which is not recurring revenue (MRR ignores it);
- superseded subscription versions (_fivetran_active = false) and removed
  add-on items (_fivetran_deleted) are written too, as a loader lands them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections import defaultdict
from decimal import Decimal

import duckdb

from csra.generator.calendar import Window, to_date
from csra.generator.config import JPY, GeneratorConfig
from csra.raw_schema import STRIPE_TABLES, create_stripe_schema

# Stripe's zero-decimal currencies among ours: amounts are whole units.
ZERO_DECIMAL = frozenset({"JPY"})
CONTRACT_BILLING_TABLES = ("customers", "plans", "subscriptions", "subscription_items", "invoices")
SYNCED = dt.datetime(2026, 12, 1)


def with_jpy(config: GeneratorConfig) -> GeneratorConfig:
    """The config with JPY billing for a share of APAC accounts (whole-yen prices).

    Used by `--billing-format stripe` (and `--with-jpy` for the same company
    in contract shape); the default company is unchanged without it.
    """
    if any(c.code == "JPY" for c in config.currencies):
        return config
    mix = {region: (*shares, 0.0) for region, shares in config.region_currency_mix.items()}
    apac = list(mix["apac"])
    apac[-1], apac[0] = config.jpy_apac_share, apac[0] - config.jpy_apac_share
    mix["apac"] = tuple(apac)
    return dataclasses.replace(config, currencies=(*config.currencies, JPY), region_currency_mix=mix)


def minor_units(amount: Decimal | float, currency: str) -> int:
    """An amount in the currency's minor unit, as Stripe stores it."""
    factor = 1 if currency.upper() in ZERO_DECIMAL else 100
    return int((Decimal(str(amount)) * factor).to_integral_value())


def _add_months(day: dt.date, months: int) -> dt.date:
    """day + months, clamped to the month's last day (as DuckDB's date + interval)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _ts(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else dt.datetime(day.year, day.month, day.day)


def _hash(*parts: object) -> int:
    return int(hashlib.md5("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


class _Rows:
    def __init__(self) -> None:
        self.tables: dict[str, list[dict]] = defaultdict(list)

    def add(self, table: str, **row: object) -> None:
        self.tables[table].append(row)


def _price_id(plan_id: str, currency: str, unit: Decimal) -> str:
    return f"price_{plan_id}_{currency.lower()}_{minor_units(unit, currency)}"


def write_stripe_billing(con: duckdb.DuckDBPyConnection, window: Window, seed: int) -> dict[str, int]:
    """Write raw_stripe from the contract billing tables, drop those; return row counts."""
    end = to_date(window.end_day)
    out = _Rows()
    plans = {
        r[0]: r for r in con.execute(
            "select plan_id, plan_name, tier, billing_period_months, pricing_model, is_addon from raw_billing.plans"
        ).fetchall()
    }
    for plan_id, name, tier, _, model, _ in plans.values():
        out.add("product", id=f"prod_{plan_id}", name=name, active=True,
                metadata=json.dumps({"tier": tier, "pricing_model": model}),
                _fivetran_deleted=False, _fivetran_synced=SYNCED)
    customers = con.execute(
        "select customer_id, account_id, customer_name, currency, created_at from raw_billing.customers"
    ).fetchall()
    for cid, account, name, currency, created in customers:
        out.add("customer", id=cid, name=name, currency=currency.lower(), created=created,
                metadata=json.dumps({"account_id": account}), is_deleted=False,
                _fivetran_deleted=False, _fivetran_synced=SYNCED)
    subs = {
        r[0]: r for r in con.execute(
            "select subscription_id, customer_id, status, created_at, canceled_at, cancel_reason "
            "from raw_billing.subscriptions"
        ).fetchall()
    }
    items = con.execute("""
        select subscription_id, plan_id, quantity, unit_amount, discount_pct, currency, valid_from, valid_to
        from raw_billing.subscription_items
        order by subscription_id, valid_from, item_id
    """).fetchall()
    prices: dict[str, tuple] = {}
    coupons: set[Decimal] = set()
    once_coupons: set[str] = set()
    by_sub: dict[str, list[tuple]] = defaultdict(list)
    for row in items:
        by_sub[row[0]].append(row)

    def price(plan_id: str, currency: str, unit: Decimal) -> str:
        pid = _price_id(plan_id, currency, unit)
        months = plans[plan_id][3]
        prices[pid] = (pid, f"prod_{plan_id}", currency, unit, "year" if months == 12 else "month",
                       1 if months == 12 else months)
        return pid

    line_no = 0

    def line(si: str, sub: str, pid: str, qty: int, amount: int, start: dt.date, stop: dt.date,
             proration: bool, currency: str) -> None:
        nonlocal line_no
        line_no += 1
        out.add("invoice_line_item", id=f"il_{line_no:09d}",
                invoice_id=f"in_{sub}_{start:%Y%m%d}", subscription_id=sub,
                subscription_item_id=si, price_id=pid, type="subscription", proration=proration,
                quantity=qty, amount=amount, currency=currency.lower(),
                period_start=_ts(start), period_end=_ts(stop),
                _fivetran_deleted=False, _fivetran_synced=SYNCED)

    for sub_id, phases in by_sub.items():
        _, customer_id, status, created, canceled_at, reason = subs[sub_id]
        chains: dict[str, list[tuple]] = defaultdict(list)
        addon_no, last_addon_end = 0, None
        for ph in phases:
            if plans[ph[1]][5]:
                if last_addon_end is None or ph[6] != last_addon_end:
                    addon_no += 1
                chains[f"si_{sub_id[4:]}_a{addon_no}"].append(ph)
                last_addon_end = ph[7]
            else:
                chains[f"si_{sub_id[4:]}_m"].append(ph)
        trial: tuple[dt.date, dt.date] | None = None
        sub_end: dt.date | None = None
        at_period_end = False
        current_period: tuple[dt.date, dt.date] | None = None
        for si, chain in chains.items():
            prev = None  # (price_id, qty, unit, currency, months, cycle_end, valid_to, is_trial)
            discount_run: list = []  # [pct, start, end]
            for k, (_, plan_id, qty, unit, disc, currency, vf, vt) in enumerate(chain):
                months = plans[plan_id][3]
                stop = vt or end
                is_trial = unit == 0
                if is_trial:
                    nxt = chain[k + 1] if k + 1 < len(chain) else None
                    list_unit = nxt[3] if nxt and nxt[1] == plan_id and nxt[6] == vt else Decimal(0)
                    pid = price(plan_id, currency, list_unit)
                    trial = (vf, stop)
                else:
                    pid = price(plan_id, currency, unit)
                full = minor_units(Decimal(qty) * unit, currency)
                contiguous = prev is not None and prev[6] == vf
                if contiguous and not prev[7] and (prev[0], prev[1]) == (pid, qty):
                    # only the discount changed: Stripe does not prorate coupons, the cycle runs on
                    anchor, first_k = prev[5], 0
                elif contiguous and not prev[7] and not is_trial and prev[4] == months and vf < prev[5]:
                    # a change inside the running cycle: credit old, charge new, to the cycle end
                    cycle_end = prev[5]
                    share = Decimal((cycle_end - vf).days) / Decimal((cycle_end - _add_months(cycle_end, -months)).days)
                    old_full = minor_units(Decimal(prev[1]) * prev[2], currency)
                    line(si, sub_id, prev[0], prev[1], -max(1, round(old_full * share)), vf, cycle_end, True, currency)
                    line(si, sub_id, pid, qty, round(full * share), vf, cycle_end, True, currency)
                    anchor, first_k = cycle_end, 0
                elif contiguous and not prev[7] and prev[4] == months and vf == prev[5]:
                    anchor, first_k = vf, 0  # change on the renewal day: the new state renews
                else:
                    if contiguous and not prev[7] and vf < prev[5]:
                        # interval change: credit the old cycle's rest, start a new cycle
                        line(si, sub_id, prev[0], prev[1], -1, vf, prev[5], True, currency)
                    anchor, first_k = vf, 0
                cycle_end = anchor
                if is_trial:
                    line(si, sub_id, pid, qty, 0, vf, stop, False, currency)
                    cycle_end = stop
                else:
                    n = first_k
                    while True:
                        start = _add_months(anchor, n * months)
                        if start >= stop:
                            break
                        cycle_end = _add_months(anchor, (n + 1) * months)
                        line(si, sub_id, pid, qty, full, start, cycle_end, False, currency)
                        n += 1
                    if anchor >= stop:
                        cycle_end = anchor
                nxt = chain[k + 1] if k + 1 < len(chain) else None
                if vt is not None and (nxt is None or nxt[6] != vt) and not is_trial and vt < cycle_end:
                    # a stop inside the cycle (pause, cancellation, add-on removed): credit only
                    cycle_days = (cycle_end - _add_months(cycle_end, -months)).days
                    unused = round(full * Decimal((cycle_end - vt).days) / Decimal(cycle_days))
                    line(si, sub_id, pid, qty, -max(1, unused), vt, cycle_end, True, currency)
                if vt is not None and nxt is None and si.endswith("_m"):
                    at_period_end = vt == cycle_end
                if si.endswith("_m") and vt is None:
                    current_period = (_add_months(cycle_end, -months), cycle_end)
                prev = (pid, qty, unit, currency, months, cycle_end, vt, is_trial)
                # discounts: runs of equal discount_pct over contiguous phases
                if disc > 0 and discount_run and discount_run[0] == disc and discount_run[2] == vf:
                    discount_run[2] = vt
                else:
                    if discount_run and discount_run[0] > 0:
                        _discount(out, coupons, si, sub_id, customer_id, *discount_run)
                    discount_run = [disc, vf, vt] if disc > 0 else []
            if discount_run and discount_run[0] > 0:
                _discount(out, coupons, si, sub_id, customer_id, *discount_run)
            last = chain[-1]
            live = last[7] is None and status != "canceled"
            if live or status == "paused" or not si.endswith("_m"):
                out.add("subscription_item", id=si, subscription_id=sub_id,
                        price_id=_price_id(last[1], last[5], last[3]) if last[3] > 0 else prev[0],
                        quantity=last[2], created=_ts(chain[0][6]),
                        # a removed add-on stays as a soft-deleted row
                        _fivetran_deleted=not live and status != "paused",
                        _fivetran_synced=SYNCED)
        if status == "canceled":
            sub_end = max(ph[7] for ph in phases if ph[7] is not None)
        if _hash(sub_id, seed) % 10 == 0:
            # a one-off welcome credit: billed once, not recurring revenue
            currency = phases[0][5]
            coupon_id = f"once_{currency.lower()}_50"
            if coupon_id not in once_coupons:
                once_coupons.add(coupon_id)
                out.add("coupon", id=coupon_id, name="Welcome credit", percent_off=None,
                        amount_off=minor_units(50, currency), currency=currency.lower(), duration="once",
                        duration_in_months=None, created=created, _fivetran_deleted=False,
                        _fivetran_synced=SYNCED)
            out.add("discount", id=f"di_once_{sub_id}", type="subscription", type_id=sub_id,
                    coupon_id=coupon_id, customer_id=customer_id, subscription_id=sub_id,
                    start=created, end=None, _fivetran_deleted=False, _fivetran_synced=SYNCED)
        stripe_status = {"trialing": "trialing", "active": "active", "paused": "paused", "canceled": "canceled"}[status]
        common = dict(id=sub_id, customer_id=customer_id, created=created, start_date=created,
                      trial_start=_ts(trial[0]) if trial else None, trial_end=_ts(trial[1]) if trial else None,
                      metadata=json.dumps({"cancel_reason": reason}) if reason else "{}",
                      _fivetran_synced=SYNCED)
        if status == "canceled" or status == "paused":
            # the version before the stop, superseded (Fivetran keeps it inactive)
            out.add("subscription_history", **common, status="active", current_period_start=None,
                    current_period_end=None, cancel_at=None, cancel_at_period_end=False, canceled_at=None,
                    ended_at=None, _fivetran_active=False, _fivetran_start=created,
                    _fivetran_end=canceled_at or created)
        out.add("subscription_history", **common, status=stripe_status,
                current_period_start=_ts(current_period[0]) if current_period else None,
                current_period_end=_ts(current_period[1]) if current_period else None,
                cancel_at=None, cancel_at_period_end=status == "canceled" and at_period_end,
                canceled_at=canceled_at, ended_at=_ts(sub_end),
                _fivetran_active=True, _fivetran_start=canceled_at or created, _fivetran_end=None)

    for pid, product, currency, unit, interval, count in prices.values():
        out.add("price", id=pid, product_id=product, nickname=None, currency=currency.lower(),
                unit_amount=minor_units(unit, currency), type="recurring", recurring_interval=interval,
                recurring_interval_count=count, active=True, created=None,
                _fivetran_deleted=False, _fivetran_synced=SYNCED)
    for pct in sorted(coupons):
        out.add("coupon", id=f"pct_{pct}", name=f"{pct}% off", percent_off=pct, amount_off=None,
                currency=None, duration="forever", duration_in_months=None, created=None,
                _fivetran_deleted=False, _fivetran_synced=SYNCED)
    invoices = con.execute("""
        select invoice_id, customer_id, status, currency, amount_due, issued_at, due_at, paid_at
        from raw_billing.invoices
    """).fetchall()
    for iid, cid, status, currency, amount, issued, due, paid in invoices:
        out.add("invoice", id=iid, customer_id=cid, subscription_id=None, status=status,
                currency=currency.lower(), amount_due=minor_units(amount, currency), created=issued,
                due_date=due, status_transitions_paid_at=paid, _fivetran_deleted=False, _fivetran_synced=SYNCED)

    create_stripe_schema(con)
    counts = {}
    for table, cols in STRIPE_TABLES["raw_stripe"].items():
        rows = out.tables.get(table, [])
        names = [name.strip('"') for name, _ in cols]
        group = f"({', '.join('?' for _ in names)})"
        # multi-row inserts: executemany runs one statement per row, far slower
        for first in range(0, len(rows), 500):
            chunk = rows[first:first + 500]
            con.execute(
                f"insert into raw_stripe.{table} values {', '.join(group for _ in chunk)}",
                [row.get(name) for row in chunk for name in names],
            )
        counts[f"raw_stripe.{table}"] = len(rows)
    for table in CONTRACT_BILLING_TABLES:
        con.execute(f"drop table raw_billing.{table}")
    return counts


def _discount(out: _Rows, coupons: set, si: str, sub: str, customer: str,
              pct: Decimal, start: dt.date, stop: dt.date | None) -> None:
    coupons.add(pct)
    out.add("discount", id=f"di_{si}_{start:%Y%m%d}", type="subscription_item", type_id=si,
            coupon_id=f"pct_{pct}", customer_id=customer, subscription_id=sub,
            start=_ts(start), end=_ts(stop), _fivetran_deleted=False, _fivetran_synced=SYNCED)
