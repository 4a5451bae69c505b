"""Every named bad-input test on the raw tables catches its kind of damage.

Where test_staging_bad_input.py shows one fixture per kind, these sweeps
damage every table at once with one kind (every primary key duplicated,
every enum column off its list, every reference orphaned, every amount,
rate and score out of range, every required column null), so each of the
named source tests is shown to fail, with a message naming table and key,
and nothing else fails. A static check keeps the fixtures complete: every
test declared on a source must be exercised by some fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fixtures.staging_bad_input import SINGLE_MUTATIONS, SWEEPS, BadInput
from fixtures.staging_build import StagingRunner, assert_trips_exactly

from csra.dbt_invoke import PROJECT_DIR


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> StagingRunner:
    return StagingRunner(Path(tmp_path_factory.mktemp("staging_sweeps")))


@pytest.mark.parametrize("case", SWEEPS, ids=lambda case: case.case_id)
def test_sweep_fails_exactly_the_named_tests(runner: StagingRunner, case: BadInput) -> None:
    run = runner.run(case.dataset())
    assert_trips_exactly(run, case.fails, case.warns)


def _source_test_names() -> set[str]:
    names: set[str] = set()
    for path in sorted((PROJECT_DIR / "models" / "staging").glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            for table in source.get("tables", []):
                tests = list(table.get("data_tests", []))
                for column in table.get("columns", []):
                    tests += column.get("data_tests", [])
                names.update(test["name"] for test in tests)
    return names


def test_every_source_test_has_a_bad_input_fixture() -> None:
    declared = _source_test_names()
    exercised = {name for case in [*SINGLE_MUTATIONS, *SWEEPS] for name in [*case.fails, *case.warns]}
    assert len(declared) > 90  # sanity: the YAML was read
    assert declared - exercised == set(), "source tests without a bad-input fixture"
