"""Write each raw table of the contract from the generator's numpy results.

Tables are created by csra.raw_schema (the contract as data); here we only
turn dense integer ids into readable ones (acc_000001, sub_0000001, ...),
day numbers into dates and microseconds into timestamps.
"""

from __future__ import annotations

import duckdb
import numpy as np

from csra.generator.accounts import Accounts
from csra.generator.billing import CANCEL_REASONS, SUB_STATUSES, Billing, CustomerKind
from csra.generator.calendar import NULL_DAY, NULL_US, US_PER_DAY, Window, to_date
from csra.generator.config import REGIONS, SEGMENTS, GeneratorConfig
from csra.generator.crm import (
    ACTIVITY_TYPES,
    CONTRACT_TYPES,
    MILESTONES,
    OPPORTUNITY_TYPES,
    ORIGINS,
    PRIORITIES,
    ROLES,
    SIGNALS,
    STAGES,
    Crm,
)
from csra.generator.names import INDUSTRIES, account_names
from csra.generator.stripe import ZERO_DECIMAL
from csra.generator.survey import SURVEY_TYPES, TOUCHPOINTS
from csra.generator.writer import dates, id_sql, id_width, insert, label_sql, nullable_str, timestamps


def _labels(labels: tuple[str, ...], codes: np.ndarray) -> np.ndarray:
    """Enum codes (negative = null) as an object array of labels."""
    table = np.array([*labels, None], dtype=object)
    codes = np.asarray(codes, dtype=np.int64)
    return table[np.where(codes < 0, len(labels), codes)]


def _time_on(days: np.ndarray, seed_offset: np.ndarray, lo_h: float, hi_h: float) -> np.ndarray:
    """A deterministic time of day on each day, spread by an integer offset (no RNG needed)."""
    span = int((hi_h - lo_h) * 3600)
    seconds = int(lo_h * 3600) + (np.asarray(seed_offset, dtype=np.int64) * 7919) % span
    return np.asarray(days, dtype=np.int64) * US_PER_DAY + seconds * 1_000_000


class Ids:
    """Readable id widths, fixed per table and grown only for very large runs."""

    def __init__(self, acc: Accounts, billing: Billing, crm: Crm) -> None:
        self.account = id_width(acc.n, 6)
        self.customer = id_width(len(billing.customers["account"]), 6)
        self.subscription = id_width(len(billing.subscriptions["customer"]), 7)
        self.user = id_width(len(crm.users.role), 4)


def write_plans(con: duckdb.DuckDBPyConnection, config: GeneratorConfig) -> int:
    plans = config.plans
    columns = {
        "plan_id": np.array([p.plan_id for p in plans], dtype=object),
        "plan_name": np.array([p.plan_name for p in plans], dtype=object),
        "tier": np.array([p.tier for p in plans], dtype=object),
        "period": np.array([p.billing_period_months for p in plans], dtype=np.int64),
        "model": np.array([p.pricing_model for p in plans], dtype=object),
        "is_addon": np.array([p.tier == "addon" for p in plans]),
    }
    return insert(con, "raw_billing.plans", columns, """
        plan_id, plan_name, tier, period as billing_period_months,
        model as pricing_model, is_addon
    """)


def write_fx_rates(
    con: duckdb.DuckDBPyConnection, config: GeneratorConfig, window: Window, rng: np.random.Generator
) -> int:
    """Daily USD rates per non-USD currency: a mean-reverting random walk in log space.

    USD itself is not written (the contract allows it to be absent = rate 1).
    Rates start `fx_lead_days` before the window so every item finds a rate on
    or before its valid_from.
    """
    first = window.first_day - config.fx_lead_days
    days = np.arange(first, window.end_day, dtype=np.int64)
    day_parts, code_parts, rate_parts = [], [], []
    for cur in config.currencies:
        if cur.code == "USD":
            continue
        shocks = cur.daily_volatility * rng.standard_normal(len(days))
        level = np.empty(len(days))
        x = 0.0
        for i, shock in enumerate(shocks):
            x = config.fx_mean_reversion * x + shock
            level[i] = x
        day_parts.append(days)
        code_parts.append(np.full(len(days), cur.code, dtype=object))
        rate_parts.append(np.round(cur.usd_per_unit_start * np.exp(level), 8))
    columns = {
        "rate_day": dates(np.concatenate(day_parts)),
        "currency": np.concatenate(code_parts),
        "rate": np.concatenate(rate_parts),
    }
    return insert(con, "raw_billing.fx_rates", columns,
                  "rate_day::date as rate_date, currency, rate as usd_per_unit")


def write_customers(
    con: duckdb.DuckDBPyConnection, config: GeneratorConfig, billing: Billing, names: np.ndarray, ids: Ids
) -> int:
    cust = billing.customers
    codes = [c.code for c in config.currencies]
    suffix = {"EUR": " Europe", "GBP": " UK", "USD": " US", "CAD": " Canada", "AUD": " Australia"}
    base = names[cust["account"]]
    label = np.array(
        [
            name if kind == CustomerKind.FIRST
            else (f"{name} (new entity)" if kind == CustomerKind.WIN_BACK_ENTITY else f"{name}{suffix[codes[c]]}")
            for name, kind, c in zip(base.tolist(), cust["kind"].tolist(), cust["currency"].tolist(), strict=True)
        ],
        dtype=object,
    )
    n = len(label)
    columns = {
        "cid": np.arange(n, dtype=np.int64),
        "acct": cust["account"],
        "name": label,
        "currency": _labels(tuple(codes), cust["currency"]),
        "created": timestamps(_time_on(cust["created_day"], np.arange(n), 0, 6)),
    }
    return insert(con, "raw_billing.customers", columns, f"""
        {id_sql('cus_', 'cid', ids.customer)} as customer_id,
        {id_sql('acc_', 'acct', ids.account)} as account_id,
        name as customer_name, currency, created as created_at
    """)


def write_subscriptions(con: duckdb.DuckDBPyConnection, config: GeneratorConfig, billing: Billing, ids: Ids) -> int:
    subs = billing.subscriptions
    n = len(subs["customer"])
    canceled = subs["canceled_day"] != NULL_DAY
    reason_recorded = canceled & (np.arange(n) % config.billing.cancel_reason_missing_every != 0)
    columns = {
        "sid": np.arange(n, dtype=np.int64),
        "cid": subs["customer"],
        "status": _labels(SUB_STATUSES, subs["status"]),
        "created": timestamps(_time_on(subs["created_day"], np.arange(n), 6, 12)),
        "canceled": timestamps(np.where(canceled, _time_on(subs["canceled_day"], np.arange(n), 12, 20), NULL_US)),
        "reason": nullable_str(_labels(CANCEL_REASONS, subs["reason"]), reason_recorded),
    }
    return insert(con, "raw_billing.subscriptions", columns, f"""
        {id_sql('sub_', 'sid', ids.subscription)} as subscription_id,
        {id_sql('cus_', 'cid', ids.customer)} as customer_id,
        status, created as created_at, canceled as canceled_at, reason as cancel_reason
    """)


def write_items(con: duckdb.DuckDBPyConnection, config: GeneratorConfig, billing: Billing, ids: Ids) -> int:
    items = billing.items
    order = np.lexsort((items["plan"], items["valid_from"], items["sub"]))
    items = {k: v[order] for k, v in items.items()}
    n = len(order)
    columns = {
        "iid": np.arange(n, dtype=np.int64),
        "sid": items["sub"].astype(np.int64),
        "plan_id": np.array([p.plan_id for p in config.plans], dtype=object)[items["plan"].astype(np.int64)],
        "qty": items["qty"].astype(np.int64),
        "unit": np.round(items["unit"].astype(float), 2),
        "disc": np.round(items["disc"].astype(float), 2),
        "currency": _labels(tuple(c.code for c in config.currencies), items["currency"]),
        "vf": dates(items["valid_from"]),
        "vt": dates(items["valid_to"]),
    }
    return insert(con, "raw_billing.subscription_items", columns, f"""
        {id_sql('itm_', 'iid', id_width(n, 8))} as item_id,
        {id_sql('sub_', 'sid', ids.subscription)} as subscription_id,
        plan_id, qty as quantity, unit as unit_amount, disc as discount_pct, currency,
        vf::date as valid_from, vt::date as valid_to
    """)


def write_invoices(con: duckdb.DuckDBPyConnection, config: GeneratorConfig, window: Window, seed: int) -> int:
    """One invoice per billing period of each paid price phase, derived in SQL.

    Periods run from valid_from in steps of the plan's billing period; a phase
    that ends inside a period is prorated. Payment behaviour is hash-based:
    most invoices are paid within terms, some late, a few void or
    uncollectible, more of them in the months before a cancellation; invoices
    of the last days are still drafts and recent unpaid ones are open.
    """
    end = to_date(window.end_day).isoformat()
    net = {s.name: s.net_days for s in config.segments}
    net_sql = " ".join(f"when '{k}' then {v}" for k, v in net.items())
    width = 8
    knobs = config.invoices
    paid_on_time = round(knobs.paid_on_time_share * 100)
    draft, void = round(knobs.draft_share * 1000), round(knobs.void_share * 1000)
    at_risk_unpaid, uncollectible = round(knobs.at_risk_unpaid_share * 1000), round(knobs.uncollectible_share * 1000)
    # zero-decimal currencies (JPY with --with-jpy / stripe) bill whole units;
    # without them the SQL is exactly as before, so the default company is unchanged
    zero = sorted(c.code for c in config.currencies if c.code in ZERO_DECIMAL)
    whole = f"when currency in ({', '.join(repr(c) for c in zero)}) then 0 " if zero else ""
    sql = f"""
        with items as (
            select
                i.item_id, i.quantity, i.unit_amount, i.discount_pct, i.currency, i.valid_from,
                coalesce(i.valid_to, date '{end}') as stop, i.valid_to is null as is_open,
                s.customer_id, s.canceled_at, p.billing_period_months as months,
                case a.segment {net_sql} else 30 end as net_days
            from raw_billing.subscription_items as i
            inner join raw_billing.subscriptions as s on s.subscription_id = i.subscription_id
            inner join raw_billing.plans as p on p.plan_id = i.plan_id
            inner join raw_billing.customers as c on c.customer_id = s.customer_id
            inner join raw_crm.accounts as a on a.account_id = c.account_id
            where i.unit_amount > 0 and i.discount_pct < 100 and i.quantity > 0
        ),
        periods as (
            select *, unnest(range(0, datediff('month', valid_from, stop) // months + 2)) as k
            from items
        ),
        bounded as (
            select *,
                (valid_from + to_months(k * months))::date as period_start,
                (valid_from + to_months((k + 1) * months))::date as period_end,
                (hash(item_id, k, {seed}) >> 1)::bigint as h
            from periods
        ),
        billed as (
            select *,
                round(
                    quantity * unit_amount * (1 - discount_pct / 100)
                    * case when is_open or period_end <= stop then 1.0
                           else datediff('day', period_start, stop) / datediff('day', period_start, period_end)
                      end,
                    {'case ' + whole + 'else 2 end' if zero else '2'}
                ) as amount,
                period_start + to_seconds(6 * 3600 + (h >> 40) % 3600) as issued_at,
                canceled_at is not null and canceled_at < period_start + interval {knobs.at_risk_days} day as at_risk
            from bounded
            where period_start < stop
        ),
        settled as (
            select *,
                issued_at + to_days(net_days) as due_at,
                issued_at + to_seconds(
                    86400 * case when (h >> 8) % 100 < {paid_on_time} then (h >> 16) % (net_days + 1)
                                 else net_days + 1 + (h >> 16) % {knobs.late_payment_max_days} end
                    + (h >> 24) % 36000
                ) as paid_candidate,
                h % 1000 as r1, (h >> 32) % 1000 as r2
            from billed
            where amount > 0
        ),
        classified as (
            select *,
                case
                    when issued_at >= date '{end}' - interval {knobs.draft_days} day and r1 < {draft} then 'draft'
                    when r1 < {void} then 'void'
                    when at_risk and r2 < {at_risk_unpaid} then
                        case when due_at + interval {knobs.at_risk_uncollectible_after_days} day < date '{end}'
                             then 'uncollectible' else 'open' end
                    when r2 < {uncollectible} and due_at + interval {knobs.uncollectible_after_days} day < date '{end}'
                        then 'uncollectible'
                    when paid_candidate < date '{end}' then 'paid'
                    else 'open'
                end as status
            from settled
        )
        select
            'inv_' || lpad(row_number() over (order by customer_id, issued_at, item_id)::varchar, {width}, '0')
                as invoice_id,
            customer_id, issued_at, due_at,
            case when status = 'paid' then paid_candidate end as paid_at,
            status, amount as amount_due, currency
        from classified
    """
    con.execute(f"insert into raw_billing.invoices by name {sql}")
    return int(con.execute("select count(*) from raw_billing.invoices").fetchone()[0])


def write_users(con: duckdb.DuckDBPyConnection, crm: Crm, ids: Ids) -> int:
    users = crm.users
    n = len(users.role)
    columns = {
        "uid": np.arange(n, dtype=np.int64),
        "full_name": np.array(
            [f"{f} {last}" for f, last in zip(users.first_name.tolist(), users.last_name.tolist(), strict=True)],
            dtype=object,
        ),
        "role": _labels(ROLES, users.role),
        "team": users.team,
        "is_active": users.is_active,
    }
    return insert(con, "raw_crm.users", columns, f"""
        {id_sql('usr_', 'uid', ids.user)} as user_id, full_name, role, team, is_active
    """)


def _user_sql(column: str, ids: Ids) -> str:
    return f"case when {column} >= 0 then {id_sql('usr_', column, ids.user)} end"


def write_accounts(
    con: duckdb.DuckDBPyConnection, acc: Accounts, crm: Crm, names: np.ndarray, ids: Ids
) -> int:
    columns = {
        "acct": np.arange(acc.n, dtype=np.int64),
        "name": names,
        "segment": _labels(SEGMENTS, acc.segment),
        "industry": _labels(INDUSTRIES, acc.industry),
        "region": _labels(REGIONS, acc.region),
        "csm": crm.csm,
        "ae": crm.ae,
        "created": timestamps(crm.account_created_us),
        "updated": timestamps(crm.account_updated_us),
    }
    return insert(con, "raw_crm.accounts", columns, f"""
        {id_sql('acc_', 'acct', ids.account)} as account_id, name as account_name,
        segment, industry, region,
        {_user_sql('csm', ids)} as csm_user_id, {_user_sql('ae', ids)} as ae_user_id,
        created as created_at, updated as updated_at
    """)


def write_contracts(con: duckdb.DuckDBPyConnection, config: GeneratorConfig, crm: Crm, ids: Ids) -> int:
    c = crm.contracts
    n = len(c["account"])
    columns = {
        "cid": np.arange(n, dtype=np.int64),
        "acct": c["account"],
        "type": _labels(CONTRACT_TYPES, c["type"]),
        "signed": timestamps(c["signed_us"]),
        "start_day": dates(c["start_day"]),
        "end_day": dates(c["end_day"]),
        "arr": c["arr"],
        "currency": _labels(tuple(x.code for x in config.currencies), c["currency"]),
    }
    return insert(con, "raw_crm.contracts", columns, f"""
        {id_sql('ctr_', 'cid', id_width(n, 7))} as contract_id,
        {id_sql('acc_', 'acct', ids.account)} as account_id,
        type as contract_type, signed as signed_at,
        start_day::date as start_date, end_day::date as end_date,
        arr as arr_amount, currency
    """)


def write_opportunities(con: duckdb.DuckDBPyConnection, config: GeneratorConfig, crm: Crm, ids: Ids) -> int:
    o = crm.opportunities
    n = len(o["account"])
    columns = {
        "oid": np.arange(n, dtype=np.int64),
        "acct": o["account"],
        "type": _labels(OPPORTUNITY_TYPES, o["type"]),
        "stage": _labels(STAGES, o["stage"]),
        "amount": o["amount"],
        "currency": _labels(tuple(x.code for x in config.currencies), o["currency"]),
        "created": timestamps(o["created_us"]),
        "created_by": o["created_by"],
        "owner": o["owner"],
        "origin": _labels(ORIGINS, o["origin"]),
        "signal": _labels(SIGNALS, o["signal"]),
        "qualified": timestamps(o["qualified_us"]),
        "closed": timestamps(o["closed_us"]),
    }
    return insert(con, "raw_crm.opportunities", columns, f"""
        {id_sql('opp_', 'oid', id_width(n, 7))} as opportunity_id,
        {id_sql('acc_', 'acct', ids.account)} as account_id,
        type as opportunity_type, stage, amount as amount_arr, currency,
        created as created_at,
        {_user_sql('created_by', ids)} as created_by_user_id,
        {_user_sql('owner', ids)} as owner_user_id,
        origin, signal as origin_signal, qualified as qualified_at, closed as closed_at
    """)


def write_milestones(con: duckdb.DuckDBPyConnection, crm: Crm, ids: Ids) -> int:
    m = crm.milestones
    columns = {
        "acct": m["account"],
        "key": m["milestone"].astype(np.int64),
        "target": dates(m["target_day"]),
        "completed": timestamps(m["completed_us"]),
    }
    return insert(con, "raw_crm.onboarding_milestones", columns, f"""
        {id_sql('acc_', 'acct', ids.account)} as account_id, {label_sql('key', MILESTONES)} as milestone_key,
        target::date as target_date, completed as completed_at
    """)


def write_cases(con: duckdb.DuckDBPyConnection, crm: Crm, ids: Ids) -> int:
    c = crm.cases
    n = len(c["account"])
    columns = {
        "cid": np.arange(n, dtype=np.int64),
        "acct": c["account"],
        "opened": timestamps(c["opened_us"]),
        "responded": timestamps(c["first_response_us"]),
        "resolved": timestamps(c["resolved_us"]),
        "priority": c["priority"].astype(np.int64),
        "escalated": c["is_escalated"],
    }
    return insert(con, "raw_crm.cases", columns, f"""
        {id_sql('cas_', 'cid', id_width(n, 7))} as case_id,
        {id_sql('acc_', 'acct', ids.account)} as account_id,
        opened as opened_at, responded as first_response_at, resolved as resolved_at,
        {label_sql('priority', PRIORITIES)} as priority, escalated as is_escalated
    """)


def write_activities(con: duckdb.DuckDBPyConnection, crm: Crm, ids: Ids) -> int:
    a = crm.activities
    n = len(a["account"])
    columns = {
        "aid": np.arange(n, dtype=np.int64),
        "acct": a["account"],
        "uid": a["user"],
        "kind": a["kind"].astype(np.int64),
        "occurred": timestamps(a["occurred_us"]),
    }
    return insert(con, "raw_crm.activities", columns, f"""
        {id_sql('act_', 'aid', id_width(n, 8))} as activity_id,
        {id_sql('acc_', 'acct', ids.account)} as account_id,
        {id_sql('usr_', 'uid', ids.user)} as user_id,
        {label_sql('kind', ACTIVITY_TYPES)} as activity_type, occurred as occurred_at
    """)


def write_responses(
    con: duckdb.DuckDBPyConnection, responses: dict[str, np.ndarray], domains: np.ndarray, ids: Ids
) -> int:
    r = responses
    n = len(r["account"])
    email = np.array(
        [
            f"{f.lower()}.{last.lower()}@{d}"
            for f, last, d in zip(r["first"].tolist(), r["last"].tolist(), domains[r["account"]].tolist(), strict=True)
        ],
        dtype=object,
    )
    columns = {
        "rid": np.arange(n, dtype=np.int64),
        "acct": r["account"],
        "email": email,
        "type": r["type"].astype(np.int64),
        "touchpoint": r["touchpoint"].astype(np.int64),
        "score": r["score"],
        "responded": timestamps(r["responded_us"]),
        "comment": r["comment"],
    }
    return insert(con, "raw_survey.responses", columns, f"""
        {id_sql('rsp_', 'rid', id_width(n, 7))} as response_id,
        {id_sql('acc_', 'acct', ids.account)} as account_id,
        email as contact_email, {label_sql('type', SURVEY_TYPES)} as survey_type,
        {label_sql('touchpoint', TOUCHPOINTS)} as touchpoint, score,
        responded as responded_at, comment
    """)


def write_features(con: duckdb.DuckDBPyConnection, config: GeneratorConfig) -> int:
    f = config.features
    columns = {
        "key": np.array([x.feature_key for x in f], dtype=object),
        "name": np.array([x.feature_name for x in f], dtype=object),
        "tier": np.array([x.min_tier for x in f], dtype=object),
        "core": np.array([x.is_core_workflow for x in f]),
    }
    return insert(con, "raw_product.features", columns,
                  "key as feature_key, name as feature_name, tier as min_tier, core as is_core_workflow")


def names_for(acc: Accounts) -> tuple[np.ndarray, np.ndarray]:
    return account_names(acc.name_code, acc.region)
