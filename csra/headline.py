"""Print the headline numbers of a built warehouse.

    python -m csra.headline --database warehouse.duckdb

Latest complete month's MRR and ARR, T12M NRR and GRR, and that month's
logo churn, read from the published marts (each definition is in
models/_docs/revenue.md).
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal

import duckdb

HEADLINE_SQL = """
select
    retention.month_start,
    retention.ending_mrr,
    retention.ending_arr,
    retention.nrr_t12m,
    retention.grr_t12m,
    retention.nrr_monthly,
    retention.grr_monthly,
    churn.accounts_start,
    churn.accounts_churned,
    churn.logo_churn_rate
from marts.mart_revenue_retention as retention
inner join marts.mart_churn as churn
    on retention.month_start = churn.month_start and retention.segment = churn.segment
where retention.segment = ?
order by retention.month_start desc
limit 1
"""


def _pct(value: float | None) -> str:
    return "n/a (empty denominator)" if value is None else f"{value * 100:.1f} %"


def _usd(value: Decimal) -> str:
    return f"${value:,.2f}"


def headline(database: str, segment: str = "all") -> str:
    """Return the headline block for one segment as text."""
    con = duckdb.connect(database, read_only=True)
    try:
        row = con.execute(HEADLINE_SQL, [segment]).fetchone()
    finally:
        con.close()
    if row is None:
        return "No complete month with MRR yet: nothing to report."
    (month, mrr, arr, nrr_t12m, grr_t12m, nrr_m, grr_m, start, churned, logo_churn) = row
    return "\n".join(
        [
            f"Headline numbers, segment '{segment}', month {month:%Y-%m} (latest complete month)",
            f"  MRR                      {_usd(mrr)}",
            f"  ARR                      {_usd(arr)}",
            f"  NRR, trailing 12 months  {_pct(nrr_t12m)}",
            f"  GRR, trailing 12 months  {_pct(grr_t12m)}",
            f"  NRR / GRR, this month    {_pct(nrr_m)} / {_pct(grr_m)}",
            f"  Logo churn, this month   {_pct(logo_churn)} ({churned} of {start} paying accounts)",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database",
        default="warehouse.duckdb",
        help="DuckDB file built by dbt (default: %(default)s)",
    )
    parser.add_argument(
        "--segment",
        default="all",
        choices=["all", "smb", "mid_market", "enterprise"],
        help="segment to report (default: the whole company)",
    )
    args = parser.parse_args(argv)
    print(headline(args.database, args.segment))
    return 0


if __name__ == "__main__":
    sys.exit(main())
