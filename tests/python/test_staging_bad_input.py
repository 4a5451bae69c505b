"""Each kind of bad raw input fails exactly its named test, with a clear message.

One fixture per kind (raw_sources.md, Bad input), each the valid dataset of
fixtures/staging_raw.py with ONE row damaged (fixtures/staging_bad_input.py).
The staging build must fail exactly the named test (a failing source test
skips the staging views that read the table, so nothing downstream fails
in its wake) and the failing row's failure_message, read back by
csra.failures, must name the table, the key and the problem. The one
warn-severity kind (an event redelivered with different content) must warn
and fail nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.staging_bad_input import SINGLE_MUTATIONS, BadInput
from fixtures.staging_build import StagingRunner, assert_trips_exactly


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> StagingRunner:
    return StagingRunner(Path(tmp_path_factory.mktemp("staging_bad_input")))


@pytest.mark.parametrize("case", SINGLE_MUTATIONS, ids=lambda case: case.case_id)
def test_bad_input_fails_exactly_its_named_test(runner: StagingRunner, case: BadInput) -> None:
    run = runner.run(case.dataset())
    assert_trips_exactly(run, case.fails, case.warns)
    if not case.fails:
        assert run.outcome.success, run.report()
