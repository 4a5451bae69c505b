"""A nightly run's redelivery test compares the event_ids loaded since the watermark.

With var event_tests_recent_loads_only (csra nightly after an OK run), the
raw events' redelivery test compares only the event_ids with a delivery
loaded after the table's watermark (its newest load minus
events_lookback_days = 3), every delivery of them; the key tests of tables
an incremental run rewrites by a wider key or with an older load time (the
rollups, staging) stay in full. Hand-worked: raw loads up to 2025-06-12
08:00, so the watermark is 2025-06-09 08:00.

  - e1: two deliveries on 06-01 with different occurred_at: an old conflict,
    named by the full test only;
  - e3: delivered 06-02 as feature_used, again on 06-12 as
    workflow_completed: a conflict a new delivery reached, named by both;
  - the user-day rollup, corrupted after the run with three duplicate keys
    whose copies say max_loaded_at 06-01: (a1, u2, 06-01), all old;
    (a2, u3, 06-12), built from a load of 06-12; (a2, u3, 06-02), an old row
    of a date the night's e5 (a2, u5, 06-02) made the run rewrite. Its key
    test names all three on either run: a scope by the rows' own load time
    would miss the first and the last.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import event_row

from csra.dbt_invoke import DbtOutcome, run_dbt
from csra.nightly import RECENT_LOADS_VAR
from csra.raw_schema import insert_rows, load_raw_dataset

FIRST_LOADS = [
    event_row("e1", "a1", "u1", "session_start", None, "2025-06-01 09:00:00", "2025-06-01 10:00:00"),
    event_row("e1", "a1", "u1", "session_start", None, "2025-06-01 09:05:00", "2025-06-01 11:00:00"),
    event_row("e2", "a1", "u2", "feature_used", "f1", "2025-06-01 09:10:00", "2025-06-01 10:00:00"),
    event_row("e3", "a2", "u3", "feature_used", "f2", "2025-06-02 10:00:00", "2025-06-02 10:00:00"),
]
NIGHT_LOADS = [
    event_row("e3", "a2", "u3", "workflow_completed", "f2", "2025-06-02 10:00:00", "2025-06-12 08:00:00"),
    event_row("e4", "a2", "u3", "session_start", None, "2025-06-12 07:00:00", "2025-06-12 08:00:00"),
    event_row("e5", "a2", "u5", "session_start", None, "2025-06-02 11:00:00", "2025-06-12 08:00:00"),
]
ROLLUP = "int_product_user_days_rolled_up"
REDELIVERIES = "product_events__event_id__redeliveries_are_identical"
STAGED_UNIQUE = "stg_product__events__event_id__is_unique"


def _dbt(path: Path, tmp: Path, args: list[str], **dbt_vars: object) -> DbtOutcome:
    return run_dbt(args, database=path, dbt_vars={"as_of_date": "2025-06-30", **dbt_vars}, target_path=tmp / "target")


def _failing_keys(path: Path, table_prefix: str, columns: str) -> list[tuple]:
    """The failing rows --store-failures kept for the test whose table starts with table_prefix."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        (table,) = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema like '%audit%' and table_name like ?",
            [f"{table_prefix}%"],
        ).fetchone()
        return sorted(con.execute(f"select {columns} from {table}").fetchall())
    finally:
        con.close()


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The first loads built, the night's loads taken in incrementally, the rollup corrupted."""
    tmp = tmp_path_factory.mktemp("recent_loads")
    path = tmp / "warehouse.duckdb"
    load_raw_dataset(str(path), {"raw_product.events": FIRST_LOADS})
    built = _dbt(path, tmp, ["run", "--select", f"+{ROLLUP}", "--full-refresh"])
    assert built.success, built.failed()
    con = duckdb.connect(str(path))
    try:
        insert_rows(con, "raw_product", "events", NIGHT_LOADS)
    finally:
        con.close()
    nightly = _dbt(path, tmp, ["run", "--select", "stg_product__events", ROLLUP])
    assert nightly.success, nightly.failed()
    con = duckdb.connect(str(path))
    try:
        for account_id, user_id, day in (
            ("a1", "u2", "2025-06-01"),
            ("a2", "u3", "2025-06-12"),
            ("a2", "u3", "2025-06-02"),
        ):
            con.execute(
                f"insert into intermediate.{ROLLUP} select * replace "
                "(cast('2025-06-01 10:00:00' as timestamp) as max_loaded_at) "
                f"from intermediate.{ROLLUP} where account_id = ? and user_id = ? and activity_date = ?",
                [account_id, user_id, day],
            )
    finally:
        con.close()
    return path, tmp


def _test_run(night: tuple[Path, Path], recent_loads_only: bool) -> tuple[DbtOutcome, list[tuple], list[tuple]]:
    path, tmp = night
    selected = ["--select", REDELIVERIES, STAGED_UNIQUE, f"test_name:key_is_unique,{ROLLUP}"]
    outcome = _dbt(path, tmp, ["test", *selected, "--store-failures"], **{RECENT_LOADS_VAR: recent_loads_only})
    conflicts = _failing_keys(path, REDELIVERIES, "event_id, differing_columns")
    duplicates = _failing_keys(
        path, "key_is_unique_int_product_user_", "account_id, user_id, cast(activity_date as varchar), row_count"
    )
    return outcome, conflicts, duplicates


def test_every_key_checked_by_default(night: tuple[Path, Path]) -> None:
    outcome, conflicts, duplicates = _test_run(night, recent_loads_only=False)
    assert conflicts == [("e1", "occurred_at"), ("e3", "event_name")]
    assert duplicates == [("a1", "u2", "2025-06-01", 2), ("a2", "u3", "2025-06-02", 2), ("a2", "u3", "2025-06-12", 2)]
    assert outcome.statuses[STAGED_UNIQUE] == "pass"


def test_a_nightly_run_compares_the_event_ids_loaded_since_the_watermark(night: tuple[Path, Path]) -> None:
    outcome, conflicts, duplicates = _test_run(night, recent_loads_only=True)
    # e1's copies were both loaded before 06-09 08:00
    assert conflicts == [("e3", "event_name")]
    assert outcome.statuses[REDELIVERIES] == "warn"
    # the rollup's key test stays in full
    assert duplicates == [("a1", "u2", "2025-06-01", 2), ("a2", "u3", "2025-06-02", 2), ("a2", "u3", "2025-06-12", 2)]
    assert [status for name, status in outcome.statuses.items() if name.startswith("key_is_unique_")] == ["fail"]
    assert outcome.statuses[STAGED_UNIQUE] == "pass"
