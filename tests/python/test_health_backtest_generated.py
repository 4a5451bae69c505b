"""The health score must predict churn on a generated company: accounts
scored red churn within 90 days more often than accounts scored green
(issue 6, "Done when"). Also checks the backtest grid against
fct_account_health on realistic volumes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import BuiltWarehouse

pytestmark = pytest.mark.slow

AS_OF_DATE = "2024-12-31"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltWarehouse]:
    generate = pytest.importorskip("csra.generate").generate
    from csra.dbt_invoke import run_dbt

    tmp = tmp_path_factory.mktemp("health_generated")
    path = tmp / "warehouse.duckdb"
    generate(str(path), accounts=400, seed=7, start_month="2023-01", months=24, progress=False)
    outcome = run_dbt(
        ["build", "--select", "+mart_health_backtest", "--indirect-selection", "cautious"],
        database=path,
        dbt_vars={"as_of_date": AS_OF_DATE},
        target_path=tmp / "target",
    )
    yield BuiltWarehouse(path=path, outcome=outcome)


def test_build_passes(built: BuiltWarehouse) -> None:
    assert built.outcome.success, built.outcome.failed()


def test_red_churns_more_than_green(built: BuiltWarehouse) -> None:
    rates = dict(
        built.query(
            "select health_band, 1.0 * sum(churned_within_90d) / sum(accounts)"
            " from marts.mart_health_backtest group by health_band"
        )
    )
    assert rates["red"] > rates["yellow"] > rates["green"], rates


def test_backtest_counts_every_scored_account_of_observable_weeks(built: BuiltWarehouse) -> None:
    mismatches = built.query(
        """
        with health as (
            select week_start, health_band, count(*) as accounts
            from marts.fct_account_health
            group by week_start, health_band
        )
        select backtest.week_start, backtest.health_band, backtest.accounts, health.accounts
        from marts.mart_health_backtest as backtest
        left join health
            on backtest.week_start = health.week_start and backtest.health_band = health.health_band
        where backtest.accounts <> coalesce(health.accounts, 0)
        """
    )
    assert mismatches == []
    (weeks, rows) = built.query("select count(distinct week_start), count(*) from marts.mart_health_backtest")[0]
    assert rows == 3 * weeks and weeks > 0
