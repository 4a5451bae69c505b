"""Prove that a change moved no published number: compare every mart of two
DuckDB warehouses row for row, as `EXCEPT ALL` both ways would.

    python -m csra.marts_diff BEFORE.duckdb AFTER.duckdb [--schema marts]

Every table of the marts schema in BEFORE is compared with the table of the
same name in AFTER over BEFORE's columns (a change may add columns, never
drop one). Prints one line per mart and exits 1 when any mart differs or is
missing, 0 when all are identical.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import duckdb


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables"
        " where table_catalog = current_database() and table_schema = ? order by table_name",
        [schema],
    ).fetchall()
    return [name for (name,) in rows]


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns"
        " where table_catalog = current_database() and table_schema = ? and table_name = ?"
        " order by ordinal_position",
        [schema, table],
    ).fetchall()
    return [name for (name,) in rows]


def _rows(con: duckdb.DuckDBPyConnection, schema: str, table: str, columns: list[str]) -> Counter:
    select = ", ".join(f'"{column}"' for column in columns)
    return Counter(con.execute(f'select {select} from {schema}."{table}"').fetchall())


def relation_differences(
    con: duckdb.DuckDBPyConnection, left: str, right: str, columns: str = "*"
) -> tuple[int, int, int, int]:
    """(rows in left, rows in right, rows only in left, rows only in right) of two
    relations one connection reads, over ``columns``: `EXCEPT ALL` both ways."""
    return tuple(
        con.execute(sql).fetchone()[0]
        for sql in (
            f"select count(*) from {left}",
            f"select count(*) from {right}",
            f"select count(*) from (select {columns} from {left} except all select {columns} from {right})",
            f"select count(*) from (select {columns} from {right} except all select {columns} from {left})",
        )
    )


def compare(before: Path, after: Path, schema: str = "marts") -> list[tuple[str, str]]:
    """(mart, verdict) for every mart of ``before``; verdict 'identical' or what differs.

    Each file is opened on its own connection (no ATTACH: a process that
    built the file with dbt may still hold it) and the rows of each mart are
    compared as multisets, exactly as `EXCEPT ALL` both ways would: values
    compare exactly (decimals to the cent, dates, strings, floats bit for bit).
    """
    before_con = duckdb.connect(str(before))
    after_con = duckdb.connect(str(after))
    try:
        verdicts = []
        after_tables = set(_tables(after_con, schema))
        for table in _tables(before_con, schema):
            if table not in after_tables:
                verdicts.append((table, "missing after"))
                continue
            columns = _columns(before_con, schema, table)
            missing = set(columns) - set(_columns(after_con, schema, table))
            if missing:
                verdicts.append((table, f"columns missing after: {sorted(missing)}"))
                continue
            rows_before = _rows(before_con, schema, table, columns)
            rows_after = _rows(after_con, schema, table, columns)
            only_before = sum((rows_before - rows_after).values())
            only_after = sum((rows_after - rows_before).values())
            if only_before or only_after:
                verdicts.append((table, f"{only_before} rows only before, {only_after} only after"))
            else:
                verdicts.append((table, f"identical ({sum(rows_before.values())} rows)"))
        return verdicts
    finally:
        before_con.close()
        after_con.close()


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
