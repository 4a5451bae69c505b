"""Incremental event rollups give exactly the rows of a full refresh.

Build the rollups in full, append a late batch to raw_product.events, run them
incrementally, keep a copy, rebuild them with --full-refresh and compare both
ways (EXCEPT in each direction, and row counts). The late batch holds:
  - new events for days already processed (an existing (account, date) key and
    a new one);
  - duplicate redeliveries of processed event_ids with a later loaded_at (one
    with a different occurred_at, which must not create a row on that date);
  - a "late commit": an event whose loaded_at is 2 days BEFORE the newest
    loaded_at already processed; only the lookback (3 days) catches it.
The same flow with events_lookback_days = 0 must differ (the late commit is
missed), which shows that the comparison can fail.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import EVENT_ROLLUPS, BuiltWarehouse, event_rollup_differences, event_row, hold_event_rollups

from csra.dbt_invoke import DbtOutcome, run_dbt
from csra.marts_diff import relation_differences
from csra.raw_schema import insert_rows, load_raw_dataset

ROLLUPS = EVENT_ROLLUPS


_event = event_row


INITIAL_EVENTS = [
    _event(
        "e1",
        "a1",
        "u1",
        "session_start",
        None,
        "2025-06-01 09:00:00",
        "2025-06-01 10:00:00",
    ),
    _event(
        "e2",
        "a1",
        "u1",
        "feature_used",
        "f1",
        "2025-06-01 09:10:00",
        "2025-06-01 10:00:00",
    ),
    _event(
        "e3",
        "a1",
        "u2",
        "workflow_completed",
        "f1",
        "2025-06-02 11:00:00",
        "2025-06-02 12:00:00",
    ),
    _event(
        "e4",
        "a2",
        "u3",
        "session_start",
        None,
        "2025-06-05 08:00:00",
        "2025-06-05 09:00:00",
    ),
    _event(
        "e5",
        "a2",
        "u3",
        "feature_used",
        "f2",
        "2025-06-09 08:00:00",
        "2025-06-10 12:00:00",
    ),
]

LATE_BATCH = [
    # new event for an existing key (a1, 06-01) and for a new key (a2, 05-20)
    _event(
        "e6",
        "a1",
        "u3",
        "workflow_completed",
        "f1",
        "2025-06-01 20:00:00",
        "2025-06-12 08:00:00",
    ),
    _event(
        "e7",
        "a2",
        "u4",
        "feature_used",
        "f2",
        "2025-05-20 10:00:00",
        "2025-06-12 08:00:00",
    ),
    # redeliveries of processed events, loaded later (e1 with a shifted occurred_at)
    _event(
        "e1",
        "a1",
        "u1",
        "session_start",
        None,
        "2025-06-04 09:00:00",
        "2025-06-12 08:00:00",
    ),
    _event(
        "e3",
        "a1",
        "u2",
        "workflow_completed",
        "f1",
        "2025-06-02 11:00:00",
        "2025-06-12 08:00:00",
    ),
    # late commit: loaded 06-08, before the processed maximum 06-10 12:00
    _event(
        "e8",
        "a3",
        "u5",
        "workflow_completed",
        "f3",
        "2025-05-15 10:00:00",
        "2025-06-08 12:00:00",
    ),
]


def _run(path: Path, tmp: Path, args: list[str], lookback: int) -> DbtOutcome:
    outcome = run_dbt(
        args,
        database=path,
        dbt_vars={"as_of_date": "2025-06-30", "events_lookback_days": lookback},
        target_path=tmp / "target",
    )
    assert outcome.success, outcome.failed()
    return outcome


def _incremental_vs_full(tmp: Path, lookback: int) -> dict[str, tuple[int, int, int, int]]:
    """(incremental rows, full rows, incremental-only rows, full-only rows) per rollup."""
    path = tmp / "warehouse.duckdb"
    load_raw_dataset(str(path), {"raw_product.events": INITIAL_EVENTS})
    # the de-duplicated events are a table: every run that should see new raw
    # events selects it with the rollups
    select = ["--select", "stg_product__events", *ROLLUPS]
    # first build: the staging models and the rollups in full
    _run(
        path,
        tmp,
        ["run", "--select", *(f"+{rollup}" for rollup in ROLLUPS), "--full-refresh"],
        lookback,
    )
    con = duckdb.connect(str(path))
    try:
        insert_rows(con, "raw_product", "events", LATE_BATCH)
    finally:
        con.close()
    _run(path, tmp, ["run", *select], lookback)
    hold_event_rollups(path, "compare")
    _run(path, tmp, ["run", *select, "--full-refresh"], lookback)
    return event_rollup_differences(path, "compare")


@pytest.fixture(scope="module")
def with_lookback(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, BuiltWarehouse]:
    """The flow with the default lookback (3 days), run once for the module."""
    tmp = tmp_path_factory.mktemp("incremental")
    path = tmp / "warehouse.duckdb"
    result = _incremental_vs_full(tmp, lookback=3)
    outcome = DbtOutcome(success=True, statuses={}, messages={})
    return result, BuiltWarehouse(path=path, outcome=outcome)


def test_incremental_equals_full_refresh(with_lookback: tuple[dict, BuiltWarehouse]) -> None:
    result, _ = with_lookback
    # user-days after the batch: (a1,u1,06-01) (a1,u2,06-02) (a2,u3,06-05) (a2,u3,06-09)
    # + (a1,u3,06-01) (a2,u4,05-20) (a3,u5,05-15) = 7, none on 06-04 (redelivery)
    assert result["int_product_user_days_rolled_up"] == (7, 7, 0, 0)
    # feature-days: (a1,f1,06-01) (a1,f1,06-02) (a2,f2,06-09) + (a2,f2,05-20) (a3,f3,05-15) = 5
    assert result["int_product_feature_days_rolled_up"] == (5, 5, 0, 0)


def test_incremental_after_batch_counts(with_lookback: tuple[dict, BuiltWarehouse]) -> None:
    _, warehouse = with_lookback
    rows = warehouse.query(
        "select account_id, feature_key, cast(activity_date as varchar), event_count, "
        "active_users, workflow_completed_count from intermediate.int_product_feature_days_rolled_up "
        "where account_id = 'a1' order by activity_date"
    )
    # (a1, f1, 06-01): e2 (u1) + the late e6 (u3) -> 2 events, 2 users, 1 completion;
    # (a1, f1, 06-02): e3 once although redelivered
    assert rows == [
        ("a1", "f1", "2025-06-01", 2, 2, 1),
        ("a1", "f1", "2025-06-02", 1, 1, 1),
    ]


def test_comparison_detects_a_missed_late_commit(tmp_path: Path) -> None:
    # without lookback the event loaded before the watermark is never processed:
    # the incremental tables miss (a3, u5, 05-15) and (a3, f3, 05-15)
    result = _incremental_vs_full(tmp_path, lookback=0)
    assert result["int_product_user_days_rolled_up"] == (6, 7, 0, 1)
    assert result["int_product_feature_days_rolled_up"] == (4, 5, 0, 1)


WEEKLY = "int_account_weeks_users_counted"


def test_warehouse_built_before_the_incremental_models_upgrades_without_full_refresh(tmp_path: Path) -> None:
    """A warehouse built before the perf merge: int_account_weeks_users_counted
    a plain table without the watermark column user_days_loaded_through, and
    stg_product__events a view. The next plain (incremental) run upgrades both
    in place (the weekly model finds no watermark and recomputes every week)
    and gives exactly the rows of a full refresh; no --full-refresh needed."""
    path = tmp_path / "warehouse.duckdb"
    load_raw_dataset(str(path), {"raw_product.events": INITIAL_EVENTS})
    select = ["--select", "stg_product__events", *ROLLUPS, WEEKLY]
    _run(path, tmp_path, ["run", *select, "--full-refresh"], 3)
    con = duckdb.connect(str(path))
    try:
        # the shapes of the older release: same columns, without the watermark
        con.execute(f"alter table intermediate.{WEEKLY} drop column user_days_loaded_through")
        con.execute("drop table staging.stg_product__events")
        con.execute(
            "create view staging.stg_product__events as select event_id, account_id, user_id, feature_key, "
            "event_name, occurred_at, loaded_at from raw_product.events"
        )
        insert_rows(con, "raw_product", "events", LATE_BATCH)
    finally:
        con.close()
    # as the nightly run does it (dbt build): the unit tests of both models
    # (which run before them, on this old warehouse) must pass too
    upgraded = _run(path, tmp_path, ["build", *select, "--resource-type", "model", "--resource-type", "unit_test"], 3)
    assert upgraded.statuses[WEEKLY] == "success" and upgraded.statuses["stg_product__events"] == "success"
    unit_tests = {name: status for name, status in upgraded.statuses.items() if name.startswith(f"{WEEKLY}__")}
    assert unit_tests and set(unit_tests.values()) == {"pass"}, upgraded.statuses
    tables = {"staging": ["stg_product__events"], "intermediate": [*ROLLUPS, WEEKLY]}
    con = duckdb.connect(str(path))
    try:
        assert con.execute(
            "select table_type from information_schema.tables where table_name = 'stg_product__events'"
        ).fetchall() == [("BASE TABLE",)]
        con.execute("create schema compare")
        for schema, names in tables.items():
            for name in names:
                con.execute(f"create table compare.{name} as select * from {schema}.{name}")
    finally:
        con.close()
    _run(path, tmp_path, ["run", *select, "--full-refresh"], 3)
    con = duckdb.connect(str(path))
    try:
        for schema, names in tables.items():
            for name in names:
                counts = relation_differences(con, f"compare.{name}", f"{schema}.{name}")
                assert counts[0] == counts[1] > 0 and counts[2:] == (0, 0), (name, counts)
        # every upgraded week carries the watermark (none left null)
        assert con.execute(
            f"select count(*) from compare.{WEEKLY} where user_days_loaded_through is null"
        ).fetchone()[0] == 0
    finally:
        con.close()
