"""Pipeline area on hand-worked accounts: CSQP, attribution and signals.

Three accounts, books closed on 2025-06-30 (June is complete). Every
expected value below is worked out by hand from the raw rows, with the
arithmetic in the comments; nothing is copied from the output.

Billing (all USD, one per-seat monthly growth plan at 10.00 a seat):
    A1 (smb, CSM U1):        10 seats 01-01..03-15, 15 seats 03-15..05-10,
                             20 seats from 05-10
        MRR Jan 100, Feb 100, Mar 150, Apr 150, May 200, Jun 200
        -> expansion Mar 150 - 100 = 50.00, May 200 - 150 = 50.00
    A2 (enterprise, CSM U1): 100 seats from 01-01, 120 seats from 04-20
        MRR Jan..Mar 1000, Apr..Jun 1200 -> expansion Apr 200.00
    A3 (mid_market, no CSM): 5 seats from 02-01, 8 seats from 06-05
        MRR Feb..May 50, Jun 80 -> expansion Jun 30.00
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from conftest import BuildWarehouse

AS_OF = "2025-06-30"
# only tests whose parents are all built (a revenue test that also reads
# mart_revenue_retention would otherwise run against a missing table)
MARTS = ("+mart_csqp", "+mart_expansion_attribution", "+fct_expansion_signals", "--indirect-selection", "cautious")


def _item(item_id: str, sub: str, qty: int, start: str, end: str | None) -> dict:
    return {
        "item_id": item_id,
        "subscription_id": sub,
        "plan_id": "P_GROWTH",
        "quantity": qty,
        "unit_amount": "10.00",
        "discount_pct": "0",
        "currency": "USD",
        "valid_from": start,
        "valid_to": end,
    }


def _opp(opp_id: str, account: str, **fields: object) -> dict:
    row = {
        "opportunity_id": opp_id,
        "account_id": account,
        "opportunity_type": "expansion",
        "currency": "USD",
        "created_by_user_id": "U1",
        "owner_user_id": "AE1",
        "origin": "cs",
    }
    row.update(fields)
    return row


def _won(opp_id: str, account: str, amount_arr: str, created_at: str, closed_at: str, **fields: object) -> dict:
    """A closed_won opportunity: most rows here are, so stage, amount and the two dates go by position."""
    return _opp(opp_id, account, stage="closed_won", amount_arr=amount_arr, created_at=created_at,
                closed_at=closed_at, **fields)


def _events() -> list[dict]:
    events = []
    # 18 users of A1 active on Monday 2025-06-02 (session_start)
    for n in range(1, 19):
        events.append(
            {
                "event_id": f"E{n:02d}",
                "account_id": "A1",
                "user_id": f"A1-U{n:02d}",
                "event_name": "session_start",
                "feature_key": None,
                "occurred_at": "2025-06-02 09:00:00",
                "loaded_at": "2025-06-02 10:00:00",
            }
        )
    # A1 (growth) uses an enterprise feature on Wednesday 2025-03-12
    events.append(
        {
            "event_id": "E-FEAT",
            "account_id": "A1",
            "user_id": "A1-UX",
            "event_name": "feature_used",
            "feature_key": "f_ent",
            "occurred_at": "2025-03-12 09:00:00",
            "loaded_at": "2025-03-12 10:00:00",
        }
    )
    # a licensed feature raises nothing
    events.append(
        {
            "event_id": "E-FEAT2",
            "account_id": "A1",
            "user_id": "A1-UX",
            "event_name": "feature_used",
            "feature_key": "f_grow",
            "occurred_at": "2025-03-12 09:30:00",
            "loaded_at": "2025-03-12 10:00:00",
        }
    )
    return events


# fmt: off
RAW = {
    "raw_crm.accounts": [
        {"account_id": "A1", "account_name": "One", "segment": "smb", "industry": "saas",
         "region": "na", "csm_user_id": "U1", "ae_user_id": "AE1",
         "created_at": "2024-12-01 00:00:00", "updated_at": "2024-12-01 00:00:00"},
        {"account_id": "A2", "account_name": "Two", "segment": "enterprise", "industry": "saas",
         "region": "emea", "csm_user_id": "U1", "ae_user_id": "AE1",
         "created_at": "2024-12-01 00:00:00", "updated_at": "2024-12-01 00:00:00"},
        {"account_id": "A3", "account_name": "Three", "segment": "mid_market", "industry": "saas",
         "region": "apac", "csm_user_id": None, "ae_user_id": "AE1",
         "created_at": "2024-12-01 00:00:00", "updated_at": "2024-12-01 00:00:00"},
    ],
    "raw_crm.users": [
        {"user_id": "U1", "full_name": "Casey CSM", "role": "csm", "team": "cs", "is_active": True},
        {"user_id": "AE1", "full_name": "Alex AE", "role": "ae", "team": "sales", "is_active": True},
    ],
    "raw_billing.customers": [
        {"customer_id": f"C{n}", "account_id": f"A{n}", "customer_name": f"C{n}",
         "currency": "USD", "created_at": "2024-12-01 00:00:00"}
        for n in (1, 2, 3)
    ],
    "raw_billing.plans": [
        {"plan_id": "P_GROWTH", "plan_name": "Growth", "tier": "growth",
         "billing_period_months": 1, "pricing_model": "per_seat", "is_addon": False},
    ],
    "raw_billing.subscriptions": [
        {"subscription_id": f"S{n}", "customer_id": f"C{n}", "status": "active",
         "created_at": "2024-12-15 00:00:00"}
        for n in (1, 2, 3)
    ],
    "raw_billing.subscription_items": [
        _item("I1", "S1", 10, "2025-01-01", "2025-03-15"),
        _item("I2", "S1", 15, "2025-03-15", "2025-05-10"),
        _item("I3", "S1", 20, "2025-05-10", None),
        _item("I4", "S2", 100, "2025-01-01", "2025-04-20"),
        _item("I5", "S2", 120, "2025-04-20", None),
        _item("I6", "S3", 5, "2025-02-01", "2025-06-05"),
        _item("I7", "S3", 8, "2025-06-05", None),
    ],
    "raw_billing.fx_rates": [
        {"rate_date": "2025-01-15", "currency": "EUR", "usd_per_unit": "1.10"},
        {"rate_date": "2025-06-01", "currency": "EUR", "usd_per_unit": "1.20"},
        {"rate_date": "2025-06-11", "currency": "EUR", "usd_per_unit": "1.30"},
    ],
    "raw_crm.opportunities": [
        # O1: won 03-10 12:00, 600.00 USD; created 02-20 -> 8 + 10 = 18 days
        _won("O1", "A1", "600.00", "2025-02-20 10:00:00", "2025-03-10 12:00:00", origin_signal="seat_utilization",
             qualified_at="2025-02-25 10:00:00"),
        # O2: same close timestamp, 500 EUR at 1.10 (rate of 01-15) = 550.00 < 600.00
        _won("O2", "A1", "500.00", "2025-02-01 10:00:00", "2025-03-10 12:00:00", currency="EUR", origin="sales",
             origin_signal="inbound"),
        # O3: partner, won on May's last day (23:30 UTC is still 05-31)
        _won("O3", "A1", "100.00", "2025-05-01 10:00:00", "2025-05-31 23:30:00", origin="partner"),
        # O4: won 01-30, no qualified_at; created 01-05 -> 25 days
        _won("O4", "A2", "2400.00", "2025-01-05 10:00:00", "2025-01-30 15:00:00", origin_signal="qbr"),
        # O6: won 03-31; created 03-01 -> 30 days
        _won("O6", "A3", "100.00", "2025-03-01 10:00:00", "2025-03-31 15:00:00", origin_signal="new_persona"),
        # O7: lost 04-04; created 03-05 -> 26 + 4 = 30 days
        _opp("O7", "A1", stage="closed_lost", amount_arr="300.00", origin_signal="seat_utilization",
             created_at="2025-03-05 10:00:00", qualified_at="2025-03-20 10:00:00",
             closed_at="2025-04-04 10:00:00"),
        # O8: proposal without qualified_at (qualified); 1000 EUR at 1.20 (rate of 06-01) = 1200.00
        _opp("O8", "A2", stage="proposal", amount_arr="1000.00", currency="EUR",
             origin_signal="feature_ceiling", created_at="2025-06-10 10:00:00"),
        # O9: closed_won on 07-02, after as_of_date: open, and not qualified
        _won("O9", "A1", "700.00", "2025-06-15 10:00:00", "2025-07-02 10:00:00", origin_signal="seat_utilization"),
        # O10: created after as_of_date: does not exist
        _opp("O10", "A1", stage="discovery", amount_arr="999.00", origin_signal="seat_utilization",
             created_at="2025-07-01 10:00:00"),
        # O11: CS but new business: not in mart_csqp
        _opp("O11", "A3", opportunity_type="new_business", stage="discovery", amount_arr="10.00",
             created_at="2025-06-01 10:00:00"),
        # O12: enterprise account of the same CSM, same signal and month as O9
        _opp("O12", "A2", stage="discovery", amount_arr="50.00", origin_signal="seat_utilization",
             created_at="2025-06-20 10:00:00"),
    ],
    "raw_product.features": [
        {"feature_key": "f_grow", "feature_name": "Grow", "min_tier": "growth",
         "is_core_workflow": False},
        {"feature_key": "f_ent", "feature_name": "Ent", "min_tier": "enterprise",
         "is_core_workflow": False},
    ],
    "raw_product.events": _events(),
}
# fmt: on


def _money(value: str) -> Decimal:
    return Decimal(value)


def test_pipeline_hand_worked_accounts(build_warehouse: BuildWarehouse) -> None:
    built = build_warehouse(RAW, dbt_vars={"as_of_date": AS_OF}, args=("build", "--select", *MARTS))
    assert built.outcome.success, built.outcome.failed()

    _check_opportunities(built)
    _check_attribution(built)
    _check_csqp(built)
    _check_signals(built)


def _check_opportunities(built) -> None:
    rows = {
        row["opportunity_id"]: row
        for row in built.dicts(
            "select opportunity_id, amount_arr_usd, is_qualified, is_won, is_lost, is_open,"
            " stage_as_of, closed_at, days_to_close from marts.fct_opportunities"
        )
    }
    # O10 was created after as_of_date
    assert set(rows) == {"O1", "O2", "O3", "O4", "O6", "O7", "O8", "O9", "O11", "O12"}
    assert rows["O2"]["amount_arr_usd"] == _money("550.00")  # 500.00 x 1.10
    assert rows["O8"]["amount_arr_usd"] == _money("1200.00")  # 1000.00 x 1.20 (06-01 rate)
    # O9 closes after as_of_date: open, not qualified, close blanked
    assert rows["O9"]["is_open"] and not rows["O9"]["is_won"] and not rows["O9"]["is_qualified"]
    assert rows["O9"]["closed_at"] is None and rows["O9"]["stage_as_of"] == "discovery"
    assert rows["O4"]["is_qualified"] and rows["O4"]["days_to_close"] == 25
    assert rows["O7"]["is_lost"] and rows["O7"]["days_to_close"] == 30


def _check_attribution(built) -> None:
    facts = built.dicts(
        "select account_id, month_start, expansion_mrr, opportunity_id, attribution"
        " from marts.fct_expansion_attribution order by account_id, month_start"
    )
    assert facts == [
        # March (last day 03-31): O1 and O2 both closed 03-10 12:00; O1's
        # 600.00 beats O2's 550.00 -> CS
        {
            "account_id": "A1",
            "month_start": date(2025, 3, 1),
            "expansion_mrr": _money("50.00"),
            "opportunity_id": "O1",
            "attribution": "cs_sourced",
        },
        # May (last day 05-31): O3 closed 05-31 23:30 is the latest (O1/O2
        # still in window: 03-10 + 90 = 06-08) -> partner, other-sourced
        {
            "account_id": "A1",
            "month_start": date(2025, 5, 1),
            "expansion_mrr": _money("50.00"),
            "opportunity_id": "O3",
            "attribution": "other_sourced",
        },
        # April (last day 04-30): O4 closed 01-30; 01-30 + 90 = 04-30
        # (1 + 28 + 31 + 30 = 90) -> on the edge, counts
        {
            "account_id": "A2",
            "month_start": date(2025, 4, 1),
            "expansion_mrr": _money("200.00"),
            "opportunity_id": "O4",
            "attribution": "cs_sourced",
        },
        # June (last day 06-30): O6 closed 03-31; 03-31 + 90 = 06-29 < 06-30
        {
            "account_id": "A3",
            "month_start": date(2025, 6, 1),
            "expansion_mrr": _money("30.00"),
            "opportunity_id": None,
            "attribution": "unattributed",
        },
    ]

    mart = {
        (row["month_start"], row["segment"]): row
        for row in built.dicts("select * from marts.mart_expansion_attribution")
    }
    # dense: Jan..Jun 2025 x 4 segments
    assert len(mart) == 6 * 4
    expected = {
        # (month, segment): (expansion, cs, other, unattributed, share)
        (date(2025, 3, 1), "smb"): ("50.00", "50.00", "0.00", "0.00", 1.0),
        (date(2025, 3, 1), "all"): ("50.00", "50.00", "0.00", "0.00", 1.0),
        (date(2025, 4, 1), "enterprise"): ("200.00", "200.00", "0.00", "0.00", 1.0),
        (date(2025, 4, 1), "all"): ("200.00", "200.00", "0.00", "0.00", 1.0),
        (date(2025, 5, 1), "smb"): ("50.00", "0.00", "50.00", "0.00", 0.0),
        (date(2025, 5, 1), "all"): ("50.00", "0.00", "50.00", "0.00", 0.0),
        (date(2025, 6, 1), "mid_market"): ("30.00", "0.00", "0.00", "30.00", 0.0),
        (date(2025, 6, 1), "all"): ("30.00", "0.00", "0.00", "30.00", 0.0),
    }
    for key, row in mart.items():
        exp, cs, other, unattributed, share = expected.get(key, ("0.00", "0.00", "0.00", "0.00", None))
        got = (
            row["expansion_mrr"],
            row["cs_sourced_expansion_mrr"],
            row["other_sourced_expansion_mrr"],
            row["unattributed_expansion_mrr"],
            row["cs_sourced_share"],
        )
        want = (_money(exp), _money(cs), _money(other), _money(unattributed), share)
        assert got == want, key


def _check_csqp(built) -> None:
    rows = built.query(
        "select month_start, segment, csm_user_id, origin_signal, opportunities_created,"
        " arr_created, opportunities_qualified, opportunities_won, arr_won, opportunities_lost,"
        " opportunities_open, win_rate, median_days_to_close from marts.mart_csqp"
        " order by month_start, segment, csm_user_id nulls first, origin_signal"
    )
    d = date
    m = _money
    # fmt: off
    assert rows == [
        # O4: won, qualified (closed_won without qualified_at), 25 days
        (d(2025, 1, 1), "all", "U1", "qbr", 1, m("2400.00"), 1, 1, m("2400.00"), 0, 0, 1.0, 25.0),
        (d(2025, 1, 1), "enterprise", "U1", "qbr", 1, m("2400.00"), 1, 1, m("2400.00"), 0, 0, 1.0, 25.0),
        # O1: won, 18 days (O2 is sales: not CS)
        (d(2025, 2, 1), "all", "U1", "seat_utilization", 1, m("600.00"), 1, 1, m("600.00"), 0, 0, 1.0, 18.0),
        (d(2025, 2, 1), "smb", "U1", "seat_utilization", 1, m("600.00"), 1, 1, m("600.00"), 0, 0, 1.0, 18.0),
        # O6 (account without CSM): won, 30 days
        (d(2025, 3, 1), "all", None, "new_persona", 1, m("100.00"), 1, 1, m("100.00"), 0, 0, 1.0, 30.0),
        # O7: lost after qualifying, 30 days; win rate 0 / (0 + 1) = 0
        (d(2025, 3, 1), "all", "U1", "seat_utilization", 1, m("300.00"), 1, 0, m("0.00"), 1, 0, 0.0, 30.0),
        (d(2025, 3, 1), "mid_market", None, "new_persona", 1, m("100.00"), 1, 1, m("100.00"), 0, 0, 1.0, 30.0),
        (d(2025, 3, 1), "smb", "U1", "seat_utilization", 1, m("300.00"), 1, 0, m("0.00"), 1, 0, 0.0, 30.0),
        # O8: open, qualified by its proposal stage, 1200.00 USD
        (d(2025, 6, 1), "all", "U1", "feature_ceiling", 1, m("1200.00"), 1, 0, m("0.00"), 0, 1, None, None),
        # O9 (smb) + O12 (enterprise): 700.00 + 50.00 = 750.00, both open, neither qualified
        (d(2025, 6, 1), "all", "U1", "seat_utilization", 2, m("750.00"), 0, 0, m("0.00"), 0, 2, None, None),
        (d(2025, 6, 1), "enterprise", "U1", "feature_ceiling", 1, m("1200.00"), 1, 0, m("0.00"), 0, 1, None, None),
        (d(2025, 6, 1), "enterprise", "U1", "seat_utilization", 1, m("50.00"), 0, 0, m("0.00"), 0, 1, None, None),
        (d(2025, 6, 1), "smb", "U1", "seat_utilization", 1, m("700.00"), 0, 0, m("0.00"), 0, 1, None, None),
    ]
    # fmt: on


def _check_signals(built) -> None:
    rows = built.query(
        "select account_id, week_start, active_users_30d, licensed_seats,"
        " has_seat_utilization_signal, has_feature_ceiling_signal, has_active_user_surge_signal,"
        " next_cs_opportunity_id, lead_time_days"
        " from marts.fct_expansion_signals order by account_id, week_start"
    )
    d = date
    assert rows == [
        # week of Mon 03-10: f_ent (enterprise) used on 03-12 under growth.
        # Seats on Sunday 03-16: 15 (I2 from 03-15); 1 active user: no seat signal.
        # Next CS opportunity on/after 03-10: O7 (03-05) is before; O9 on
        # 06-15: 21 (Mar) + 30 (Apr) + 31 (May) + 15 = 97 days
        ("A1", d(2025, 3, 10), 1, 15, False, True, False, "O9", 97),
        # weeks of 06-02, 06-09, 06-16, 06-23 (Sundays 06-08..06-29) hold the
        # 18 users of 06-02 in their trailing 30 days: 18 > 0.85 x 20 = 17.
        # Prior 30 days are empty (A1-UX on 03-12 is 60+ days back): no surge.
        # Lead: 06-02 -> 06-15 = 13 days, 06-09 -> 06-15 = 6 days; after
        # 06-15 no CS opportunity exists by as_of_date (O10 is 07-01)
        ("A1", d(2025, 6, 2), 18, 20, True, False, False, "O9", 13),
        ("A1", d(2025, 6, 9), 18, 20, True, False, False, "O9", 6),
        ("A1", d(2025, 6, 16), 18, 20, True, False, False, None, None),
        ("A1", d(2025, 6, 23), 18, 20, True, False, False, None, None),
    ]


def test_pipeline_close_before_creation_fails_its_test(build_warehouse: BuildWarehouse) -> None:
    """An opportunity closed before it was created is bad input the staging
    tests do not see; fct_opportunities names it (days_to_close < 0)."""
    raw = {
        "raw_crm.accounts": RAW["raw_crm.accounts"],
        "raw_crm.users": RAW["raw_crm.users"],
        "raw_crm.opportunities": [
            # created 2025-03-10, closed 2025-03-08: days_to_close = -2
            _opp(
                "X1",
                "A1",
                stage="closed_won",
                amount_arr="10.00",
                created_at="2025-03-10 10:00:00",
                closed_at="2025-03-08 10:00:00",
            ),
        ],
    }
    built = build_warehouse(
        raw,
        dbt_vars={"as_of_date": AS_OF},
        args=("build", "--select", "+fct_opportunities", "--indirect-selection", "cautious"),
    )
    assert set(built.outcome.failed()) == {"fct_opportunities__days_to_close__not_negative"}
