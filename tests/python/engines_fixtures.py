"""Session fixtures for the cross-engine tests (marker `engines`).

One throwaway PostgreSQL server, one SparkSession and one raw dataset per
test session; the dataset is loaded into DuckDB, PostgreSQL and Spark and
`dbt build` runs once on each with the same fixed as_of_date. The dataset
holds the company's billing in both shapes (contract and Fivetran's Stripe
tables), so PostgreSQL and Spark then rebuild in place from the Stripe
tables (`billing_source: stripe`), after the contract build's marts are kept
in memory. The fixtures are lazy: a run that selects no engines test starts
no server and no JVM.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fixtures.environment import environment, restored_environment

from csra.dbt_invoke import DbtOutcome, run_dbt
from csra.engines.compare import (
    Fetcher,
    MartModel,
    duckdb_columns,
    duckdb_fetcher,
    marts_from_manifest,
    postgres_fetcher,
    spark_fetcher,
)
from csra.engines.postgres import (
    DEFAULT_BI_ROLE,
    PostgresServer,
    load_raw_into_postgres,
)
from csra.engines.sample import AS_OF_DATE, raw_dataset

ENGINES_VARS = {"as_of_date": AS_OF_DATE}
STRIPE_VARS = {**ENGINES_VARS, "billing_source": "stripe"}
# The Stripe rebuild runs every model, seed and data test, but of the unit
# tests only the Stripe adapter's: the others already ran on the contract build.
STRIPE_REBUILD_SELECTION = [
    "resource_type:model", "resource_type:seed", "resource_type:test",
    "resource_type:unit_test,path:models/staging/stripe",
    "resource_type:unit_test,path:models/intermediate/billing_stripe",
]


@dataclass
class EngineBuild:
    """One engine's `dbt build` of the shared raw dataset."""

    engine: str
    outcome: DbtOutcome
    load_seconds: float
    build_seconds: float
    target_path: Path
    fetch: Fetcher
    database: Path | None = None

    @property
    def manifest(self) -> Path:
        return self.target_path / "manifest.json"

    def relations_not_built(self) -> dict[str, str]:
        """Models and seeds of the manifest that did not build (name -> status)."""
        manifest = json.loads(self.manifest.read_text())
        names = [
            node["name"]
            for node in manifest["nodes"].values()
            if node["resource_type"] in {"model", "seed"} and node["config"].get("enabled", True)
        ]
        statuses = {name: self.outcome.statuses.get(name, "not run") for name in names}
        return {name: status for name, status in statuses.items() if status != "success"}

    def marts(self) -> list[MartModel]:
        """The published marts of this build (columns of undocumented ones from DuckDB)."""
        return marts_from_manifest(self.manifest, duckdb_columns(self.database) if self.database else None)

    def keep_in_memory(self, marts: list[MartModel]) -> None:
        """Fetch these marts now and answer later fetches from memory.

        Called before another build replaces the relations of this one in
        the same schemas (the Stripe rebuild), so tests of this build still
        compare what it built.
        """
        kept = {mart: self.fetch(mart) for mart in marts}

        def fetch(mart: MartModel) -> list:
            return kept[mart]

        self.fetch = fetch


@pytest.fixture(scope="session")
def engines_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("engines")


@pytest.fixture(scope="session")
def engines_raw(engines_dir: Path) -> tuple[Path, str]:
    """The raw dataset every engine gets (DuckDB file) and what made it."""
    path = engines_dir / "raw.duckdb"
    source = raw_dataset(path)
    return path, source


@pytest.fixture(scope="session")
def bi_role() -> str:
    return os.environ.get("DBT_BI_ROLE", DEFAULT_BI_ROLE)


@pytest.fixture(scope="session")
def pg_server(bi_role: str) -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server for the session, with the BI role created."""
    try:
        server = PostgresServer().start()
    except FileNotFoundError as exc:
        pytest.fail(f"{exc} (the engines tests need PostgreSQL server binaries)")
    try:
        server.create_role(bi_role)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def spark_session(engines_dir: Path) -> Iterator[object]:
    """The process's one SparkSession (in-memory catalog; dbt-spark reuses it)."""
    from csra.engines.spark import get_spark

    with restored_environment("CSRA_SPARK_DIR"):
        session = get_spark(engines_dir / "spark", catalog="in-memory")
        try:
            yield session
        finally:
            session.stop()


def _build(engine: str, engines_dir: Path, database: Path) -> tuple[DbtOutcome, float, Path]:
    target_path = engines_dir / f"target_{engine}"
    started = time.perf_counter()
    outcome = run_dbt(["build", "--target", engine], database=database, dbt_vars=ENGINES_VARS,
                      target_path=target_path)
    return outcome, time.perf_counter() - started, target_path


@pytest.fixture(scope="session")
def duckdb_build(engines_dir: Path, engines_raw: tuple[Path, str]) -> EngineBuild:
    database = engines_dir / "duckdb.duckdb"
    started = time.perf_counter()
    shutil.copyfile(engines_raw[0], database)
    load_seconds = time.perf_counter() - started
    outcome, seconds, target_path = _build("duckdb", engines_dir, database)
    return EngineBuild("duckdb", outcome, load_seconds, seconds, target_path, duckdb_fetcher(database), database)


@pytest.fixture(scope="session")
def postgres_build(
    engines_dir: Path, engines_raw: tuple[Path, str], pg_server: PostgresServer
) -> Iterator[EngineBuild]:
    import psycopg2

    with environment(pg_server.env()):
        started = time.perf_counter()
        con = psycopg2.connect(**pg_server.connect_kwargs())
        try:
            load_raw_into_postgres(engines_raw[0], con)
        finally:
            con.close()
        load_seconds = time.perf_counter() - started
        outcome, seconds, target_path = _build("postgres", engines_dir, engines_dir / "unused_pg.duckdb")
        yield EngineBuild(
            "postgres", outcome, load_seconds, seconds, target_path,
            postgres_fetcher(lambda: psycopg2.connect(**pg_server.connect_kwargs())),
        )


@pytest.fixture(scope="session")
def spark_build(engines_dir: Path, engines_raw: tuple[Path, str], spark_session: object) -> EngineBuild:
    from csra.engines.spark import load_raw_into_spark

    started = time.perf_counter()
    load_raw_into_spark(engines_raw[0], spark_session)  # type: ignore[arg-type]
    load_seconds = time.perf_counter() - started
    outcome, seconds, target_path = _build("spark", engines_dir, engines_dir / "unused_spark.duckdb")
    return EngineBuild("spark", outcome, load_seconds, seconds, target_path, spark_fetcher(spark_session))


def _rebuild_from_stripe(contract: EngineBuild, duckdb_build: EngineBuild, engines_dir: Path) -> EngineBuild:
    """Rebuild one engine's warehouse in place from the Stripe tables of the same company.

    Full refresh: the incremental event rollups start again as in a first build.
    """
    reads_live_relations = contract.fetch
    contract.keep_in_memory(duckdb_build.marts())
    target_path = engines_dir / f"target_{contract.engine}_stripe"
    started = time.perf_counter()
    outcome = run_dbt(["build", "--target", contract.engine, "--full-refresh", "--select", *STRIPE_REBUILD_SELECTION],
                      database=engines_dir / f"unused_{contract.engine}.duckdb", dbt_vars=STRIPE_VARS,
                      target_path=target_path)
    seconds = time.perf_counter() - started
    return EngineBuild(f"{contract.engine} (Stripe)", outcome, 0.0, seconds, target_path, reads_live_relations)


@pytest.fixture(scope="session")
def postgres_stripe_build(
    engines_dir: Path, duckdb_build: EngineBuild, postgres_build: EngineBuild, pg_server: PostgresServer
) -> EngineBuild:
    with environment(pg_server.env()):
        return _rebuild_from_stripe(postgres_build, duckdb_build, engines_dir)


@pytest.fixture(scope="session")
def spark_stripe_build(engines_dir: Path, duckdb_build: EngineBuild, spark_build: EngineBuild) -> EngineBuild:
    return _rebuild_from_stripe(spark_build, duckdb_build, engines_dir)
