"""Generate a synthetic B2B SaaS company into the raw source tables.

    python -m csra.generate --database data/sample.duckdb --accounts 1000 --seed 42

Writes every table of the raw contract (shared/spec/raw_sources.md) into the
raw_billing, raw_crm, raw_survey and raw_product schemas of a DuckDB file,
replacing existing raw tables and leaving anything else in the file alone.
The same seed, size and window always produce the same data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence

import duckdb
import numpy as np

from csra.email_key import install_sample_key_if_missing
from csra.generator.accounts import draw_accounts
from csra.generator.billing import simulate_billing
from csra.generator.calendar import Window, default_start_month, parse_month
from csra.generator.config import DEFAULT_CONFIG, GeneratorConfig
from csra.generator.crm import build_crm
from csra.generator.product import (
    account_width_for,
    event_plan,
    event_width_for,
    insert_events,
    insert_first_value_events,
)
from csra.generator.shapes import SHAPES, apply_shape
from csra.generator.stripe import with_jpy, write_stripe_billing
from csra.generator.survey import build_responses
from csra.generator.tables import (
    Ids,
    names_for,
    write_accounts,
    write_activities,
    write_cases,
    write_contracts,
    write_customers,
    write_features,
    write_fx_rates,
    write_invoices,
    write_items,
    write_milestones,
    write_opportunities,
    write_plans,
    write_responses,
    write_subscriptions,
    write_users,
)
from csra.generator.timeline import build_timeline
from csra.raw_schema import all_tables, create_raw_schemas

# Independent random streams per stage: changing one stage never shifts another.
STREAMS = ("accounts", "billing", "crm", "survey", "product", "fx")


class Progress:
    """Stage names, counts and elapsed seconds on stderr (silent when disabled)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.perf_counter()

    def __call__(self, message: str) -> None:
        if self.enabled:
            elapsed = time.perf_counter() - self.started
            print(f"[{elapsed:7.1f}s] {message}", file=sys.stderr, flush=True)


def _streams(seed: int) -> dict[str, np.random.Generator]:
    return {
        name: np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, i])))
        for i, name in enumerate(STREAMS)
    }


def resolve_window(start_month: str | None, months: int, today: dt.date | None = None) -> Window:
    """The generation window: `months` months from start_month, or ending in today's month."""
    if months < 1:
        raise ValueError("months must be at least 1")
    if start_month is not None:
        return Window(start=parse_month(start_month), months=months)
    return Window(start=default_start_month(months, today or dt.date.today()), months=months)


def generate(
    database: str,
    accounts: int = 1000,
    seed: int = 42,
    start_month: str | None = None,
    months: int = 36,
    progress: bool = True,
    *,
    today: dt.date | None = None,
    config: GeneratorConfig = DEFAULT_CONFIG,
    billing_format: str = "contract",
    with_jpy_billing: bool = False,
) -> dict[str, int]:
    """Write a synthetic company into `database`; return row counts per "schema.table".

    `start_month` ('YYYY-MM') defaults to the month that makes the window end
    in the month of `today` (default: the current date; pass it for
    reproducible runs). `billing_format="stripe"` writes the billing as
    Fivetran's Stripe tables (raw_stripe) instead of the five contract billing
    tables (fx_rates stays); it bills some APAC accounts in JPY, as does
    `with_jpy_billing` for the same company in contract shape.
    """
    if billing_format not in ("contract", "stripe"):
        raise ValueError("billing_format must be 'contract' or 'stripe'")
    if billing_format == "stripe" or with_jpy_billing:
        config = with_jpy(config)
    if accounts < 1:
        raise ValueError("accounts must be at least 1")
    if seed < 0:
        raise ValueError("seed must be 0 or more")
    window = resolve_window(start_month, months, today)
    log = Progress(progress)
    rng = _streams(seed)
    log(f"window {window.start:%Y-%m} + {months} months, {accounts:,} accounts, seed {seed}")

    acc = draw_accounts(config, accounts, window, rng["accounts"])
    billing = simulate_billing(config, acc, window, rng["billing"])
    log(f"billing simulated: {len(billing.items['sub']):,} price phases")
    timeline = build_timeline(config, acc, billing, window)
    crm = build_crm(config, acc, billing, timeline, window, rng["crm"])
    responses = build_responses(config, acc, timeline, crm, window, rng["survey"])
    plan = event_plan(config, acc, billing, timeline, window, rng["product"])
    log(f"crm, survey and event plan built; {int(plan['n'].sum()):,} events planned")

    ids = Ids(acc, billing, crm)
    names, domains = names_for(acc)
    counts: dict[str, int] = {}
    con = duckdb.connect(database)
    try:
        con.execute("set enable_progress_bar = false")  # progress is ours, on stderr
        create_raw_schemas(con)
        # synthetic addresses: the public sample key (kept if a key is installed)
        install_sample_key_if_missing(con)
        writers: list[tuple[str, Callable[[], int]]] = [
            ("raw_billing.plans", lambda: write_plans(con, config)),
            ("raw_billing.fx_rates", lambda: write_fx_rates(con, config, window, rng["fx"])),
            ("raw_billing.customers", lambda: write_customers(con, config, billing, names, ids)),
            ("raw_billing.subscriptions", lambda: write_subscriptions(con, config, billing, ids)),
            ("raw_billing.subscription_items", lambda: write_items(con, config, billing, ids)),
            ("raw_crm.users", lambda: write_users(con, crm, ids)),
            ("raw_crm.accounts", lambda: write_accounts(con, acc, crm, names, ids)),
            # invoices are derived in SQL from items, plans and accounts written above
            ("raw_billing.invoices", lambda: write_invoices(con, config, window, seed)),
            ("raw_crm.contracts", lambda: write_contracts(con, config, crm, ids)),
            ("raw_crm.opportunities", lambda: write_opportunities(con, config, crm, ids)),
            ("raw_crm.onboarding_milestones", lambda: write_milestones(con, crm, ids)),
            ("raw_crm.cases", lambda: write_cases(con, crm, ids)),
            ("raw_crm.activities", lambda: write_activities(con, crm, ids)),
            ("raw_survey.responses", lambda: write_responses(con, responses, domains, ids)),
            ("raw_product.features", lambda: write_features(con, config)),
        ]
        for table, write in writers:
            counts[table] = write()
            log(f"{table}: {counts[table]:,} rows")
        if billing_format == "stripe":
            for key in ("customers", "plans", "subscriptions", "subscription_items", "invoices"):
                counts.pop(f"raw_billing.{key}")
            stripe_counts = write_stripe_billing(con, window, seed)
            counts.update(stripe_counts)
            log(f"raw_stripe: {sum(stripe_counts.values()):,} rows in {len(stripe_counts)} tables")
        width = account_width_for(accounts)
        planned = int(plan["n"].sum())
        event_width = event_width_for(planned + accounts)
        regular = insert_events(con, config, plan, seed, width, event_width, progress=log)
        log(f"raw_product.events: {regular:,} rows (incl. duplicate deliveries)")
        counts["raw_product.events"] = insert_first_value_events(
            con, config, billing, timeline, window, planned, width, event_width, rng["product"]
        )
        con.execute("checkpoint")
        for schema, table in all_tables():
            key = f"{schema}.{table}"
            if billing_format == "stripe" and schema == "raw_billing" and table != "fx_rates":
                continue
            if key not in counts:
                counts[key] = int(con.execute(f"select count(*) from {key}").fetchone()[0])
    finally:
        con.close()
    log("done")
    return counts


def _month(text: str) -> str:
    try:
        parse_month(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return text


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from exc


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m csra.generate",
        description=(
            "Generate a synthetic B2B SaaS company (billing, CRM, surveys, product usage) "
            "into the raw_* schemas of a DuckDB file, exactly in the shape of the raw source "
            "contract. Existing raw tables are replaced; other schemas are left alone. "
            "Same arguments -> identical data."
        ),
    )
    parser.add_argument("--database", required=True, metavar="PATH",
                        help="DuckDB file to write (created if missing), e.g. data/sample.duckdb")
    parser.add_argument("--accounts", type=_positive_int, default=1000, metavar="N",
                        help="number of CRM accounts (customer companies) to generate; about "
                             "1,000 product events are generated per account (default: 1000)")
    parser.add_argument("--seed", type=_non_negative_int, default=42, metavar="S",
                        help="random seed; the same seed and arguments give identical data (default: 42)")
    parser.add_argument("--start-month", type=_month, metavar="YYYY-MM", default=None,
                        help="first month of the generated window (default: the month that makes "
                             "the window end in the current month; pass it for reproducible runs)")
    parser.add_argument("--months", type=_positive_int, default=36, metavar="M",
                        help="length of the window in months; the company launches in its first "
                             "month and nothing happens after its last (only dates that are plans by "
                             "nature, such as contract end dates or invoice due dates, lie beyond) "
                             "(default: 36)")
    parser.add_argument("--today", type=_day, metavar="YYYY-MM-DD", default=None,
                        help="date used instead of the system date to place the default window "
                             "(ignored when --start-month is given)")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="full",
                        help="the systems the company runs: "
                             + "; ".join(f"{name}: {shape.description}" for name, shape in SHAPES.items())
                             + " (default: full)")
    parser.add_argument("--billing-format", choices=("contract", "stripe"), default="contract",
                        help="contract: the raw_billing tables of the contract (default); stripe: the same "
                             "company's billing as Fivetran's Stripe tables in raw_stripe (build with "
                             "--vars '{billing_source: stripe}'); bills some APAC accounts in JPY")
    parser.add_argument("--with-jpy", action="store_true",
                        help="bill some APAC accounts in JPY (implied by --billing-format stripe); with "
                             "--billing-format contract this is the same company as the Stripe one")
    parser.add_argument("--quiet", action="store_true",
                        help="do not print progress (stage, counts, elapsed seconds) to stderr")
    return parser


def _count(database: str, table: str) -> int:
    con = duckdb.connect(database, read_only=True)
    try:
        return int(con.execute(f"select count(*) from {table}").fetchone()[0])
    finally:
        con.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    counts = generate(
        database=args.database,
        accounts=args.accounts,
        seed=args.seed,
        start_month=args.start_month,
        months=args.months,
        progress=not args.quiet,
        today=args.today,
        billing_format=args.billing_format,
        with_jpy_billing=args.with_jpy,
    )
    if args.shape != "full":
        apply_shape(args.database, args.shape)
        counts = {key: _count(args.database, key) for key in counts}
    if not args.quiet:
        width = max(len(k) for k in counts)
        for key, value in counts.items():
            print(f"{key:<{width}}  {value:>12,}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
