"""Generator tests: contract shape, validity, determinism and statistical shape.

One company of 2,000 accounts over 36 months is generated once per module;
determinism is checked on two smaller companies. Everything here reads the
raw tables directly (no dbt), so a failure points at the generator.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from csra.generate import generate
from csra.generator.config import DEFAULT_CONFIG, MONTHLY_CHURN, SEGMENT_MIX
from csra.marts_diff import relation_differences
from csra.raw_schema import RAW_TABLES, all_tables

START_MONTH = "2023-12"
MONTHS = 36
WINDOW_END = "2026-12-01"  # first day after the window
ACCOUNTS = 2000
SEED = 7
EVENTS_PER_ACCOUNT = 400


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("generator") / "company.duckdb"
    # Fewer events per account than the default keeps the module fast; the
    # default volume is checked on the command-line company below.
    config = dataclasses.replace(DEFAULT_CONFIG, events_per_account=EVENTS_PER_ACCOUNT)
    counts = generate(str(path), accounts=ACCOUNTS, seed=SEED, start_month=START_MONTH,
                      months=MONTHS, progress=False, config=config)
    return path, counts


@pytest.fixture(scope="module")
def con(company: tuple[Path, dict[str, int]]) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(company[0]), read_only=True)
    connection.execute(f"""
        create temp table month_ends as
        select
            (date '{START_MONTH}-01' + to_months(m))::date as month_start,
            (date '{START_MONTH}-01' + to_months(m + 1))::date - 1 as month_end
        from range({MONTHS}) as t(m)
    """)
    # Account MRR at each month end, the metrics.md way (trials, pauses = 0).
    connection.execute("""
        create temp table account_months as
        with mrr as (
            select
                customers.account_id,
                month_ends.month_start,
                sum(items.quantity * items.unit_amount * (1 - items.discount_pct / 100)
                    / plans.billing_period_months) as mrr
            from raw_billing.subscription_items as items
            inner join raw_billing.subscriptions as subs on subs.subscription_id = items.subscription_id
            inner join raw_billing.customers as customers on customers.customer_id = subs.customer_id
            inner join raw_billing.plans as plans on plans.plan_id = items.plan_id
            inner join month_ends
                on items.valid_from <= month_ends.month_end
                and (items.valid_to is null or items.valid_to > month_ends.month_end)
            group by all
        )
        select
            accounts.account_id,
            accounts.segment,
            month_ends.month_start,
            coalesce(mrr.mrr, 0) as mrr,
            coalesce(lag(coalesce(mrr.mrr, 0)) over (
                partition by accounts.account_id order by month_ends.month_start
            ), 0) as prev_mrr
        from raw_crm.accounts as accounts
        cross join month_ends
        left join mrr
            on mrr.account_id = accounts.account_id and mrr.month_start = month_ends.month_start
    """)
    yield connection
    connection.close()


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    return con.execute(sql).fetchone()[0]


# --- contract shape -------------------------------------------------------------


def test_every_contract_table_is_written(company: tuple[Path, dict[str, int]]) -> None:
    _, counts = company
    assert set(counts) == {f"{s}.{t}" for s, t in all_tables()}
    assert all(counts[key] > 0 for key in counts), counts


def test_columns_and_types_match_the_contract(con: duckdb.DuckDBPyConnection) -> None:
    for schema, tables in RAW_TABLES.items():
        for table, expected in tables.items():
            actual = con.execute(
                """
                select column_name, lower(data_type)
                from information_schema.columns
                where table_schema = ? and table_name = ?
                order by ordinal_position
                """,
                [schema, table],
            ).fetchall()
            assert actual == [(name, sql_type.replace(" ", "")) for name, sql_type in expected], (
                f"{schema}.{table}"
            )


def test_event_volume_follows_the_configured_rate(company: tuple[Path, dict[str, int]]) -> None:
    events = company[1]["raw_product.events"]
    assert 0.95 * EVENTS_PER_ACCOUNT * ACCOUNTS < events < 1.05 * EVENTS_PER_ACCOUNT * ACCOUNTS


# --- determinism ------------------------------------------------------------------


def _fingerprints(path: Path) -> dict[str, tuple[int, int]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            f"{schema}.{table}": con.execute(
                f"select count(*), coalesce(sum(hash(t)::hugeint), 0) from {schema}.{table} as t"
            ).fetchone()
            for schema, table in all_tables()
        }
    finally:
        con.close()


def test_same_seed_gives_identical_data_and_another_seed_does_not(tmp_path: Path) -> None:
    kwargs = {"accounts": 300, "start_month": "2024-01", "months": 18, "progress": False}
    first, second, other = tmp_path / "a.duckdb", tmp_path / "b.duckdb", tmp_path / "c.duckdb"
    generate(str(first), seed=11, **kwargs)
    generate(str(second), seed=11, **kwargs)
    generate(str(other), seed=12, **kwargs)
    a, b, c = _fingerprints(first), _fingerprints(second), _fingerprints(other)
    assert a == b
    static = {"raw_billing.plans", "raw_product.features"}
    assert all(a[key] != c[key] for key in a if key not in static), [k for k in a if a[k] == c[k]]
    # Row by row as well, on the table everything else hangs off.
    con = duckdb.connect(str(first), read_only=True)
    try:
        con.execute(f"attach '{second}' as twin (read_only)")
        for table in ("raw_billing.subscription_items", "raw_product.events"):
            assert relation_differences(con, table, f"twin.{table}")[2:] == (0, 0), table
    finally:
        con.close()


# --- validity -------------------------------------------------------------------

PRIMARY_KEYS = {
    "raw_billing.customers": "customer_id",
    "raw_billing.plans": "plan_id",
    "raw_billing.subscriptions": "subscription_id",
    "raw_billing.subscription_items": "item_id",
    "raw_billing.invoices": "invoice_id",
    "raw_billing.fx_rates": "rate_date, currency",
    "raw_crm.accounts": "account_id",
    "raw_crm.users": "user_id",
    "raw_crm.contracts": "contract_id",
    "raw_crm.opportunities": "opportunity_id",
    "raw_crm.onboarding_milestones": "account_id, milestone_key",
    "raw_crm.cases": "case_id",
    "raw_crm.activities": "activity_id",
    "raw_survey.responses": "response_id",
    "raw_product.features": "feature_key",
}


@pytest.mark.parametrize("table", sorted(PRIMARY_KEYS))
def test_primary_keys_are_unique_and_not_null(con: duckdb.DuckDBPyConnection, table: str) -> None:
    key = PRIMARY_KEYS[table]
    duplicates = scalar(con, f"select count(*) from (select {key} from {table} group by all having count(*) > 1)")
    nulls = scalar(con, f"select count(*) from {table} where ({key.replace(',', ' is null or')} is null)")
    assert (duplicates, nulls) == (0, 0)


ENUMS = {
    ("raw_billing.plans", "tier"): ("starter", "growth", "enterprise", "addon"),
    ("raw_billing.plans", "billing_period_months"): (1, 3, 6, 12),
    ("raw_billing.plans", "pricing_model"): ("per_seat", "flat"),
    ("raw_billing.subscriptions", "status"): ("trialing", "active", "paused", "canceled"),
    ("raw_billing.invoices", "status"): ("draft", "open", "paid", "void", "uncollectible"),
    ("raw_crm.accounts", "segment"): ("smb", "mid_market", "enterprise"),
    ("raw_crm.accounts", "region"): ("na", "emea", "apac", "latam"),
    ("raw_crm.users", "role"): ("csm", "ae", "sdr", "manager", "other"),
    ("raw_crm.contracts", "contract_type"): ("new", "renewal", "expansion"),
    ("raw_crm.opportunities", "opportunity_type"): ("new_business", "expansion", "renewal"),
    ("raw_crm.opportunities", "stage"): (
        "discovery", "qualified", "proposal", "negotiation", "closed_won", "closed_lost",
    ),
    ("raw_crm.opportunities", "origin"): ("cs", "sales", "marketing", "partner", "self_serve"),
    ("raw_crm.opportunities", "origin_signal"): (
        "seat_utilization", "feature_ceiling", "new_persona", "qbr", "inbound", "other", None,
    ),
    ("raw_crm.onboarding_milestones", "milestone_key"): (
        "kickoff", "integration_live", "first_value", "onboarding_complete",
    ),
    ("raw_crm.cases", "priority"): ("low", "normal", "high", "urgent"),
    ("raw_crm.activities", "activity_type"): ("qbr", "call", "email", "training", "exec_meeting"),
    ("raw_survey.responses", "survey_type"): ("nps", "csat", "ces"),
    ("raw_survey.responses", "touchpoint"): ("relationship", "onboarding", "support", "qbr"),
    ("raw_product.features", "min_tier"): ("starter", "growth", "enterprise"),
    ("raw_product.events", "event_name"): ("session_start", "feature_used", "workflow_completed"),
}


@pytest.mark.parametrize(("table", "column"), sorted(ENUMS))
def test_enumerations_hold_only_contract_values(con: duckdb.DuckDBPyConnection, table: str, column: str) -> None:
    values = {row[0] for row in con.execute(f"select distinct {column} from {table}").fetchall()}
    assert values <= set(ENUMS[(table, column)]), values - set(ENUMS[(table, column)])


def test_currencies_are_upper_case_iso_codes(con: duckdb.DuckDBPyConnection) -> None:
    for table in ("raw_billing.customers", "raw_billing.subscription_items", "raw_billing.invoices",
                  "raw_billing.fx_rates", "raw_crm.contracts", "raw_crm.opportunities"):
        bad = scalar(con, f"select count(*) from {table} where not regexp_full_match(currency, '[A-Z]{{3}}')")
        assert bad == 0, table


def test_amounts_scores_and_intervals_are_valid(con: duckdb.DuckDBPyConnection) -> None:
    checks = {
        "negative item amounts or quantities": """
            select count(*) from raw_billing.subscription_items where unit_amount < 0 or quantity < 0""",
        "discount outside 0-100": """
            select count(*) from raw_billing.subscription_items where discount_pct not between 0 and 100""",
        "flat plans with quantity <> 1": """
            select count(*) from raw_billing.subscription_items join raw_billing.plans using (plan_id)
            where pricing_model = 'flat' and quantity <> 1""",
        "valid_to not after valid_from": """
            select count(*) from raw_billing.subscription_items where valid_to <= valid_from""",
        "negative invoice amounts": "select count(*) from raw_billing.invoices where amount_due < 0",
        "paid status without paid_at (or the reverse)": """
            select count(*) from raw_billing.invoices where (status = 'paid') <> (paid_at is not null)""",
        "non-positive fx rates": "select count(*) from raw_billing.fx_rates where usd_per_unit <= 0",
        "negative contract or opportunity amounts": """
            select (select count(*) from raw_crm.contracts where arr_amount < 0)
                 + (select count(*) from raw_crm.opportunities where amount_arr < 0)""",
        "contract end not after start": "select count(*) from raw_crm.contracts where end_date <= start_date",
        "scores outside their scale": """
            select count(*) from raw_survey.responses
            where score < case survey_type when 'nps' then 0 else 1 end
               or score > case survey_type when 'nps' then 10 when 'csat' then 5 else 7 end""",
        "closed stage without closed_at, or open with one": """
            select count(*) from raw_crm.opportunities
            where (stage in ('closed_won', 'closed_lost')) <> (closed_at is not null)""",
        "qualified outside created..closed": """
            select count(*) from raw_crm.opportunities
            where qualified_at < created_at or qualified_at > closed_at or closed_at < created_at""",
        "case timestamps out of order": """
            select count(*) from raw_crm.cases
            where first_response_at < opened_at or resolved_at < first_response_at
               or (resolved_at is not null and first_response_at is null)""",
        "canceled subscriptions without canceled_at (or the reverse)": """
            select count(*) from raw_billing.subscriptions where (status = 'canceled') <> (canceled_at is not null)""",
        "events loaded before they occurred": """
            select count(*) from raw_product.events where loaded_at < occurred_at""",
        "feature_key on session_start or missing on feature events": """
            select count(*) from raw_product.events
            where (event_name = 'session_start') <> (feature_key is null)""",
    }
    failures = {name: n for name, sql in checks.items() if (n := scalar(con, sql)) != 0}
    assert failures == {}


def test_price_phases_never_overlap_per_subscription_and_plan(con: duckdb.DuckDBPyConnection) -> None:
    overlaps = scalar(con, """
        select count(*)
        from raw_billing.subscription_items as a
        inner join raw_billing.subscription_items as b
            on a.subscription_id = b.subscription_id and a.plan_id = b.plan_id and a.item_id < b.item_id
            and a.valid_from < coalesce(b.valid_to, date '9999-12-31')
            and b.valid_from < coalesce(a.valid_to, date '9999-12-31')
    """)
    assert overlaps == 0


def test_no_orphans(con: duckdb.DuckDBPyConnection) -> None:
    relations = [
        ("raw_billing.subscription_items", "subscription_id", "raw_billing.subscriptions", "subscription_id"),
        ("raw_billing.subscription_items", "plan_id", "raw_billing.plans", "plan_id"),
        ("raw_billing.subscriptions", "customer_id", "raw_billing.customers", "customer_id"),
        ("raw_billing.invoices", "customer_id", "raw_billing.customers", "customer_id"),
        ("raw_billing.customers", "account_id", "raw_crm.accounts", "account_id"),
        ("raw_crm.accounts", "csm_user_id", "raw_crm.users", "user_id"),
        ("raw_crm.accounts", "ae_user_id", "raw_crm.users", "user_id"),
        ("raw_crm.contracts", "account_id", "raw_crm.accounts", "account_id"),
        ("raw_crm.opportunities", "account_id", "raw_crm.accounts", "account_id"),
        ("raw_crm.opportunities", "created_by_user_id", "raw_crm.users", "user_id"),
        ("raw_crm.opportunities", "owner_user_id", "raw_crm.users", "user_id"),
        ("raw_crm.onboarding_milestones", "account_id", "raw_crm.accounts", "account_id"),
        ("raw_crm.cases", "account_id", "raw_crm.accounts", "account_id"),
        ("raw_crm.activities", "account_id", "raw_crm.accounts", "account_id"),
        ("raw_crm.activities", "user_id", "raw_crm.users", "user_id"),
        ("raw_survey.responses", "account_id", "raw_crm.accounts", "account_id"),
        ("raw_product.events", "account_id", "raw_crm.accounts", "account_id"),
        ("raw_product.events", "feature_key", "raw_product.features", "feature_key"),
    ]
    orphans = {
        f"{child}.{fk}": n
        for child, fk, parent, pk in relations
        if (n := scalar(con, f"""
            select count(*) from {child} as c
            where c.{fk} is not null and not exists (select 1 from {parent} as p where p.{pk} = c.{fk})
        """))
    }
    assert orphans == {}


def test_every_item_and_crm_amount_has_an_fx_rate_on_or_before_its_date(con: duckdb.DuckDBPyConnection) -> None:
    assert scalar(con, "select count(*) from raw_billing.fx_rates where currency = 'USD'") == 0
    for table, date_column in (
        ("raw_billing.subscription_items", "valid_from"),
        ("raw_crm.contracts", "start_date"),
        ("raw_crm.opportunities", "created_at::date"),
    ):
        missing = scalar(con, f"""
            select count(*) from {table} as t
            where t.currency <> 'USD' and not exists (
                select 1 from raw_billing.fx_rates as fx
                where fx.currency = t.currency and fx.rate_date <= {date_column}
            )
        """)
        assert missing == 0, table


def test_fx_rates_cover_every_day_of_the_window(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(f"""
        select currency, count(*), min(rate_date), max(rate_date),
               max(usd_per_unit) / min(usd_per_unit)
        from raw_billing.fx_rates
        where rate_date >= date '{START_MONTH}-01' and rate_date < date '{WINDOW_END}'
        group by currency order by currency
    """).fetchall()
    days = scalar(con, f"select date '{WINDOW_END}' - date '{START_MONTH}-01'")
    assert [r[0] for r in rows] == ["AUD", "CAD", "EUR", "GBP"]
    assert all(r[1] == days for r in rows)
    assert all(r[4] > 1.02 for r in rows), "rates should drift"


def test_facts_stay_inside_the_window(con: duckdb.DuckDBPyConnection) -> None:
    end = f"timestamp '{WINDOW_END}'"
    start = f"timestamp '{START_MONTH}-01'"
    for table, column in (
        ("raw_billing.subscription_items", "valid_from"),
        ("raw_billing.invoices", "issued_at"),
        ("raw_billing.invoices", "paid_at"),
        ("raw_billing.subscriptions", "canceled_at"),
        ("raw_crm.contracts", "signed_at"),
        ("raw_crm.opportunities", "created_at"),
        ("raw_crm.opportunities", "closed_at"),
        ("raw_crm.onboarding_milestones", "completed_at"),
        ("raw_crm.cases", "resolved_at"),
        ("raw_crm.activities", "occurred_at"),
        ("raw_survey.responses", "responded_at"),
        ("raw_product.events", "occurred_at"),
    ):
        outside = scalar(con, f"select count(*) from {table} where {column} >= {end} or {column} < {start}")
        assert outside == 0, f"{table}.{column}"


def test_events_happen_while_the_account_has_an_item_in_force(con: duckdb.DuckDBPyConnection) -> None:
    outside = scalar(con, """
        with spans as (
            select customers.account_id, items.valid_from, coalesce(items.valid_to, date '9999-12-31') as valid_to
            from raw_billing.subscription_items as items
            inner join raw_billing.subscriptions as subs on subs.subscription_id = items.subscription_id
            inner join raw_billing.customers as customers on customers.customer_id = subs.customer_id
        )
        select count(*) from raw_product.events as e
        where not exists (
            select 1 from spans as s
            where s.account_id = e.account_id
              and s.valid_from <= e.occurred_at::date and e.occurred_at::date < s.valid_to
        )
    """)
    assert outside == 0


# --- the story the data must tell ------------------------------------------------


def test_segment_mix_is_as_configured(con: duckdb.DuckDBPyConnection) -> None:
    shares = dict(con.execute(
        "select segment, count(*) / sum(count(*)) over () from raw_crm.accounts group by segment"
    ).fetchall())
    for segment, expected in SEGMENT_MIX.items():
        assert abs(shares[segment] - expected) < 0.04, (segment, shares[segment], expected)


def test_monthly_logo_churn_follows_the_configured_rates(con: duckdb.DuckDBPyConnection) -> None:
    observed = dict(con.execute("""
        select segment, count(*) filter (where mrr = 0) / count(*)
        from account_months where prev_mrr > 0
        group by segment
    """).fetchall())
    assert observed["smb"] > observed["mid_market"] > observed["enterprise"], observed
    for segment in ("smb", "mid_market"):
        assert 0.7 < observed[segment] / MONTHLY_CHURN[segment] < 1.3, (segment, observed)
    # Annual contracts only churn at renewal, so a young book shows less enterprise churn.
    assert 0.25 < observed["enterprise"] / MONTHLY_CHURN["enterprise"] < 1.3, observed


def test_mrr_moves_every_way(con: duckdb.DuckDBPyConnection) -> None:
    moves = con.execute("""
        select
            count(*) filter (where prev_mrr = 0 and mrr > 0) as starts,
            count(*) filter (where prev_mrr > 0 and mrr > prev_mrr) as expansions,
            count(*) filter (where prev_mrr > 0 and mrr > 0 and mrr < prev_mrr) as contractions,
            count(*) filter (where prev_mrr > 0 and mrr = 0) as churns
        from account_months
    """).fetchone()
    assert all(n > 50 for n in moves), moves
    reactivated = scalar(con, """
        select count(distinct account_id) from (
            select account_id, mrr, prev_mrr,
                   max(mrr) over (partition by account_id order by month_start
                                  rows between unbounded preceding and 1 preceding) as earlier
            from account_months
        ) where prev_mrr = 0 and mrr > 0 and earlier > 0
    """)
    assert reactivated >= 10


def test_billing_edge_cases_are_present(con: duckdb.DuckDBPyConnection) -> None:
    found = con.execute("""
        select
            count(*) filter (where unit_amount = 0) as trial_phases,
            count(*) filter (where discount_pct > 0 and discount_pct < 100) as discounted,
            count(*) filter (where day(valid_from) <> 1) as mid_month_starts,
            count(*) filter (where valid_to is not null and date_trunc('month', valid_from)
                             = date_trunc('month', valid_to - 1) and day(valid_from) > 1
                             and valid_to < last_day(valid_from)) as inside_one_month,
            count(*) filter (where day(valid_to) = 1) as ending_on_the_first
        from raw_billing.subscription_items
    """).fetchone()
    assert all(n > 0 for n in found), found
    assert scalar(con, "select count(*) from raw_billing.subscriptions where status = 'paused'") > 0
    assert scalar(con, "select count(*) from raw_billing.subscriptions where status = 'trialing'") > 0
    assert scalar(con, "select count(distinct billing_period_months) from raw_billing.plans") >= 3
    assert scalar(con, "select count(*) from raw_billing.plans where is_addon") > 0
    assert scalar(con, "select count(distinct subscription_id) from raw_billing.subscription_items "
                       "join raw_billing.plans using (plan_id) where is_addon") > 0


def test_currencies_and_accounts_with_two_customers(con: duckdb.DuckDBPyConnection) -> None:
    currencies = {r[0] for r in con.execute("select distinct currency from raw_billing.customers").fetchall()}
    assert {"USD", "EUR", "GBP", "CAD", "AUD"} <= currencies
    two = scalar(con, """
        select count(*) from (select account_id from raw_billing.customers group by 1 having count(*) >= 2)
    """)
    assert 0.01 * ACCOUNTS <= two <= 0.06 * ACCOUNTS
    mixed = scalar(con, """
        select count(*) from (
            select account_id from raw_billing.customers group by 1 having count(distinct currency) >= 2
        )
    """)
    assert mixed > 0


def test_duplicate_deliveries_are_identical_except_loaded_at(con: duckdb.DuckDBPyConnection) -> None:
    total = scalar(con, "select count(*) from raw_product.events")
    duplicated, differing, later = con.execute("""
        select count(*),
               count(*) filter (where variants > 1),
               count(*) filter (where last_loaded > first_loaded)
        from (
            select event_id,
                   count(distinct (account_id, user_id, event_name, feature_key, occurred_at)) as variants,
                   min(loaded_at) as first_loaded, max(loaded_at) as last_loaded
            from raw_product.events group by event_id having count(*) > 1
        )
    """).fetchone()
    assert 0.004 * total < duplicated < 0.012 * total
    assert differing == 0
    assert later == duplicated


def test_some_events_arrive_days_late(con: duckdb.DuckDBPyConnection) -> None:
    late_share = scalar(con, """
        select count(*) filter (where loaded_at > occurred_at + interval 1 day) / count(*)
        from raw_product.events
    """)
    assert 0.008 < late_share < 0.03


def test_some_usage_is_above_the_accounts_tier(con: duckdb.DuckDBPyConnection) -> None:
    above = scalar(con, """
        with tier_rank as (select * from (values ('starter', 1), ('growth', 2), ('enterprise', 3)) as t(tier, rank_))
        select count(*)
        from raw_product.events as e
        inner join raw_product.features as f on f.feature_key = e.feature_key
        inner join tier_rank as ft on ft.tier = f.min_tier
        inner join raw_billing.customers as c on c.account_id = e.account_id
        inner join raw_billing.subscriptions as s on s.customer_id = c.customer_id
        inner join raw_billing.subscription_items as i
            on i.subscription_id = s.subscription_id
            and i.valid_from <= e.occurred_at::date and e.occurred_at::date < coalesce(i.valid_to, date '9999-12-31')
        inner join raw_billing.plans as p on p.plan_id = i.plan_id and not p.is_addon
        inner join tier_rank as pt on pt.tier = p.tier
        where e.event_name = 'feature_used' and ft.rank_ > pt.rank_
    """)
    assert above > 1000


def test_product_users_stay_within_licensed_seats(con: duckdb.DuckDBPyConnection) -> None:
    worst = scalar(con, """
        with users as (
            select account_id, count(distinct user_id) as users from raw_product.events group by 1
        ),
        seats as (
            select c.account_id, max(i.quantity) as seats
            from raw_billing.subscription_items as i
            inner join raw_billing.subscriptions as s on s.subscription_id = i.subscription_id
            inner join raw_billing.customers as c on c.customer_id = s.customer_id
            inner join raw_billing.plans as p on p.plan_id = i.plan_id
            where not p.is_addon
            group by 1
            -- flat plans license a team, not seats
            having count(*) filter (where p.pricing_model = 'flat') = 0
        )
        select max(users / seats) from users inner join seats using (account_id)
    """)
    assert worst <= 1.0


def test_usage_falls_in_the_months_before_churn(con: duckdb.DuckDBPyConnection) -> None:
    last_two, earlier = con.execute("""
        with churned as (
            -- accounts whose MRR went to zero and stayed there (last active month L)
            select account_id, max(month_start) as last_month
            from account_months where mrr > 0 group by 1
            having max(month_start) < date '2026-09-01'
               and min(month_start) <= max(month_start) - interval 6 month
        ),
        monthly as (
            select e.account_id, date_trunc('month', e.occurred_at)::date as month_start, count(*) as events
            from raw_product.events as e inner join churned using (account_id)
            group by all
        )
        select
            avg(events) filter (where m.month_start >= c.last_month - interval 1 month),
            avg(events) filter (where m.month_start < c.last_month - interval 1 month
                                  and m.month_start >= c.last_month - interval 6 month)
        from monthly as m inner join churned as c using (account_id)
        where m.month_start <= c.last_month
    """).fetchone()
    assert last_two < 0.8 * earlier, (last_two, earlier)


def test_fast_time_to_value_churns_less(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("""
        with first_contract as (
            select account_id, min(signed_at) as signed_at from raw_crm.contracts
            where contract_type = 'new' group by 1
        ),
        core_event as (
            select e.account_id, min(e.occurred_at) as at_
            from raw_product.events as e inner join raw_product.features as f using (feature_key)
            where e.event_name = 'workflow_completed' and f.is_core_workflow group by 1
        ),
        ttv as (
            select fc.account_id,
                   -- greatest() skips nulls in DuckDB: keep "never" null explicitly
                   case when coalesce(m.completed_at, ce.at_) is not null then
                       greatest(date_diff('day', fc.signed_at::date, least(m.completed_at, ce.at_)::date), 0)
                   end as days
            from first_contract as fc
            left join raw_crm.onboarding_milestones as m
                on m.account_id = fc.account_id and m.milestone_key = 'first_value'
            left join core_event as ce on ce.account_id = fc.account_id
            where fc.signed_at < timestamp '2025-06-01'
        ),
        churned as (
            select distinct account_id from account_months where prev_mrr > 0 and mrr = 0
        )
        select a.segment,
               case when days <= 30 then 'fast' when days is null or days > 90 then 'slow' else 'mid' end,
               avg((churned.account_id is not null)::int)
        from ttv
        inner join raw_crm.accounts as a using (account_id)
        left join churned using (account_id)
        group by grouping sets ((1, 2), (2))
    """).fetchall()
    rates = {(segment or "all", bucket): rate for segment, bucket, rate in rows}
    for segment in ("all", "smb", "mid_market"):
        assert rates[(segment, "fast")] < rates[(segment, "slow")], rates


def test_time_to_value_sources_agree(con: duckdb.DuckDBPyConnection) -> None:
    """No core workflow is completed before the first_value milestone an account records."""
    # each account's first core workflow (product events) beside its first_value milestone (CRM)
    first_core_and_milestone = """
        select count(*) from (
            select e.account_id, min(e.occurred_at) as first_core
            from raw_product.events as e inner join raw_product.features as f using (feature_key)
            where e.event_name = 'workflow_completed' and f.is_core_workflow group by 1
        ) as ce
        inner join raw_crm.onboarding_milestones as m
            on m.account_id = ce.account_id and m.milestone_key = 'first_value'
    """
    early = scalar(con, first_core_and_milestone + "where ce.first_core < m.completed_at - interval 11 day")
    assert early == 0  # a CSM may tick the milestone up to 10 days late, never more
    recorded_late = scalar(
        con, first_core_and_milestone + "where ce.first_core::date < m.completed_at::date or m.completed_at is null"
    )
    assert recorded_late > 0  # so time to value needs both sources
    before_signing = scalar(con, """
        select count(*) from raw_crm.onboarding_milestones as m
        inner join (select account_id, min(signed_at) as signed_at from raw_crm.contracts
                    where contract_type = 'new' group by 1) as c using (account_id)
        where m.milestone_key = 'first_value' and m.completed_at < c.signed_at
    """)
    assert before_signing > 0


def test_won_expansion_opportunities_precede_real_expansions(con: duckdb.DuckDBPyConnection) -> None:
    matched, won = con.execute("""
        with won as (
            select opportunity_id, account_id, closed_at from raw_crm.opportunities
            where opportunity_type = 'expansion' and stage = 'closed_won'
        )
        select count(*) filter (where exists (
                   select 1 from account_months as am
                   where am.account_id = won.account_id and am.prev_mrr > 0 and am.mrr > am.prev_mrr
                     and last_day(am.month_start) between won.closed_at::date and won.closed_at::date + 90
               )),
               count(*)
        from won
    """).fetchone()
    assert won > 100
    assert matched / won > 0.85
    origins = dict(con.execute("""
        select origin, count(*) from raw_crm.opportunities where opportunity_type = 'expansion' group by 1
    """).fetchall())
    assert origins.get("cs", 0) > origins.get("sales", 0) > 0
    assert {"marketing", "partner", "self_serve"} & set(origins)


def test_pipeline_has_open_won_and_lost_opportunities(con: duckdb.DuckDBPyConnection) -> None:
    stages = dict(con.execute("select stage, count(*) from raw_crm.opportunities group by 1").fetchall())
    assert set(stages) == {"discovery", "qualified", "proposal", "negotiation", "closed_won", "closed_lost"}
    types = {r[0] for r in con.execute("select distinct opportunity_type from raw_crm.opportunities").fetchall()}
    assert types == {"new_business", "expansion", "renewal"}


def test_renewal_contracts_follow_the_previous_term(con: duckdb.DuckDBPyConnection) -> None:
    unmatched, renewals = con.execute("""
        select count(*) filter (where not exists (
                   select 1 from raw_crm.contracts as prev
                   where prev.account_id = r.account_id and prev.contract_type in ('new', 'renewal')
                     and abs(date_diff('day', prev.end_date, r.start_date)) <= 30
                     and prev.contract_id <> r.contract_id
               )),
               count(*)
        from raw_crm.contracts as r where r.contract_type = 'renewal'
    """).fetchone()
    assert renewals > 100
    assert unmatched == 0


def test_churning_accounts_score_lower(con: duckdb.DuckDBPyConnection) -> None:
    churned_nps, retained_nps = con.execute("""
        with last_paid as (
            select account_id, max(month_start) as last_month from account_months where mrr > 0 group by 1
        ),
        labelled as (
            select r.score,
                   r.responded_at >= lp.last_month - interval 2 month
                   and lp.last_month < date '2026-11-01' as before_churn
            from raw_survey.responses as r inner join last_paid as lp using (account_id)
            where r.survey_type = 'nps'
        )
        select avg(score) filter (where before_churn), avg(score) filter (where not before_churn) from labelled
    """).fetchone()
    assert churned_nps < retained_nps - 1.0, (churned_nps, retained_nps)


def test_contact_emails_look_like_addresses(con: duckdb.DuckDBPyConnection) -> None:
    bad = scalar(con, """
        select count(*) from raw_survey.responses
        where not regexp_full_match(contact_email, '[a-z]+\\.[a-z]+@[a-z0-9]+(\\.[a-z]+)+')
    """)
    assert bad == 0


# --- command line -------------------------------------------------------------------


def test_cli_help_explains_every_flag() -> None:
    result = subprocess.run([sys.executable, "-m", "csra.generate", "--help"],
                            capture_output=True, text=True, check=True)
    for flag in ("--database", "--accounts", "--seed", "--start-month", "--months", "--today", "--quiet"):
        assert flag in result.stdout


def test_cli_writes_a_quiet_small_company(tmp_path: Path) -> None:
    path = tmp_path / "cli.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "csra.generate", "--database", str(path), "--accounts", "50",
         "--seed", "3", "--start-month", "2025-01", "--months", "6", "--quiet"],
        capture_output=True, text=True, check=True,
    )
    assert result.stderr == ""
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("select count(*) from raw_crm.accounts").fetchone()[0] == 50
        # about 1,000 events per account by default (plus redeliveries)
        events = con.execute("select count(*) from raw_product.events").fetchone()[0]
        assert 0.9 * 1000 * 50 < events < 1.1 * 1000 * 50
    finally:
        con.close()


# --- building blocks ----------------------------------------------------------------


def test_calendar_helpers() -> None:
    import datetime as dt

    import numpy as np

    from csra.generator.calendar import add_months, day_number, default_start_month, parse_month, to_date

    jan31 = day_number(dt.date(2024, 1, 31))
    assert to_date(add_months(np.array([jan31]), 1)[0]) == dt.date(2024, 2, 29)
    assert to_date(add_months(np.array([jan31]), 13)[0]) == dt.date(2025, 2, 28)
    assert default_start_month(36, dt.date(2026, 11, 25)) == dt.date(2023, 12, 1)
    assert default_start_month(1, dt.date(2026, 1, 5)) == dt.date(2026, 1, 1)
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month("2026-13")


def test_price_book_falls_back_to_an_existing_plan() -> None:
    import numpy as np

    from csra.generator.billing import PriceBook
    from csra.generator.config import DEFAULT_CONFIG, PLANS

    book = PriceBook(DEFAULT_CONFIG)
    ids = [p.plan_id for p in PLANS]

    def pick(tier: int, period: int, flat: bool) -> str:
        return ids[int(book.main_plan(np.array([tier]), np.array([period]), np.array([flat]))[0])]

    assert pick(1, 12, False) == "growth_annual"
    assert pick(2, 1, False) == "enterprise_quarterly"  # no monthly enterprise plan
    assert pick(2, 12, True) == "enterprise_annual"  # no flat enterprise plan
    assert pick(0, 1, True) == "starter_flat_monthly"
    usd, eur = 0, 1
    annual = ids.index("growth_annual")
    assert book.unit_amount(np.array([annual]), np.array([usd]), np.array([1.0]))[0] == 529.2  # 49 x 12 x 0.9
    assert book.unit_amount(np.array([annual]), np.array([eur]), np.array([1.0]))[0] == 502.74


def test_event_batches_do_not_change_the_events() -> None:
    from csra.generate import _streams, resolve_window
    from csra.generator.accounts import draw_accounts
    from csra.generator.billing import simulate_billing
    from csra.generator.config import DEFAULT_CONFIG
    from csra.generator.product import event_plan, insert_events
    from csra.generator.timeline import build_timeline
    from csra.raw_schema import create_raw_schemas

    window = resolve_window("2025-01", 6)
    rng = _streams(5)
    acc = draw_accounts(DEFAULT_CONFIG, 60, window, rng["accounts"])
    billing = simulate_billing(DEFAULT_CONFIG, acc, window, rng["billing"])
    timeline = build_timeline(DEFAULT_CONFIG, acc, billing, window)
    plan = event_plan(DEFAULT_CONFIG, acc, billing, timeline, window, rng["product"])
    fingerprints = []
    for batch in (1_000, 10**9):
        con = duckdb.connect()
        create_raw_schemas(con)
        insert_events(con, DEFAULT_CONFIG, plan, 5, 6, 8, batch_events=batch)
        fingerprint = "select count(*), sum(hash(e)::hugeint) from raw_product.events as e"
        fingerprints.append(con.execute(fingerprint).fetchone())
        con.close()
    assert fingerprints[0] == fingerprints[1]
    assert fingerprints[0][0] > 3_000
