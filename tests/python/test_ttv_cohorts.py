"""Time to value, retention by TTV and onboarding on a hand-worked company.

as_of_date is 2025-06-15, so the last complete month is May 2025 and the
signing cohorts run from January (first signing) to May. Every expected
number below is worked out by hand from the rows in ``RAW`` (arithmetic in
the comments), never copied from the output.

Accounts (segment, first `new` contract signed, what happened):
  a1 smb         2025-01-10  core workflow event 02-01 (milestone 02-14)  ttv 21 + 1 = 22
  a2 smb         2025-01-20  core workflow during trial 01-05 -> ttv 0 (milestone 03-01)
  a3 mid_market  2025-01-05  non-core workflow 01-10 ignored; milestone 04-20:
                             26 + 28 + 31 + 20 = 105
  a4 enterprise  2025-01-15  never reaches value (151 days observed)
  a5 smb         2025-01-25  reactivated: 2nd `new` contract 05-01 ignored; milestone
                             05-10: 6 + 28 + 31 + 30 + 10 = 105 (not 9)
  a6 smb         2025-05-20  no value, 11 + 15 = 26 days observed: pending 30/60/90
  a7 smb         2025-05-02  core event 05-30 (delivered 06-12): ttv 28
  a8 mid_market  2025-04-20  no value, 10 + 31 + 15 = 56 days: failure 30, pending 60/90
  a9 smb         2025-06-05  June is not complete: in no cohort row
  a10 enterprise 2025-04-01  milestone 06-20 and core event 06-16 are after
                             as_of_date: no value, 29 + 31 + 15 = 75 days:
                             failure 30/60, pending 90
  a11 smb        2025-07-01  signed after as_of_date: no clock
"""

from __future__ import annotations

import pytest
from conftest import BuiltWarehouse, event_row
from fixtures.built_company import module_company
from fixtures.raw_rows import contract_row

AS_OF = "2025-06-15"
SEGMENT_OF = {
    "a1": "smb",
    "a2": "smb",
    "a3": "mid_market",
    "a4": "enterprise",
    "a5": "smb",
    "a6": "smb",
    "a7": "smb",
    "a8": "mid_market",
    "a9": "smb",
    "a10": "enterprise",
    "a11": "smb",
}


def _milestone(account_id, key, target, completed):
    return {
        "account_id": account_id,
        "milestone_key": key,
        "target_date": target,
        "completed_at": completed,
    }


_event = event_row


RAW: dict[str, list[dict[str, object]]] = {
    "raw_crm.accounts": [
        {
            "account_id": acc,
            "account_name": acc.upper(),
            "segment": seg,
            "industry": "software",
            "region": "emea",
            "created_at": "2024-12-01 00:00:00",
            "updated_at": "2024-12-01 00:00:00",
        }
        for acc, seg in SEGMENT_OF.items()
    ],
    "raw_crm.contracts": [
        # first `new` contracts; the end dates decide the first renewal
        contract_row("c1", "a1", "new", "2025-01-10 10:00:00", "2025-01-15", "2025-04-15"),
        contract_row("c1r", "a1", "renewal", "2025-04-10 10:00:00", "2025-04-15", "2025-07-15"),
        contract_row("c2", "a2", "new", "2025-01-20 10:00:00", "2025-02-01", "2025-05-01"),
        contract_row("c3", "a3", "new", "2025-01-05 10:00:00", "2025-01-05", "2025-03-05"),
        contract_row("c4", "a4", "new", "2025-01-15 10:00:00", "2025-01-15", "2025-02-15"),
        contract_row("c4r", "a4", "renewal", "2025-03-05 10:00:00", "2025-03-10", "2026-03-10"),
        contract_row("c5", "a5", "new", "2025-01-25 10:00:00", "2025-02-01", "2025-03-01"),
        contract_row("c5b", "a5", "new", "2025-05-01 10:00:00", "2025-05-01", "2026-05-01"),
        contract_row("c6", "a6", "new", "2025-05-20 10:00:00", "2025-06-01", "2026-06-01"),
        contract_row("c7", "a7", "new", "2025-05-02 10:00:00", "2025-05-02", "2025-06-02"),
        contract_row("c8", "a8", "new", "2025-04-20 10:00:00", "2025-05-01", "2026-05-01"),
        contract_row("c9", "a9", "new", "2025-06-05 10:00:00", "2025-06-05", "2026-06-05"),
        contract_row("c10", "a10", "new", "2025-04-01 10:00:00", "2025-04-01", "2026-04-01"),
        contract_row("c11", "a11", "new", "2025-07-01 10:00:00", "2025-07-01", "2026-07-01"),
    ],
    "raw_crm.onboarding_milestones": [
        # a1: all four on time (days from 01-10: 5, 21 + 5 = 26, 35, 21 + 28 + 10 = 59)
        _milestone("a1", "kickoff", "2025-01-20", "2025-01-15 10:00:00"),
        _milestone("a1", "integration_live", "2025-02-10", "2025-02-05 10:00:00"),
        _milestone("a1", "first_value", "2025-02-20", "2025-02-14 10:00:00"),
        _milestone("a1", "onboarding_complete", "2025-03-15", "2025-03-10 10:00:00"),
        # a2: integration_live late (02-20 > 02-15) -> missed
        # (days from 01-20: 2, 11 + 20 = 31, 11 + 28 + 1 = 40, 11 + 28 + 25 = 64)
        _milestone("a2", "kickoff", "2025-01-25", "2025-01-22 10:00:00"),
        _milestone("a2", "integration_live", "2025-02-15", "2025-02-20 10:00:00"),
        _milestone("a2", "first_value", "2025-03-05", "2025-03-01 10:00:00"),
        _milestone("a2", "onboarding_complete", "2025-03-31", "2025-03-25 10:00:00"),
        # a3: kickoff before signing (0 days), integration 01-30 (25), first_value
        # late (105), onboarding_complete overdue -> missed
        _milestone("a3", "kickoff", "2025-01-10", "2025-01-03 10:00:00"),
        _milestone("a3", "integration_live", "2025-02-01", "2025-01-30 10:00:00"),
        _milestone("a3", "first_value", "2025-03-01", "2025-04-20 10:00:00"),
        _milestone("a3", "onboarding_complete", "2025-04-01", None),
        # a4: no milestone rows -> missed (not planned)
        # a5: on time so far, onboarding_complete due 07-01 -> in progress
        # (days from 01-25: 3, 6 + 18 = 24, 105)
        _milestone("a5", "kickoff", "2025-02-01", "2025-01-28 10:00:00"),
        _milestone("a5", "integration_live", "2025-02-20", "2025-02-18 10:00:00"),
        _milestone("a5", "first_value", "2025-05-15", "2025-05-10 10:00:00"),
        _milestone("a5", "onboarding_complete", "2025-07-01", None),
        # a10: first_value completed after as_of_date -> overdue
        _milestone("a10", "first_value", "2025-06-10", "2025-06-20 10:00:00"),
    ],
    "raw_product.features": [
        {
            "feature_key": "reports",
            "feature_name": "Reports",
            "min_tier": "starter",
            "is_core_workflow": True,
        },
        {
            "feature_key": "dashboards",
            "feature_name": "Dashboards",
            "min_tier": "starter",
            "is_core_workflow": False,
        },
    ],
    "raw_product.events": [
        _event("e1", "a1", "u1", "workflow_completed", "reports", "2025-02-01 09:00:00"),
        # redelivery of e1 a day later: the same event
        _event(
            "e1",
            "a1",
            "u1",
            "workflow_completed",
            "reports",
            "2025-02-01 09:00:00",
            "2025-02-02 09:00:00",
        ),
        _event("e2", "a1", "u1", "session_start", None, "2025-01-12 09:00:00"),
        _event("e3", "a2", "u2", "workflow_completed", "reports", "2025-01-05 09:00:00"),
        _event("e4", "a3", "u3", "workflow_completed", "dashboards", "2025-01-10 09:00:00"),
        _event("e5", "a3", "u3", "feature_used", "reports", "2025-01-11 09:00:00"),
        _event(
            "e6",
            "a7",
            "u7",
            "workflow_completed",
            "reports",
            "2025-05-30 09:00:00",
            "2025-06-12 09:00:00",
        ),
        _event("e7", "a10", "u10", "workflow_completed", "reports", "2025-06-16 09:00:00"),
    ],
    # one paying customer so the reporting window starts in January 2025
    "raw_billing.plans": [
        {
            "plan_id": "growth_m",
            "plan_name": "Growth",
            "tier": "growth",
            "billing_period_months": 1,
            "pricing_model": "per_seat",
            "is_addon": False,
        },
    ],
    "raw_billing.customers": [
        {
            "customer_id": "cu1",
            "account_id": "a1",
            "customer_name": "A1",
            "currency": "USD",
            "created_at": "2025-01-01 00:00:00",
        },
    ],
    "raw_billing.subscriptions": [
        {
            "subscription_id": "s1",
            "customer_id": "cu1",
            "status": "active",
            "created_at": "2025-01-01 00:00:00",
        },
    ],
    "raw_billing.subscription_items": [
        {
            "item_id": "i1",
            "subscription_id": "s1",
            "plan_id": "growth_m",
            "quantity": 10,
            "unit_amount": "100.00",
            "discount_pct": "0.00",
            "currency": "USD",
            "valid_from": "2025-01-01",
            "valid_to": None,
        },
    ],
}


# the onboarding marts (and their parents), built once for the module
company = module_company("ttv", RAW, ["+mart_ttv_cohorts", "+mart_retention_by_ttv", "+mart_onboarding_cohorts"], AS_OF)


def _rows(company: BuiltWarehouse, sql: str) -> dict[tuple, dict]:
    rows = company.dicts(sql)
    return {tuple(str(v) for v in list(row.values())[:2]): row for row in rows}


def _assert_cohort_rows(got: dict[tuple, dict], cols: list[str], expected: dict[tuple, tuple], *,
                        approx: bool = False) -> None:
    """Each hand-worked (month, segment) row: its ``cols`` as expected (floats within pytest.approx if asked)."""
    for key, values in expected.items():
        row = got[key]
        assert tuple(row[c] for c in cols) == (pytest.approx(values) if approx else values), key


def test_build_passes(company: BuiltWarehouse) -> None:
    assert company.outcome.success, company.outcome.failed()


def test_first_value_per_account(company: BuiltWarehouse) -> None:
    rows = company.dicts(
        "select account_id, first_new_contract_id, ttv_days, ttv_bucket, first_value_source "
        "from intermediate.int_accounts_first_value_dated order by account_id"
    )
    got = {row["account_id"]: row for row in rows}
    # a11 signed after as_of_date: no clock, no row
    assert set(got) == {"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10"}
    expected = {
        "a1": (22, "0-30", "core_workflow_event"),
        "a2": (0, "0-30", "core_workflow_event"),
        "a3": (105, ">90", "milestone"),
        "a4": (None, "never", None),
        "a5": (105, ">90", "milestone"),
        "a6": (None, "never", None),
        "a7": (28, "0-30", "core_workflow_event"),
        "a8": (None, "never", None),
        "a9": (None, "never", None),
        "a10": (None, "never", None),
    }
    for account_id, (ttv, bucket, source) in expected.items():
        row = got[account_id]
        assert (row["ttv_days"], row["ttv_bucket"], row["first_value_source"]) == (
            ttv,
            bucket,
            source,
        ), account_id
    # the reactivated account keeps its first `new` contract
    assert got["a5"]["first_new_contract_id"] == "c5"


def test_ttv_cohorts(company: BuiltWarehouse) -> None:
    got = _rows(company, "select * from marts.mart_ttv_cohorts")
    # dense: January..May (5 complete months) x 4 segments
    assert len(got) == 20
    cols = ["accounts_signed", "accounts_reached_value", "median_ttv_days", "p75_ttv_days",
            "share_within_30d", "share_within_60d", "share_within_90d"]
    expected = {
        # January: ttv a1 22, a2 0, a3 105, a5 105; a4 never; nobody pending (>= 136 days).
        # all: median of (0, 22, 105, 105) = (22 + 105) / 2 = 63.5; p75 at rank 0.75 x 3 =
        # 2.25 between 105 and 105 = 105; within 30/60/90: a1, a2 = 2 of 5 = 0.4
        ("2025-01-01", "all"): (5, 4, 63.5, 105.0, 0.4, 0.4, 0.4),
        # smb a1, a2, a5: median 22; p75 at rank 1.5: 22 + 0.5 x (105 - 22) = 63.5; 2 / 3
        ("2025-01-01", "smb"): (3, 3, 22.0, 63.5, 2 / 3, 2 / 3, 2 / 3),
        ("2025-01-01", "mid_market"): (1, 1, 105.0, 105.0, 0.0, 0.0, 0.0),
        ("2025-01-01", "enterprise"): (1, 0, None, None, 0.0, 0.0, 0.0),
        # April: a8 (mm, 56 days, no value), a10 (ent, 75 days, no value)
        # 30d: nobody pending, 0 / 2; 60d: a8 pending, 0 / 1; 90d: both pending, null
        ("2025-04-01", "all"): (2, 0, None, None, 0.0, 0.0, None),
        ("2025-04-01", "mid_market"): (1, 0, None, None, 0.0, None, None),
        ("2025-04-01", "enterprise"): (1, 0, None, None, 0.0, 0.0, None),
        ("2025-04-01", "smb"): (0, 0, None, None, None, None, None),
        # May: a7 ttv 28, a6 pending for every share -> 1 / (2 - 1) = 1
        ("2025-05-01", "all"): (2, 1, 28.0, 28.0, 1.0, 1.0, 1.0),
        ("2025-05-01", "smb"): (2, 1, 28.0, 28.0, 1.0, 1.0, 1.0),
        ("2025-05-01", "enterprise"): (0, 0, None, None, None, None, None),
    }
    for month in ("2025-02-01", "2025-03-01"):
        for segment in ("all", "smb", "mid_market", "enterprise"):
            expected[(month, segment)] = (0, 0, None, None, None, None, None)
    _assert_cohort_rows(got, cols, expected, approx=True)
    # a6's pending status is visible
    assert got[("2025-05-01", "smb")]["accounts_pending_30d"] == 1


def test_retention_by_ttv(company: BuiltWarehouse) -> None:
    got = _rows(company, "select * from marts.mart_retention_by_ttv")
    assert len(got) == 20  # 5 buckets x 4 segments
    # Decided first contracts up in a complete month (June is not complete):
    #   a1 c1 up April, renewal contract starts on end_date -> renewed (0-30, smb)
    #   a2 c2 up April, no renewal contract, check month June not complete -> pending, out
    #   a3 c3 up March, no renewal, no MRR at end of May -> not renewed (>90, mid_market)
    #   a4 c4 up February, renewal contract 23 days after end_date -> renewed (never, ent)
    #   a5 c5 up February, no renewal, no MRR at end of April -> not renewed (>90, smb)
    #   a7 c7 up June: month not complete, out; the others are up in 2026
    expected = {
        ("0-30", "smb"): (1, 1, 1.0),
        ("0-30", "all"): (1, 1, 1.0),
        (">90", "smb"): (1, 0, 0.0),
        (">90", "mid_market"): (1, 0, 0.0),
        (">90", "all"): (2, 0, 0.0),
        ("never", "enterprise"): (1, 1, 1.0),
        ("never", "all"): (1, 1, 1.0),
    }
    for bucket in ("0-30", "31-60", "61-90", ">90", "never"):
        for segment in ("smb", "mid_market", "enterprise", "all"):
            row = got[(bucket, segment)]
            values = (
                row["accounts"],
                row["accounts_renewed_first_cycle"],
                row["first_renewal_rate"],
            )
            assert values == expected.get((bucket, segment), (0, 0, None)), (
                bucket,
                segment,
            )


def test_onboarding_cohorts(company: BuiltWarehouse) -> None:
    got = _rows(company, "select * from marts.mart_onboarding_cohorts")
    assert len(got) == 20
    cols = ["accounts_signed", "accounts_onboarded_on_time", "accounts_onboarding_missed",
            "accounts_onboarding_in_progress", "onboarding_on_time_rate", "median_days_to_kickoff",
            "median_days_to_integration_live", "median_days_to_first_value_milestone",
            "median_days_to_onboarding_complete", "accounts_completed_onboarding"]
    expected = {
        # January: a1 on time; a2, a3 missed, a4 missed (no rows); a5 in progress.
        # rate 1 / (1 + 3) = 0.25. kickoff days (5, 2, 0, 3) -> (2 + 3) / 2 = 2.5;
        # integration (26, 31, 25, 24) -> (25 + 26) / 2 = 25.5; first_value milestone
        # (35, 40, 105, 105) -> (40 + 105) / 2 = 72.5; onboarding_complete (59, 64) -> 61.5
        ("2025-01-01", "all"): (5, 1, 3, 1, 0.25, 2.5, 25.5, 72.5, 61.5, 2),
        # smb a1, a2, a5: 1 / (1 + 1) = 0.5; kickoff (5, 2, 3) -> 3; integration
        # (26, 31, 24) -> 26; first_value (35, 40, 105) -> 40; complete (59, 64) -> 61.5
        ("2025-01-01", "smb"): (3, 1, 1, 1, 0.5, 3.0, 26.0, 40.0, 61.5, 2),
        ("2025-01-01", "mid_market"): (1, 0, 1, 0, 0.0, 0.0, 25.0, 105.0, None, 0),
        ("2025-01-01", "enterprise"): (1, 0, 1, 0, 0.0, None, None, None, None, 0),
        # April: a8 has no milestones, a10's first_value is overdue (its completion
        # is after as_of_date) and the rest not planned -> 0 / 2
        ("2025-04-01", "all"): (2, 0, 2, 0, 0.0, None, None, None, None, 0),
        ("2025-02-01", "all"): (0, 0, 0, 0, None, None, None, None, None, 0),
    }
    _assert_cohort_rows(got, cols, expected)


def test_milestone_statuses(company: BuiltWarehouse) -> None:
    rows = company.query(
        "select account_id, milestone_key, milestone_status, days_to_complete "
        "from marts.fct_onboarding_milestones where account_id in ('a3', 'a10')"
    )
    got = {(r[0], r[1]): (r[2], r[3]) for r in rows}
    assert got == {
        ("a3", "kickoff"): ("completed_on_time", 0),
        ("a3", "integration_live"): ("completed_on_time", 25),
        ("a3", "first_value"): ("completed_late", 105),
        ("a3", "onboarding_complete"): ("overdue", None),
        ("a10", "kickoff"): ("not_planned", None),
        ("a10", "integration_live"): ("not_planned", None),
        ("a10", "first_value"): ("overdue", None),
        ("a10", "onboarding_complete"): ("not_planned", None),
    }
