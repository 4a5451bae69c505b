"""int_account_months_users_counted run incrementally gives the rows of a full refresh.

A generated company (200 accounts, 2024) with every load of December held
back (December's events and the late stragglers of November, loaded up to
about two weeks late) is built in full with as_of_date 2024-11-30; then the
held-back loads are appended and the monthly model and everything upstream
run again, incrementally, with as_of_date 2024-12-31. That run must:
  - recompute November, touched by late stragglers loaded in December, from
    all its user-days (and October's for the trailing window);
  - add December, the month as_of_date moved on to;
  - keep the months before November as built.
Its rows (without the watermark columns, which record when each row was
computed) must equal a --full-refresh of the same data, EXCEPT both ways.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import execute, generate_company_2024, hold_back_event_loads

from csra.dbt_invoke import DbtOutcome, run_dbt
from csra.marts_diff import relation_differences

MONTHLY = "int_account_months_users_counted"
COLUMNS = (
    "account_id, month_start, monthly_active_users, active_user_days, active_users_30d, events, "
    "session_starts, session_starts_with_user, are_users_unknown, reporting_months_from"
)
# the monthly model and every model upstream (the reporting months follow as_of_date)
SELECT = ["--select", f"+{MONTHLY}"]
DECEMBER = "2024-12-01"


def _dbt(path: Path, tmp: Path, args: list[str], as_of_date: str) -> DbtOutcome:
    outcome = run_dbt(args, database=path, dbt_vars={"as_of_date": as_of_date}, target_path=tmp / "target")
    assert outcome.success, outcome.failed()
    return outcome


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("months_incremental")
    path = tmp / "warehouse.duckdb"
    last_day = generate_company_2024(path)
    hold_back_event_loads(path, "events", ">= ?", [DECEMBER])
    _dbt(path, tmp, ["run", *SELECT, "--full-refresh"], "2024-11-30")
    months_first = execute(path, f"select distinct month_start from intermediate.{MONTHLY} order by 1")

    execute(path, "insert into raw_product.events select * from held.events")
    # late stragglers: held-back loads of events that occurred in November
    stragglers = execute(path, "select count(*) from held.events where cast(occurred_at as date) < ?", [DECEMBER])[0][0]
    _dbt(path, tmp, ["run", *SELECT], "2024-12-31")
    watermarks = execute(
        path,
        f"select month_start, count(distinct user_days_loaded_through) from intermediate.{MONTHLY} "
        "group by month_start order by month_start",
    )
    execute(path, f"create schema compare; create table compare.{MONTHLY} as select * from intermediate.{MONTHLY}")
    _dbt(path, tmp, ["run", *SELECT, "--full-refresh"], "2024-12-31")
    con = duckdb.connect(str(path))
    try:
        differences = relation_differences(con, f"compare.{MONTHLY}", f"intermediate.{MONTHLY}", COLUMNS)
        newest = con.execute(f"select max(user_days_loaded_through) from intermediate.{MONTHLY}").fetchone()[0]
        kept_or_recomputed = con.execute(
            f"select month_start, user_days_loaded_through = ? from compare.{MONTHLY} "
            "group by all order by month_start",
            [newest],
        ).fetchall()
    finally:
        con.close()
    return {
        "last_day": last_day,
        "months_first": [row[0] for row in months_first],
        "stragglers": stragglers,
        "watermarks": watermarks,
        "differences": differences,
        "kept_or_recomputed": kept_or_recomputed,
    }


def test_flow_exercises_late_loads_and_a_new_month(flow: dict[str, object]) -> None:
    import datetime as dt

    assert flow["last_day"] == dt.date(2024, 12, 31)
    # built at as_of_date 2024-11-30: December is not a complete month yet
    assert flow["months_first"][-1] == dt.date(2024, 11, 1)
    assert flow["stragglers"] > 0


def test_incremental_months_equal_a_full_refresh(flow: dict[str, object]) -> None:
    rows_incremental, rows_full, only_incremental, only_full = flow["differences"]
    assert rows_incremental == rows_full > 0
    assert (only_incremental, only_full) == (0, 0)


def test_only_the_touched_and_new_months_are_recomputed(flow: dict[str, object]) -> None:
    import datetime as dt

    # November (late stragglers) and December (new) carry the new watermark;
    # every earlier month keeps the watermark of the first build
    recomputed = {month for month, is_new in flow["kept_or_recomputed"] if is_new}
    kept = {month for month, is_new in flow["kept_or_recomputed"] if not is_new}
    assert recomputed == {dt.date(2024, 11, 1), dt.date(2024, 12, 1)}
    assert kept and max(kept) == dt.date(2024, 10, 1)
    # one watermark per month: a month is replaced whole
    assert {count for _, count in flow["watermarks"]} == {1}
