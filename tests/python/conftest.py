"""Shared fixtures: hand-made raw datasets built through dbt.

`build_warehouse` writes raw tables (dicts of rows) to a fresh DuckDB file,
runs `dbt build` (or the given command) on it and returns the outcome and a
read-only connection factory, so every test reads real marts.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

# Under pytest-xdist two dbt processes must never share the project's
# target/ (partial parse file, manifest) or logs/: each worker writes its
# own, unless a call names a target path. MetricFlow alone reads
# <project>/target/semantic_manifest.json whatever the target path, so the
# report fixture writes that folder on purpose (report_fixtures.py).
if os.environ.get("PYTEST_XDIST_WORKER"):
    _worker_dir = Path(tempfile.mkdtemp(prefix=f"csra-pytest-{os.environ['PYTEST_XDIST_WORKER']}-"))
    os.environ.setdefault("DBT_TARGET_PATH", str(_worker_dir / "target"))
    os.environ.setdefault("DBT_LOG_PATH", str(_worker_dir / "logs"))

# Session fixtures of the cross-engine tests (marker `engines`), defined in
# engines_fixtures.py and registered here so every test_engines_*.py module
# shares one PostgreSQL server, one SparkSession and one build per engine.
from engines_fixtures import (  # noqa: F401
    bi_role,
    duckdb_build,
    engines_dir,
    engines_raw,
    pg_server,
    postgres_build,
    postgres_stripe_build,
    spark_build,
    spark_session,
    spark_stripe_build,
)

# Session fixture of the semantic-layer and report tests (issue 12).
from report_fixtures import small_sample  # noqa: F401

from csra.dbt_invoke import DbtOutcome, run_dbt
from csra.marts_diff import relation_differences
from csra.raw_schema import load_raw_dataset


@dataclass
class BuiltWarehouse:
    """A warehouse file built by dbt in a test."""

    path: Path
    outcome: DbtOutcome

    def query(self, sql: str, params: Sequence[object] | None = None) -> list[tuple]:
        """Run a query and return all rows."""
        return execute(self.path, sql, params)

    def dicts(self, sql: str, params: Sequence[object] | None = None) -> list[dict]:
        """Run a query and return rows as dicts."""
        con = duckdb.connect(str(self.path))
        try:
            cursor = con.execute(sql, params or [])
            names = [col[0] for col in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            con.close()


BuildWarehouse = Callable[..., BuiltWarehouse]


def build_raw_company(
    folder: Path,
    raw: Mapping[str, Sequence[Mapping[str, object]]],
    selection: Sequence[str],
    as_of_date: str,
) -> BuiltWarehouse:
    """A hand-made company in ``folder``: ``raw`` loaded into a fresh DuckDB
    file, then `dbt build --select <selection>` (run_dbt's cautious indirect
    selection: only tests whose parents are all selected)."""
    path = folder / "warehouse.duckdb"
    load_raw_dataset(str(path), raw)
    outcome = run_dbt(
        ["build", "--select", *selection],
        database=path,
        dbt_vars={"as_of_date": as_of_date},
        target_path=folder / "target",
    )
    return BuiltWarehouse(path=path, outcome=outcome)


EVENT_ROLLUPS = ("int_product_user_days_rolled_up", "int_product_feature_days_rolled_up")


def hold_event_rollups(path: Path, schema: str) -> None:
    """Copy the event rollups as built (schema intermediate) into ``schema``."""
    con = duckdb.connect(str(path))
    try:
        con.execute(f"create schema if not exists {schema}")
        for rollup in EVENT_ROLLUPS:
            con.execute(f"create or replace table {schema}.{rollup} as select * from intermediate.{rollup}")
    finally:
        con.close()


def event_rollup_differences(path: Path, schema: str) -> dict[str, tuple[int, int, int, int]]:
    """relation_differences of each event rollup held in ``schema`` against the
    one built now in intermediate: (rows held, rows now, only held, only now)."""
    con = duckdb.connect(str(path))
    try:
        return {
            rollup: relation_differences(con, f"{schema}.{rollup}", f"intermediate.{rollup}")
            for rollup in EVENT_ROLLUPS
        }
    finally:
        con.close()


def assert_usage_months_match(
    company: BuiltWarehouse,
    columns: Sequence[str],
    expected_rows: Mapping[tuple[str, str], Sequence[object]],
) -> None:
    """marts.mart_account_usage_monthly holds exactly ``expected_rows``, keyed
    by (account_id, month_start), with ``columns`` in that order; floats are
    compared to 12 significant digits."""
    rows = company.dicts("select * from marts.mart_account_usage_monthly")
    got = {(row["account_id"], str(row["month_start"])): row for row in rows}
    assert set(got) == set(expected_rows)
    for key, values in expected_rows.items():
        for column, expected in zip(columns, values, strict=True):
            actual = got[key][column]
            if isinstance(expected, float):
                assert actual == pytest.approx(expected, rel=1e-12), (key, column, actual)
            else:
                assert actual == expected, (key, column, actual)


def execute(path: Path, sql: str, params: Sequence[object] | None = None) -> list[tuple]:
    """Run one statement on the DuckDB file at ``path`` and return its rows."""
    con = duckdb.connect(str(path))
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def generate_company_2024(path: Path) -> date:
    """The small generated company of the incremental-flow tests (200 accounts,
    seed 11, January-December 2024) at ``path``; returns its last event day."""
    from csra.generate import generate

    generate(str(path), accounts=200, seed=11, start_month="2024-01", months=12, progress=False)
    return execute(path, "select max(cast(occurred_at as date)) from raw_product.events")[0][0]


def hold_back_event_loads(path: Path, held_table: str, loaded_on: str, params: Sequence[object]) -> int:
    """Move the raw events whose load date matches ``loaded_on`` (a condition
    on the load date, e.g. ">= ?") into held.<held_table>, to append later as a
    new load; returns how many moved."""
    load_date = "cast(loaded_at as date)"
    execute(path, "create schema if not exists held")
    execute(path, f"create table held.{held_table} as select * from raw_product.events where {load_date} {loaded_on}",
            params)
    execute(path, f"delete from raw_product.events where {load_date} {loaded_on}", params)
    return execute(path, f"select count(*) from held.{held_table}")[0][0]


def event_row(
    event_id: str | None,
    account_id: str | None,
    user_id: str | None,
    event_name: str,
    feature_key: str | None,
    occurred_at: str,
    loaded_at: str | None = None,
) -> dict[str, object]:
    """One raw_product.events row; loaded when it occurred unless ``loaded_at`` says otherwise."""
    return {
        "event_id": event_id,
        "account_id": account_id,
        "user_id": user_id,
        "event_name": event_name,
        "feature_key": feature_key,
        "occurred_at": occurred_at,
        "loaded_at": loaded_at or occurred_at,
    }


@pytest.fixture
def build_warehouse(tmp_path: Path) -> Iterator[BuildWarehouse]:
    """Factory: raw rows -> built warehouse (one fresh DuckDB file per call)."""
    counter = {"n": 0}

    def _build(
        raw: Mapping[str, Sequence[Mapping[str, object]]],
        *,
        dbt_vars: Mapping[str, object] | None = None,
        args: Sequence[str] = ("build",),
    ) -> BuiltWarehouse:
        counter["n"] += 1
        path = tmp_path / f"warehouse_{counter['n']}.duckdb"
        load_raw_dataset(str(path), raw)
        outcome = run_dbt(
            list(args),
            database=path,
            dbt_vars=dbt_vars,
            target_path=tmp_path / f"target_{counter['n']}",
        )
        return BuiltWarehouse(path=path, outcome=outcome)

    yield _build


GENERATED_ACCOUNTS = 10_000
GENERATED_AS_OF_DATE = "2026-10-31"


@pytest.fixture(scope="session")
def generated_company(tmp_path_factory: pytest.TempPathFactory) -> BuiltWarehouse:
    """A 10,000-account generated company, built once with a full `dbt build`.

    Every data test of the project (the invariants included) runs on it in
    that build; tests then read its marts.
    """
    from csra.generate import generate

    folder = tmp_path_factory.mktemp("generated_company")
    path = folder / "warehouse.duckdb"
    generate(str(path), accounts=GENERATED_ACCOUNTS, seed=20261125, start_month="2023-11", months=36, progress=False)
    outcome = run_dbt(
        ["build"],
        database=path,
        dbt_vars={"as_of_date": GENERATED_AS_OF_DATE},
        target_path=folder / "target",
    )
    return BuiltWarehouse(path=path, outcome=outcome)


# The suite runs on two pytest-xdist workers (`-n 2 --dist loadgroup`,
# scripts/test.sh). A session fixture is built once per worker, so every
# test that uses one of the expensive ones joins that fixture's group, and
# every other test its module's group (module fixtures are built once too):
# each group runs whole on one worker.
_SESSION_FIXTURE_GROUPS = {
    "pg_server": "engines",
    "spark_session": "engines",
    "duckdb_build": "engines",
    "postgres_build": "engines",
    "spark_build": "engines",
    "postgres_stripe_build": "engines",
    "spark_stripe_build": "engines",
    "small_sample": "report",
    "generated_company": "generated_company",
}
_FIRST_GROUPS = ("engines", "generated_company")


# tryfirst: xdist's own (untagged) hook turns the marks into node ids and
# must see them
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    groups: dict[str, str] = {}
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("engines"):
            # some ask for an engine's fixtures by name at run time
            used.add("spark_session")
        group = next(
            (group for fixture, group in _SESSION_FIXTURE_GROUPS.items() if fixture in used),
            item.module.__name__ if item.module else item.nodeid,
        )
        groups[item.nodeid] = group
        item.add_marker(pytest.mark.xdist_group(group))
    # the longest group (three engines, about half the suite) is sent first
    # (scripts/test.sh passes --no-loadscope-reorder): started last, it
    # would run alone at the end
    items.sort(key=lambda item: groups[item.nodeid] not in _FIRST_GROUPS)


def pytest_xdist_node_collection_finished(node: object, ids: list[str]) -> None:
    # loadgroup schedules by the "@group" suffix xdist adds to each node id on
    # the workers. Without it (a pytest and xdist that no longer agree, as
    # pytest 9.2 with xdist 3.8) every worker would quietly build every
    # expensive fixture again: stop and say so.
    if node.config.getoption("dist") == "loadgroup":  # type: ignore[attr-defined]
        ungrouped = [nodeid for nodeid in ids if "@" not in nodeid.rsplit("]", 1)[-1]]
        if ungrouped:
            pytest.exit(f"--dist loadgroup left {len(ungrouped)} tests ungrouped, e.g. {ungrouped[0]}", returncode=3)
