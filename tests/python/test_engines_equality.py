"""The same raw data gives the same published marts on DuckDB, PostgreSQL and Spark.

Then PostgreSQL and Spark rebuild the same company from its Stripe-shaped
billing, and their marts must still equal the contract build on DuckDB.

One raw dataset (the generator's small company, csra.engines.sample) is
loaded into the three engines and `dbt build` runs on each with the same
as_of_date. Every model under models/marts/ (discovered from the manifest, so
new marts are covered without editing this file) is then compared row by row
with DuckDB: same row count, money and every other exact type equal (decimal(18,2) is
"to the cent"), floating-point ratios within 1e-9.
"""

from __future__ import annotations

import pytest
from engines_fixtures import EngineBuild

from csra.engines.compare import compare_marts, mart_relations

pytestmark = pytest.mark.engines


def _assert_passed(build: EngineBuild) -> None:
    # the whole `dbt build`: models, seeds, data tests and unit tests
    assert build.outcome.success, {
        name: build.outcome.messages.get(name, status) for name, status in build.outcome.failed().items()
    }


def _assert_built(build: EngineBuild) -> None:
    # every model and seed built (a failing data or unit test is reported by
    # the *_build_passes tests; the comparison below still means something)
    not_built = build.relations_not_built()
    assert not not_built, {name: build.outcome.messages.get(name, status) for name, status in not_built.items()}


def _assert_marts_equal(duckdb_build: EngineBuild, other: EngineBuild, label: str) -> None:
    """The same marts on both builds, row by row (compare_marts); ``label`` opens the failure message."""
    marts = duckdb_build.marts()
    assert [(mart.schema, mart.name) for mart in marts] == mart_relations(other.manifest)
    diffs = compare_marts(marts, duckdb_build.fetch, other.fetch)
    unequal = {diff.mart: diff.differences for diff in diffs if not diff.equal}
    assert not unequal, f"{label} vs {other.engine}: {unequal}"


def test_duckdb_build_passes(duckdb_build: EngineBuild) -> None:
    _assert_passed(duckdb_build)


def test_postgres_build_passes(postgres_build: EngineBuild) -> None:
    _assert_passed(postgres_build)


def test_spark_build_passes(spark_build: EngineBuild) -> None:
    _assert_passed(spark_build)


def test_every_mart_has_rows_on_duckdb(duckdb_build: EngineBuild) -> None:
    # an empty mart would make the equality below vacuous for it
    _assert_built(duckdb_build)
    marts = duckdb_build.marts()
    assert marts, "no model under models/marts/ in the manifest"
    empty = [mart.name for mart in marts if not duckdb_build.fetch(mart)]
    assert not empty, f"marts without rows on the equality dataset: {empty}"


@pytest.fixture
def other_build(request: pytest.FixtureRequest) -> EngineBuild:
    """The build fixture the test is parametrized with by name (indirect), built only when asked for."""
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("other_build", ["postgres_build", "spark_build"], indirect=True)
def test_marts_equal_duckdb(duckdb_build: EngineBuild, other_build: EngineBuild) -> None:
    other = other_build
    _assert_built(duckdb_build)
    _assert_built(other)
    _assert_marts_equal(duckdb_build, other, "duckdb")


@pytest.mark.parametrize("other_build", ["postgres_stripe_build", "spark_stripe_build"], indirect=True)
def test_stripe_shape_marts_equal_contract_shape_on_duckdb(duckdb_build: EngineBuild, other_build: EngineBuild) -> None:
    # issue 14: the same company billed through Fivetran's Stripe tables and
    # built on another engine gives the contract build's marts on DuckDB (the
    # Stripe adapter's SQL, JSON metadata and minor units on every engine)
    stripe = other_build
    _assert_passed(stripe)
    stripe_unit_tests = [name for name, status in stripe.outcome.statuses.items()
                         if name.startswith("int_stripe") and status == "pass"]
    assert stripe_unit_tests, "the Stripe adapter's unit tests did not run"
    _assert_marts_equal(duckdb_build, stripe, "contract shape on duckdb")


def test_report_build_times(
    engines_raw: tuple, duckdb_build: EngineBuild, postgres_build: EngineBuild, spark_build: EngineBuild,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # not a benchmark gate: prints load and `dbt build` seconds per engine on
    # the same data (shown with -s or in the captured output of a failure)
    lines = [f"engines dataset: {engines_raw[1]}"]
    for build in (duckdb_build, postgres_build, spark_build):
        lines.append(f"{build.engine:>8}: load {build.load_seconds:6.1f} s, dbt build {build.build_seconds:6.1f} s, "
                     f"{len(build.outcome.statuses)} nodes")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert all(build.build_seconds > 0 for build in (duckdb_build, postgres_build, spark_build))
