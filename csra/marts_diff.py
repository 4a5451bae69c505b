"""Prove that a change moved no published number: compare every mart of two
DuckDB warehouses with `EXCEPT ALL` both ways.

    python -m csra.marts_diff BEFORE.duckdb AFTER.duckdb [--schema marts]

Every table of the marts schema in BEFORE is compared with the table of the
same name in AFTER over BEFORE's columns (a change may add columns, never
drop one). Prints one line per mart and exits 1 when any mart differs or is
missing, 0 when all are identical.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb


def _tables(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables"
        " where table_catalog = ? and table_schema = ? order by table_name",
        [catalog, schema],
    ).fetchall()
    return [name for (name,) in rows]


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns"
        " where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position",
        [catalog, schema, table],
    ).fetchall()
    return [name for (name,) in rows]


def compare(before: Path, after: Path, schema: str = "marts") -> list[tuple[str, str]]:
    """(mart, verdict) for every mart of ``before``; verdict 'identical' or what differs."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{before}' as before_db (read_only)")
        con.execute(f"attach '{after}' as after_db (read_only)")
        verdicts = []
        after_tables = set(_tables(con, "after_db", schema))
        for table in _tables(con, "before_db", schema):
            if table not in after_tables:
                verdicts.append((table, "missing after"))
                continue
            before_columns = _columns(con, "before_db", schema, table)
            missing = set(before_columns) - set(_columns(con, "after_db", schema, table))
            if missing:
                verdicts.append((table, f"columns missing after: {sorted(missing)}"))
                continue
            select = ", ".join(f'"{column}"' for column in before_columns)
            only_before, only_after = con.execute(
                f"select"
                f" (select count(*) from (select {select} from before_db.{schema}.{table}"
                f"  except all select {select} from after_db.{schema}.{table})),"
                f" (select count(*) from (select {select} from after_db.{schema}.{table}"
                f"  except all select {select} from before_db.{schema}.{table}))"
            ).fetchone()
            rows = con.execute(f"select count(*) from before_db.{schema}.{table}").fetchone()[0]
            if only_before or only_after:
                verdicts.append((table, f"{only_before} rows only before, {only_after} only after"))
            else:
                verdicts.append((table, f"identical ({rows} rows)"))
        return verdicts
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="DuckDB file built before the change")
    parser.add_argument("after", type=Path, help="DuckDB file built after the change")
    parser.add_argument("--schema", default="marts", help="schema of the published marts (default: marts)")
    args = parser.parse_args(argv)
    for path in (args.before, args.after):
        if not path.is_file():
            print(f"error: no DuckDB file at {path}", file=sys.stderr)
            return 2
    verdicts = compare(args.before, args.after, args.schema)
    if not verdicts:
        print(f"error: no tables in schema {args.schema} of {args.before}", file=sys.stderr)
        return 2
    for table, verdict in verdicts:
        print(f"{table:<32} {verdict}")
    differing = [table for table, verdict in verdicts if not verdict.startswith("identical")]
    print(f"{len(verdicts) - len(differing)} of {len(verdicts)} marts identical")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
