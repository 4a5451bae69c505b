#!/usr/bin/env bash
# The main job on a fresh machine: set up the venv, generate the sample
# company into warehouse.duckdb, build and test every model with dbt (a
# progress bar; the full log goes to logs/dbt.log), print the headline
# numbers, write the visual report and the offline docs site, and end with
# the paths of both.
#   ACCOUNTS=1000 SEED=42 AS_OF_DATE=2026-11-24 bash scripts/build_sample.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/bootstrap.sh
# the `csra` command (pyproject.toml); the dependencies are the pinned set above
[ -x .venv/bin/csra ] || .venv/bin/python -m pip install --quiet --no-deps -e .

export DBT_DUCKDB_PATH=${DBT_DUCKDB_PATH:-warehouse.duckdb}
ACCOUNTS=${ACCOUNTS:-1000}
SEED=${SEED:-42}
AS_OF_DATE=${AS_OF_DATE:-$(date -u +%F)}

echo "==> generating $ACCOUNTS accounts (seed $SEED) into $DBT_DUCKDB_PATH"
.venv/bin/csra generate --database "$DBT_DUCKDB_PATH" --accounts "$ACCOUNTS" --seed "$SEED" --quiet
echo "==> dbt build (as_of_date $AS_OF_DATE)"
.venv/bin/csra build --database "$DBT_DUCKDB_PATH" --as-of-date "$AS_OF_DATE"
echo
.venv/bin/csra headline --database "$DBT_DUCKDB_PATH"
echo
echo "==> docs site and report"
mkdir -p logs
.venv/bin/dbt --quiet docs generate --static --vars "{as_of_date: '$AS_OF_DATE'}" > logs/docs.log 2>&1 \
    || { cat logs/docs.log; exit 1; }
report=$(.venv/bin/csra report --database "$DBT_DUCKDB_PATH" --out report)
echo "Report:    $report"
echo "Docs site: $PWD/report/docs/index.html (also target/static_index.html)"
