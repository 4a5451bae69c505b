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

import duckdb
import pytest
import yaml
from fixtures.staging_bad_input import SINGLE_MUTATIONS, STRIPE_DAMAGE, SWEEPS, BadInput
from fixtures.staging_build import STAGING_BUILD_ARGS, StagingRunner, build_and_check, module_runner

from csra.dbt_invoke import PROJECT_DIR, run_dbt
from csra.failures import collect_test_problems
from csra.generate import generate

runner = module_runner("staging_sweeps")


@pytest.mark.parametrize("case", SWEEPS, ids=lambda case: case.case_id)
def test_sweep_fails_exactly_the_named_tests(runner: StagingRunner, case: BadInput) -> None:
    build_and_check(runner, case)


def test_stripe_sweep_fails_exactly_the_named_stripe_tests(tmp_path: Path) -> None:
    """Every Stripe source test catches its damage on a generated Stripe company."""
    database = tmp_path / "stripe.duckdb"
    generate(str(database), accounts=12, seed=3, start_month="2024-01", months=6, progress=False,
             billing_format="stripe")
    stripe = {"as_of_date": "2024-06-30", "billing_source": "stripe"}
    # with Stripe billing, the billing staging views read the Stripe adapter's models
    build = [*STAGING_BUILD_ARGS[:3], "path:models/intermediate/billing_stripe", "stripe_customer_accounts",
             *STAGING_BUILD_ARGS[3:]]
    clean = run_dbt(build, database=database, dbt_vars=stripe, target_path=tmp_path / "target")
    assert clean.success, clean.failed()
    con = duckdb.connect(str(database))
    try:
        for statement, name, _ in STRIPE_DAMAGE:
            changed = con.execute(statement).fetchone()[0]
            assert changed >= 1, f"{name}: the damage touched no row"
    finally:
        con.close()
    damaged = run_dbt(build, database=database, dbt_vars=stripe, target_path=tmp_path / "target")
    assert set(damaged.failed()) == {name for _, name, _ in STRIPE_DAMAGE}
    assert set(damaged.warned()) == set(clean.warned())
    problems = {p.name: p for p in collect_test_problems(tmp_path / "target", database, limit=20)}
    for _, name, fragments in STRIPE_DAMAGE:
        messages = list(problems[name].messages)
        assert any(all(fragment in message for fragment in fragments) for message in messages), (name, messages)


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
    exercised |= {name for _, name, _ in STRIPE_DAMAGE}
    assert len(declared) > 90  # sanity: the YAML was read
    assert declared - exercised == set(), "source tests without a bad-input fixture"
