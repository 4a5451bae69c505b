"""The health weights are project vars validated at parse time: a set that
does not sum to 1 (or names the wrong components, or holds a weight outside
[0, 1]) stops dbt before anything runs, with a message naming every weight."""

from __future__ import annotations

from pathlib import Path

import pytest

from csra.dbt_invoke import PROJECT_DIR

DEFAULT_WEIGHTS = {"usage": 0.4, "support": 0.2, "engagement": 0.2, "payment": 0.1, "relationship": 0.1}


def _parse(tmp_path: Path, weights: object) -> tuple[bool, str]:
    """Run `dbt parse` with the given health_weights; return success and the error text."""
    import json
    import os

    from dbt.cli.main import dbtRunner

    os.environ["DBT_DUCKDB_PATH"] = str(tmp_path / "unused.duckdb")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    result = dbtRunner().invoke(
        [
            "parse",
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
            "--target-path",
            str(tmp_path / "target"),
            "--no-partial-parse",
            "--vars",
            json.dumps({"health_weights": weights, "as_of_date": "2025-06-30"}),
        ]
    )
    return bool(result.success), str(result.exception or "")


def test_weights_not_summing_to_one_fail_with_the_sum_and_every_weight(tmp_path: Path) -> None:
    # 0.3 + 0.2 + 0.2 + 0.1 + 0.1 = 0.9
    success, error = _parse(tmp_path, {**DEFAULT_WEIGHTS, "usage": 0.3})
    assert not success
    assert (
        "health_weights must sum to 1, got 0.9: usage=0.3, support=0.2, engagement=0.2, payment=0.1, relationship=0.1"
        in error
    )


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (
            {key: value for key, value in DEFAULT_WEIGHTS.items() if key != "payment"},
            "health_weights must name exactly usage, support, engagement, payment, relationship; "
            "missing: payment; unknown: none",
        ),
        (
            {**DEFAULT_WEIGHTS, "nps": 0.0},
            "missing: none; unknown: nps",
        ),
        (
            {**DEFAULT_WEIGHTS, "usage": 1.2, "support": -0.6},
            "health_weights.usage must be in [0, 1], got 1.2",
        ),
        (
            {**DEFAULT_WEIGHTS, "usage": "a lot"},
            "health_weights.usage must be a number in [0, 1], got 'a lot'",
        ),
    ],
)
def test_malformed_weights_fail_with_a_clear_message(tmp_path: Path, weights: dict, message: str) -> None:
    success, error = _parse(tmp_path, weights)
    assert not success
    assert message in error


def test_other_weights_summing_to_one_parse(tmp_path: Path) -> None:
    # 0.25 x 4 + 0 = 1: a zero weight is allowed (the defaults parse in every
    # other test of the suite)
    success, error = _parse(
        tmp_path, {"usage": 0.25, "support": 0.25, "engagement": 0.25, "payment": 0.25, "relationship": 0}
    )
    assert success, error
