"""The MetricFlow semantic layer answers what the marts publish.

Each test runs the real `mf query` command line (dbt-metricflow, through the
dbt adapter of the default DuckDB target) on a small generated company and
compares every row with the mart row of the same month and segment: per
segment, and ungrouped (the company), which must equal the mart's
`segment = 'all'` row. Money to the cent, ratios to 1e-9 relative.
"""

from __future__ import annotations

import csv
import math
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from csra.dbt_invoke import PROJECT_DIR

pytestmark = pytest.mark.semantic

SEGMENTS = ("smb", "mid_market", "enterprise")


def mf_query(database: Path, tmp_path: Path, metrics: list[str], group_by: list[str]) -> list[dict[str, str]]:
    """Run `mf query --csv` and return its rows."""
    out = tmp_path / f"{'_'.join(metrics)}__{'_'.join(group_by)}.csv"
    env = {**os.environ, "DBT_DUCKDB_PATH": str(database), "DBT_PROFILES_DIR": str(PROJECT_DIR)}
    env.pop("DBT_TARGET", None)
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "mf"), "query", "--metrics", ",".join(metrics),
         "--group-by", ",".join(group_by), "--csv", str(out)],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    with out.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def mart_rows(database: Path, sql: str, keys: int = 2) -> dict[tuple, dict[str, object]]:
    """{(month text, segment, ...): {column: value}} from a mart query whose first `keys` columns are the key."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    finally:
        con.close()
    return {
        (str(row[0])[:10], *row[1:keys]): dict(zip(names[keys:], row[keys:], strict=True)) for row in rows
    }


def as_number(text: str) -> float | None:
    return None if text in ("", None) else float(text)


def assert_close(actual: float | None, expected: object, key: tuple, tolerance: float) -> None:
    if expected is None:
        assert actual is None, f"{key}: mf gives {actual}, the mart null"
        return
    assert actual is not None, f"{key}: mf gives null, the mart {expected}"
    assert math.isclose(actual, float(expected), rel_tol=tolerance, abs_tol=tolerance), (
        f"{key}: mf gives {actual}, the mart {expected}"
    )


def compare(
    database: Path, tmp_path: Path, metrics: dict[str, str], mart_sql: str, *, time: str = "metric_time__month",
    tolerance: float = 1e-9, additive: bool = False,
) -> int:
    """mf by month x segment, and by month alone (the company), against every mart row.

    `metrics` maps each metric to its mart column; `mart_sql` selects the key
    (month, segment) and those columns for every row, the 'all' rows included.
    A month the mart has but mf omits must be null in the mart; a month mf
    returns that the mart lacks must be null in mf. For `additive` amounts
    (money) "no row" and 0 are the same answer. Returns the values compared.
    """
    expected = mart_rows(database, mart_sql)
    compared = 0
    for group_by in ([time, "segment"], [time]):
        answered = {
            (row[time][:10], row.get("segment", "all")): row
            for row in mf_query(database, tmp_path, list(metrics), group_by)
        }
        wanted = {key for key in expected if (key[1] == "all") == (group_by == [time])}
        for key in wanted | set(answered):
            for metric, column in metrics.items():
                mart_value = expected.get(key, {}).get(column)
                mf_value = as_number(answered[key][metric]) if key in answered else None
                if additive:
                    mart_value, mf_value = mart_value or 0, mf_value or 0.0
                assert_close(mf_value, mart_value, (metric, *key), tolerance)
                compared += mart_value is not None
    return compared


def test_revenue_metrics_equal_the_retention_mart(small_sample: Path, tmp_path: Path) -> None:
    money = {"mrr": "ending_mrr", "arr": "ending_arr", "expansion_mrr": "expansion_mrr", "churned_mrr": "churned_mrr"}
    sql = "select month_start, segment, " + ", ".join(money.values()) + " from marts.mart_revenue_retention"
    assert compare(small_sample, tmp_path, money, sql, tolerance=0.005, additive=True) > 400


def test_retention_rates_equal_the_retention_mart(small_sample: Path, tmp_path: Path) -> None:
    rates = {name: name for name in ("nrr_t12m", "grr_t12m", "nrr_monthly", "grr_monthly")}
    sql = "select month_start, segment, " + ", ".join(rates) + " from marts.mart_revenue_retention"
    assert compare(small_sample, tmp_path, rates, sql) > 300


def test_logo_churn_rate_equals_the_churn_mart(small_sample: Path, tmp_path: Path) -> None:
    sql = "select month_start, segment, logo_churn_rate from marts.mart_churn"
    assert compare(small_sample, tmp_path, {"logo_churn_rate": "logo_churn_rate"}, sql) > 100


def test_renewal_rates_equal_the_renewals_mart(small_sample: Path, tmp_path: Path) -> None:
    rates = {"logo_renewal_rate": "logo_renewal_rate", "arr_renewal_rate": "arr_renewal_rate"}
    sql = "select month_start, segment, logo_renewal_rate, arr_renewal_rate from marts.mart_renewals"
    assert compare(small_sample, tmp_path, rates, sql) > 50


def test_ttv_share_and_median_equal_the_cohort_mart(small_sample: Path, tmp_path: Path) -> None:
    shares = {f"ttv_share_within_{n}d": f"share_within_{n}d" for n in (30, 60, 90)}
    sql = "select cohort_month, segment, " + ", ".join(shares.values()) + " from marts.mart_ttv_cohorts"
    assert compare(small_sample, tmp_path, shares, sql) > 100
    # the median is only published at the mart grain: segment 'all' is a row of its own
    expected = {
        key: row["median_ttv_days"]
        for key, row in mart_rows(
            small_sample, "select cohort_month, segment, median_ttv_days from marts.mart_ttv_cohorts"
        ).items()
        if row["median_ttv_days"] is not None
    }
    rows = mf_query(small_sample, tmp_path, ["median_ttv_days"], ["metric_time__month", "segment"])
    answered = {(row["metric_time__month"][:10], row["segment"]): as_number(row["median_ttv_days"]) for row in rows}
    assert {key for key, value in answered.items() if value is not None} == set(expected)
    for key, value in expected.items():
        assert_close(answered[key], value, key, 1e-9)


def test_cs_sourced_share_equals_the_attribution_mart(small_sample: Path, tmp_path: Path) -> None:
    sql = "select month_start, segment, cs_sourced_share from marts.mart_expansion_attribution"
    assert compare(small_sample, tmp_path, {"cs_sourced_expansion_share": "cs_sourced_share"}, sql) > 30


def test_csqp_arr_created_equals_the_csqp_mart(small_sample: Path, tmp_path: Path) -> None:
    sql = (
        "select month_start, segment, sum(arr_created) as arr_created, sum(arr_won) as arr_won "
        "from marts.mart_csqp group by 1, 2 having sum(opportunities_created) > 0"
    )
    metrics = {"csqp_arr_created": "arr_created", "csqp_arr_won": "arr_won"}
    assert compare(small_sample, tmp_path, metrics, sql, tolerance=0.005, additive=True) > 30


@pytest.mark.parametrize(("survey_type", "metrics"), [
    ("csat", ("csat", "csat_arr_weighted")), ("nps", ("nps", "nps_arr_weighted")), ("ces", ("ces", "ces_arr_weighted")),
])
def test_experience_scores_equal_the_experience_mart(
    small_sample: Path, tmp_path: Path, survey_type: str, metrics: tuple[str, str]
) -> None:
    # one mart row per month x touchpoint x ARR band x segment (bands other than 'all')
    expected = mart_rows(
        small_sample,
        "select month_start, touchpoint, arr_band, segment, score, score_arr_weighted from marts.mart_experience "
        f"where survey_type = '{survey_type}' and arr_band <> 'all' and segment <> 'all'",
        keys=4,
    )
    dimensions = ["experience_group__touchpoint", "experience_group__arr_band"]
    rows = mf_query(small_sample, tmp_path, list(metrics), ["metric_time__month", *dimensions, "segment"])
    answered = {(row["metric_time__month"][:10], *(row[d] for d in dimensions), row["segment"]): row for row in rows}
    assert set(answered) == set(expected)
    for key, mart in expected.items():
        assert_close(as_number(answered[key][metrics[0]]), mart["score"], (metrics[0], *key), 1e-9)
        assert_close(as_number(answered[key][metrics[1]]), mart["score_arr_weighted"], (metrics[1], *key), 1e-9)


def test_segments_add_up_to_the_company(small_sample: Path, tmp_path: Path) -> None:
    """Ungrouped MRR of the last month = sum of the three segments (no 'all' row double-counted)."""
    by_segment = mf_query(small_sample, tmp_path, ["mrr"], ["metric_time__month", "segment"])
    company = mf_query(small_sample, tmp_path, ["mrr"], ["metric_time__month"])
    last = max(row["metric_time__month"] for row in company)
    segment_total = sum(float(row["mrr"]) for row in by_segment if row["metric_time__month"] == last)
    assert {row["segment"] for row in by_segment} == set(SEGMENTS)
    company_total = next(float(row["mrr"]) for row in company if row["metric_time__month"] == last)
    assert math.isclose(segment_total, company_total, abs_tol=0.01)


def _run(args: list[str], database: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DBT_DUCKDB_PATH": str(database), "DBT_PROFILES_DIR": str(PROJECT_DIR),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.pop("DBT_TARGET", None)
    return subprocess.run(
        [str(Path(sys.executable).parent / args[0]), *args[1:]], cwd=PROJECT_DIR, env=env,
        capture_output=True, text=True, timeout=600, check=False,
    )


def test_mf_validate_configs_is_clean(small_sample: Path) -> None:
    """Semantic checks and the checks against the warehouse: no error, no warning."""
    result = _run(["mf", "validate-configs"], small_sample)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    summaries = [line for line in output.replace("\r", "\n").splitlines() if "Successfully validated" in line]
    assert len(summaries) >= 6, output[-3000:]
    assert all("ERRORS: 0, FUTURE_ERRORS: 0, WARNINGS: 0" in line for line in summaries), summaries


def test_static_docs_site_builds_without_warnings(small_sample: Path, tmp_path: Path) -> None:
    """`dbt docs generate --static`: one self-contained HTML file, no warning on the way."""
    target = tmp_path / "target"
    result = _run(["dbt", "docs", "generate", "--static", "--target-path", str(target),
                   "--vars", '{"as_of_date": "2026-11-30"}'], small_sample)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "[WARNING]" not in output and "Warning" not in output, output[-3000:]
    page = (target / "static_index.html").read_text(encoding="utf-8")
    assert len(page) > 1_000_000 and "metricflow_time_spine" in page and "cs_report" in page
