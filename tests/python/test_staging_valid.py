"""A valid raw dataset passes every source and staging test and loses no row.

The hand-made dataset (fixtures/staging_raw.py) covers every raw table and
sits on the edges the bad-input tests must not flag. Staging only renames,
casts and cleans, so every staging view has exactly as many rows as its raw
table, except events, where the one identical redelivery is dropped.
"""

from __future__ import annotations

from conftest import BuildWarehouse
from fixtures.staging_build import STAGING_BUILD_ARGS
from fixtures.staging_raw import DUPLICATE_EVENT_DELIVERIES, valid_raw_dataset

from csra.raw_schema import all_tables

STAGING_VIEW = {
    ("raw_billing", "customers"): "stg_billing__customers",
    ("raw_billing", "plans"): "stg_billing__plans",
    ("raw_billing", "subscriptions"): "stg_billing__subscriptions",
    ("raw_billing", "subscription_items"): "stg_billing__subscription_items",
    ("raw_billing", "invoices"): "stg_billing__invoices",
    ("raw_billing", "fx_rates"): "stg_billing__fx_rates",
    ("raw_crm", "accounts"): "stg_crm__accounts",
    ("raw_crm", "users"): "stg_crm__users",
    ("raw_crm", "contracts"): "stg_crm__contracts",
    ("raw_crm", "opportunities"): "stg_crm__opportunities",
    ("raw_crm", "onboarding_milestones"): "stg_crm__onboarding_milestones",
    ("raw_crm", "cases"): "stg_crm__cases",
    ("raw_crm", "activities"): "stg_crm__activities",
    ("raw_survey", "responses"): "stg_survey__responses",
    ("raw_product", "features"): "stg_product__features",
    ("raw_product", "events"): "stg_product__events",
}


def test_every_raw_table_has_a_staging_view() -> None:
    assert set(STAGING_VIEW) == set(all_tables())


def test_valid_dataset_builds_clean_and_loses_no_row(build_warehouse: BuildWarehouse) -> None:
    built = build_warehouse(valid_raw_dataset(), args=STAGING_BUILD_ARGS)
    outcome = built.outcome
    assert outcome.success, outcome.failed()
    assert outcome.failed() == {}
    assert outcome.warned() == {}
    # all 16 views built and the bad-input tests really ran (none skipped)
    built_views = {name for name, status in outcome.statuses.items() if status == "success"}
    assert built_views == set(STAGING_VIEW.values())
    assert sum(status == "pass" for status in outcome.statuses.values()) >= 100

    raw = valid_raw_dataset()
    for (schema, table), view in STAGING_VIEW.items():
        raw_rows = built.query(f"select count(*) from {schema}.{table}")[0][0]
        staged_rows = built.query(f"select count(*) from staging.{view}")[0][0]
        assert raw_rows == len(raw[f"{schema}.{table}"]) > 0, f"{schema}.{table} not loaded"
        if view == "stg_product__events":
            # 4 raw rows, evt_2 delivered twice: 3 events
            assert staged_rows == raw_rows - DUPLICATE_EVENT_DELIVERIES == 3
        else:
            assert staged_rows == raw_rows, view

    # the first loaded delivery of evt_2 is kept, not the redelivery of 2024-02-03
    assert built.query(
        "select event_id, cast(loaded_at as varchar) from staging.stg_product__events order by event_id"
    ) == [
        ("evt_1", "2024-02-01 09:05:00"),
        ("evt_2", "2024-02-01 09:15:00"),
        ("evt_3", "2024-02-20 16:01:00"),
    ]
