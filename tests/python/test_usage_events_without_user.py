"""Events without a user_id still count as the account's events (issue 13).

raw_sources.md: user_id is nullable ("anonymous and server-side events have
none; they still count as the account's events"); metrics.md, Usage: where
none of an account-month's events has a user, the user-based measures are
null, not 0. Before the fix the user rollup dropped such events, so the mart
showed events = 0 and the data test "account-month listed without MRR or
events" failed the build.

Hand-worked company, as_of_date 2025-05-31: reporting months March (first
MRR) .. May 2025.
  n1: growth per seat, 10 seats from 03-01 ($10 a seat); April: three events,
      none with a user (two session starts, one use of f1); no event in
      March or May.
  n2: no billing; April: u1 starts a session on 04-05, and two events
      without a user the same day (one session start, one use of f1).
  n3: no billing; April: one use of f1 without a user, its only event (the
      account-month is listed for its events alone).
"""

from __future__ import annotations

from conftest import BuiltWarehouse, assert_usage_months_match, event_row
from fixtures.built_company import module_company

_event = event_row


RAW: dict[str, list[dict[str, object]]] = {
    "raw_crm.accounts": [
        {
            "account_id": account,
            "account_name": account,
            "segment": "smb",
            "region": "na",
            "created_at": "2025-01-01 00:00:00",
            "updated_at": "2025-01-01 00:00:00",
        }
        for account in ("n1", "n2", "n3")
    ],
    "raw_billing.plans": [
        {
            "plan_id": "growth",
            "plan_name": "growth",
            "tier": "growth",
            "billing_period_months": 1,
            "pricing_model": "per_seat",
            "is_addon": False,
        }
    ],
    "raw_billing.customers": [
        {"customer_id": "c1", "account_id": "n1", "currency": "USD", "created_at": "2025-03-01 00:00:00"}
    ],
    "raw_billing.subscriptions": [
        {"subscription_id": "s1", "customer_id": "c1", "status": "active", "created_at": "2025-03-01 00:00:00"}
    ],
    "raw_billing.subscription_items": [
        {
            "item_id": "i1",
            "subscription_id": "s1",
            "plan_id": "growth",
            "quantity": 10,
            "unit_amount": "10.00",
            "discount_pct": "0.00",
            "currency": "USD",
            "valid_from": "2025-03-01",
            "valid_to": None,
        }
    ],
    "raw_product.features": [
        {"feature_key": "f1", "feature_name": "F1", "min_tier": "starter", "is_core_workflow": False}
    ],
    "raw_product.events": [
        _event("e1", "n1", None, "session_start", None, "2025-04-03 09:00:00"),
        _event("e2", "n1", None, "session_start", None, "2025-04-03 10:00:00"),
        _event("e3", "n1", None, "feature_used", "f1", "2025-04-20 10:00:00"),
        _event("e4", "n2", "u1", "session_start", None, "2025-04-05 09:00:00"),
        _event("e5", "n2", None, "session_start", None, "2025-04-05 10:00:00"),
        _event("e6", "n2", None, "feature_used", "f1", "2025-04-05 11:00:00"),
        _event("e7", "n3", None, "feature_used", "f1", "2025-04-10 11:00:00"),
    ],
}

COLUMNS = (
    "mrr_usd",
    "events",
    "session_starts",
    "monthly_active_users",
    "active_user_days",
    "avg_daily_active_users",
    "dau_mau",
    "active_users_30d",
    "seat_utilization",
    "sessions_per_active_user",
    "licensed_features_used_30d",
    "unlicensed_features_used_30d",
)

EXPECTED = {
    # March and May: MRR 10 x 10 = 100, no event at all: nobody was active (0);
    # 0 of 10 seats used
    ("n1", "2025-03-01"): (100, 0, 0, 0, 0, 0.0, None, 0, 0.0, None, 0, 0),
    ("n1", "2025-05-01"): (100, 0, 0, 0, 0, 0.0, None, 0, 0.0, None, 0, 0),
    # April: 3 events, 2 sessions, none with a user: every user-based measure
    # unknown (null); f1 (starter, licensed by growth) used on 04-20 -> 1
    ("n1", "2025-04-01"): (100, 3, 2, None, None, None, None, None, None, None, 1, 0),
    # April (30 days): events e4, e5, e6 = 3; sessions e4 + e5 = 2; MAU 1 (u1),
    # one user-day -> DAU 1 / 30, DAU/MAU (1 / 30) / 1; no seats (no billing);
    # sessions per active user: u1's 1 session / 1 user; no tier, so f1 counts as
    # used above the tier (every catalogue feature is unlicensed)
    ("n2", "2025-04-01"): (0, 3, 2, 1, 1, 1 / 30, 1 / 30, 1, None, 1.0, 0, 1),
    # April: one event without a user, no MRR: listed for its event; users
    # unknown; f1 used above the (missing) tier
    ("n3", "2025-04-01"): (0, 1, 0, None, None, None, None, None, None, None, 0, 1),
}


company = module_company("events_without_user", RAW, [
    "+mart_account_usage_monthly", "+int_account_weeks_users_counted", "assert_product_rollups_reconcile_to_events",
], "2025-05-31")


def test_build_passes_without_false_alarm(company: BuiltWarehouse) -> None:
    # before the fix: n3's events were dropped, so its April row (listed for
    # its feature use) had events 0 and the data test "account-month listed
    # without MRR or events" failed the build
    assert company.outcome.success, company.outcome.failed()
    assert company.outcome.statuses["assert_product_rollups_reconcile_to_events"] == "pass"


def test_usage_measures(company: BuiltWarehouse) -> None:
    assert_usage_months_match(company, COLUMNS, EXPECTED)


def test_events_without_user_make_nobody_active_weekly(company: BuiltWarehouse) -> None:
    # n1 has no user at all: no weekly row; n2's u1 is the only active user
    rows = company.query(
        "select account_id, max(active_users_30d) from intermediate.int_account_weeks_users_counted "
        "group by account_id order by account_id"
    )
    assert rows == [("n2", 1)]
