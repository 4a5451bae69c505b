"""Run dbt in-process against a chosen DuckDB file.

Tests and CLI helpers call dbt through here so every invocation uses the
repository's project and profile, the given warehouse file and, optionally,
its own target folder (parallel runs must not share `target/`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class DbtOutcome:
    """What one dbt invocation did: success flag and per-node statuses."""

    success: bool
    statuses: dict[str, str]
    messages: dict[str, str]

    def failed(self) -> dict[str, str]:
        """Nodes that did not pass (fail, error, warn is not a failure)."""
        return {
            name: status
            for name, status in self.statuses.items()
            if status in {"fail", "error", "runtime error"}
        }

    def warned(self) -> dict[str, str]:
        """Nodes whose status is warn."""
        return {name: status for name, status in self.statuses.items() if status == "warn"}


def _release_duckdb() -> None:
    """Close the DuckDB instance dbt-duckdb keeps open for the process.

    The profile opens the file with config options (memory_limit,
    temp_directory); while that instance lives, any other connection to the
    file in this process must repeat them exactly, so callers that read the
    warehouse after a run (tests, the CLI) could not open it.
    """
    import gc

    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # another adapter
        return
    DuckDBConnectionManager.close_all_connections()
    gc.collect()


def run_dbt(
    args: Sequence[str],
    *,
    database: str | os.PathLike[str],
    dbt_vars: Mapping[str, object] | None = None,
    target_path: str | os.PathLike[str] | None = None,
    project_dir: str | os.PathLike[str] = PROJECT_DIR,
) -> DbtOutcome:
    """Invoke `dbt <args>` in-process on ``database`` and summarise the result.

    ``project_dir`` (default: this repository) holds dbt_project.yml and
    profiles.yml; tests pass a temporary copy of the project.
    """
    from dbt.cli.main import dbtRunner  # imported late: dbt is slow to import

    os.environ["DBT_DUCKDB_PATH"] = str(database)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    # a selective build must not pick up another area's cross-model tests
    # whose other parent was not built (they would error, not fail)
    os.environ.setdefault("DBT_INDIRECT_SELECTION", "cautious")
    cli_args = [
        *args,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
    ]
    if dbt_vars:
        cli_args += ["--vars", json.dumps(dict(dbt_vars))]
    if target_path is not None:
        cli_args += ["--target-path", str(target_path)]
    result = dbtRunner().invoke(cli_args)
    _release_duckdb()
    statuses: dict[str, str] = {}
    messages: dict[str, str] = {}
    for node_result in getattr(result.result, "results", None) or []:
        name = node_result.node.name
        if str(getattr(node_result.node, "resource_type", "")) == "operation" and str(node_result.status) == "success":
            # the on-run-start preflight (assert_raw_contract) when it passed:
            # not a model or test of the project; a failing one is kept
            continue
        statuses[name] = str(node_result.status)
        messages[name] = str(node_result.message or "")
    return DbtOutcome(success=bool(result.success), statuses=statuses, messages=messages)
