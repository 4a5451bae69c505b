"""An empty but well-formed raw dataset must build: every table may be empty."""

from conftest import BuildWarehouse


def test_empty_raw_dataset_builds(build_warehouse: BuildWarehouse) -> None:
    built = build_warehouse({}, dbt_vars={"as_of_date": "2026-01-31"})
    assert built.outcome.success, built.outcome.failed()
    assert built.outcome.statuses, "dbt built no nodes"
