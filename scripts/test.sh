#!/usr/bin/env bash
# Every check: SQL lint, Python lint, and the pytest suite (which builds
# hand-made and generated companies with dbt, runs every dbt data and unit
# test, and compares DuckDB with PostgreSQL and Spark).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/system_deps.sh
source scripts/bootstrap.sh
export DBT_DUCKDB_PATH=${DBT_DUCKDB_PATH:-/tmp/csra_lint.duckdb}

echo "==> ruff"
.venv/bin/ruff check csra tests/python
echo "==> sqlfluff lint"
.venv/bin/sqlfluff lint models tests/assertions analyses
# the Stripe adapter is disabled unless billing_source=stripe
.venv/bin/sqlfluff lint --config .sqlfluff-stripe models/staging/stripe models/intermediate/billing_stripe
# the suite's companies are small (per-node overhead, not event-sized
# queries): two dbt threads per worker, as the suite's time was measured
export DBT_THREADS=${DBT_THREADS:-2}
echo "==> pytest on ${CSRA_TEST_WORKERS:=2} workers"
# each expensive fixture is built once: tests sharing one run on one worker
# (tests/python/conftest.py); two workers on two cores (measured from a fresh
# clone: 30.5 minutes; three took 33.5), CSRA_TEST_WORKERS=0 runs in this process
.venv/bin/python -m pytest -n "$CSRA_TEST_WORKERS" --dist loadgroup --no-loadscope-reorder --durations=15 "$@"
