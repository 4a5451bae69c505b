"""Explain failed and warned dbt data tests after a build.

dbt reports a failing test as "Got 3 results"; the project's generic tests
(tests/generic/) return the failing rows with a `failure_message` column that
names the table, the key and the problem. This module reads
`target/run_results.json` and `manifest.json`; for every failed or warned
test it reads the failing rows dbt stored (`dbt build --store-failures`, as
csra nightly runs it: one table per test in the `audit` schema, on every
engine) or, when they were not stored, re-runs the test's compiled SQL
against the DuckDB warehouse, and prints the first few messages:

    FAIL billing_subscription_items__phases_do_not_overlap (1 row)
      raw_billing.subscription_items item_id=itm_7: [2024-03-01, 2024-05-01) overlaps ...

Usage: ``python -m csra.failures [--target-path target] [--database FILE]``.
Reading rows needs the DuckDB warehouse; on other engines (database None)
it names the audit table that holds them, next to dbt's own message.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

PROBLEM_STATUSES = ("fail", "warn", "error")


@dataclass(frozen=True)
class DataTestProblem:
    """One data test that did not pass, with a sample of its failing rows."""

    name: str
    status: str
    failures: int | None
    dbt_message: str
    messages: list[str] = field(default_factory=list)

    def headline(self) -> str:
        """`STATUS name (n rows)` as printed above the messages."""
        count = (
            ""
            if self.failures is None
            else f" ({self.failures} row{'s' if self.failures != 1 else ''})"
        )
        return f"{self.status.upper()} {self.name}{count}"


def _load_json(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _compiled_sql(result: dict, manifest_nodes: dict, target_path: Path) -> str | None:
    """The compiled SQL of a test: from run_results, the manifest or target/compiled."""
    node = manifest_nodes.get(result["unique_id"], {})
    sql = result.get("compiled_code") or node.get("compiled_code")
    if sql:
        return str(sql)
    compiled_path = node.get("compiled_path")
    if compiled_path:
        candidate = Path(compiled_path)
        if not candidate.is_absolute():
            candidate = target_path.parent / candidate
        if candidate.exists():
            return candidate.read_text(encoding="utf-8")
    return None


def connect_warehouse(database: str | os.PathLike[str]) -> duckdb.DuckDBPyConnection:
    """Read-only connection to the warehouse, or a plain one when this process holds it.

    After an in-process dbt run (pytest), dbt-duckdb keeps a read-write
    connection open and DuckDB refuses a read-only one to the same file.
    """
    try:
        return duckdb.connect(str(database), read_only=True)
    except duckdb.ConnectionException:
        return duckdb.connect(str(database))


def _sample_messages(con: duckdb.DuckDBPyConnection, sql: str, limit: int) -> list[str]:
    """First `limit` failure messages of a test query (whole rows if it has none)."""
    cursor = con.execute(
        f"select * from (\n{sql.strip().rstrip(';')}\n) as failing_rows limit {int(limit)}"
    )
    names = [column[0] for column in cursor.description]
    rows = cursor.fetchall()
    if "failure_message" in names:
        position = names.index("failure_message")
        return [str(row[position]) for row in rows]
    return [
        ", ".join(f"{name}={value}" for name, value in zip(names, row, strict=True))
        for row in rows
    ]


def collect_test_problems(
    target_path: str | os.PathLike[str],
    database: str | os.PathLike[str] | None,
    *,
    limit: int = 5,
) -> list[DataTestProblem]:
    """Failed, warned and errored data tests of the last dbt run, with sample messages.

    Reads run_results.json and manifest.json in ``target_path``; each problem
    test's rows come from its stored-failures table when dbt stored one
    (``relation_name`` in the manifest), else from its compiled SQL, read-only
    against the DuckDB file ``database`` (None: no rows, only where they are).
    """
    target = Path(target_path)
    run_results = _load_json(target / "run_results.json")
    manifest_file = target / "manifest.json"
    manifest_nodes = (
        _load_json(manifest_file).get("nodes", {}) if manifest_file.exists() else {}
    )
    problems: list[DataTestProblem] = []
    con: duckdb.DuckDBPyConnection | None = None
    try:
        for result in run_results.get("results", []):
            unique_id = str(result.get("unique_id", ""))
            status = str(result.get("status", ""))
            if not unique_id.startswith("test.") or status not in PROBLEM_STATUSES:
                continue
            node = manifest_nodes.get(unique_id, {})
            name = str(node.get("name") or unique_id.split(".")[2])
            messages: list[str] = []
            sql = _compiled_sql(result, manifest_nodes, target)
            stored = node.get("relation_name")
            if stored:
                # the rows dbt stored in the audit schema for this run
                sql = f"select * from {stored}"
            if status != "error" and sql and database is None:
                if stored:
                    messages = [f"failing rows stored in {stored}"]
            elif status != "error" and sql:
                if con is None:
                    con = connect_warehouse(database)
                try:
                    messages = _sample_messages(con, sql, limit)
                except (
                    duckdb.Error
                ) as error:  # keep going: report what could not be re-run
                    messages = [f"(could not re-run the test query: {error})"]
            failures = result.get("failures")
            problems.append(
                DataTestProblem(
                    name=name,
                    status=status,
                    failures=int(failures) if failures is not None else None,
                    dbt_message=str(result.get("message") or ""),
                    messages=messages,
                )
            )
    finally:
        if con is not None:
            con.close()
    order = {status: rank for rank, status in enumerate(("error", "fail", "warn"))}
    return sorted(
        problems, key=lambda problem: (order.get(problem.status, 9), problem.name)
    )


def format_problems(problems: Sequence[DataTestProblem]) -> str:
    """Human-readable report: a headline per test, then its messages indented."""
    if not problems:
        return "All data tests passed."
    lines: list[str] = []
    for problem in problems:
        lines.append(problem.headline())
        details = problem.messages or (
            [problem.dbt_message] if problem.dbt_message else []
        )
        lines.extend(f"  {line}" for line in details)
        if (
            problem.failures
            and problem.messages
            and problem.failures > len(problem.messages)
        ):
            lines.append(f"  ... and {problem.failures - len(problem.messages)} more")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; exit status 1 when a test failed or errored, else 0."""
    parser = argparse.ArgumentParser(
        prog="python -m csra.failures",
        description=(
            "After `dbt build` or `dbt test`, print every failed or warned data test "
            "with the first failure messages of its failing rows (table, key, problem)."
        ),
    )
    parser.add_argument(
        "--target-path",
        default="target",
        help="dbt target folder holding run_results.json and manifest.json (default: target)",
    )
    parser.add_argument(
        "--database",
        default=os.environ.get("DBT_DUCKDB_PATH", "warehouse.duckdb"),
        help="DuckDB warehouse file the tests ran on (default: $DBT_DUCKDB_PATH or warehouse.duckdb)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=5,
        help="failure messages shown per test (default: 5)",
    )
    args = parser.parse_args(argv)
    # A user's mistake gets one line and exit status 2, never a traceback.
    run_results = Path(args.target_path) / "run_results.json"
    if not run_results.exists():
        print(
            f"csra failures: no {run_results}: run `dbt build` (or `csra build`) first, "
            "or point --target-path at the dbt target folder of that run",
            file=sys.stderr,
        )
        return 2
    try:
        problems = collect_test_problems(args.target_path, args.database, limit=args.limit)
    except (OSError, ValueError, duckdb.Error) as error:
        print(f"csra failures: cannot read the last run ({error})", file=sys.stderr)
        return 2
    print(format_problems(problems))
    return 1 if any(problem.status in {"fail", "error"} for problem in problems) else 0


if __name__ == "__main__":
    sys.exit(main())
