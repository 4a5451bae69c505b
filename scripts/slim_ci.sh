#!/usr/bin/env bash
# Slim CI for a change: build and test only the models the change touched
# and their children (state:modified+), deferring every other ref to
# production, on a COPY of the production DuckDB file (same file name, so
# deferred relations resolve inside the copy; production is never written).
#
#   scripts/slim_ci.sh /srv/warehouse.duckdb /srv/nightly_runs/latest [more csra nightly args]
#
# Exit codes as csra nightly (README, "Nightly runs"): 0 OK, 1 a test failed,
# 4 could not run (no production manifest, broken raw contract, ...).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
prod_db=${1:?usage: scripts/slim_ci.sh PRODUCTION_DUCKDB_FILE PRODUCTION_ARTIFACTS_DIR}
state=${2:?usage: scripts/slim_ci.sh PRODUCTION_DUCKDB_FILE PRODUCTION_ARTIFACTS_DIR}
shift 2
ci_dir=$(mktemp -d -t csra-slim-ci-XXXXXX)
cp "$prod_db" "$ci_dir/$(basename "$prod_db")"
export DBT_DUCKDB_PATH="$ci_dir/$(basename "$prod_db")"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
status=0
.venv/bin/python -m csra.nightly --slim --state "$state" --artifacts-dir "$ci_dir/artifacts" "$@" || status=$?
rm -f "$DBT_DUCKDB_PATH" "$DBT_DUCKDB_PATH.wal"
echo "slim CI artifacts: $ci_dir/artifacts"
exit "$status"
