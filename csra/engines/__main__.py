"""Command line for running the project on PostgreSQL and Spark.

    python -m csra.engines pg-start            # throwaway server; prints PG* exports
    eval "$(python -m csra.engines pg-start)"  # ... and use them in this shell
    python -m csra.engines pg-load --duckdb raw.duckdb
    DBT_TARGET=postgres dbt build --vars '{as_of_date: 2025-03-31}'
    python -m csra.engines pg-stop

    python -m csra.engines spark-load --duckdb raw.duckdb
    DBT_TARGET=spark dbt build --vars '{as_of_date: 2025-03-31}'
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from csra.engines.postgres import (
    DEFAULT_BI_ROLE,
    PostgresServer,
    connect_from_env,
    load_raw_into_postgres,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
DEFAULT_STATE = PROJECT_DIR / ".pgdata" / "server.json"


def _pg_start(args: argparse.Namespace) -> int:
    state = Path(args.state)
    if state.exists():
        print(f"a server is already recorded in {state}; run pg-stop first", file=sys.stderr)
        return 1
    server = PostgresServer(port=args.port).start()
    server.create_role(args.bi_role)
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(json.dumps({"base_dir": str(server.base_dir), "port": server.port, **server.env()}))
    for key, value in server.env().items():
        print(f"export {key}={value}")
    print(f"# PostgreSQL {server.host}:{server.port}, files in {server.base_dir}; BI role {args.bi_role}",
          file=sys.stderr)
    return 0


def _pg_stop(args: argparse.Namespace) -> int:
    state = Path(args.state)
    if not state.exists():
        print(f"no server recorded in {state}", file=sys.stderr)
        return 1
    recorded = json.loads(state.read_text())
    server = PostgresServer(base_dir=Path(recorded["base_dir"]), port=recorded["port"], _owns_base_dir=True)
    server.stop()
    state.unlink()
    print(f"stopped PostgreSQL on port {recorded['port']} and removed {recorded['base_dir']}", file=sys.stderr)
    return 0


def _pg_load(args: argparse.Namespace) -> int:
    con = connect_from_env()
    try:
        counts = load_raw_into_postgres(args.duckdb, con)
    finally:
        con.close()
    for table, count in counts.items():
        print(f"{table:<32} {count:>10,}")
    return 0


def _spark_load(args: argparse.Namespace) -> int:
    from csra.engines.spark import get_spark, load_raw_into_spark

    if args.spark_dir:
        os.environ["CSRA_SPARK_DIR"] = str(Path(args.spark_dir).resolve())
    spark = get_spark(catalog="hive")
    try:
        counts = load_raw_into_spark(args.duckdb, spark)
    finally:
        spark.stop()
    for table, count in counts.items():
        print(f"{table:<32} {count:>10,}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m csra.engines",
        description="Run the dbt project on PostgreSQL and Spark: a throwaway PostgreSQL "
        "server and loaders that copy a DuckDB raw dataset (raw_* schemas) into either engine.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__,
    )
    commands = parser.add_subparsers(dest="command", required=True)

    start = commands.add_parser(
        "pg-start",
        help="initdb and start a local PostgreSQL on 127.0.0.1 (as user 'nobody' when root); "
        "prints the PG* exports dbt's postgres target reads",
    )
    start.add_argument("--port", type=int, default=None, help="TCP port (default: a free one)")
    start.add_argument("--bi-role", default=os.environ.get("DBT_BI_ROLE", DEFAULT_BI_ROLE),
                       help="read-only role the marts are granted to (default: $DBT_BI_ROLE or bi_reader)")
    start.add_argument("--state", default=str(DEFAULT_STATE),
                       help=f"where to record the server for pg-stop (default: {DEFAULT_STATE})")
    start.set_defaults(func=_pg_start)

    stop = commands.add_parser("pg-stop", help="stop the server pg-start recorded and delete its files")
    stop.add_argument("--state", default=str(DEFAULT_STATE), help="the file pg-start wrote")
    stop.set_defaults(func=_pg_stop)

    pg_load = commands.add_parser(
        "pg-load", help="copy every raw_* table of a DuckDB file into PostgreSQL (server from PG* variables)"
    )
    pg_load.add_argument("--duckdb", required=True, metavar="PATH", help="DuckDB file with the raw schemas")
    pg_load.set_defaults(func=_pg_load)

    spark_load = commands.add_parser(
        "spark-load",
        help="copy every raw_* table of a DuckDB file into Spark databases (Hive metastore and "
        "warehouse under $CSRA_SPARK_DIR, default .spark/, which `dbt --target spark` reads)",
    )
    spark_load.add_argument("--duckdb", required=True, metavar="PATH", help="DuckDB file with the raw schemas")
    spark_load.add_argument("--spark-dir", default=None, metavar="DIR",
                            help="metastore and warehouse folder (default: $CSRA_SPARK_DIR or <project>/.spark); "
                            "export the same CSRA_SPARK_DIR for dbt")
    spark_load.set_defaults(func=_spark_load)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
