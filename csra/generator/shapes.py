"""Company shapes: the same generated company with the systems it lacks.

Real companies do not run every system the raw contract describes. A shape
empties the raw tables of the systems a company lacks, or blanks an
optional column it does not collect, after the full company is generated,
so every shape of one seed is the same company seen through fewer systems:

    python -m csra.generate --database d.duckdb --accounts 300 --shape self_serve

Every shape is legal input (shared/spec/raw_sources.md: any table may be
empty, nullable columns may be null) and must build with dense marts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb


@dataclass(frozen=True)
class Shape:
    """Which raw tables a company lacks and which nullable columns it leaves null."""

    description: str
    empty_tables: tuple[str, ...] = ()
    null_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)


_CRM_PEOPLE = {
    "raw_crm.accounts": ("csm_user_id", "ae_user_id"),
    "raw_crm.opportunities": ("created_by_user_id", "owner_user_id"),
    "raw_crm.activities": ("user_id",),
}

SHAPES: dict[str, Shape] = {
    "full": Shape("every system of the contract (the default)"),
    "self_serve": Shape(
        "a self-serve company: billing and anonymous product events only (server-side tracking, "
        "no user ids); CRM accounts are the only CRM table (the unit every customer rolls up to): "
        "no contracts, opportunities, milestones, users, cases or activities, no survey tool",
        empty_tables=(
            "raw_crm.users",
            "raw_crm.contracts",
            "raw_crm.opportunities",
            "raw_crm.onboarding_milestones",
            "raw_crm.cases",
            "raw_crm.activities",
            "raw_survey.responses",
        ),
        null_columns={"raw_crm.accounts": ("csm_user_id", "ae_user_id"), "raw_product.events": ("user_id",)},
    ),
    "support_led": Shape(
        "the shape of a public SaaS dataset: billing, CRM accounts, support cases, survey responses "
        "and product events without user ids; no contracts, opportunities, milestones, users or "
        "CS activities",
        empty_tables=(
            "raw_crm.contracts",
            "raw_crm.opportunities",
            "raw_crm.onboarding_milestones",
            "raw_crm.users",
            "raw_crm.activities",
        ),
        null_columns={"raw_crm.accounts": ("csm_user_id", "ae_user_id"), "raw_product.events": ("user_id",)},
    ),
    "no_contracts": Shape(
        "every system, but no CRM contracts (no order forms: no renewals, no TTV clock)",
        empty_tables=("raw_crm.contracts",),
    ),
    "no_users": Shape(
        "every system, but no CRM users (nobody owns an account)",
        empty_tables=("raw_crm.users",),
        null_columns=_CRM_PEOPLE,
    ),
    "anonymous_events": Shape(
        "every system, but product events without user ids (server-side tracking)",
        null_columns={"raw_product.events": ("user_id",)},
    ),
    "billing_only": Shape(
        "billing and the CRM accounts it rolls up to; every other table empty. The accounts stay: "
        "the contract makes the CRM account the unit of a customer (customers.account_id)",
        empty_tables=(
            "raw_crm.users",
            "raw_crm.contracts",
            "raw_crm.opportunities",
            "raw_crm.onboarding_milestones",
            "raw_crm.cases",
            "raw_crm.activities",
            "raw_survey.responses",
            "raw_product.features",
            "raw_product.events",
        ),
        null_columns={"raw_crm.accounts": ("csm_user_id", "ae_user_id")},
    ),
}


def apply_shape(database: str, shape: str) -> None:
    """Empty the tables and null the columns ``shape`` lacks, in place."""
    try:
        spec = SHAPES[shape]
    except KeyError:
        raise ValueError(f"unknown shape {shape!r}; choose one of {', '.join(SHAPES)}") from None
    con = duckdb.connect(database)
    try:
        for table in spec.empty_tables:
            con.execute(f"delete from {table}")
        for table, columns in spec.null_columns.items():
            if table in spec.empty_tables:
                continue
            assignments = ", ".join(f"{column} = null" for column in columns)
            con.execute(f"update {table} set {assignments}")
        con.execute("checkpoint")
    finally:
        con.close()
