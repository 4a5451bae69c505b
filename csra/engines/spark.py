"""A local SparkSession shared with dbt-spark, and the DuckDB -> Spark raw loader.

dbt-spark's `session` method runs every statement through
`SparkSession.builder.enableHiveSupport().getOrCreate()` in the dbt process.
`getOrCreate` returns the session that is already active, so a test (or any
Python caller) that starts the session first with `get_spark()` decides the
warehouse folder and metastore, and the raw tables it loads are the ones dbt
sees. When dbt starts the session itself (plain `dbt build --target spark`
from a shell), the same settings come from profiles.yml's
`server_side_parameters`, built from the same CSRA_SPARK_DIR folder, so a
loader run and a later dbt run share one Derby metastore and warehouse.

Spark here has no Delta/Iceberg/Hudi jars (they cannot be fetched), so
tables are plain Parquet: no snapshots, no merge; see dbt_project.yml.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from csra.raw_schema import columns, tables_to_copy

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent

# Contract type -> Spark SQL type. Spark has no unbounded `varchar`; its
# `timestamp` is an instant shown in the session time zone, which is pinned
# to UTC below so it reads like the contract's naive UTC timestamps.
SPARK_TYPES = {"varchar": "string"}


def spark_type(sql_type: str) -> str:
    """The Spark SQL spelling of one contract type."""
    return SPARK_TYPES.get(sql_type, sql_type)


def spark_dir() -> Path:
    """Folder of the metastore and warehouse: $CSRA_SPARK_DIR or <project>/.spark."""
    return Path(os.environ.get("CSRA_SPARK_DIR") or PROJECT_DIR / ".spark").resolve()


def spark_conf(base_dir: Path) -> dict[str, str]:
    """Session settings; profiles.yml's spark target mirrors them (keep in step)."""
    return {
        "spark.master": "local[2]",
        "spark.app.name": "csra-dbt",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.warehouse.dir": str(base_dir / "warehouse"),
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={base_dir / 'metastore_db'};create=true"
        ),
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={base_dir}",
        "spark.sql.session.timeZone": "UTC",
        # exact decimals as on DuckDB and PostgreSQL: by default Spark cuts
        # the scale of a decimal product to 6 digits once the precision passes
        # 38 (e.g. amount x discount x an 8-decimal FX rate), which can move a
        # half-cent tie; without precision loss it keeps the full scale and
        # raises on overflow (ANSI mode) instead of rounding silently
        "spark.sql.decimalOperations.allowPrecisionLoss": "false",
        # whole-stage code generation off: Spark 4.3 fails some plans with a
        # union of literal rows (as dbt unit tests build them) with
        # "ClassCastException: cannot assign instance of
        # scala.collection.generic.DefaultSerializationProxy to field
        # UnionExec.children"; on small data it also saves the Janino
        # compile time of every query
        "spark.sql.codegen.wholeStage": "false",
        # small data on two cores: 200 shuffle partitions would be all overhead
        "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2",
        "spark.driver.memory": "2g",
    }


def get_spark(base_dir: Path | None = None, *, catalog: str = "hive") -> SparkSession:
    """Start (or return) the process's SparkSession with its files under ``base_dir``.

    ``catalog="hive"`` keeps table definitions in a Derby metastore under
    ``base_dir`` so a later process (a `dbt build --target spark` from the
    shell) sees them. ``catalog="in-memory"`` keeps them in this process
    only: no Hive client or Derby to start, which saves tens of seconds per
    test session; dbt-spark works the same on both (its
    `enableHiveSupport()` cannot change the catalog of a running session).
    """
    from pyspark.sql import SparkSession

    if catalog not in {"hive", "in-memory"}:
        raise ValueError(f"catalog must be 'hive' or 'in-memory', got {catalog!r}")
    base = (base_dir or spark_dir()).resolve()
    base.mkdir(parents=True, exist_ok=True)
    os.environ["CSRA_SPARK_DIR"] = str(base)
    builder = SparkSession.builder
    for key, value in spark_conf(base).items():
        builder = builder.config(key, value)
    if catalog == "hive":
        builder = builder.enableHiveSupport()
    else:
        builder = builder.config("spark.sql.catalogImplementation", "in-memory")
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def copy_email_hash_key_into_spark(source, spark) -> None:
    """Copy csra_private.email_hash_key (csra.email_key) when the DuckDB file has one.

    Through a DataFrame, so the key never appears in the text of a SQL statement.
    """
    from csra.email_key import KEY_COLUMN, KEY_SCHEMA, KEY_TABLE, installed_key_rows

    rows = installed_key_rows(source)
    if rows is None:
        return
    spark.sql(f"create database if not exists {KEY_SCHEMA}")
    spark.sql(f"drop table if exists {KEY_SCHEMA}.{KEY_TABLE}")
    frame = spark.createDataFrame([(row[0],) for row in rows], f"{KEY_COLUMN} string")
    frame.write.format("parquet").mode("overwrite").saveAsTable(f"{KEY_SCHEMA}.{KEY_TABLE}")


def load_raw_into_spark(duckdb_path: str | os.PathLike[str], spark: SparkSession) -> dict[str, int]:
    """Copy every raw table of a DuckDB file (raw_stripe too) into Spark tables with the contract types.

    DuckDB writes each table to Parquet (exact decimals, dates, naive
    timestamps); Spark reads it, casts every column to the contract type and
    saves it as a managed Parquet table `<raw schema>.<table>` (a Spark
    database per raw schema). Returns the row count per "schema.table".
    """
    import duckdb

    counts: dict[str, int] = {}
    staging = Path(tempfile.mkdtemp(prefix="csra-sparkload-", dir=os.environ.get("CSRA_SPARK_DIR")))
    source = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        tables = tables_to_copy(source)
        for schema in dict.fromkeys(schema for schema, _ in tables):
            spark.sql(f"create database if not exists {schema}")
        for schema, table in tables:
            parquet_path = staging / f"{schema}.{table}.parquet"
            names = [name for name, _ in columns(schema, table)]
            source.execute(
                f"copy (select {', '.join(names)} from {schema}.{table}) "
                f"to '{parquet_path}' (format parquet)"
            )
            # Spark quotes with backticks (a reserved name such as Stripe's "end")
            spark_names = [(f"`{name.strip(chr(34))}`", sql_type) for name, sql_type in columns(schema, table)]
            frame = spark.read.parquet(str(parquet_path)).selectExpr(
                *[f"cast({name} as {spark_type(sql_type)}) as {name}" for name, sql_type in spark_names]
            )
            spark.sql(f"drop table if exists {schema}.{table}")
            frame.write.format("parquet").mode("overwrite").saveAsTable(f"{schema}.{table}")
            counts[f"{schema}.{table}"] = spark.table(f"{schema}.{table}").count()
        copy_email_hash_key_into_spark(source, spark)
    finally:
        source.close()
        # saveAsTable copied the data into the warehouse; the Parquet export can go
        for path in staging.glob("*"):
            path.unlink()
        staging.rmdir()
    return counts
