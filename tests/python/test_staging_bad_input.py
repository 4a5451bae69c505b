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

import pytest
from fixtures.staging_bad_input import SINGLE_MUTATIONS, BadInput
from fixtures.staging_build import StagingRunner, build_and_check, module_runner

runner = module_runner("staging_bad_input")


@pytest.mark.parametrize("case", SINGLE_MUTATIONS, ids=lambda case: case.case_id)
def test_bad_input_fails_exactly_its_named_test(runner: StagingRunner, case: BadInput) -> None:
    run = build_and_check(runner, case)
    if not case.fails:
        assert run.outcome.success, run.report()
