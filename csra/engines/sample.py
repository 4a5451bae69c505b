"""The raw company of the cross-engine equality test, made by the generator.

`raw_dataset()` writes a small generated company (`python -m csra.generate`)
to a DuckDB file: several currencies (JPY among them), quarterly and annual
billing, upgrades, downgrades, churn and reactivation, late and duplicate
event deliveries, and the same billing in Fivetran's Stripe shape beside the
contract tables.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from csra.raw_schema import stripe_tables

AS_OF_DATE = "2025-03-31"
START = dt.date(2024, 1, 1)
MONTHS = 15  # Jan 2024 .. Mar 2025


def raw_dataset(path: str | Path, *, accounts: int = 200, seed: int = 7, with_stripe: bool = True) -> str:
    """Write the equality test's raw dataset to ``path``; return which source made it.

    ``accounts`` generated accounts over 15 months (Jan 2024 .. Mar 2025),
    billed in JPY among the other currencies.
    ``with_stripe`` adds the same company's billing as Fivetran's Stripe
    tables (schema raw_stripe) beside the contract tables, so one load gives
    each engine both shapes: `dbt build` reads the contract tables, and with
    `billing_source: stripe` the Stripe ones.
    """
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
