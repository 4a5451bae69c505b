"""The revenue invariant tests can fail: break each one on purpose.

The hand-worked company is built once; each case copies the warehouse,
corrupts one mart the way a bug would, re-runs the mart's dbt tests and
expects exactly the named invariant (and the ones that logically depend on
it) to fail.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import build_raw_company
from fixtures.revenue_handworked import AS_OF_DATE, RAW

from csra.dbt_invoke import run_dbt


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("revenue_invariants")
    built = build_raw_company(folder, RAW, ["+marts.revenue"], AS_OF_DATE)
    assert built.outcome.success, built.outcome.failed()
    path = built.path
    # dbt-duckdb keeps its connection open in this process: flush the WAL so
    # a byte copy of the file holds every table
    con = duckdb.connect(str(path))
    con.execute("checkpoint")
    con.close()
    return path


REVENUE_ASSERTIONS = [
    "assert_account_ending_mrr_equals_next_starting_mrr",
    "assert_mart_ending_mrr_equals_next_starting_mrr",
    "assert_retention_mart_reconciles_to_account_movements",
]

CASES = {
    "bridge_broken_on_one_account_month": (
        "update marts.fct_mrr_movements set ending_mrr = ending_mrr + 0.01 "
        "where account_id = 'A2' and month_start = date '2024-07-01'",
        "fct_mrr_movements",
        {
            "fct_mrr_movements__bridge_balances",
            "fct_mrr_movements__amounts_match_movement_type",
            "assert_account_ending_mrr_equals_next_starting_mrr",
            "assert_retention_mart_reconciles_to_account_movements",
        },
    ),
    "two_movement_amounts_on_one_row": (
        "update marts.fct_mrr_movements set new_mrr = 1.00, expansion_mrr = expansion_mrr - 1.00 "
        "where account_id = 'A1' and month_start = date '2024-04-01'",
        "fct_mrr_movements",
        {
            "fct_mrr_movements__one_movement_per_row",
            "fct_mrr_movements__amounts_match_movement_type",
            "assert_retention_mart_reconciles_to_account_movements",
        },
    ),
    "zero_to_zero_row": (
        "insert into marts.fct_mrr_movements values "
        "('A4', date '2024-06-01', 'smb', 'flat', 0, 0, 0, 0, 0, 0, 0)",
        "fct_mrr_movements",
        {"fct_mrr_movements__no_zero_to_zero_rows"},
    ),
    "duplicate_grain": (
        "insert into marts.fct_mrr_movements select * from marts.fct_mrr_movements "
        "where account_id = 'A1' and month_start = date '2024-03-01'",
        "fct_mrr_movements",
        {
            "key_is_unique_fct_mrr_movements_account_id__month_start",
            "assert_retention_mart_reconciles_to_account_movements",
        },
    ),
    "grr_above_one": (
        "update marts.mart_revenue_retention set grr_monthly = 1.02, nrr_monthly = 1.05 "
        "where segment = 'all' and month_start = date '2024-05-01'",
        "mart_revenue_retention",
        {"value_in_range_mart_revenue_retention_grr_monthly__month_start__segment__1__0"},
    ),
    "grr_above_nrr": (
        "update marts.mart_revenue_retention set grr_t12m = 0.5, nrr_t12m = 0.4 "
        "where segment = 'all' and month_start = date '2025-03-01'",
        "mart_revenue_retention",
        {"mart_revenue_retention__grr_not_above_nrr"},
    ),
    "rate_zero_instead_of_null": (
        "update marts.mart_revenue_retention set grr_monthly = 0 "
        "where segment = 'enterprise' and month_start = date '2025-02-01'",
        "mart_revenue_retention",
        {"mart_revenue_retention__rates_null_exactly_on_empty_denominators"},
    ),
    "segment_does_not_add_up": (
        "update marts.mart_churn set accounts_churned = accounts_churned + 1, accounts_start = accounts_start + 1 "
        "where segment = 'smb' and month_start = date '2024-06-01'",
        "mart_churn",
        {"mart_churn__segments_add_up_to_all"},
    ),
    "mart_months_do_not_chain": (
        "update marts.mart_revenue_retention set starting_mrr = starting_mrr + 1, new_mrr = new_mrr - 1 "
        "where segment = 'mid_market' and month_start = date '2024-09-01'",
        "mart_revenue_retention",
        {
            "assert_mart_ending_mrr_equals_next_starting_mrr",
            "mart_revenue_retention__segments_add_up_to_all",
        },
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_invariant_fails_on_broken_mart(built: Path, tmp_path: Path, case: str) -> None:
    corruption, mart, expected_failures = CASES[case]
    # same file name: DuckDB views name their catalog after the file
    broken = tmp_path / built.name
    shutil.copy(built, broken)
    con = duckdb.connect(str(broken))
    con.execute(corruption)
    con.close()
    outcome = run_dbt(
        # the mart's own tests plus the revenue assertions that span models
        ["test", "--select", mart, *REVENUE_ASSERTIONS, "--exclude", "test_type:unit"],
        database=broken,
        dbt_vars={"as_of_date": AS_OF_DATE},
        # the build's target folder: partial parsing saves a full parse per case
        target_path=built.parent / "target",
    )
    assert set(outcome.failed()) == expected_failures
