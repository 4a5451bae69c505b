"""Compare the published marts of two engines row by row.

The marts to compare are discovered from a dbt manifest (every enabled model
under models/marts/), so a new mart is covered without touching this file.
Rows are fetched in manifest column order, normalised (Spark timestamps read
as UTC strings, decimals kept exact), sorted and compared pairwise:
decimals, dates, timestamps, strings, integers and booleans exactly (money
is decimal(18,2), so "exactly" is "to the cent"), floating-point ratios to
an absolute or relative tolerance of 1e-9.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

FLOAT_TOLERANCE = 1e-9

Row = tuple[object, ...]
Fetcher = Callable[["MartModel"], list[Row]]


@dataclass(frozen=True)
class MartModel:
    """One published mart as the manifest describes it."""

    name: str
    schema: str
    columns: tuple[str, ...]


def _mart_nodes(manifest_path: str | os.PathLike[str]) -> list[dict]:
    manifest = json.loads(Path(manifest_path).read_text())
    return [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and len(node["fqn"]) > 1
        and node["fqn"][1] == "marts"
        and node["config"].get("enabled", True)
    ]


def mart_relations(manifest_path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """(schema, name) of every enabled model under models/marts/."""
    return sorted((node["schema"], node["name"]) for node in _mart_nodes(manifest_path))


def marts_from_manifest(
    manifest_path: str | os.PathLike[str],
    describe: Callable[[str, str], Sequence[str]] | None = None,
) -> list[MartModel]:
    """Every enabled model under models/marts/, with its contract column order.

    A mart whose YAML documents no columns yet gets them from ``describe``
    (schema, name) -> column names, e.g. read from the built DuckDB table.
    """
    marts: list[MartModel] = []
    for node in _mart_nodes(manifest_path):
        columns = tuple(node["columns"])
        if not columns and describe is not None:
            columns = tuple(describe(node["schema"], node["name"]))
        if not columns:
            raise ValueError(f"mart {node['name']} documents no columns: cannot compare it column by column")
        marts.append(MartModel(name=node["name"], schema=node["schema"], columns=columns))
    return sorted(marts, key=lambda mart: mart.name)


def duckdb_fetcher(path: str | os.PathLike[str]) -> Fetcher:
    """Rows of a mart from a DuckDB file.

    Opened read-write like dbt-duckdb opens it: dbt keeps its connection
    open in this process, and DuckDB refuses a second connection to the same
    file with a different configuration (read_only=True).
    """
    import duckdb

    def fetch(mart: MartModel) -> list[Row]:
        con = duckdb.connect(str(path))
        try:
            cols = ", ".join(f'"{col}"' for col in mart.columns)
            return [tuple(row) for row in con.execute(f'select {cols} from "{mart.schema}"."{mart.name}"').fetchall()]
        finally:
            con.close()

    return fetch


def duckdb_columns(path: str | os.PathLike[str]) -> Callable[[str, str], list[str]]:
    """``describe`` for marts_from_manifest: a relation's columns in a DuckDB file."""
    import duckdb

    def describe(schema: str, name: str) -> list[str]:
        con = duckdb.connect(str(path))
        try:
            rows = con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, name],
            ).fetchall()
            return [row[0] for row in rows]
        finally:
            con.close()

    return describe


def postgres_fetcher(connect: Callable[[], object]) -> Fetcher:
    """Rows of a mart from PostgreSQL; ``connect`` returns a psycopg2 connection."""

    def fetch(mart: MartModel) -> list[Row]:
        con = connect()
        try:
            with con.cursor() as cur:  # type: ignore[attr-defined]
                cols = ", ".join(f'"{col}"' for col in mart.columns)
                cur.execute(f'select {cols} from "{mart.schema}"."{mart.name}"')
                return [tuple(row) for row in cur.fetchall()]
        finally:
            con.close()  # type: ignore[attr-defined]

    return fetch


def spark_fetcher(spark: object) -> Fetcher:
    """Rows of a mart from Spark.

    pyspark turns timestamps into Python datetimes in the Python process's
    local zone, not Spark's session zone; timestamps are therefore read as
    strings formatted by Spark (session zone UTC) and parsed back.
    """

    def fetch(mart: MartModel) -> list[Row]:
        table = spark.table(f"{mart.schema}.{mart.name}")  # type: ignore[attr-defined]
        types = dict(table.dtypes)
        exprs = []
        timestamp_cols = set()
        for col in mart.columns:
            if types[col].startswith("timestamp"):
                timestamp_cols.add(col)
                exprs.append(f"date_format(`{col}`, 'yyyy-MM-dd HH:mm:ss.SSSSSS') as `{col}`")
            else:
                exprs.append(f"`{col}`")
        rows = table.selectExpr(*exprs).collect()
        result = []
        for row in rows:
            values = []
            for col, value in zip(mart.columns, row, strict=True):
                if col in timestamp_cols and value is not None:
                    value = dt.datetime.fromisoformat(value)
                values.append(value)
            result.append(tuple(values))
        return result

    return fetch


def _sort_key(row: Row) -> tuple:
    # exact values first (a mart's grain is made of them), floats last, so
    # float noise below the tolerance cannot reorder rows between engines
    key = []
    float_keys = []
    for value in row:
        if value is None:
            key.append((0, ""))
        elif isinstance(value, float):
            float_keys.append((1, "nan" if math.isnan(value) else f"{value:.6e}"))
        elif isinstance(value, bool):
            key.append((1, str(value)))
        elif isinstance(value, (int, Decimal)):
            key.append((1, f"{Decimal(value):032.9f}" if value >= 0 else f"-{Decimal(-value):032.9f}"))
        else:
            key.append((1, str(value)))
    return tuple(key + float_keys)


def values_equal(left: object, right: object) -> bool:
    """Exact equality, except floats (ratios), which agree to 1e-9."""
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, float) or isinstance(right, float):
        if not isinstance(left, (int, float, Decimal)) or not isinstance(right, (int, float, Decimal)):
            return False
        a, b = float(left), float(right)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, (int, Decimal)) and isinstance(right, (int, Decimal)):
        return Decimal(left) == Decimal(right)
    if type(left) is not type(right):
        # a date must not silently equal a timestamp, nor "1" equal 1
        return False
    return left == right


@dataclass
class MartDiff:
    """How one mart differs between two engines."""

    mart: str
    left_rows: int
    right_rows: int
    differences: list[str] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return self.left_rows == self.right_rows and not self.differences


def compare_rows(mart: MartModel, left: Sequence[Row], right: Sequence[Row], *, max_report: int = 5) -> MartDiff:
    """Sort both row sets and compare them pairwise, column by column."""
    diff = MartDiff(mart=mart.name, left_rows=len(left), right_rows=len(right))
    if len(left) != len(right):
        diff.differences.append(f"row count {len(left)} != {len(right)}")
    for left_row, right_row in zip(sorted(left, key=_sort_key), sorted(right, key=_sort_key), strict=False):
        mismatched = [
            f"{col}: {lv!r} != {rv!r}"
            for col, lv, rv in zip(mart.columns, left_row, right_row, strict=True)
            if not values_equal(lv, rv)
        ]
        if mismatched:
            diff.differences.append(f"row {dict(zip(mart.columns, left_row, strict=True))}: " + "; ".join(mismatched))
            if len(diff.differences) >= max_report:
                break
    return diff


def compare_marts(marts: Sequence[MartModel], left: Fetcher, right: Fetcher) -> list[MartDiff]:
    """Every mart fetched from both sides and compared row by row (compare_rows)."""
    return [compare_rows(mart, left(mart), right(mart)) for mart in marts]
