"""Every shape the contract allows builds cleanly (issue 13).

One generated company is seen through fewer systems (csra.generator.shapes):
self-serve (billing and anonymous product events), support-led (the shape
of a real public SaaS dataset: no contracts, opportunities, users or CS
activities, events without user ids), every system but CRM contracts, every
system but CRM users, every system with anonymous events, and billing only.
Each must build with
warnings at most, carry every dense grid in full, reconcile what it counts
with staging (nothing silently zero), and publish null, not zero, for what
its systems cannot measure.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BuiltWarehouse

from csra.dbt_invoke import run_dbt
from csra.generator.shapes import SHAPES, apply_shape

AS_OF_DATE = "2026-06-30"
SEGMENTS = 4  # smb, mid_market, enterprise, all

# dense marts (metrics.md, Precision and grids): every reporting month x segment
MONTH_GRIDS = {
    "mart_revenue_retention": "month_start",
    "mart_churn": "month_start",
    "mart_renewals": "month_start",
    "mart_expansion_attribution": "month_start",
    "mart_support_efficiency": "month_start",
    "mart_ttv_cohorts": "cohort_month",
    "mart_onboarding_cohorts": "cohort_month",
}

SHAPE_NAMES = ("self_serve", "support_led", "no_contracts", "no_users", "anonymous_events", "billing_only")

# the health components each shape's systems can measure (payment always:
# every shape bills); int_health_components_measured
MEASURED_COMPONENTS = {
    "self_serve": {"usage"},
    "support_led": {"usage", "support", "engagement", "relationship"},
    "no_contracts": {"usage", "support", "engagement", "relationship"},
    "no_users": {"usage", "support", "engagement", "relationship"},
    "anonymous_events": {"usage", "support", "engagement", "relationship"},
    "billing_only": set(),
}


def _lacks_table(shape: str, table: str) -> bool:
    return table in SHAPES[shape].empty_tables


def _has_anonymous_events(shape: str) -> bool:
    return "user_id" in SHAPES[shape].null_columns.get("raw_product.events", ())


@pytest.fixture(scope="module", params=SHAPE_NAMES)
def shaped_company(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, BuiltWarehouse]:
    from csra.generate import generate

    shape = request.param
    folder = tmp_path_factory.mktemp(f"shape_{shape}")
    path = folder / "warehouse.duckdb"
    generate(str(path), accounts=150, seed=13, start_month="2024-01", months=30, progress=False)
    apply_shape(str(path), shape)
    outcome = run_dbt(["build"], database=path, dbt_vars={"as_of_date": AS_OF_DATE}, target_path=folder / "target")
    return shape, BuiltWarehouse(path=Path(path), outcome=outcome)


def _reporting_months(built: BuiltWarehouse) -> list:
    return [
        row[0] for row in built.query("select month_start from intermediate.int_reporting_months_listed order by 1")
    ]


def test_builds_with_warnings_at_most(shaped_company: tuple[str, BuiltWarehouse]) -> None:
    shape, built = shaped_company
    assert built.outcome.success, (shape, built.outcome.failed())
    # no false alarm: the checks that warn on suspicious input stay quiet on
    # a clean company that merely lacks systems
    assert built.outcome.warned() == {}, (shape, built.outcome.warned())


def test_every_dense_mart_has_its_full_grid(shaped_company: tuple[str, BuiltWarehouse]) -> None:
    shape, built = shaped_company
    months = _reporting_months(built)
    assert len(months) >= 24, (shape, months)
    for mart, month_column in MONTH_GRIDS.items():
        rows = built.query(
            f"select {month_column}, count(distinct segment), count(*) from marts.{mart} group by 1 order by 1"
        )
        assert [row[0] for row in rows] == months, (shape, mart)
        assert all(row[1] == SEGMENTS and row[2] == SEGMENTS for row in rows), (shape, mart)
    assert built.query("select count(*) from marts.mart_retention_by_ttv") == [(5 * SEGMENTS,)]


def test_nothing_counted_is_silently_zero(shaped_company: tuple[str, BuiltWarehouse]) -> None:
    shape, built = shaped_company
    last_month_end = "date '2026-06-30'"
    # events: every distinct staged event dated in a reporting month counts once
    staged_events = built.query(
        "select count(*) from staging.stg_product__events as events"
        " inner join intermediate.int_reporting_months_listed as months"
        "  on cast(events.occurred_at as date) between months.month_start and months.month_end"
    )[0][0]
    published_events = built.query("select coalesce(sum(events), 0) from marts.mart_account_usage_monthly")[0][0]
    assert published_events == staged_events, shape
    # cases opened in a reporting month
    staged_cases = built.query(
        "select count(*) from staging.stg_crm__cases as cases"
        " inner join intermediate.int_reporting_months_listed as months"
        "  on cast(cases.opened_at as date) between months.month_start and months.month_end"
    )[0][0]
    published_cases = built.query(
        "select coalesce(sum(cases_opened), 0) from marts.mart_support_efficiency where segment = 'all'"
    )[0][0]
    assert published_cases == staged_cases, shape
    # answered survey responses dated in a reporting month
    staged_responses = built.query(
        "select count(*) from staging.stg_survey__responses as responses"
        " inner join intermediate.int_reporting_months_listed as months"
        "  on cast(responses.responded_at as date) between months.month_start and months.month_end"
        f" where responses.score is not null and cast(responses.responded_at as date) <= {last_month_end}"
    )[0][0]
    published_responses = built.query(
        "select coalesce(sum(responses), 0) from marts.mart_experience where segment = 'all' and arr_band = 'all'"
    )[0][0]
    assert published_responses == staged_responses, shape
    # a system the shape keeps must have been counted, not only reconciled at 0 = 0
    assert (staged_events > 0) != _lacks_table(shape, "raw_product.events"), shape
    assert (staged_cases > 0) != _lacks_table(shape, "raw_crm.cases"), shape
    assert (staged_responses > 0) != _lacks_table(shape, "raw_survey.responses"), shape


def test_what_cannot_be_measured_is_null_not_zero(shaped_company: tuple[str, BuiltWarehouse]) -> None:
    shape, built = shaped_company
    ttv = built.query(
        "select sum(accounts_signed), count(median_ttv_days), count(share_within_30d) from marts.mart_ttv_cohorts"
    )[0]
    renewals = built.query(
        "select sum(contracts_up), count(logo_renewal_rate), count(arr_renewal_rate) from marts.mart_renewals"
    )[0]
    user_measures = built.query(
        "select count(*), count(dau_mau), count(monthly_active_users), count(seat_utilization),"
        " count(active_users_30d) from marts.mart_account_usage_monthly where events > 0"
    )[0]
    if _lacks_table(shape, "raw_crm.contracts"):
        # no contracts: no TTV clock, no renewal decision
        assert ttv == (0, 0, 0) and renewals == (0, 0, 0), (shape, ttv, renewals)
    else:
        assert ttv[0] > 0 and ttv[1] > 0 and renewals[0] > 0 and renewals[1] > 0, (shape, ttv, renewals)
    if _lacks_table(shape, "raw_product.events"):
        # no product analytics: no account-month with events at all
        assert user_measures == (0, 0, 0, 0, 0), (shape, user_measures)
    elif _has_anonymous_events(shape):
        # without user ids the user-based usage measures of an account-month
        # with events are unknown (metrics.md, Usage); one without any event keeps 0
        assert user_measures[1:] == (0, 0, 0, 0), (shape, user_measures)
    else:
        # known users: measured in every account-month with events (seat
        # utilization too, where seats are licensed)
        events_months, dau_mau, active_users, seat_utilization, active_30d = user_measures
        assert dau_mau == active_users == active_30d == events_months, (shape, user_measures)
        assert 0 < seat_utilization <= events_months, (shape, user_measures)
    # health components whose system the company lacks are null, never a fake
    # zero that routes every account to a retention specialist
    components = built.dicts(
        "select count(*) as weeks, count(usage_score) as usage, count(support_score) as support,"
        " count(engagement_score) as engagement, count(payment_score) as payment,"
        " count(relationship_score) as relationship,"
        " count(case when health_band = 'red' then 1 end) as red"
        " from marts.fct_account_health"
    )[0]
    assert components["weeks"] > 0, shape
    assert components["payment"] == components["weeks"], shape
    expected_measured = MEASURED_COMPONENTS[shape]
    for component in ("usage", "support", "engagement", "relationship"):
        measured = components[component] == components["weeks"]
        unmeasured = components[component] == 0
        assert measured if component in expected_measured else unmeasured, (shape, component, components)
    assert components["red"] < components["weeks"] / 2, (shape, components)
    first_value = built.query(
        "select count(has_reached_first_value), count(case when routing_action = 'onboarding' then 1 end)"
        " from marts.fct_account_health"
    )[0]
    if _lacks_table(shape, "raw_crm.contracts"):
        # without contracts no time-to-value clock runs: first value is unknown
        # and nobody is parked in onboarding for ever
        assert first_value == (0, 0), (shape, first_value)
    else:
        assert first_value[0] > 0, (shape, first_value)
