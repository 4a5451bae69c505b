"""A loaded_at after the run's clock must not stop the nightly run (issue 15, item 4).

Mutation of a clean generated company (200 accounts, 2024): one extra event,
a copy of a real one under a new event_id, whose loaded_at is the placeholder
2099-01-01. Before the fix it moved the incremental watermark of the event
rollups to 2099 (max(max_loaded_at)), so every later load was never rolled
up, assert_product_rollups_reconcile_to_events failed every run after, and
--full-refresh put the watermark back to 2099.

The flow holds back the loads of the last two occurrence days (D - 1 and D,
late stragglers included), then:
  1. builds the rollups in full with the future event in the raw table;
  2. appends the loads of D - 1 and runs incrementally: the rollups must equal
     a full refresh (EXCEPT both ways), the reconciliation must pass and the
     warn test must name the event;
  3. after that --full-refresh, appends the loads of D and runs incrementally
     again: still equal to a full refresh.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import (
    EVENT_ROLLUPS,
    event_rollup_differences,
    execute,
    generate_company_2024,
    hold_back_event_loads,
    hold_event_rollups,
)

from csra.dbt_invoke import DbtOutcome, run_dbt

ROLLUPS = EVENT_ROLLUPS
FUTURE_EVENT_ID = "evt_loaded_in_2099"
WARN_TEST = "product_events__loaded_at__not_after_run_clock"
RECONCILE_TEST = "assert_product_rollups_reconcile_to_events"
SELECT = ["--select", "stg_product__events", *ROLLUPS, RECONCILE_TEST, WARN_TEST]
VARS = {"as_of_date": "2024-12-31"}


def _dbt(path: Path, tmp: Path, args: list[str]) -> DbtOutcome:
    return run_dbt(args, database=path, dbt_vars=VARS, target_path=tmp / "target")


def _incremental_equals_full_refresh(path: Path, tmp: Path) -> dict[str, tuple[int, int]]:
    """Copy the rollups, rebuild them in full, return (only incremental, only full) rows."""
    hold_event_rollups(path, "held")
    assert _dbt(path, tmp, ["run", "--select", *ROLLUPS, "--full-refresh"]).success
    differences = event_rollup_differences(path, "held")
    return {rollup: counts[2:] for rollup, counts in differences.items()}


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("future_loaded_at")
    path = tmp / "warehouse.duckdb"
    last_day = generate_company_2024(path)
    # the loads of D - 1 and of D (with every later straggler), moved aside
    added = hold_back_event_loads(path, "day_before", "= cast(? as date) - 1", [last_day])
    hold_back_event_loads(path, "last_day", ">= ?", [last_day])
    # the mutation: a copy of a real event under a new id, loaded in 2099
    execute(
        path,
        "insert into raw_product.events select ? as event_id, account_id, user_id, event_name, feature_key, "
        "occurred_at, timestamp '2099-01-01 00:00:00' as loaded_at "
        "from raw_product.events order by event_id limit 1",
        [FUTURE_EVENT_ID],
    )
    first = _dbt(path, tmp, ["build", "--select", "+" + ROLLUPS[0], "+" + ROLLUPS[1], "--full-refresh"])
    assert first.success, first.failed()

    execute(path, "insert into raw_product.events select * from held.day_before")
    second = _dbt(path, tmp, ["build", *SELECT])
    warn_sql = _compiled_test_sql(tmp)
    warned = execute(path, warn_sql) if warn_sql else None
    after_day_before = _incremental_equals_full_refresh(path, tmp)

    execute(path, "insert into raw_product.events select * from held.last_day")
    third = _dbt(path, tmp, ["build", *SELECT])
    after_last_day = _incremental_equals_full_refresh(path, tmp)
    return {
        "second": second,
        "third": third,
        "warned": warned,
        "after_day_before": after_day_before,
        "after_last_day": after_last_day,
        "added": added,
    }


def _compiled_test_sql(tmp: Path) -> str | None:
    """The warn test's compiled SQL (None when the project has no such test)."""
    found = list((tmp / "target" / "compiled").rglob(f"{WARN_TEST}.sql"))
    return found[0].read_text() if found else None


def test_later_loads_are_rolled_up(flow: dict[str, object]) -> None:
    assert flow["added"] > 0
    # before the fix: the watermark was 2099 - 3 days, the loads of D - 1 were
    # never rolled up and the incremental rows differed from a full refresh
    assert flow["after_day_before"] == {rollup: (0, 0) for rollup in ROLLUPS}
    second = flow["second"]
    assert second.success, second.failed()
    assert second.statuses[RECONCILE_TEST] == "pass"


def test_full_refresh_does_not_restore_a_future_watermark(flow: dict[str, object]) -> None:
    assert flow["after_last_day"] == {rollup: (0, 0) for rollup in ROLLUPS}
    third = flow["third"]
    assert third.success, third.failed()
    assert third.statuses[RECONCILE_TEST] == "pass"


def test_future_load_warns_with_its_key(flow: dict[str, object]) -> None:
    assert flow["second"].statuses.get(WARN_TEST) == "warn"
    warned = flow["warned"]
    assert warned is not None and len(warned) == 1
    message = warned[0][-1]
    assert message.startswith(f"raw_product.events event_id={FUTURE_EVENT_ID}, account_id="), message
    assert "loaded_at is after the run's clock" in message and "loaded_at=2099-01-01 00:00:00" in message
