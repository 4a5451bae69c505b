#!/usr/bin/env bash
# Install the project as a local package into integration_tests/ and build it
# on a small generated company. Used by CI (see README "Install as a package").
#   bash integration_tests/run.sh            # contract billing
#   BILLING_FORMAT=stripe bash integration_tests/run.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
dbt="${DBT:-$root/.venv/bin/dbt}"
format="${BILLING_FORMAT:-contract}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
export CSRA_IT_DUCKDB_PATH="$work/integration.duckdb"
(cd "$root" && "$python" -m csra.generate --database "$CSRA_IT_DUCKDB_PATH" --accounts 120 --seed 3 \
    --start-month 2024-01 --months 18 --billing-format "$format" --quiet)
cd "$here"
"$dbt" deps --profiles-dir "$here" --project-dir "$here"
"$dbt" build --profiles-dir "$here" --project-dir "$here" --target-path "$work/target" \
    --vars "{billing_source: '$format'}"
