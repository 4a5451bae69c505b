"""Write numpy columns into the contract's raw tables through DuckDB.

DuckDB scans a dict of numpy arrays directly (no pandas or pyarrow needed):
integer, float, bool, object (str/None) and datetime64[us|s] columns work, and
NaN / NaT arrive as NULL. Each table is inserted `by name` from a SELECT that
turns integer ids into readable ids and day numbers into dates, so the
contract's column types come from csra.raw_schema, never from here.
"""

from __future__ import annotations

import duckdb
import numpy as np

from csra.generator.calendar import NULL_DAY, NULL_US


def id_width(count: int, minimum: int) -> int:
    """Digits needed for 1-based ids up to `count` (never fewer than `minimum`)."""
    return max(minimum, len(str(max(count, 1))))


def id_sql(prefix: str, column: str, width: int) -> str:
    """SQL turning a 0-based integer column into e.g. acc_000001 (1-based, zero padded)."""
    return f"'{prefix}' || lpad(({column} + 1)::varchar, {width}, '0')"


def label_sql(column: str, labels: tuple[str, ...]) -> str:
    """SQL mapping a 0-based integer code column to its label (negative = null).

    Cheaper than shipping millions of Python strings through the numpy scan.
    """
    items = ", ".join(f"'{label}'" for label in labels)
    return f"case when {column} >= 0 then ([{items}])[({column} + 1)::bigint] end"


def timestamps(us: np.ndarray) -> np.ndarray:
    """int64 microseconds (NULL_US = null) as datetime64[us] (NaT = NULL in DuckDB)."""
    us = np.asarray(us, dtype=np.int64)
    assert np.iinfo(np.int64).min == NULL_US  # the NaT bit pattern
    return us.view("datetime64[us]")


def dates(days: np.ndarray) -> np.ndarray:
    """int day numbers (NULL_DAY = null) as datetime64[s]; cast to date in SQL."""
    days = np.asarray(days, dtype=np.int64)
    seconds = np.where(days == NULL_DAY, np.iinfo(np.int64).min, days * 86_400)
    return seconds.view("datetime64[s]")


def nullable_str(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    out = np.asarray(values, dtype=object).copy()
    out[~np.asarray(present, dtype=bool)] = None
    return out


def insert(
    con: duckdb.DuckDBPyConnection,
    qualified_table: str,
    columns: dict[str, np.ndarray],
    select_sql: str,
) -> int:
    """Insert rows selected from `columns` (visible as `src`) into a raw table."""
    length = {len(v) for v in columns.values()}
    if len(length) != 1:
        raise ValueError(f"{qualified_table}: columns of different lengths {length}")
    if length.pop() == 0:
        return 0
    con.register("src", columns)
    try:
        con.execute(f"insert into {qualified_table} by name select {select_sql} from src")
    finally:
        con.unregister("src")
    return int(con.execute(f"select count(*) from {qualified_table}").fetchone()[0])
