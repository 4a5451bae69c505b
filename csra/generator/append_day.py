"""One night's new data for a generated company: hold back its last day, append it later.

A nightly run sees what the loaders wrote since the last run. To measure one
on a generated company (csra.benchmark) or to test it, the last day D of the
company (the newest occurrence date of its product events) is held back and
appended again after a build:

- product events: every row loaded on or after D, i.e. the day's events plus
  the late stragglers and duplicate redeliveries of earlier events loaded
  with them;
- billing: customers and subscriptions created on or after D, invoices
  issued on or after D, subscription items that start on or after D (new
  price phases) and the end of every item that ended on or after D (a phase
  closed that day: held back as still open, closed again on append);
- CRM and survey: accounts created, cases opened, activities logged,
  opportunities created and responses given on or after D.

    hold_back_last_day(con)  # -> D, rows held back per table
    append_held_back(con)    # writes them back (the night's load)

Held-back rows live in the schema `held_back` of the same file.
"""

from __future__ import annotations

import datetime as dt

import duckdb

SCHEMA = "held_back"

# (raw table, column whose value on or after D makes the row part of day D's load)
NEW_ROWS: tuple[tuple[str, str], ...] = (
    ("raw_product.events", "loaded_at"),
    ("raw_billing.customers", "created_at"),
    ("raw_billing.subscriptions", "created_at"),
    ("raw_billing.invoices", "issued_at"),
    ("raw_billing.subscription_items", "valid_from"),
    ("raw_crm.accounts", "created_at"),
    ("raw_crm.cases", "opened_at"),
    ("raw_crm.activities", "occurred_at"),
    ("raw_crm.opportunities", "created_at"),
    ("raw_survey.responses", "responded_at"),
)


def _held_name(table: str) -> str:
    return f"{SCHEMA}.{table.replace('.', '__')}"


def last_day(con: duckdb.DuckDBPyConnection) -> dt.date:
    """The company's last day: the newest occurrence date of its product events."""
    day = con.execute("select max(cast(occurred_at as date)) from raw_product.events").fetchone()[0]
    if day is None:
        raise ValueError("raw_product.events is empty: no day to hold back")
    return day


def hold_back_last_day(con: duckdb.DuckDBPyConnection) -> tuple[dt.date, dict[str, int]]:
    """Move day D's load (see module doc) into the `held_back` schema; return D and row counts."""
    day = last_day(con)
    con.execute(f"drop schema if exists {SCHEMA} cascade")
    con.execute(f"create schema {SCHEMA}")
    held: dict[str, int] = {}
    for table, column in NEW_ROWS:
        condition = f"cast({column} as date) >= ?"
        con.execute(f"create table {_held_name(table)} as select * from {table} where {condition}", [day])
        con.execute(f"delete from {table} where {condition}", [day])
        held[table] = con.execute(f"select count(*) from {_held_name(table)}").fetchone()[0]
    # phases that closed on or after D were still open the night before
    con.execute(
        f"create table {SCHEMA}.closed_item_ends as "
        "select item_id, valid_to from raw_billing.subscription_items where valid_to >= ?",
        [day],
    )
    con.execute("update raw_billing.subscription_items set valid_to = null where valid_to >= ?", [day])
    held["raw_billing.subscription_items (closed)"] = con.execute(
        f"select count(*) from {SCHEMA}.closed_item_ends"
    ).fetchone()[0]
    return day, held


def append_held_back(con: duckdb.DuckDBPyConnection) -> None:
    """Write the held-back load back into the raw tables (the night's new data)."""
    for table, _ in NEW_ROWS:
        con.execute(f"insert into {table} select * from {_held_name(table)}")
    con.execute(
        "update raw_billing.subscription_items as items set valid_to = closed.valid_to "
        f"from {SCHEMA}.closed_item_ends as closed where items.item_id = closed.item_id"
    )
    con.execute(f"drop schema {SCHEMA} cascade")
