"""Print the headline numbers of a built warehouse.

    python -m csra.headline --database warehouse.duckdb    (or: csra headline)

For the latest complete month, against the month before and the same month
a year earlier, per segment and for the company: MRR and ARR, T12M NRR and
GRR, and logo churn; then the renewals due that month, the accounts in the
red health band in the latest week, and CSAT / NPS. Read from the published
marts (definitions in models/_docs/). DuckDB warehouses only (the file dbt
built); the report (`csra report`) reads any dbt target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import duckdb

SEGMENTS = ("all", "smb", "mid_market", "enterprise")
SEGMENT_LABELS = {"all": "company", "smb": "SMB", "mid_market": "mid-market", "enterprise": "enterprise"}

RETENTION_SQL = """
select
    retention.month_start,
    retention.segment,
    retention.ending_mrr,
    retention.ending_arr,
    retention.nrr_t12m,
    retention.grr_t12m,
    churn.accounts_start,
    churn.accounts_churned,
    churn.logo_churn_rate
from marts.mart_revenue_retention as retention
inner join marts.mart_churn as churn
    on retention.month_start = churn.month_start and retention.segment = churn.segment
where retention.month_start in (?, ?, ?)
"""

RENEWALS_SQL = """
select segment, contracts_up, contracts_renewed, contracts_not_renewed, contracts_pending, arr_up,
       logo_renewal_rate
from marts.mart_renewals
where month_start = ?
"""

RED_SQL = """
select
    week_start,
    count(*) as scored,
    count(case when health_band = 'red' then 1 end) as red,
    sum(case when health_band = 'red' then mrr_usd else 0 end) as red_mrr
from marts.fct_account_health
where week_start = (select max(week_start) from marts.fct_account_health)
group by week_start
"""

# every score is a mean over responses, so score x responses adds up over touchpoints
EXPERIENCE_SQL = """
select
    month_start,
    survey_type,
    sum(score * responses) / nullif(sum(responses), 0) as score,
    sum(responses) as responses
from marts.mart_experience
where segment = 'all' and arr_band = 'all' and survey_type in ('csat', 'nps') and month_start in (?, ?, ?)
group by month_start, survey_type
"""


class HeadlineError(Exception):
    """A problem the user can fix; printed as one line."""


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f} %"


def _usd(value: Decimal | float | None) -> str:
    return "n/a" if value is None else f"${value:,.0f}"


def _month_back(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def _connect(database: str) -> duckdb.DuckDBPyConnection:
    path = Path(database)
    if not path.exists():
        raise HeadlineError(
            f"no such warehouse file: {path} (generate and build one first: "
            "csra generate --database FILE, then csra build --database FILE)"
        )
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise HeadlineError(f"cannot open {path} as a DuckDB file: {str(error).splitlines()[0]}") from error
    built = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'marts' "
        "and table_name in ('mart_revenue_retention', 'mart_churn', 'mart_renewals', 'mart_experience', "
        "'fct_account_health')"
    ).fetchone()[0]
    if built < 5:
        con.close()
        raise HeadlineError(
            f"{path} has no built marts (raw data only?): run `csra build --database {path}` first"
        )
    return con


def headline(database: str, segment: str | None = None) -> str:
    """Return the headline block as text (every segment, or just one)."""
    con = _connect(database)
    try:
        latest = con.execute("select max(month_start) from marts.mart_revenue_retention").fetchone()[0]
        if latest is None:
            return "No complete month with MRR yet: nothing to report."
        months = (latest, _month_back(latest, 1), _month_back(latest, 12))
        retention = {
            (row[0], row[1]): row for row in con.execute(RETENTION_SQL, list(months)).fetchall()
        }
        renewals = {row[0]: row for row in con.execute(RENEWALS_SQL, [latest]).fetchall()}
        red = con.execute(RED_SQL).fetchone()
        experience = {(row[0], row[1]): row for row in con.execute(EXPERIENCE_SQL, list(months)).fetchall()}
    finally:
        con.close()

    head = f"{'':26}" + "".join(f"{month.strftime('%Y-%m'):>14}" for month in months)
    lines = [
        f"Headline numbers: {months[0]:%Y-%m} (latest complete month) against last month and last year",
        "",
    ]
    for seg in [segment] if segment else SEGMENTS:
        rows = [retention.get((month, seg)) for month in months]
        lines += [f"{SEGMENT_LABELS[seg]:<26}" + head[26:]]

        def line(label: str, render, rows=rows) -> str:
            return f"  {label:<24}" + "".join(f"{render(row) if row else 'n/a':>14}" for row in rows)

        lines += [
            line("MRR", lambda r: _usd(r[2])),
            line("ARR", lambda r: _usd(r[3])),
            line("NRR, trailing 12 months", lambda r: _pct(r[4])),
            line("GRR, trailing 12 months", lambda r: _pct(r[5])),
            line("Logo churn (month)", lambda r: _pct(r[8])),
            line("  churned / paying", lambda r: f"{r[7]} / {r[6]}"),
        ]
    lines.append("")
    company = renewals.get("all")
    if company:
        _, up, renewed, not_renewed, pending, arr_up, rate = company
        lines.append(
            f"Renewals due {months[0]:%Y-%m} (company): {up} contracts ({_usd(arr_up)} ARR): {renewed} renewed, "
            f"{not_renewed} not renewed, {pending} still pending; logo renewal rate {_pct(rate)}"
        )
    if red:
        week, scored, red_accounts, red_mrr = red
        lines.append(
            f"Red accounts (company), week of {week}: {red_accounts} of {scored} scored accounts "
            f"({_pct(red_accounts / scored if scored else None)}), {_usd(red_mrr)} MRR at risk"
        )
    for survey, label, render in (("csat", "CSAT", _pct), ("nps", "NPS", lambda v: f"{v:+.0f}")):
        cells = []
        for month in months:
            row = experience.get((month, survey))
            cells.append(f"{month:%Y-%m} {render(row[2]) if row and row[2] is not None else 'n/a'}"
                         + (f" (n={row[3]})" if row else ""))
        lines.append(f"{label} (company): " + ", ".join(cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="csra headline", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database",
        default="warehouse.duckdb",
        help="DuckDB file built by dbt (default: %(default)s)",
    )
    parser.add_argument(
        "--segment",
        default=None,
        choices=list(SEGMENTS),
        help="only this segment ('all' is the company; default: the company and every segment)",
    )
    args = parser.parse_args(argv)
    try:
        print(headline(args.database, args.segment))
    except HeadlineError as error:
        print(f"csra headline: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
