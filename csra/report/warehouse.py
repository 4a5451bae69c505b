"""Read the published marts and the semantic layer through the dbt adapter.

The report never opens a DuckDB connection of its own: it asks dbt for the
project's manifest (`dbt parse`, which also writes the semantic manifest
MetricFlow reads), resolves each mart to its relation name on the active
target, and runs plain, portable SELECTs through the target's dbt adapter
(MetricFlow's adapter-backed SQL client). Metrics go through the MetricFlow
engine on the same adapter. So any target in profiles.yml works: DuckDB
(`--database FILE`), PostgreSQL and Spark (`--target postgres|spark`).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from contextlib import redirect_stdout
from decimal import Decimal
from pathlib import Path

from csra.dbt_invoke import PROJECT_DIR


class WarehouseError(Exception):
    """A problem the user can fix (missing file, unbuilt marts); printed as one line."""


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


class Warehouse:
    """The marts of one dbt target, readable by model name."""

    def __init__(self, database: str | os.PathLike[str] | None = None, target: str | None = None) -> None:
        os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        os.environ["DBT_PROFILES_DIR"] = str(PROJECT_DIR)
        if target:
            os.environ["DBT_TARGET"] = target
        self.target = os.environ.get("DBT_TARGET", "duckdb")
        if self.target == "duckdb":
            path = Path(database or os.environ.get("DBT_DUCKDB_PATH", "warehouse.duckdb")).resolve()
            if not path.exists():
                raise WarehouseError(f"no such warehouse file: {path} (generate and build it first: csra build)")
            os.environ["DBT_DUCKDB_PATH"] = str(path)
            self.label = str(path)
        else:
            self.label = f"dbt target {self.target}"
        self._relations = self._parse_project()
        self._config = self._metricflow()

    @staticmethod
    def _parse_project() -> dict[str, str]:
        from dbt.cli.main import dbtRunner

        with redirect_stdout(io.StringIO()):
            result = dbtRunner().invoke(
                ["--quiet", "parse", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
            )
        if not result.success or result.result is None:
            raise WarehouseError(f"dbt could not parse the project: {result.exception}")
        return {
            node.name: node.relation_name
            for node in result.result.nodes.values()
            if node.resource_type == "model" or node.resource_type == "seed"
        }

    @staticmethod
    def _metricflow():
        from dbt_metricflow.cli.cli_configuration import CLIConfiguration

        config = CLIConfiguration()
        with redirect_stdout(io.StringIO()):
            config.setup(dbt_profiles_path=PROJECT_DIR, dbt_project_path=PROJECT_DIR, configure_file_logging=False)
        return config

    def relation(self, model: str) -> str:
        return self._relations[model]

    def rows(self, sql: str) -> list[dict[str, object]]:
        """Run a SELECT whose `{model_name}` placeholders name models or seeds."""
        rendered = re.sub(r"\{(\w+)\}", lambda match: self.relation(match.group(1)), sql)
        try:
            table = self._config.sql_client.query(rendered)
        except Exception as exc:  # the adapter raises engine-specific types
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise WarehouseError(
                f"cannot read the marts from {self.label} ({message[:160]}); has `dbt build` run on it?"
            ) from exc
        return [
            {name: _plain(value) for name, value in zip(table.column_names, row, strict=True)} for row in table.rows
        ]

    def metrics(
        self, metrics: list[str], group_by: list[str], where: list[str] | None = None
    ) -> list[dict[str, object]]:
        """Query the semantic layer (MetricFlow) and return plain rows."""
        from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

        request = MetricFlowQueryRequest.create(
            metric_names=metrics, group_by_names=group_by, where_constraints=where, order_by_names=group_by
        )
        try:
            table = self._config.mf.query(request).result_df
        except Exception as exc:
            raise WarehouseError(f"semantic layer query {metrics} failed: {str(exc).splitlines()[0][:160]}") from exc
        return [
            {name: _plain(value) for name, value in zip(table.column_names, row, strict=True)} for row in table.rows
        ]

    def check_built(self) -> None:
        """One clear line when the file holds raw data but no marts."""
        self.rows("select count(*) as n from {mart_revenue_retention}")
