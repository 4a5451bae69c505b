"""Never wrong in silence (issue 15): realistic mutations of a clean company.

One small generated company is built once; each test copies it, changes
its raw tables the way a real export or loader does, rebuilds, and asserts
the outcome: marts unchanged where the mutation must not change them
(every mart compared with EXCEPT ALL both ways, csra.marts_diff), the named
warning where the input is suspicious but legal, the named failure where it
is bad input, and the exact amount where the arithmetic is at stake.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import BuiltWarehouse

from csra.dbt_invoke import PROJECT_DIR, run_dbt
from csra.marts_diff import compare

AS_OF_DATE = "2026-06-30"
DBT_VARS = {"as_of_date": AS_OF_DATE}


@pytest.fixture(scope="session")
def clean_company(tmp_path_factory: pytest.TempPathFactory) -> BuiltWarehouse:
    """A 120-account company, Jan 2024 - Jun 2026, built once."""
    from csra.generate import generate

    folder = tmp_path_factory.mktemp("unusual_input_clean")
    path = folder / "warehouse.duckdb"
    generate(str(path), accounts=120, seed=15, start_month="2024-01", months=30, progress=False)
    outcome = run_dbt(["build"], database=path, dbt_vars=DBT_VARS, target_path=folder / "target")
    assert outcome.success, outcome.failed()
    return BuiltWarehouse(path=path, outcome=outcome)


Mutate = Callable[[duckdb.DuckDBPyConnection], None]


def _mutated_build(
    clean: BuiltWarehouse,
    folder: Path,
    mutate: Mutate,
    args: Sequence[str] = ("build",),
) -> BuiltWarehouse:
    path = folder / "mutated.duckdb"
    shutil.copy(clean.path, path)
    con = duckdb.connect(str(path))
    try:
        mutate(con)
    finally:
        con.close()
    outcome = run_dbt(list(args), database=path, dbt_vars=DBT_VARS, target_path=folder / "target")
    return BuiltWarehouse(path=path, outcome=outcome)


def _differing_marts(clean: BuiltWarehouse, mutated: BuiltWarehouse) -> dict[str, str]:
    return {
        mart: verdict
        for mart, verdict in compare(clean.path, mutated.path)
        if not verdict.startswith("identical")
    }


def _first(con: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    row = con.execute(sql).fetchone()
    assert row is not None, sql
    return row


def _add_account(con: duckdb.DuckDBPyConnection, account_id: str, segment: str) -> None:
    con.execute(
        "insert into raw_crm.accounts (account_id, account_name, segment, industry, region, created_at, updated_at)"
        " values (?, ?, ?, 'software', 'na', timestamp '2024-01-02 00:00:00', timestamp '2024-01-02 00:00:00')",
        [account_id, f"Company {account_id}", segment],
    )


def _add_paid_item(
    con: duckdb.DuckDBPyConnection, account_id: str, currency: str, unit_amount: str, discount_pct: str
) -> str:
    """A new customer, subscription and monthly flat item in force from 2025-01-10; returns the item id."""
    (plan_id,) = _first(
        con,
        "select plan_id from raw_billing.plans where billing_period_months = 1 and not is_addon"
        " order by plan_id limit 1",
    )
    suffix = account_id
    con.execute(
        "insert into raw_billing.customers (customer_id, account_id, customer_name, currency, created_at)"
        " values (?, ?, ?, ?, timestamp '2025-01-10 00:00:00')",
        [f"cus_{suffix}", account_id, f"Customer {suffix}", currency],
    )
    con.execute(
        "insert into raw_billing.subscriptions (subscription_id, customer_id, status, created_at)"
        " values (?, ?, 'active', timestamp '2025-01-10 00:00:00')",
        [f"sub_{suffix}", f"cus_{suffix}"],
    )
    con.execute(
        "insert into raw_billing.subscription_items"
        " (item_id, subscription_id, plan_id, quantity, unit_amount, discount_pct, currency, valid_from, valid_to)"
        " values (?, ?, ?, 1, ?, ?, ?, date '2025-01-10', null)",
        [f"itm_{suffix}", f"sub_{suffix}", plan_id, Decimal(unit_amount), Decimal(discount_pct), currency],
    )
    return f"itm_{suffix}"


def test_legacy_placeholder_dates_leave_every_mart_unchanged_and_warn(
    clean_company: BuiltWarehouse, tmp_path: Path
) -> None:
    """A $0 trial dated 1900-01-01 -> 1900-02-01 and a contract signed 1900-01-01.

    Before the fix the first emptied fct_mrr_movements and every revenue,
    health and experience mart (a 1,200-month calendar counted from the
    earliest valid_from ended in 1999), and the second filled the TTV and
    onboarding cohorts with 4,800 rows for 1900-1999.
    """

    def mutate(con: duckdb.DuckDBPyConnection) -> None:
        subscription_id, plan_id, currency = _first(
            con,
            "select subscription_id, plan_id, currency from raw_billing.subscription_items"
            " order by item_id limit 1",
        )
        con.execute(
            "insert into raw_billing.subscription_items"
            " (item_id, subscription_id, plan_id, quantity, unit_amount, discount_pct, currency, valid_from, valid_to)"
            " values ('itm_legacy_trial', ?, ?, 1, 0, 0, ?, date '1900-01-01', date '1900-02-01')",
            [subscription_id, plan_id, currency],
        )
        _add_account(con, "acc_legacy", "smb")
        con.execute(
            "insert into raw_crm.contracts"
            " (contract_id, account_id, contract_type, signed_at, start_date, end_date, arr_amount, currency)"
            " values ('ctr_legacy', 'acc_legacy', 'new', timestamp '1900-01-01 00:00:00',"
            " date '1900-01-01', date '1901-01-01', 1200.00, 'USD')"
        )

    mutated = _mutated_build(clean_company, tmp_path, mutate)
    assert mutated.outcome.success, mutated.outcome.failed()
    warned = mutated.outcome.warned()
    assert "billing_subscription_items__valid_from__is_plausible" in warned
    assert "crm_contracts__signed_at__is_plausible" in warned
    assert mutated.outcome.messages["billing_subscription_items__valid_from__is_plausible"].startswith("Got 1 result")
    # The new account adds its dim_accounts row and its four onboarding
    # milestone rows (account grain: every signed account); its contract came
    # up for renewal in December 1900, a complete month, so by metrics.md it
    # is a decided first cycle in mart_retention_by_ttv. Nothing else moves:
    # no calendar, cohort grid or revenue number.
    differing = _differing_marts(clean_company, mutated)
    assert set(differing) <= {"dim_accounts", "fct_onboarding_milestones", "mart_retention_by_ttv"}, differing
    assert mutated.query("select count(*) from marts.fct_onboarding_milestones where account_id = 'acc_legacy'") == [
        (4,)
    ]
    assert mutated.query("select count(*) from marts.fct_mrr_movements")[0][0] > 0
    assert mutated.query(
        "select count(*) from marts.mart_ttv_cohorts where cohort_month < date '2024-01-01'"
    ) == [(0,)]


def test_skipped_survey_question_is_excluded_and_counted_by_a_warning(
    clean_company: BuiltWarehouse, tmp_path: Path
) -> None:
    """A response without a score used to fail not_null on an intermediate model,
    skipping mart_experience and the scorecard."""
    holder: dict[str, object] = {}

    def mutate(con: duckdb.DuckDBPyConnection) -> None:
        response_id, survey_type = _first(
            con,
            "select response_id, survey_type from raw_survey.responses"
            " where responded_at >= timestamp '2025-03-01' and responded_at < timestamp '2025-04-01'"
            " order by response_id limit 1",
        )
        holder["survey_type"] = survey_type
        con.execute("update raw_survey.responses set score = null where response_id = ?", [response_id])

    mutated = _mutated_build(clean_company, tmp_path, mutate)
    assert mutated.outcome.success, mutated.outcome.failed()
    assert "survey_responses__score__is_skipped_question" in mutated.outcome.warned()
    total = (
        "select sum(responses) from marts.mart_experience where segment = 'all' and arr_band = 'all'"
        " and month_start = date '2025-03-01' and survey_type = ?"
    )
    before = clean_company.query(total, [holder["survey_type"]])[0][0]
    after = mutated.query(total, [holder["survey_type"]])[0][0]
    # the response counts in exactly one touchpoint row of its month and type
    assert after == before - 1
    assert set(_differing_marts(clean_company, mutated)) <= {"mart_experience", "mart_cs_scorecard"}


def test_null_fact_timestamps_fail_named_tests_and_the_coverage_assertion_sees_them(
    clean_company: BuiltWarehouse, tmp_path: Path
) -> None:
    """An opportunity without created_at, a case without opened_at and a
    response without responded_at used to vanish with PASS."""

    def mutate(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(
            "update raw_crm.opportunities set created_at = null where opportunity_id ="
            " (select min(opportunity_id) from raw_crm.opportunities"
            "  where opportunity_type = 'expansion' and origin = 'cs')"
        )
        con.execute(
            "update raw_crm.cases set opened_at = null where case_id = (select min(case_id) from raw_crm.cases)"
        )
        con.execute(
            "update raw_survey.responses set responded_at = null"
            " where response_id = (select min(response_id) from raw_survey.responses)"
        )

    mutated = _mutated_build(clean_company, tmp_path, mutate)
    assert not mutated.outcome.success
    failed = mutated.outcome.failed()
    for test in (
        "crm_opportunities__created_at__is_not_null",
        "crm_cases__opened_at__is_not_null",
        "survey_responses__responded_at__is_not_null",
    ):
        assert failed.get(test) == "fail", (test, failed)

    # Past the source test (as a team that downgrades it would), the
    # coverage assertion must still notice the undated opportunity.
    coverage = "assert_mart_csqp_covers_every_cs_expansion_opportunity"
    outcome = run_dbt(
        ["build", "--select", f"+{coverage}", "--exclude", "crm_opportunities__created_at__is_not_null"],
        database=mutated.path,
        dbt_vars=DBT_VARS,
        target_path=tmp_path / "target_coverage",
    )
    assert outcome.statuses.get(coverage) == "fail", outcome.statuses


def _expected_mrr(con: duckdb.DuckDBPyConnection, currency: str, unit_amount: str, discount_pct: str) -> Decimal:
    """metrics.md, MRR, worked in Python decimals: unit x (1 - d/100) x rate on valid_from, to the cent."""
    if currency == "USD":
        rate = Decimal(1)
    else:
        row = con.execute(
            "select usd_per_unit from raw_billing.fx_rates where currency = ? and rate_date <= date '2025-01-10'"
            " order by rate_date desc limit 1",
            [currency],
        ).fetchone()
        assert row is not None, f"no {currency} rate on or before 2025-01-10"
        rate = row[0]
    exact = Decimal(unit_amount) * (100 - Decimal(discount_pct)) / 100 * Decimal(rate)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_extreme_amounts_are_exact_to_the_cent(clean_company: BuiltWarehouse, tmp_path: Path) -> None:
    """MRR of about $123 billion and $500 trillion (past 2^53 cents, where a double
    cannot hold the cents: the old rounding divided in floating point), half-cent
    ties in USD and one through an FX rate with eight decimals, must round half
    away from zero exactly (integer arithmetic)."""
    cases = {
        # 246,913,578,024.69 x 50 % = 123,456,789,012.345: a tie, rounds up
        "acc_big_usd": ("USD", "246913578024.69", "50.00"),
        # 1,000,000,000,000,000.69 x 50 % = 500,000,000,000,000.345: a tie at 5 x 10^16 cents
        "acc_huge_usd": ("USD", "1000000000000000.69", "50.00"),
        "acc_big_eur": ("EUR", "113717398012.37", "0.00"),
    }
    expected: dict[str, Decimal] = {}

    def mutate(con: duckdb.DuckDBPyConnection) -> None:
        for account_id, (currency, unit_amount, discount_pct) in cases.items():
            _add_account(con, account_id, "enterprise")
            _add_paid_item(con, account_id, currency, unit_amount, discount_pct)
            expected[account_id] = _expected_mrr(con, currency, unit_amount, discount_pct)

    mutated = _mutated_build(clean_company, tmp_path, mutate)
    assert mutated.outcome.success, mutated.outcome.failed()
    assert expected["acc_big_usd"] == Decimal("123456789012.35")
    assert expected["acc_huge_usd"] == Decimal("500000000000000.35")
    for account_id, mrr in expected.items():
        rows = mutated.query(
            "select month_start, new_mrr, ending_mrr from marts.fct_mrr_movements where account_id = ?"
            " order by month_start limit 2",
            [account_id],
        )
        assert [(str(month), new, ending) for month, new, ending in rows] == [
            ("2025-01-01", mrr, mrr),
            ("2025-02-01", Decimal("0.00"), mrr),
        ], account_id
    # every other account-month is untouched
    others = (
        "select * from marts.fct_mrr_movements"
        " where account_id not in ('acc_big_usd', 'acc_huge_usd', 'acc_big_eur')"
    )
    assert Counter(mutated.query(others)) == Counter(clean_company.query("select * from marts.fct_mrr_movements"))


def test_mrr_beyond_the_money_type_fails_a_named_source_test(clean_company: BuiltWarehouse, tmp_path: Path) -> None:
    """Near 10^16 the marts failed with engine overflow errors naming no table or key."""

    def mutate(con: duckdb.DuckDBPyConnection) -> None:
        _add_account(con, "acc_overflow", "enterprise")
        _add_paid_item(con, "acc_overflow", "USD", "9000000000000000.00", "0.00")
        con.execute("update raw_billing.subscription_items set quantity = 100 where item_id = 'itm_acc_overflow'")

    mutated = _mutated_build(clean_company, tmp_path, mutate)
    assert not mutated.outcome.success
    test = "billing_subscription_items__mrr_fits_the_money_type"
    assert mutated.outcome.statuses.get(test) == "fail", mutated.outcome.failed()
    # one row for the item, one for all items together; the build stopped
    # before any model priced the item, so no engine overflow and no mart
    assert mutated.outcome.messages[test].startswith("Got 2 results")
    for model in ("int_subscription_items_priced", "int_mrr_account_months_measured", "fct_mrr_movements"):
        assert mutated.outcome.statuses.get(model) == "skipped", model


def test_an_impossible_as_of_date_is_refused_with_one_line_naming_it(tmp_path: Path) -> None:
    """'2026-13-45' passed the shape check and failed later in 21 queries, none naming it."""
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [
            str(dbt), "parse", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(tmp_path / "target"), "--vars", "{as_of_date: '2026-13-45'}",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_DUCKDB_PATH": str(tmp_path / "none.duckdb")},
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    lines = [line for line in output.splitlines() if "as_of_date must be a real calendar date" in line]
    assert len(lines) == 1, output
    assert "'2026-13-45'" in lines[0]
    assert "Conversion Error" not in output
