"""Session fixtures for the cross-engine tests (marker `engines`).

One throwaway PostgreSQL server, one SparkSession and one raw dataset per
test session; the dataset is loaded into DuckDB, PostgreSQL and Spark and
`dbt build` runs once on each with the same fixed as_of_date. The fixtures
are lazy: a run that selects no engines test starts no server and no JVM.
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
    ensure_role,
    load_raw_into_postgres,
)
from csra.engines.sample import AS_OF_DATE, raw_dataset

ENGINES_VARS = {"as_of_date": AS_OF_DATE}


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
    import psycopg2

    try:
        server = PostgresServer().start()
    except FileNotFoundError as exc:
        pytest.fail(f"{exc} (the engines tests need PostgreSQL server binaries)")
    try:
        con = psycopg2.connect(**server.connect_kwargs())
        try:
            ensure_role(con, bi_role, login=True)
        finally:
            con.close()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def spark_session(engines_dir: Path) -> Iterator[object]:
    """The process's one SparkSession (in-memory catalog; dbt-spark reuses it)."""
    from csra.engines.spark import get_spark

    previous = os.environ.get("CSRA_SPARK_DIR")
    session = get_spark(engines_dir / "spark", catalog="in-memory")
    try:
        yield session
    finally:
        session.stop()
        if previous is None:
            os.environ.pop("CSRA_SPARK_DIR", None)
        else:
            os.environ["CSRA_SPARK_DIR"] = previous


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

    saved = {key: os.environ.get(key) for key in pg_server.env()}
    os.environ.update(pg_server.env())
    try:
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
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def spark_build(engines_dir: Path, engines_raw: tuple[Path, str], spark_session: object) -> EngineBuild:
    from csra.engines.spark import load_raw_into_spark

    started = time.perf_counter()
    load_raw_into_spark(engines_raw[0], spark_session)  # type: ignore[arg-type]
    load_seconds = time.perf_counter() - started
    outcome, seconds, target_path = _build("spark", engines_dir, engines_dir / "unused_spark.duckdb")
    return EngineBuild("spark", outcome, load_seconds, seconds, target_path, spark_fetcher(spark_session))
