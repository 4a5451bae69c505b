"""Session fixture of the semantic-layer and report tests: a small generated
company with every model built (no data tests: other modules run those), and
the project's semantic manifest in `target/` where MetricFlow reads it.

dbt runs in a child process: dbt-duckdb keeps its connection (and DuckDB's
file lock) open for the life of the process that ran it, and the `mf` and
report processes the tests start must open the file themselves."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from csra.dbt_invoke import PROJECT_DIR

SAMPLE_ACCOUNTS = 400
SAMPLE_SEED = 42
SAMPLE_AS_OF_DATE = "2026-11-30"


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a built 400-account DuckDB warehouse (seed 42, Dec 2023 - Nov 2026)."""
    from csra.generate import generate

    folder = tmp_path_factory.mktemp("small_sample")
    path = folder / "warehouse.duckdb"
    generate(str(path), accounts=SAMPLE_ACCOUNTS, seed=SAMPLE_SEED, start_month="2023-12", months=36, progress=False)
    env = {**os.environ, "DBT_DUCKDB_PATH": str(path), "DBT_PROFILES_DIR": str(PROJECT_DIR),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.pop("DBT_TARGET", None)
    env.pop("DBT_TARGET_PATH", None)  # `dbt parse` below must write <project>/target (conftest.py)
    dbt = str(Path(sys.executable).parent / "dbt")
    dbt_vars = json.dumps({"as_of_date": SAMPLE_AS_OF_DATE})
    # MetricFlow (mf CLI and the report) reads <project>/target/semantic_manifest.json,
    # which depends on the YAML only, so the last command writes the project's target/.
    for command in (["seed", "--target-path", str(folder / "target")],
                    ["run", "--target-path", str(folder / "target")],
                    ["parse"]):
        completed = subprocess.run(
            [dbt, *command, "--vars", dbt_vars], cwd=PROJECT_DIR, env=env,
            capture_output=True, text=True, timeout=1200, check=False,
        )
        assert completed.returncode == 0, f"dbt {command[0]} failed:\n{completed.stdout[-3000:]}"
    assert (PROJECT_DIR / "target" / "semantic_manifest.json").exists()
    return path
