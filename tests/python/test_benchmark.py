"""The benchmark's target check (csra.benchmark.targets) on hand-worked numbers,
its engine comparison, and its memory sampler.

Not a timing test: it checks the arithmetic that turns one run's medians
into issue 16's ratios, and that a ratio above its limit is reported unmet.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from csra.benchmark import _PeakSampler, engines_markdown, markdown, nodes_running_at, targets

# an L run: 50 M events; full 400 s, nightly 60 s, floor 5 s, rollups 30 s
# over a 6 s events floor, peak 6,656 MB
LARGE = {
    "scale": "L", "events": 50_000_000, "full_build_s": 400.0, "nightly_s": 60.0, "floor_s": 5.0,
    "event_rollups_s": 30.0, "floor_events_s": 6.0, "peak_rss_mb": 6656.0,
}
# its M: 10 M events, full 72 s
MEDIUM = {"scale": "M", "events": 10_000_000, "full_build_s": 72.0}


def test_ratios_and_limits_worked_by_hand() -> None:
    rows = {row["ratio"]: row for row in targets(LARGE, MEDIUM)}
    # 60 / 400 = 0.15 > 0.10
    assert rows["nightly_over_full"]["value"] == pytest.approx(0.15)
    assert rows["nightly_over_full"]["met"] is False
    # 400 / 5 = 80 > 50
    assert rows["full_over_floor"]["value"] == pytest.approx(80.0)
    assert rows["full_over_floor"]["met"] is False
    # 30 / 6 = 5 > 4
    assert rows["rollups_over_events_floor"]["value"] == pytest.approx(5.0)
    assert rows["rollups_over_events_floor"]["met"] is False
    # 6,656 MB = 6.5 GB > 6
    assert rows["peak_rss_gb"]["value"] == pytest.approx(6.5)
    assert rows["peak_rss_gb"]["met"] is False
    # (400 / 72) / (50 / 10) = 5.556 / 5 = 1.111 > 1.1: just not linear enough
    assert rows["time_growth_over_event_growth"]["value"] == pytest.approx(1.1111, abs=1e-4)
    assert rows["time_growth_over_event_growth"]["met"] is False


def test_met_when_at_or_under_the_limit() -> None:
    fast = {**LARGE, "nightly_s": 40.0, "floor_s": 8.0, "event_rollups_s": 24.0, "peak_rss_mb": 6144.0}
    rows = {row["ratio"]: row for row in targets(fast, {**MEDIUM, "full_build_s": 80.0})}
    # 40 / 400 = 0.10; 400 / 8 = 50; 24 / 6 = 4; 6,144 MB = 6 GB; (400 / 80) / 5 = 1.0
    assert all(row["met"] for row in rows.values()), rows


def test_growth_needs_a_smaller_scale_of_the_same_run() -> None:
    assert "time_growth_over_event_growth" not in {row["ratio"] for row in targets(LARGE)}


def test_report_shows_the_targets_under_the_measures() -> None:
    result = {
        **LARGE, "accounts": 50_000, "runs": 3, "date": "2026-12-06", "generate_s": 100.0, "nodes": 800,
        "nightly_over_full": 0.15, "full_over_floor": 80.0, "rollups_over_events_floor": 5.0,
        "event_rollups_nightly_s": 2.0, "unit_tests_s": 10.0, "peak_rss_full_mb": 6000.0,
        "peak_rss_nightly_mb": 6656.0, "size_mb": 4000.0,
        "machine": {"memory_limit": "4GB", "dbt_threads": "2", "cpus": 2},
        "slowest_nodes": [], "slowest_nightly_nodes": [],
        "targets": targets(LARGE, MEDIUM), "targets_against": "M",
    }
    text = markdown(result)
    assert "| nightly run / full build | 0.15 | 0.1 | **no** |" in text
    assert "| full build growth / event growth from the smaller scale (M) | 1.11 | 1.1 | **no** |" in text
    # the targets table comes after the measures, before the memory line
    assert text.index("| unit tests in the full build") < text.index("| target (issue 16)") < text.index("Peak RSS")


def _result(unique_id: str, started: str, completed: str) -> dict:
    return {
        "unique_id": unique_id,
        "timing": [
            {"name": "compile", "started_at": "2026-12-06T08:00:00.000000Z", "completed_at": started},
            {"name": "execute", "started_at": started, "completed_at": completed},
        ],
    }


def test_nodes_running_at_the_peak_are_those_whose_execute_spans_it() -> None:
    results = {
        "results": [
            # 08:00:10 .. 08:00:40: spans 08:00:30
            _result("model.cs_revenue_analytics.int_a", "2026-12-06T08:00:10.000000Z", "2026-12-06T08:00:40.000000Z"),
            # ends exactly at 08:00:30: still running then
            _result("test.cs_revenue_analytics.t_b.abc", "2026-12-06T08:00:20.000000Z", "2026-12-06T08:00:30.000000Z"),
            # starts a second later: not running
            _result("model.cs_revenue_analytics.int_c", "2026-12-06T08:00:31.000000Z", "2026-12-06T08:00:50.000000Z"),
        ]
    }
    moment = dt.datetime(2026, 12, 6, 8, 0, 30, tzinfo=dt.UTC)
    assert nodes_running_at(results, moment) == ["model int_a", "test t_b.abc"]
    # no sample taken (a build shorter than one interval): nothing named
    assert nodes_running_at(results, None) == []


def test_sampler_sees_a_child_process_holding_memory() -> None:
    # a child that holds 200 MB for a second: the sampled peak of its tree is
    # at least that and is stamped while it ran
    code = "import time; block = bytearray(200 * 2**20); block[::4096] = b'x' * len(block[::4096]); time.sleep(1.5)"
    before = dt.datetime.now(dt.UTC)
    process = subprocess.Popen([sys.executable, "-c", code])
    sampler = _PeakSampler(process.pid, every_s=0.1)
    sampler.start()
    process.wait()
    sampler.done.set()
    sampler.join()
    assert sampler.peak_mb >= 200
    assert before <= sampler.peak_at <= dt.datetime.now(dt.UTC)


def test_sampler_counts_grandchildren_and_a_server_beside_dbt() -> None:
    # dbt's Spark JVM is a grandchild of the measuring wrapper, and a
    # PostgreSQL server is no descendant at all (``also``): a grandchild
    # holding 200 MB plus a separate process holding 150 MB is at least 350 MB
    hold = "import time; block = bytearray({mb} * 2**20); block[::4096] = b'x' * len(block[::4096]); time.sleep(2)"
    grandchild = f"import subprocess, sys; subprocess.call([sys.executable, '-c', {hold.format(mb=200)!r}])"
    process = subprocess.Popen([sys.executable, "-c", grandchild])
    server = subprocess.Popen([sys.executable, "-c", hold.format(mb=150)])
    sampler = _PeakSampler(process.pid, every_s=0.1, also=(server.pid,))
    sampler.start()
    process.wait()
    server.wait()
    sampler.done.set()
    sampler.join()
    assert sampler.peak_mb >= 350


def _engine_result(engine: str, full_s: float, nightly_s: float, peak_mb: float, verified: dict | None) -> dict:
    return {
        **LARGE, "scale": "M", "engine": engine, "accounts": 10_000, "events": 10_000_000, "runs": 1,
        "date": "2026-12-07", "generate_s": 20.0, "nodes": 800, "full_build_s": full_s, "nightly_s": nightly_s,
        "nightly_over_full": nightly_s / full_s, "full_over_floor": full_s / 5.0, "rollups_over_events_floor": 5.0,
        "event_rollups_nightly_s": 2.0, "unit_tests_s": 10.0, "peak_rss_mb": peak_mb, "peak_rss_full_mb": peak_mb,
        "peak_rss_nightly_mb": peak_mb, "size_mb": 200.0, "load_s": 42.0, "marts_verified": verified,
        "machine": {"memory_limit": "4GB", "dbt_threads": "1", "cpus": 2},
        "slowest_nodes": [], "slowest_nightly_nodes": [],
    }  # fmt: skip


def test_engines_side_by_side_in_ratios_to_duckdb() -> None:
    results = [
        _engine_result("duckdb", 60.0, 40.0, 2048.0, None),
        # 300 / 60 = 5.0 x; 150 / 40 = 3.75 x; nightly 150 / 300 = 50 %
        _engine_result("postgres", 300.0, 150.0, 3072.0, {"marts": 21, "equal": 21, "differing": []}),
        # 900 / 60 = 15.0 x; 630 / 40 = 15.75 x; 70 %
        _engine_result("spark", 900.0, 630.0, 5120.0, {"marts": 21, "equal": 20, "differing": ["mart_x"]}),
    ]
    text = engines_markdown(results)
    assert "## M on each engine: 10,000 accounts, 10,000,000 raw events (2026-12-07, one run each)" in text
    assert "| DuckDB | 60.0 | 1.0 | 40.0 | 1.0 | 67% | 2.0 | (reference) |" in text
    assert "| PostgreSQL | 300.0 | 5.0 | 150.0 | 3.8 | 50% | 3.0 | 21 of 21 |" in text
    assert "| Spark | 900.0 | 15.0 | 630.0 | 15.8 | 70% | 5.0 | 20 of 21 |" in text


def test_another_engines_report_names_its_check_against_duckdb() -> None:
    result = _engine_result("spark", 900.0, 630.0, 5120.0, {"marts": 21, "equal": 20, "differing": ["mart_x"]})
    result["machine"] = {"spark.master": "local[2]", "spark.driver.memory": "2g", "dbt_threads": 2, "cpus": 2}
    result["against_duckdb"] = {"full_build": 15.0, "nightly": 15.75}
    text = markdown(result)
    assert text.startswith("## M on Spark: 10,000 accounts, 10,000,000 raw events (2026-12-07, one run)")
    assert "Spark local[2], driver memory 2g, dbt threads 2" in text
    assert "20 of 21 marts equal the DuckDB build's row by row (differing: `mart_x`)" in text
    assert "full build 15.0 x, nightly run 15.8 x" in text
    # the targets are DuckDB's: none shown for another engine
    assert "target (issue 16)" not in text
