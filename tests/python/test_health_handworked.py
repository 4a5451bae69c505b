"""Hand-worked accounts through the health marts (fct_account_health,
mart_health_backtest, mart_csm_book, mart_support_efficiency,
mart_cs_scorecard).

The raw company is in fixtures/health_handworked.py (five accounts, books
closed 2025-06-20). Default weights usage 0.40, support 0.20, engagement
0.20, payment 0.10, relationship 0.10. Every expected number is worked out
by hand in the comments.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from conftest import BuiltWarehouse, build_raw_company
from fixtures.health_handworked import AS_OF_DATE, raw_dataset


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltWarehouse]:
    folder = tmp_path_factory.mktemp("health_handworked")
    selection = ["+fct_account_health", "+mart_health_backtest", "+mart_csm_book", "+mart_support_efficiency",
                 "+mart_cs_scorecard"]
    yield build_raw_company(folder, raw_dataset(), selection, AS_OF_DATE)


def test_build_passes(built: BuiltWarehouse) -> None:
    assert built.outcome.success, built.outcome.failed()


def _health(built: BuiltWarehouse, week_start: str) -> dict[str, dict]:
    rows = built.dicts(
        "select * from marts.fct_account_health where week_start = cast(? as date) order by account_id",
        [week_start],
    )
    return {row["account_id"]: row for row in rows}


def test_health_week_of_2025_05_12(built: BuiltWarehouse) -> None:
    # Week Mon 2025-05-12 .. Sun 2025-05-18; 30-day window 04-19..05-18,
    # 90-day window 02-18..05-18. A3 stopped paying on 2025-03-15: not scored.
    health = _health(built, "2025-05-12")
    assert sorted(health) == ["A1", "A2", "A4", "A5"]

    a1 = health["A1"]
    # usage: 6 of 10 seats active (a1u7 on 04-18 is outside) = 0.6; adoption
    # 1 of 2 growth features = 0.5 -> 100 x (0.6 + 0.5) / 2 = 55
    assert a1["usage_score"] == Decimal("55.00")
    # support: k2 urgent + escalated, k3 normal (k1 on 02-17 is outside):
    # 100 - 5 x 2 - 10 x 1 - 15 x 1 = 65
    assert a1["support_score"] == Decimal("65.00")
    # engagement: 3 activities -> 80 x 3 / 6 = 40, answered a survey -> +20 = 60
    assert a1["engagement_score"] == Decimal("60.00")
    # payment: n1 due 2025-04-10, unpaid: 38 days overdue -> 31-60 bucket = 50
    # (the draft n0 is ignored)
    assert a1["payment_score"] == Decimal("50.00")
    assert a1["max_days_overdue"] == 38
    # relationship: latest NPS on or before 05-18 is 6 (05-05) -> 6 x 50 / 6 = 50
    assert a1["relationship_score"] == Decimal("50.00")
    # 0.4 x 55 + 0.2 x 65 + 0.2 x 60 + 0.1 x 50 + 0.1 x 50 = 22 + 13 + 12 + 5 + 5
    assert a1["health_score"] == Decimal("57.00")
    assert a1["health_band"] == "red"
    # red wins over "not yet at first value"
    assert a1["has_reached_first_value"] is False
    assert a1["routing_action"] == "retention_specialist"

    a2 = health["A2"]
    # flat plan: no seats, so usage = adoption 3 / 3 = 100; no cases = 100;
    # 7 activities capped at 6 -> 80, survey on 05-20 is after the week -> 80;
    # invoice n2 not due until 05-31 -> 100; never answered NPS -> neutral 70
    assert (a2["usage_score"], a2["support_score"], a2["engagement_score"]) == (
        Decimal("100.00"),
        Decimal("100.00"),
        Decimal("80.00"),
    )
    assert (a2["payment_score"], a2["relationship_score"]) == (Decimal("100.00"), Decimal("70.00"))
    assert a2["latest_nps_score"] is None
    # 40 + 20 + 16 + 10 + 7 = 93 -> green; first value 2025-02-01; no signal
    assert a2["health_score"] == Decimal("93.00")
    assert a2["health_band"] == "green"
    assert a2["routing_action"] == "steady_state"

    a4 = health["A4"]
    # usage: 9 / 10 seats = 0.9, adoption 2 / 2 = 1 -> 100 x 1.9 / 2 = 95;
    # engagement: 6 activities -> 80 + survey -> 100; relationship NPS 9 -> 100
    assert a4["usage_score"] == Decimal("95.00")
    assert a4["engagement_score"] == Decimal("100.00")
    assert a4["relationship_score"] == Decimal("100.00")
    # 38 + 20 + 20 + 10 + 10 = 98 -> green, with a seat-utilization signal
    # (9 active users > 85 % of 10 seats) and first value -> growth CSM
    assert a4["health_score"] == Decimal("98.00")
    assert a4["has_expansion_signal"] is True
    assert a4["routing_action"] == "growth_csm"

    a5 = health["A5"]
    # usage 100 (flat, 2 / 2 features), support 100, engagement 80 + 20,
    # payment 100 (n4 is void), relationship neutral 70: 40+20+20+10+7 = 97
    assert a5["health_score"] == Decimal("97.00")
    assert a5["health_band"] == "green"
    # green but not yet at first value -> onboarding
    assert a5["routing_action"] == "onboarding"


def test_backtest_week_of_2025_03_03(built: BuiltWarehouse) -> None:
    # Week ending Sun 2025-03-09, horizon to 2025-06-07 (<= as_of_date).
    # A1: usage 0 (nobody active 02-08..03-09), support 95 (k1), engagement
    #     20 (NPS 02-01), payment 100, relationship 100 -> 0+19+4+10+10 = 43
    # A2: usage 0 (adoption 0, no seats), 100, 0, 100, 70 -> 0+20+0+10+7 = 37
    # A3: usage 0 (0 of 5 seats, 0 of 1 feature), 100, 0, 100, 70 -> 37
    # A4: usage (0.1 + 0.5) / 2 = 30, 100, 20 (NPS 03-01), 100 (n3 paid
    #     03-05), 100 -> 12+20+4+10+10 = 56
    # All four red; A3 churns on 2025-03-31, inside the horizon.
    rows = built.dicts(
        "select health_band, accounts, churned_within_90d, churn_rate_90d from marts.mart_health_backtest"
        " where week_start = date '2025-03-03' order by health_band"
    )
    assert rows == [
        {"health_band": "green", "accounts": 0, "churned_within_90d": 0, "churn_rate_90d": None},
        {"health_band": "red", "accounts": 4, "churned_within_90d": 1, "churn_rate_90d": 0.25},
        {"health_band": "yellow", "accounts": 0, "churned_within_90d": 0, "churn_rate_90d": None},
    ]
    health = _health(built, "2025-03-03")
    assert {key: row["health_score"] for key, row in health.items()} == {
        "A1": Decimal("43.00"),
        "A2": Decimal("37.00"),
        "A3": Decimal("37.00"),
        "A4": Decimal("56.00"),
    }


def test_backtest_covers_only_observable_horizons(built: BuiltWarehouse) -> None:
    # week_end + 90 <= 2025-06-20 <=> week_end <= 2025-03-22: the last week is
    # Mon 2025-03-10 .. Sun 03-16; the first is Mon 2024-12-30 .. Sun 2025-01-05.
    (first, last, weeks) = built.query(
        "select min(week_start), max(week_start), count(distinct week_start) from marts.mart_health_backtest"
    )[0]
    assert (str(first), str(last), weeks) == ("2024-12-30", "2025-03-10", 11)


def test_csm_book_may_2025(built: BuiltWarehouse) -> None:
    # Health mix from the last week ending in May (Mon 05-19 .. Sun 05-25):
    # A1 57 (red, as in the week before), A2 97 (CSAT 05-20 now in the
    # window: engagement 100), A4 96 (k5 high, 05-25: support 90), A5 97.
    rows = built.dicts(
        "select * from marts.mart_csm_book where month_start = date '2025-05-01' order by csm_user_id"
    )
    by_csm = {row["csm_user_id"]: row for row in rows}
    assert sorted(by_csm) == ["u1", "u2", "unassigned"]
    u1 = by_csm["u1"]
    # A1 1,000 + A2 30,000 + A4 1,000 = 32,000 MRR, ARR 384,000; no MRR a year
    # before -> NRR T12M null
    assert (u1["accounts"], u1["mrr_usd"], u1["arr_usd"]) == (3, Decimal("32000.00"), Decimal("384000.00"))
    assert u1["nrr_t12m"] is None
    assert (u1["red_accounts"], u1["yellow_accounts"], u1["green_accounts"]) == (1, 0, 2)
    assert u1["avg_health_score"] == pytest.approx((57 + 97 + 96) / 3)
    u2 = by_csm["u2"]
    assert (u2["accounts"], u2["arr_usd"], u2["green_accounts"]) == (1, Decimal("24000.00"), 1)
    unassigned = by_csm["unassigned"]
    assert (unassigned["accounts"], unassigned["health_scored_accounts"]) == (0, 0)
    assert unassigned["red_account_share"] is None


def test_support_efficiency_may_2025(built: BuiltWarehouse) -> None:
    # May: active accounts (MRR at the start or end of May) A1, A2, A4, A5;
    # A1 had an escalated case (k2). Cases opened: k2 0.5 h, k3 4 h, k5 24 h
    # (smb), k6 (enterprise) answered after as_of_date: not answered.
    rows = built.dicts(
        "select * from marts.mart_support_efficiency where month_start = date '2025-05-01' order by segment"
    )
    by_segment = {row["segment"]: row for row in rows}
    assert sorted(by_segment) == ["all", "enterprise", "mid_market", "smb"]
    everyone = by_segment["all"]
    assert (everyone["active_accounts"], everyone["accounts_with_escalation"]) == (4, 1)
    assert everyone["escalation_rate"] == 0.25
    assert (everyone["cases_opened"], everyone["cases_escalated"], everyone["cases_responded"]) == (4, 1, 3)
    # median of 0.5, 4 and 24 hours
    assert everyone["median_first_response_hours"] == 4.0
    smb = by_segment["smb"]
    assert (smb["active_accounts"], smb["escalation_rate"], smb["median_first_response_hours"]) == (2, 0.5, 4.0)
    enterprise = by_segment["enterprise"]
    assert (enterprise["cases_opened"], enterprise["cases_responded"]) == (1, 0)
    assert enterprise["median_first_response_hours"] is None
    assert enterprise["escalation_rate"] == 0.0


def test_scorecard_statuses(built: BuiltWarehouse) -> None:
    rows = built.dicts(
        "select metric, cadence, cast(period_start as varchar) as period_start, segment, value,"
        " benchmark_low, benchmark_high, status from marts.mart_cs_scorecard"
    )
    card = {(row["metric"], row["period_start"], row["segment"]): row for row in rows}
    # weekly, week of 05-12: scores 57, 93, 98, 97 -> mean 86.25 (>= 70: within);
    # red share 1 / 4 = 0.25 (> 0.10: above); green 3 / 4 = 0.75 (>= 0.5: within)
    assert card[("avg_health_score", "2025-05-12", "all")]["value"] == 86.25
    assert card[("avg_health_score", "2025-05-12", "all")]["status"] == "within"
    assert card[("red_account_share", "2025-05-12", "all")]["status"] == "above"
    assert card[("green_account_share", "2025-05-12", "all")]["cadence"] == "weekly"
    # monthly: relationship NPS in May is A1's 6 -> -100 (< 40: below); support
    # CSAT 2 of 3 (< 0.85: below); median first response 4 h: on the upper
    # edge 4 (edges inclusive: within); escalation 0.25 (> 0.05: above)
    assert card[("nps", "2025-05-01", "all")]["value"] == -100
    assert card[("nps", "2025-05-01", "all")]["status"] == "below"
    assert card[("csat", "2025-05-01", "all")]["status"] == "below"
    assert card[("median_first_response_hours", "2025-05-01", "all")]["status"] == "within"
    assert card[("escalation_rate", "2025-05-01", "all")]["status"] == "above"
    # logo churn in March: A3 of A1..A4 -> 0.25 (> 0.03: above); smb has no
    # band of its own and falls back to `all`: 0 churned -> within
    assert card[("logo_churn_rate", "2025-03-01", "all")]["value"] == 0.25
    assert card[("logo_churn_rate", "2025-03-01", "all")]["status"] == "above"
    assert card[("logo_churn_rate", "2025-03-01", "smb")]["status"] == "within"
    assert card[("logo_churn_rate", "2025-03-01", "smb")]["benchmark_high"] == 0.03
    # no account had MRR twelve months earlier: no T12M rows at all
    assert not [key for key in card if key[0] in {"grr_t12m", "nrr_t12m"}]
