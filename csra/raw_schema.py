"""The raw source contract (shared/spec/raw_sources.md) as data.

One place that names every raw table, its columns and their SQL types, so the
generator, the fixture loader and the cross-engine exporters cannot drift from
the contract or from each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import duckdb

RAW_TABLES: dict[str, dict[str, list[tuple[str, str]]]] = {
    "raw_billing": {
        "customers": [
            ("customer_id", "varchar"),
            ("account_id", "varchar"),
            ("customer_name", "varchar"),
            ("currency", "varchar"),
            ("created_at", "timestamp"),
        ],
        "plans": [
            ("plan_id", "varchar"),
            ("plan_name", "varchar"),
            ("tier", "varchar"),
            ("billing_period_months", "integer"),
            ("pricing_model", "varchar"),
            ("is_addon", "boolean"),
        ],
        "subscriptions": [
            ("subscription_id", "varchar"),
            ("customer_id", "varchar"),
            ("status", "varchar"),
            ("created_at", "timestamp"),
            ("canceled_at", "timestamp"),
            ("cancel_reason", "varchar"),
        ],
        "subscription_items": [
            ("item_id", "varchar"),
            ("subscription_id", "varchar"),
            ("plan_id", "varchar"),
            ("quantity", "integer"),
            ("unit_amount", "decimal(18,2)"),
            ("discount_pct", "decimal(5,2)"),
            ("currency", "varchar"),
            ("valid_from", "date"),
            ("valid_to", "date"),
        ],
        "invoices": [
            ("invoice_id", "varchar"),
            ("customer_id", "varchar"),
            ("issued_at", "timestamp"),
            ("due_at", "timestamp"),
            ("paid_at", "timestamp"),
            ("status", "varchar"),
            ("amount_due", "decimal(18,2)"),
            ("currency", "varchar"),
        ],
        "fx_rates": [
            ("rate_date", "date"),
            ("currency", "varchar"),
            ("usd_per_unit", "decimal(18,8)"),
        ],
    },
    "raw_crm": {
        "accounts": [
            ("account_id", "varchar"),
            ("account_name", "varchar"),
            ("segment", "varchar"),
            ("industry", "varchar"),
            ("region", "varchar"),
            ("csm_user_id", "varchar"),
            ("ae_user_id", "varchar"),
            ("created_at", "timestamp"),
            ("updated_at", "timestamp"),
        ],
        "users": [
            ("user_id", "varchar"),
            ("full_name", "varchar"),
            ("role", "varchar"),
            ("team", "varchar"),
            ("is_active", "boolean"),
        ],
        "contracts": [
            ("contract_id", "varchar"),
            ("account_id", "varchar"),
            ("contract_type", "varchar"),
            ("signed_at", "timestamp"),
            ("start_date", "date"),
            ("end_date", "date"),
            ("arr_amount", "decimal(18,2)"),
            ("currency", "varchar"),
        ],
        "opportunities": [
            ("opportunity_id", "varchar"),
            ("account_id", "varchar"),
            ("opportunity_type", "varchar"),
            ("stage", "varchar"),
            ("amount_arr", "decimal(18,2)"),
            ("currency", "varchar"),
            ("created_at", "timestamp"),
            ("created_by_user_id", "varchar"),
            ("owner_user_id", "varchar"),
            ("origin", "varchar"),
            ("origin_signal", "varchar"),
            ("qualified_at", "timestamp"),
            ("closed_at", "timestamp"),
        ],
        "onboarding_milestones": [
            ("account_id", "varchar"),
            ("milestone_key", "varchar"),
            ("target_date", "date"),
            ("completed_at", "timestamp"),
        ],
        "cases": [
            ("case_id", "varchar"),
            ("account_id", "varchar"),
            ("opened_at", "timestamp"),
            ("first_response_at", "timestamp"),
            ("resolved_at", "timestamp"),
            ("priority", "varchar"),
            ("is_escalated", "boolean"),
        ],
        "activities": [
            ("activity_id", "varchar"),
            ("account_id", "varchar"),
            ("user_id", "varchar"),
            ("activity_type", "varchar"),
            ("occurred_at", "timestamp"),
        ],
    },
    "raw_survey": {
        "responses": [
            ("response_id", "varchar"),
            ("account_id", "varchar"),
            ("contact_email", "varchar"),
            ("survey_type", "varchar"),
            ("touchpoint", "varchar"),
            ("score", "integer"),
            ("responded_at", "timestamp"),
            ("comment", "varchar"),
        ],
    },
    "raw_product": {
        "features": [
            ("feature_key", "varchar"),
            ("feature_name", "varchar"),
            ("min_tier", "varchar"),
            ("is_core_workflow", "boolean"),
        ],
        "events": [
            ("event_id", "varchar"),
            ("account_id", "varchar"),
            ("user_id", "varchar"),
            ("event_name", "varchar"),
            ("feature_key", "varchar"),
            ("occurred_at", "timestamp"),
            ("loaded_at", "timestamp"),
        ],
    },
}


# The Stripe tables as Fivetran's Stripe connector lands them (the columns
# the Stripe billing adapter reads, plus the Fivetran bookkeeping columns),
# read instead of five raw_billing tables when dbt runs with
# `billing_source: stripe`. Amounts are integers in the currency's minor
# unit; metadata is Stripe's JSON object as text. `end` is quoted in SQL.
STRIPE_TABLES: dict[str, dict[str, list[tuple[str, str]]]] = {
    "raw_stripe": {
        "customer": [
            ("id", "varchar"),
            ("name", "varchar"),
            ("currency", "varchar"),
            ("created", "timestamp"),
            ("metadata", "varchar"),
            ("is_deleted", "boolean"),
            ("_fivetran_deleted", "boolean"),
            ("_fivetran_synced", "timestamp"),
        ],
        "product": [
            ("id", "varchar"),
            ("name", "varchar"),
            ("active", "boolean"),
            ("metadata", "varchar"),
            ("_fivetran_deleted", "boolean"),
            ("_fivetran_synced", "timestamp"),
        ],
        "price": [
            ("id", "varchar"),
            ("product_id", "varchar"),
            ("nickname", "varchar"),
            ("currency", "varchar"),
            ("unit_amount", "bigint"),
            ("type", "varchar"),
            ("recurring_interval", "varchar"),
            ("recurring_interval_count", "bigint"),
            ("active", "boolean"),
            ("created", "timestamp"),
            ("_fivetran_deleted", "boolean"),
            ("_fivetran_synced", "timestamp"),
        ],
        "coupon": [
            ("id", "varchar"),
            ("name", "varchar"),
            ("percent_off", "decimal(5,2)"),
            ("amount_off", "bigint"),
            ("currency", "varchar"),
            ("duration", "varchar"),
            ("duration_in_months", "bigint"),
            ("created", "timestamp"),
            ("_fivetran_deleted", "boolean"),
            ("_fivetran_synced", "timestamp"),
        ],
        "discount": [
            ("id", "varchar"),
            ("type", "varchar"),
            ("type_id", "varchar"),
            ("coupon_id", "varchar"),
            ("customer_id", "varchar"),
            ("subscription_id", "varchar"),
            ("start", "timestamp"),
            ('"end"', "timestamp"),
            ("_fivetran_deleted", "boolean"),
            ("_fivetran_synced", "timestamp"),
        ],
        "subscription_history": [
            ("id", "varchar"),
            ("customer_id", "varchar"),
            ("status", "varchar"),
            ("created", "timestamp"),
            ("start_date", "timestamp"),
            ("trial_start", "timestamp"),
            ("trial_end", "timestamp"),
            ("current_period_start", "timestamp"),
            ("current_period_end", "timestamp"),
            ("cancel_at", "timestamp"),
            ("cancel_at_period_end", "boolean"),
            ("canceled_at", "timestamp"),
            ("ended_at", "timestamp"),
            ("metadata", "varchar"),
            ("_fivetran_active", "boolean"),
            ("_fivetran_start", "timestamp"),
            ("_fivetran_end", "timestamp"),
            ("_fivetran_synced", "timestamp"),
        ],
        "subscription_item": [
            ("id", "varchar"),
            ("subscription_id", "varchar"),
            ("price_id", "varchar"),
            ("quantity", "bigint"),
            ("created", "timestamp"),
            ("_fivetran_deleted", "boolean"),
            ("_fivetran_synced", "timestamp"),
        ],
        "invoice": [
            ("id", "varchar"),
            ("customer_id", "varchar"),
            ("subscription_id", "varchar"),
            ("status", "varchar"),
            ("currency", "varchar"),
            ("amount_due", "bigint"),
            ("created", "timestamp"),
            ("due_date", "timestamp"),
            ("status_transitions_paid_at", "timestamp"),
            ("_fivetran_deleted", "boolean"),
            ("_fivetran_synced", "timestamp"),
        ],
        "invoice_line_item": [
            ("id", "varchar"),
            ("invoice_id", "varchar"),
            ("subscription_id", "varchar"),
            ("subscription_item_id", "varchar"),
            ("price_id", "varchar"),
            ("type", "varchar"),
            ("proration", "boolean"),
            ("quantity", "bigint"),
            ("amount", "bigint"),
            ("currency", "varchar"),
            ("period_start", "timestamp"),
            ("period_end", "timestamp"),
            ("_fivetran_deleted", "boolean"),
            ("_fivetran_synced", "timestamp"),
        ],
    },
}


def columns(schema: str, table: str) -> list[tuple[str, str]]:
    """Return the (name, type) pairs of one raw table, in contract order."""
    if schema in STRIPE_TABLES:
        return STRIPE_TABLES[schema][table]
    return RAW_TABLES[schema][table]


def all_tables() -> Iterable[tuple[str, str]]:
    """Yield every (schema, table) of the contract."""
    for schema, tables in RAW_TABLES.items():
        for table in tables:
            yield schema, table


def stripe_tables() -> Iterable[tuple[str, str]]:
    """Yield every (schema, table) of the Stripe shape (billing_source: stripe)."""
    for schema, tables in STRIPE_TABLES.items():
        for table in tables:
            yield schema, table


def tables_to_copy(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """The raw tables an engine loader copies from a DuckDB file.

    Every contract table, and the Stripe tables when the file has the
    raw_stripe schema (a company in both shapes builds either way).
    """
    has_stripe = con.execute(
        "select count(*) from information_schema.schemata where schema_name = 'raw_stripe'"
    ).fetchone()[0]
    return list(all_tables()) + (list(stripe_tables()) if has_stripe else [])


def create_table_sql(schema: str, table: str, *, or_replace: bool = True) -> str:
    """DDL for one raw table with exactly the contract's columns and types."""
    cols = ",\n    ".join(f"{name} {sql_type}" for name, sql_type in columns(schema, table))
    verb = "create or replace table" if or_replace else "create table"
    return f"{verb} {schema}.{table} (\n    {cols}\n)"


def create_raw_schemas(con: duckdb.DuckDBPyConnection) -> None:
    """Create all raw schemas and empty tables (replacing existing ones)."""
    for schema in RAW_TABLES:
        con.execute(f"create schema if not exists {schema}")
    for schema, table in all_tables():
        con.execute(create_table_sql(schema, table))


def create_stripe_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw_stripe schema and its empty tables (replacing existing ones)."""
    for schema in STRIPE_TABLES:
        con.execute(f"create schema if not exists {schema}")
    for schema, table in stripe_tables():
        con.execute(create_table_sql(schema, table))


def insert_rows(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    rows: Sequence[Mapping[str, object]],
) -> None:
    """Insert dict rows into a raw table; missing columns are null.

    Values are bound as parameters and cast by the table's declared types, so
    hand-made fixtures can pass dates and decimals as ISO strings.
    """
    if not rows:
        return
    names = [name.strip('"') for name, _ in columns(schema, table)]
    unknown = {key for row in rows for key in row} - set(names)
    if unknown:
        raise ValueError(f"{schema}.{table}: unknown columns {sorted(unknown)}")
    placeholders = ", ".join(
        f"cast(? as {sql_type})" for _, sql_type in columns(schema, table)
    )
    con.executemany(
        f"insert into {schema}.{table} values ({placeholders})",
        [[row.get(name) for name in names] for row in rows],
    )


def load_raw_dataset(
    database: str,
    tables: Mapping[str, Sequence[Mapping[str, object]]],
) -> None:
    """Write a small hand-made raw dataset to a DuckDB file.

    ``tables`` maps "schema.table" (e.g. "raw_billing.customers") to rows;
    every contract table is created, the ones not given stay empty (and
    every raw_stripe table too when any raw_stripe rows are given). Hand-made
    fixtures hold no real addresses, so the public sample e-mail hash key is
    installed (csra.email_key).
    """
    from csra.email_key import install_sample_key_if_missing

    con = duckdb.connect(database)
    try:
        create_raw_schemas(con)
        if any(key.split(".")[0] in STRIPE_TABLES for key in tables):
            create_stripe_schema(con)
        install_sample_key_if_missing(con)
        for qualified, rows in tables.items():
            schema, table = qualified.split(".")
            insert_rows(con, schema, table, rows)
    finally:
        con.close()


DBT_CONTRACT_MACRO_PATH = "macros/data_quality/raw_contract.sql"


def dbt_contract_macro() -> str:
    """The contract as the dbt macro `raw_contract()` (macros/data_quality/raw_contract.sql).

    The preflight check (macro assert_raw_contract) runs inside dbt, which
    cannot import this module, so the file is generated from RAW_TABLES:
    `python -m csra.raw_schema > macros/data_quality/raw_contract.sql`; a pytest fails when
    the two differ.
    """
    lines = [
        "{#-",
        "    GENERATED from csra/raw_schema.py (RAW_TABLES) by",
        "    `python -m csra.raw_schema > macros/data_quality/raw_contract.sql`; do not edit by hand.",
        "    Every raw table of the contract with its columns and contract types,",
        "    read by assert_raw_contract (the preflight run at the start of every",
        "    dbt run, build and test).",
        "-#}",
        "{% macro raw_contract() -%}",
        "    {{ return({",
    ]
    for schema, tables in RAW_TABLES.items():
        lines.append(f"        '{schema}': {{")
        for table, cols in tables.items():
            lines.append(f"            '{table}': [")
            lines.extend(f"                ['{name}', '{sql_type}']," for name, sql_type in cols)
            lines.append("            ],")
        lines.append("        },")
    lines += ["    }) }}", "{%- endmacro %}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(dbt_contract_macro(), end="")
