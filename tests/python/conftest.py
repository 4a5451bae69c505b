"""Shared fixtures: hand-made raw datasets built through dbt.

`build_warehouse` writes raw tables (dicts of rows) to a fresh DuckDB file,
runs `dbt build` (or the given command) on it and returns the outcome and a
read-only connection factory, so every test reads real marts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from csra.dbt_invoke import DbtOutcome, run_dbt
from csra.raw_schema import load_raw_dataset


@dataclass
class BuiltWarehouse:
    """A warehouse file built by dbt in a test."""

    path: Path
    outcome: DbtOutcome

    def query(self, sql: str, params: Sequence[object] | None = None) -> list[tuple]:
        """Run a query and return all rows."""
        con = duckdb.connect(str(self.path))
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

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
