"""Usage mart and entitlements on a hand-worked company.

as_of_date 2025-06-15: reporting months are March (first MRR), April and May
2025; June is not complete. Every expected number is worked out by hand from
``RAW`` (arithmetic in the comments).

Billing (USD, monthly):
  u1: growth per seat, 10 seats 03-01..05-15, 20 seats from 05-15; a per-seat
      addon (5) from 04-01 that licenses neither tier nor seats.
  u2: starter flat in April, enterprise flat from May (no seats).
  u3: no billing, events in April only.
Features: f_start, f_start2 (starter), f_growth (growth), f_ent (enterprise):
growth licenses 3, starter 2, enterprise 4.
"""

from __future__ import annotations

from conftest import BuiltWarehouse, assert_usage_months_match, event_row
from fixtures.built_company import module_company
from fixtures.raw_rows import item_row, plan_row, subscription_row

AS_OF = "2025-06-15"


def _plan(plan_id, tier, pricing_model, is_addon=False):
    """A monthly plan named by its id."""
    return plan_row(plan_id, plan_id, tier, 1, pricing_model, is_addon)


def _item(item_id, subscription_id, plan_id, quantity, unit_amount, valid_from, valid_to):
    """A USD price phase without discount (the only kind this company has)."""
    return item_row(item_id, subscription_id, plan_id, quantity, unit_amount, "0.00", "USD", valid_from, valid_to)


_counter = iter(range(1, 1000))


def _event(account_id, user_id, name, feature, occurred, event_id=None):
    return event_row(event_id or f"ev{next(_counter)}", account_id, user_id, name, feature, occurred)


RAW: dict[str, list[dict[str, object]]] = {
    "raw_crm.accounts": [
        {
            "account_id": acc,
            "account_name": acc,
            "segment": seg,
            "region": "na",
            "created_at": "2025-01-01 00:00:00",
            "updated_at": "2025-01-01 00:00:00",
        }
        for acc, seg in (("u1", "smb"), ("u2", "enterprise"), ("u3", "mid_market"))
    ],
    "raw_billing.plans": [
        _plan("growth", "growth", "per_seat"),
        _plan("seats_addon", "addon", "per_seat", is_addon=True),
        _plan("starter_flat", "starter", "flat"),
        _plan("enterprise_flat", "enterprise", "flat"),
    ],
    "raw_billing.customers": [
        {
            "customer_id": "cu1",
            "account_id": "u1",
            "currency": "USD",
            "created_at": "2025-03-01 00:00:00",
        },
        {
            "customer_id": "cu2",
            "account_id": "u2",
            "currency": "USD",
            "created_at": "2025-04-01 00:00:00",
        },
    ],
    "raw_billing.subscriptions": [
        subscription_row("s1", "cu1", "active", "2025-03-01 00:00:00"),
        subscription_row("s2", "cu2", "active", "2025-04-01 00:00:00"),
    ],
    "raw_billing.subscription_items": [
        _item("i1", "s1", "growth", 10, "100.00", "2025-03-01", "2025-05-15"),
        _item("i2", "s1", "growth", 20, "100.00", "2025-05-15", None),
        _item("i3", "s1", "seats_addon", 5, "10.00", "2025-04-01", None),
        _item("i4", "s2", "starter_flat", 1, "200.00", "2025-04-01", "2025-05-01"),
        _item("i5", "s2", "enterprise_flat", 1, "1000.00", "2025-05-01", None),
    ],
    "raw_product.features": [
        {
            "feature_key": "f_start",
            "feature_name": "A",
            "min_tier": "starter",
            "is_core_workflow": False,
        },
        {
            "feature_key": "f_start2",
            "feature_name": "B",
            "min_tier": "starter",
            "is_core_workflow": False,
        },
        {
            "feature_key": "f_growth",
            "feature_name": "C",
            "min_tier": "growth",
            "is_core_workflow": True,
        },
        {
            "feature_key": "f_ent",
            "feature_name": "D",
            "min_tier": "enterprise",
            "is_core_workflow": False,
        },
    ],
    "raw_product.events": [
        _event("u1", "p1", "session_start", None, "2025-02-20 09:00:00"),  # before the window
        _event("u1", "p3", "session_start", None, "2025-03-25 09:00:00"),
        _event("u1", "p1", "session_start", None, "2025-04-01 09:00:00", event_id="dup1"),
        # redelivered: the same event, counted once
        {
            **_event(
                "u1",
                "p1",
                "session_start",
                None,
                "2025-04-01 09:00:00",
                event_id="dup1",
            ),
            "loaded_at": "2025-04-03 00:00:00",
        },
        _event("u1", "p1", "feature_used", "f_start", "2025-04-01 09:05:00"),
        _event("u1", "p1", "session_start", None, "2025-04-02 09:00:00"),
        _event("u1", "p1", "feature_used", "f_ent", "2025-04-02 09:05:00"),
        _event("u1", "p1", "session_start", None, "2025-04-10 23:59:59"),
        _event("u1", "p2", "session_start", None, "2025-04-02 08:00:00"),
        _event("u1", "p2", "session_start", None, "2025-04-02 18:00:00"),
        _event("u1", "p2", "feature_used", "f_growth", "2025-04-02 18:05:00"),
        _event("u1", "p4", "feature_used", "f_start2", "2025-05-05 09:00:00"),
        _event("u1", "p1", "session_start", None, "2025-06-10 09:00:00"),  # June not complete
        _event("u2", "v1", "feature_used", "f_ent", "2025-05-20 09:00:00"),
        _event("u3", "w1", "session_start", None, "2025-04-15 09:00:00"),
    ],
}

COLUMNS = (
    "segment",
    "mrr_usd",
    "licensed_tier",
    "licensed_seats",
    "licensed_features",
    "monthly_active_users",
    "active_user_days",
    "dau_mau",
    "active_users_30d",
    "licensed_features_used_30d",
    "unlicensed_features_used_30d",
    "adoption_depth",
    "seat_utilization",
    "session_starts",
    "sessions_per_active_user",
    "events",
)

EXPECTED = {
    # March (31 days): p3 active once. DAU/MAU (1 / 31) / 1; 1 of 10 seats; growth
    # licenses 3 features, none used -> 0; 1 session / 1 user; MRR 10 x 100 = 1000
    ("u1", "2025-03-01"): (
        "smb",
        1000,
        "growth",
        10,
        3,
        1,
        1,
        1 / 31,
        1,
        0,
        0,
        0.0,
        0.1,
        1,
        1.0,
        1,
    ),
    # April (30 days): p1 on 04-01, 04-02, 04-10 and p2 on 04-02 -> MAU 2, 4 user-days,
    # DAU/MAU (4 / 30) / 2 = 1 / 15; 30 days 04-01..04-30 -> 2 users of 10 seats (the
    # addon's 5 do not count) = 0.2; used f_start, f_growth (licensed) and f_ent (above
    # growth) -> 2 / 3; sessions 3 (p1, the redelivery counted once) + 2 (p2) = 5 / 2
    # users = 2.5; events p1 5 + p2 3 = 8; MRR 1000 + 5 x 10 = 1050
    ("u1", "2025-04-01"): (
        "smb",
        1050,
        "growth",
        10,
        3,
        2,
        4,
        1 / 15,
        2,
        2,
        1,
        2 / 3,
        0.2,
        5,
        2.5,
        8,
    ),
    # May (31 days): p4 once; 30 days 05-02..05-31 -> 1 user of 20 seats (month end)
    # = 0.05; f_start2 -> 1 / 3; no session -> 0 / 1; MRR 20 x 100 + 50 = 2050
    ("u1", "2025-05-01"): (
        "smb",
        2050,
        "growth",
        20,
        3,
        1,
        1,
        1 / 31,
        1,
        1,
        0,
        1 / 3,
        0.05,
        0,
        0.0,
        1,
    ),
    # u2 April: starter (2 features), no events: usage ratios null, adoption 0 / 2
    ("u2", "2025-04-01"): (
        "enterprise",
        200,
        "starter",
        None,
        2,
        0,
        0,
        None,
        0,
        0,
        0,
        0.0,
        None,
        0,
        None,
        0,
    ),
    # u2 May: enterprise (4 features), v1 used f_ent -> 1 / 4; flat plan: no seats
    ("u2", "2025-05-01"): (
        "enterprise",
        1000,
        "enterprise",
        None,
        4,
        1,
        1,
        1 / 31,
        1,
        1,
        0,
        0.25,
        None,
        0,
        0.0,
        1,
    ),
    # u3 April: events only, no MRR, no tier: adoption and seats null; 1 / 30
    ("u3", "2025-04-01"): (
        "mid_market",
        0,
        None,
        None,
        0,
        1,
        1,
        1 / 30,
        1,
        0,
        0,
        None,
        None,
        1,
        1.0,
        1,
    ),
}


# the usage mart (and its parents), built once for the module
company = module_company("usage", RAW, ["+mart_account_usage_monthly"], AS_OF)


def test_build_passes(company: BuiltWarehouse) -> None:
    assert company.outcome.success, company.outcome.failed()


def test_usage_monthly(company: BuiltWarehouse) -> None:
    # no February row (before the first MRR month), no June row (not complete)
    assert_usage_months_match(company, COLUMNS, EXPECTED)


def test_entitlement_phases(company: BuiltWarehouse) -> None:
    rows = company.query(
        "select account_id, cast(valid_from as varchar), cast(valid_to as varchar), "
        "licensed_tier, licensed_seats from intermediate.int_account_entitlements_phased "
        "order by account_id, valid_from"
    )
    assert rows == [
        # the addon starting 04-01 splits nothing: one phase until the seat change
        ("u1", "2025-03-01", "2025-05-15", "growth", 10),
        ("u1", "2025-05-15", None, "growth", 20),
        ("u2", "2025-04-01", "2025-05-01", "starter", None),
        ("u2", "2025-05-01", None, "enterprise", None),
    ]
