#!/usr/bin/env bash
# The main job on a fresh machine: set up the venv, generate the sample
# company into warehouse.duckdb, build and test every model with dbt, and
# print the headline numbers.
#   ACCOUNTS=1000 SEED=42 AS_OF_DATE=2026-11-24 bash scripts/build_sample.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/bootstrap.sh

export DBT_DUCKDB_PATH=${DBT_DUCKDB_PATH:-warehouse.duckdb}
ACCOUNTS=${ACCOUNTS:-1000}
SEED=${SEED:-42}
AS_OF_DATE=${AS_OF_DATE:-$(date -u +%F)}

echo "==> generating $ACCOUNTS accounts (seed $SEED) into $DBT_DUCKDB_PATH"
.venv/bin/python -m csra.generate --database "$DBT_DUCKDB_PATH" --accounts "$ACCOUNTS" --seed "$SEED"
echo "==> dbt build (as_of_date $AS_OF_DATE)"
.venv/bin/dbt build --vars "{as_of_date: '$AS_OF_DATE'}"
echo
.venv/bin/python -m csra.headline --database "$DBT_DUCKDB_PATH"
