"""A small, deterministic raw company for the cross-engine equality test.

Used until the project's generator (`python -m csra.generate`) is on the
branch; `raw_dataset()` then prefers the generator. The rows are made to
reach the places where engines differ: several currencies with 8-decimal FX
rates, discounts that leave fractions of a cent (rounding ties), quarterly
and annual billing, upgrades, downgrades, churn and reactivation, renewals
inside and outside the 30-day window, late and duplicate event deliveries,
timestamps on month edges, surveys of every type and cases of every
priority.
"""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from csra.raw_schema import load_raw_dataset, stripe_tables

AS_OF_DATE = "2025-03-31"
START = dt.date(2024, 1, 1)
MONTHS = 15  # Jan 2024 .. Mar 2025
SEGMENTS = ("smb", "mid_market", "enterprise")
CURRENCIES = ("USD", "EUR", "GBP")


def _month(offset: int) -> dt.date:
    year = START.year + (START.month - 1 + offset) // 12
    month = (START.month - 1 + offset) % 12 + 1
    return dt.date(year, month, 1)


def _ts(day: dt.date, seconds: int) -> str:
    return (dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)).isoformat(sep=" ")


def sample_raw_rows(accounts: int = 24, seed: int = 7) -> dict[str, list[dict[str, object]]]:
    """Raw rows keyed "schema.table", as csra.raw_schema.load_raw_dataset takes them."""
    rng = random.Random(seed)
    rows: dict[str, list[dict[str, object]]] = {}

    def add(table: str, row: dict[str, object]) -> None:
        rows.setdefault(table, []).append(row)

    # users: CSMs and AEs
    for i in range(4):
        add("raw_crm.users", {"user_id": f"u_csm{i}", "full_name": f"CSM {i}", "role": "csm",
                              "team": "cs", "is_active": i != 3})
        add("raw_crm.users", {"user_id": f"u_ae{i}", "full_name": f"AE {i}", "role": "ae",
                              "team": "sales", "is_active": True})

    # price book: monthly, quarterly and annual, per-seat and flat, one add-on
    plans = [
        ("p_starter_m", "starter", 1, "per_seat", False, "29.00"),
        ("p_growth_m", "growth", 1, "per_seat", False, "49.99"),
        ("p_growth_q", "growth", 3, "per_seat", False, "139.97"),
        ("p_ent_y", "enterprise", 12, "flat", False, "24999.99"),
        ("p_addon_m", "addon", 1, "flat", True, "99.95"),
    ]
    for plan_id, tier, period, model, addon, _ in plans:
        add("raw_billing.plans", {"plan_id": plan_id, "plan_name": plan_id.replace("_", " "), "tier": tier,
                                  "billing_period_months": period, "pricing_model": model, "is_addon": addon})

    # daily FX with 8 decimals over the whole window
    day = START - dt.timedelta(days=40)
    while day <= dt.date(2025, 4, 30):
        drift = Decimal(rng.randint(-900, 900)) / Decimal(10**6)
        add("raw_billing.fx_rates", {"rate_date": day.isoformat(), "currency": "EUR",
                                     "usd_per_unit": str(Decimal("1.08713377") + drift)})
        add("raw_billing.fx_rates", {"rate_date": day.isoformat(), "currency": "GBP",
                                     "usd_per_unit": str(Decimal("1.26544411") + drift)})
        day += dt.timedelta(days=1)

    features = [("f_core", "Core workflow", "starter", True), ("f_reports", "Reports", "growth", False),
                ("f_api", "API", "enterprise", False), ("f_sso", "SSO", "enterprise", True)]
    for key, name, tier, core in features:
        add("raw_product.features", {"feature_key": key, "feature_name": name, "min_tier": tier,
                                     "is_core_workflow": core})

    event_seq = 0
    for n in range(accounts):
        account_id = f"a{n:03d}"
        segment = SEGMENTS[n % 3]
        currency = CURRENCIES[n % 3] if n % 4 else "USD"
        start_offset = rng.randint(0, 6)
        start_day = _month(start_offset) + dt.timedelta(days=rng.randint(0, 27))
        add("raw_crm.accounts", {
            "account_id": account_id, "account_name": f"Account {n}", "segment": segment,
            "industry": rng.choice(["software", "retail", "finance"]),
            "region": rng.choice(["na", "emea", "apac", "latam"]),
            "csm_user_id": f"u_csm{n % 4}" if n % 5 else None, "ae_user_id": f"u_ae{n % 4}",
            "created_at": _ts(start_day - dt.timedelta(days=20), 3600 * 9),
            "updated_at": _ts(start_day, 3600 * 9),
        })
        customer_id = f"c{n:03d}"
        add("raw_billing.customers", {"customer_id": customer_id, "account_id": account_id,
                                      "customer_name": f"Account {n} billing", "currency": currency.lower(),
                                      "created_at": _ts(start_day, 0)})
        subscription_id = f"s{n:03d}"
        plan = plans[n % 4]
        churn_offset = start_offset + rng.randint(5, 14) if n % 6 == 0 else None
        add("raw_billing.subscriptions", {
            "subscription_id": subscription_id, "customer_id": customer_id,
            "status": "canceled" if churn_offset is not None else "active",
            "created_at": _ts(start_day, 60),
            "canceled_at": _ts(_month(churn_offset), 0) if churn_offset is not None else None,
            "cancel_reason": " budget " if churn_offset is not None else None,
        })
        # price phases: seat changes and discounts that leave fractions of a cent
        phase_start = start_day
        quantity = rng.randint(3, 40) if plan[3] == "per_seat" else 1
        item_no = 0
        end_limit = _month(churn_offset) if churn_offset is not None else None
        while True:
            phase_end = phase_start + dt.timedelta(days=rng.randint(40, 200))
            if end_limit is not None and phase_end >= end_limit:
                phase_end = end_limit
            is_last = (end_limit is not None and phase_end == end_limit) or phase_end > dt.date(2025, 3, 31)
            add("raw_billing.subscription_items", {
                "item_id": f"i{n:03d}_{item_no}", "subscription_id": subscription_id, "plan_id": plan[0],
                "quantity": quantity, "unit_amount": plan[5],
                "discount_pct": rng.choice(["0.00", "12.50", "15.00", "33.33", "7.25"]),
                "currency": currency, "valid_from": phase_start.isoformat(),
                "valid_to": None if is_last and end_limit is None else phase_end.isoformat(),
            })
            item_no += 1
            if is_last:
                break
            phase_start = phase_end
            if plan[3] == "per_seat":
                quantity = max(1, quantity + rng.choice([-5, -2, 3, 8]))
        if n % 7 == 3:
            # add-on for a few months
            add("raw_billing.subscription_items", {
                "item_id": f"i{n:03d}_addon", "subscription_id": subscription_id, "plan_id": "p_addon_m",
                "quantity": 1, "unit_amount": "99.95", "discount_pct": "0.00", "currency": currency,
                "valid_from": _month(start_offset + 2).isoformat(), "valid_to": _month(start_offset + 6).isoformat(),
            })
        if churn_offset is not None and n % 12 == 0 and churn_offset + 2 < MONTHS:
            # reactivation two months after churning
            add("raw_billing.subscription_items", {
                "item_id": f"i{n:03d}_back", "subscription_id": subscription_id, "plan_id": plan[0],
                "quantity": quantity, "unit_amount": plan[5], "discount_pct": "5.00", "currency": currency,
                "valid_from": (_month(churn_offset + 2) + dt.timedelta(days=3)).isoformat(), "valid_to": None,
            })

        # invoices
        for m in range(start_offset, MONTHS):
            issued = _month(m) + dt.timedelta(days=1)
            status = rng.choice(["paid", "paid", "paid", "open", "void"])
            add("raw_billing.invoices", {
                "invoice_id": f"inv{n:03d}_{m}", "customer_id": customer_id, "issued_at": _ts(issued, 100),
                "due_at": _ts(issued + dt.timedelta(days=30), 100),
                "paid_at": _ts(issued + dt.timedelta(days=rng.randint(0, 45)), 5) if status == "paid" else None,
                "status": status, "amount_due": f"{rng.randint(100, 90000)}.{rng.randint(0, 99):02d}",
                "currency": currency,
            })

        # contracts: a first annual contract, renewals inside and outside 30 days
        end = dt.date(start_day.year + 1, start_day.month, 1)
        arr = f"{rng.randint(5_000, 300_000)}.{rng.randint(0, 99):02d}"
        add("raw_crm.contracts", {
            "contract_id": f"k{n:03d}_0", "account_id": account_id, "contract_type": "new",
            "signed_at": _ts(start_day - dt.timedelta(days=3), 3600 * 15), "start_date": start_day.isoformat(),
            "end_date": end.isoformat(), "arr_amount": arr, "currency": currency,
        })
        if n % 3 != 2 and end <= dt.date(2025, 3, 1):
            shift = rng.choice([-10, 0, 25, 45])
            add("raw_crm.contracts", {
                "contract_id": f"k{n:03d}_1", "account_id": account_id, "contract_type": "renewal",
                "signed_at": _ts(end - dt.timedelta(days=15), 3600 * 10),
                "start_date": (end + dt.timedelta(days=shift)).isoformat(),
                "end_date": (end + dt.timedelta(days=shift + 365)).isoformat(),
                "arr_amount": arr, "currency": currency,
            })

        # onboarding milestones
        for k, key in enumerate(("kickoff", "integration_live", "first_value", "onboarding_complete")):
            target = start_day + dt.timedelta(days=15 * (k + 1))
            done = None if (n % 5 == 4 and k >= 2) else _ts(target + dt.timedelta(days=rng.randint(-10, 40)), 7200)
            add("raw_crm.onboarding_milestones", {"account_id": account_id, "milestone_key": key,
                                                  "target_date": target.isoformat(), "completed_at": done})

        # opportunities: CS-sourced and others, won, lost and open
        for o in range(3):
            created = _month(start_offset + 2 + 3 * o) + dt.timedelta(days=rng.randint(0, 27))
            if created > dt.date(2025, 4, 15):
                continue
            stage = rng.choice(["qualified", "proposal", "closed_won", "closed_won", "closed_lost", "discovery"])
            closed = created + dt.timedelta(days=rng.randint(10, 80)) if stage.startswith("closed") else None
            add("raw_crm.opportunities", {
                "opportunity_id": f"o{n:03d}_{o}", "account_id": account_id, "opportunity_type": "expansion",
                "stage": stage, "amount_arr": f"{rng.randint(1_000, 60_000)}.{rng.randint(0, 99):02d}",
                "currency": currency, "created_at": _ts(created, 3600 * 11),
                "created_by_user_id": f"u_csm{n % 4}", "owner_user_id": f"u_ae{n % 4}",
                "origin": rng.choice(["cs", "cs", "sales", "marketing"]),
                "origin_signal": rng.choice(["seat_utilization", "feature_ceiling", "new_persona", "qbr", None]),
                "qualified_at": _ts(created + dt.timedelta(days=5), 0) if stage != "discovery" and o != 1 else None,
                "closed_at": _ts(closed, 3600 * 17) if closed else None,
            })

        # cases, activities and survey responses across the window
        for m in range(start_offset, MONTHS):
            base = _month(m)
            if rng.random() < 0.5:
                opened = _ts(base + dt.timedelta(days=rng.randint(0, 27)), rng.randint(0, 86_399))
                add("raw_crm.cases", {
                    "case_id": f"cs{n:03d}_{m}", "account_id": account_id, "opened_at": opened,
                    "first_response_at": _ts(base + dt.timedelta(days=28), 0) if m % 2 else None,
                    "resolved_at": _ts(base + dt.timedelta(days=29), 0) if m % 3 else None,
                    "priority": rng.choice(["low", "normal", "high", "urgent"]), "is_escalated": rng.random() < 0.2,
                })
            add("raw_crm.activities", {
                "activity_id": f"ac{n:03d}_{m}", "account_id": account_id, "user_id": f"u_csm{n % 4}",
                "activity_type": rng.choice(["qbr", "call", "email", "training", "exec_meeting"]),
                "occurred_at": _ts(base + dt.timedelta(days=rng.randint(0, 27)), rng.randint(0, 86_399)),
            })
            survey = rng.choice(["nps", "csat", "ces"])
            score = {"nps": rng.randint(0, 10), "csat": rng.randint(1, 5), "ces": rng.randint(1, 7)}[survey]
            add("raw_survey.responses", {
                "response_id": f"r{n:03d}_{m}", "account_id": account_id,
                "contact_email": f" User{n}@Example.com ", "survey_type": survey,
                "touchpoint": rng.choice(["relationship", "onboarding", "support", "qbr"]), "score": score,
                # the last second of the month: the month edge must not move
                "responded_at": _ts(_month(m + 1), -1) if m % 4 == 0 else _ts(base + dt.timedelta(days=9), 3600),
                "comment": rng.choice([None, "", "great", "slow, \"very\" slow"]),
            })

        # product events: a few users a day on some days, late and duplicate deliveries
        for m in range(start_offset, MONTHS):
            for d in range(0, 28, 3):
                day = _month(m) + dt.timedelta(days=d)
                for u in range(rng.randint(0, 4)):
                    event_seq += 1
                    occurred = _ts(day, rng.randint(0, 86_399))
                    late = rng.random() < 0.05
                    loaded = _ts(day + dt.timedelta(days=5 if late else 0), 86_399)
                    feature = rng.choice([None, "f_core", "f_reports", "f_api", "f_sso"])
                    event = {
                        "event_id": f"e{event_seq}", "account_id": account_id, "user_id": f"{account_id}_u{u}",
                        "event_name": rng.choice(["session_start", "feature_used", "workflow_completed"]),
                        "feature_key": feature, "occurred_at": occurred, "loaded_at": loaded,
                    }
                    add("raw_product.events", event)
                    if rng.random() < 0.03:
                        add("raw_product.events", {**event, "loaded_at": _ts(day + dt.timedelta(days=2), 0)})
    return rows


def generator_available() -> bool:
    """Whether the project's generator (csra.generate) is on this branch."""
    import importlib.util

    return importlib.util.find_spec("csra.generate") is not None


def raw_dataset(path: str | Path, *, accounts: int = 200, seed: int = 7, with_stripe: bool = True) -> str:
    """Write the equality test's raw dataset to ``path``; return which source made it.

    With the generator present: ``accounts`` generated accounts over 15
    months (Jan 2024 .. Mar 2025), billed in JPY among the other currencies.
    ``with_stripe`` adds the same company's billing as Fivetran's Stripe
    tables (schema raw_stripe) beside the contract tables, so one load gives
    each engine both shapes: `dbt build` reads the contract tables, and with
    `billing_source: stripe` the Stripe ones. Otherwise the hand-made sample
    above (contract shape only).
    """
    if generator_available():
        common = ["--accounts", str(accounts), "--seed", str(seed), "--start-month", START.strftime("%Y-%m"),
                  "--months", str(MONTHS), "--quiet"]
        subprocess.run([sys.executable, "-m", "csra.generate", "--database", str(path), "--with-jpy", *common],
                       check=True)
        if not with_stripe:
            return f"generator ({accounts} accounts, seed {seed}, {MONTHS} months)"
        stripe_path = Path(path).with_name("stripe_shape_of_" + Path(path).name)
        subprocess.run([sys.executable, "-m", "csra.generate", "--database", str(stripe_path),
                        "--billing-format", "stripe", *common], check=True)
        copy_stripe_tables(stripe_path, path)
        stripe_path.unlink()
        return f"generator ({accounts} accounts, seed {seed}, {MONTHS} months; contract and Stripe billing)"
    load_raw_dataset(str(path), sample_raw_rows(seed=seed))
    return "hand-made sample (csra.engines.sample)"


def copy_stripe_tables(source: str | Path, target: str | Path) -> None:
    """Copy the raw_stripe tables of one DuckDB file into another."""
    import duckdb

    con = duckdb.connect(str(target))
    try:
        con.execute(f"attach '{source}' as stripe_source (read_only)")
        con.execute("create schema if not exists raw_stripe")
        for schema, table in stripe_tables():
            con.execute(f"create or replace table {schema}.{table} as select * from stripe_source.{schema}.{table}")
        con.execute("detach stripe_source")
    finally:
        con.close()
