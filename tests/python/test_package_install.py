"""The project installs into a fresh dbt project as a local package and builds.

integration_tests/ is that fresh project (its own profile, dbt's default
schema naming, a model and a test of its own on top of a package mart);
integration_tests/run.sh generates a small company, runs `dbt deps` and
`dbt build` there. The script exits non-zero if anything fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def test_package_installs_and_builds_in_a_fresh_project() -> None:
    env = {**os.environ, "PYTHON": sys.executable, "DBT": str(Path(sys.executable).with_name("dbt"))}
    result = subprocess.run(
        ["bash", str(ROOT / "integration_tests" / "run.sh")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800, check=False,
    )
    tail = result.stdout[-3000:] + result.stderr[-2000:]
    assert result.returncode == 0, tail
    assert "Completed successfully" in result.stdout, tail
    # the host's own model and test ran on top of the package
    assert "host_revenue_by_month" in result.stdout
    assert "assert_package_marts_are_populated" in result.stdout
