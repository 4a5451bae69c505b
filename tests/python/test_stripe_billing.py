"""One company in contract shape and in Stripe shape gives identical marts.

The generator writes the same small company twice: its billing as the raw
contract tables (`with_jpy_billing`, so both shapes bill some accounts in
JPY) and as Fivetran's Stripe tables (`billing_format="stripe"`). dbt builds
the first as usual and the second with `billing_source: stripe` (which also
runs every Stripe unit test); every mart must then hold exactly the same rows
(EXCEPT ALL both ways). Bad Stripe input fails its named test, and a
switched-off optional system still builds.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from csra.dbt_invoke import run_dbt
from csra.generate import generate
from csra.raw_schema import RAW_TABLES

pytestmark = pytest.mark.slow

COMPANY = dict(accounts=150, seed=5, start_month="2024-01", months=18, progress=False)
AS_OF = {"as_of_date": "2025-06-30"}
PROJECT = Path(__file__).resolve().parents[2]


def _query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    # a plain connection: dbt (in this process) still holds the file open,
    # and DuckDB refuses a second configuration (read_only) of the same file
    con = duckdb.connect(str(path))
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _marts(path: Path) -> list[str]:
    sql = "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
    return [r[0] for r in _query(path, sql)]


def _differences(left: Path, right: Path, table: str, sql: str = "select * from marts.{}") -> tuple[int, int, int]:
    """Rows, rows only in left and rows only in right (multisets: EXCEPT ALL both ways)."""
    left_rows = Counter(_query(left, sql.format(table)))
    right_rows = Counter(_query(right, sql.format(table)))
    return sum(left_rows.values()), sum((left_rows - right_rows).values()), sum((right_rows - left_rows).values())


@pytest.fixture(scope="module")
def both_shapes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("stripe")
    contract, stripe = root / "contract.duckdb", root / "stripe.duckdb"
    generate(str(contract), with_jpy_billing=True, **COMPANY)
    generate(str(stripe), billing_format="stripe", **COMPANY)
    shutil.copy(stripe, root / "stripe_raw.duckdb")
    shutil.copy(contract, root / "contract_raw.duckdb")
    built = run_dbt(["build"], database=contract, dbt_vars=AS_OF, target_path=root / "target_contract")
    assert built.success, built.failed()
    built = run_dbt(["build"], database=stripe, dbt_vars={**AS_OF, "billing_source": "stripe"},
                    target_path=root / "target_stripe")
    assert built.success, built.failed()
    stripe_unit_tests = {n for n, s in built.statuses.items() if n.startswith("int_stripe") and s == "pass"}
    assert "int_stripe_subscription_items_phased__mid_period_change_with_proration_lines" in stripe_unit_tests
    return {"contract": contract, "stripe": stripe, "root": root}


def test_stripe_company_bills_jpy_in_whole_yen(both_shapes: dict[str, Path]) -> None:
    stripe = both_shapes["stripe"]
    tables = {r[0] for r in _query(
        stripe, "select table_name from duckdb_tables() where schema_name = 'raw_billing'")}
    jpy = _query(stripe, "select count(*), count(*) filter (where unit_amount <> round(unit_amount, 0)) "
                         "from staging.stg_billing__subscription_items where currency = 'JPY'")[0]
    prorations = _query(stripe, "select count(*) filter (where proration and amount < 0), "
                                "count(*) filter (where proration and amount > 0) from raw_stripe.invoice_line_item")[0]
    assert tables == {"fx_rates"}  # the five contract billing tables are not written
    assert jpy[0] > 0 and jpy[1] == 0
    assert prorations[0] > 0 and prorations[1] > 0


def test_every_mart_is_identical_in_both_shapes(both_shapes: dict[str, Path]) -> None:
    marts = _marts(both_shapes["contract"])
    assert len(marts) >= 20 and marts == _marts(both_shapes["stripe"])
    for table in marts:
        rows, only_contract, only_stripe = _differences(both_shapes["contract"], both_shapes["stripe"], table)
        assert (only_contract, only_stripe) == (0, 0), f"{table}: {rows} rows, {only_contract}/{only_stripe} differ"


def test_price_phases_are_identical_in_both_shapes(both_shapes: dict[str, Path]) -> None:
    phase = ("select subscription_id, quantity, unit_amount, discount_pct, currency, valid_from, valid_to "
             "from staging.{}")
    rows, only_contract, only_stripe = _differences(
        both_shapes["contract"], both_shapes["stripe"], "stg_billing__subscription_items", phase)
    assert (only_contract, only_stripe) == (0, 0) and rows > 100


def test_unlinked_customer_and_weekly_price_fail_their_named_tests(both_shapes: dict[str, Path]) -> None:
    raw = both_shapes["root"] / "stripe_bad.duckdb"
    shutil.copy(both_shapes["root"] / "stripe_raw.duckdb", raw)
    con = duckdb.connect(str(raw))
    try:
        customer = con.execute("select min(id) from raw_stripe.customer").fetchone()[0]
        con.execute("update raw_stripe.customer set metadata = '{\"crm\": \"x\"}' where id = ?", [customer])
        price = con.execute("select min(id) from raw_stripe.price").fetchone()[0]
        con.execute("update raw_stripe.price set recurring_interval = 'week', recurring_interval_count = 2 "
                    "where id = ?", [price])
    finally:
        con.close()
    outcome = run_dbt(
        ["build", "-s", "+int_stripe_customers_linked", "+int_stripe_prices_planned"],
        database=raw, dbt_vars={**AS_OF, "billing_source": "stripe"},
        target_path=both_shapes["root"] / "target_bad",
    )
    assert outcome.statuses["stripe_customers__account_id__is_linked"] == "fail"
    assert outcome.statuses["stripe_prices__billing_period_months__is_expressible"] == "fail"
    unlinked = _query(raw, "select customer_id from intermediate.int_stripe_customers_linked "
                           "where account_id is null")
    assert unlinked == [(customer,)]


def test_switched_off_systems_build_empty_but_dense(both_shapes: dict[str, Path]) -> None:
    raw = both_shapes["root"] / "contract_off.duckdb"
    shutil.copy(both_shapes["root"] / "contract_raw.duckdb", raw)
    con = duckdb.connect(str(raw))
    try:  # the tables of a system the company lacks do not exist at all
        con.execute("drop table raw_survey.responses")
        con.execute("drop table raw_crm.cases")
    finally:
        con.close()
    outcome = run_dbt(["build"], database=raw,
                      dbt_vars={**AS_OF, "csra__using_survey": False, "csra__using_crm_cases": False},
                      target_path=both_shapes["root"] / "target_off")
    assert outcome.success, outcome.failed()
    responses = _query(raw, "select count(*) from staging.stg_survey__responses")[0][0]
    cases = _query(raw, "select count(*), sum(cases_opened) from marts.mart_support_efficiency")[0]
    assert responses == 0
    assert cases[0] > 0 and cases[1] == 0
    # billing is untouched by the switches
    assert _differences(both_shapes["contract"], raw, "mart_revenue_retention")[1:] == (0, 0)


def test_empty_relation_columns_match_the_raw_contract() -> None:
    text = (PROJECT / "macros" / "source_switches" / "csra_source.sql").read_text()
    block = text[text.index("macro csra_optional_source_columns"):]
    for key, body in re.findall(r"'(\w+\.\w+)': \[(.*?)\n        \]", block, flags=re.S):
        source, table = key.split(".")
        pairs = re.findall(r"\['(\w+)', '([\w(),]+)'\]", body)
        assert pairs == [tuple(p) for p in RAW_TABLES[f"raw_{source}"][table]], key
