"""Revenue marts on a four-account company, asserted against hand arithmetic.

The raw data is in fixtures/revenue_handworked.py. Month-end MRR per account
(metrics.md, MRR: measured on the last day of the month, items with
valid_from <= month_end < valid_to):

A1 (smb, USD, monthly per-seat)
  Jan-24: only the trial (0.00)                           -> no MRR
  Feb, Mar: 5 x 20.00                                     = 100.00  (I2 ends 04-01: still in force on 03-31)
  Apr-Jun: 8 x 20.00 x 0.90                               = 144.00
  Jul-24 .. Mar-25: 6 x 20.00 x 0.90                      = 108.00
A2 (mid_market; EUR quarterly on C2 + USD monthly on C3)
  Mar-May: 1 x 300.00 / 3 = 100 EUR x 1.10 (rate of 01-01, in force on 03-01) = 110.00
           (the 03-15 rate of 1.20 is drift and never moves MRR; I6 lives
           05-10..05-25 and never counts)
  Jun-24 .. Mar-25: 110 + 3 x 33.33 x 0.845 = 110 + 84.49155 = 194.49155 -> 194.49
A3 (enterprise, GBP annual): 10 x 1200.00 / 12 = 1000 GBP x 1.25 = 1250.00
  Jan-24 .. Dec-24 (the June rate of 1.30 never moves it); Jan-25: ended 01-15 -> 0
A4 (smb): 1 x 10.01 x 0.50 = 5.005 -> 5.01 (half away from zero) Feb-Apr;
  paused May-Jun (0); 2 x 10.01 x 0.50 = 10.01 Jul-Sep; 0 from Oct.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import BuiltWarehouse, build_raw_company
from fixtures.revenue_handworked import AS_OF_DATE, RAW

D = Decimal


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> BuiltWarehouse:
    folder = tmp_path_factory.mktemp("revenue_handworked")
    return build_raw_company(folder, RAW, ["+marts.revenue"], AS_OF_DATE)


def test_build_passes_every_test(warehouse: BuiltWarehouse) -> None:
    assert warehouse.outcome.success, warehouse.outcome.failed()


def test_account_month_movements(warehouse: BuiltWarehouse) -> None:
    rows = warehouse.query(
        """
        select account_id, cast(month_start as varchar), movement_type,
               starting_mrr, ending_mrr
        from marts.fct_mrr_movements
        order by account_id, month_start
        """
    )
    expected = []

    def months(first: str, last: str) -> list[str]:
        out, (y, m) = [], map(int, first.split("-"))
        while f"{y:04d}-{m:02d}" <= last:
            out.append(f"{y:04d}-{m:02d}-01")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    # A1: new 100 in Feb, flat Mar, +44 in Apr, flat, -36 in Jul, flat to Mar-25
    expected += [("A1", "2024-02-01", "new", D("0.00"), D("100.00"))]
    expected += [("A1", "2024-03-01", "flat", D("100.00"), D("100.00"))]
    expected += [("A1", "2024-04-01", "expansion", D("100.00"), D("144.00"))]
    expected += [("A1", m, "flat", D("144.00"), D("144.00")) for m in months("2024-05", "2024-06")]
    expected += [("A1", "2024-07-01", "contraction", D("144.00"), D("108.00"))]
    expected += [("A1", m, "flat", D("108.00"), D("108.00")) for m in months("2024-08", "2025-03")]
    # A2: new 110 in Mar, flat Apr-May (EUR drift is not a movement), +84.49 in Jun
    expected += [("A2", "2024-03-01", "new", D("0.00"), D("110.00"))]
    expected += [("A2", m, "flat", D("110.00"), D("110.00")) for m in months("2024-04", "2024-05")]
    expected += [("A2", "2024-06-01", "expansion", D("110.00"), D("194.49"))]
    expected += [("A2", m, "flat", D("194.49"), D("194.49")) for m in months("2024-07", "2025-03")]
    # A3: new 1250 in Jan-24, flat to Dec-24, churn in Jan-25, then no rows
    expected += [("A3", "2024-01-01", "new", D("0.00"), D("1250.00"))]
    expected += [("A3", m, "flat", D("1250.00"), D("1250.00")) for m in months("2024-02", "2024-12")]
    expected += [("A3", "2025-01-01", "churn", D("1250.00"), D("0.00"))]
    # A4: new 5.01, flat, churn in May (pause), no June row, reactivation, churn in Oct
    expected += [("A4", "2024-02-01", "new", D("0.00"), D("5.01"))]
    expected += [("A4", m, "flat", D("5.01"), D("5.01")) for m in months("2024-03", "2024-04")]
    expected += [("A4", "2024-05-01", "churn", D("5.01"), D("0.00"))]
    expected += [("A4", "2024-07-01", "reactivation", D("0.00"), D("10.01"))]
    expected += [("A4", m, "flat", D("10.01"), D("10.01")) for m in months("2024-08", "2024-09")]
    expected += [("A4", "2024-10-01", "churn", D("10.01"), D("0.00"))]
    assert rows == sorted(expected)


def test_company_retention_by_month(warehouse: BuiltWarehouse) -> None:
    rows = {
        str(r[0]): r[1:]
        for r in warehouse.query(
            """
            select month_start, starting_mrr, new_mrr, reactivation_mrr, expansion_mrr,
                   contraction_mrr, churned_mrr, ending_mrr
            from marts.mart_revenue_retention where segment = 'all' order by month_start
            """
        )
    }
    # 15 complete months: Jan-24 .. Mar-25 (April 2025 closes after 2025-04-15)
    assert len(rows) == 15
    zero = D("0.00")
    # (starting, new, reactivation, expansion, contraction, churned, ending)
    assert rows["2024-01-01"] == (zero, D("1250.00"), zero, zero, zero, zero, D("1250.00"))
    # Feb: A1 new 100 + A4 new 5.01 = 105.01; 1250 + 105.01 = 1355.01
    assert rows["2024-02-01"] == (D("1250.00"), D("105.01"), zero, zero, zero, zero, D("1355.01"))
    assert rows["2024-03-01"] == (D("1355.01"), D("110.00"), zero, zero, zero, zero, D("1465.01"))
    assert rows["2024-04-01"] == (D("1465.01"), zero, zero, D("44.00"), zero, zero, D("1509.01"))
    assert rows["2024-05-01"] == (D("1509.01"), zero, zero, zero, zero, D("5.01"), D("1504.00"))
    assert rows["2024-06-01"] == (D("1504.00"), zero, zero, D("84.49"), zero, zero, D("1588.49"))
    # Jul: A1 -36, A4 back with 10.01: 1588.49 - 36 + 10.01 = 1562.50
    assert rows["2024-07-01"] == (D("1588.49"), zero, D("10.01"), zero, D("36.00"), zero, D("1562.50"))
    assert rows["2024-10-01"] == (D("1562.50"), zero, zero, zero, zero, D("10.01"), D("1552.49"))
    assert rows["2025-01-01"] == (D("1552.49"), zero, zero, zero, zero, D("1250.00"), D("302.49"))
    assert rows["2025-03-01"] == (D("302.49"), zero, zero, zero, zero, zero, D("302.49"))


def test_company_retention_rates(warehouse: BuiltWarehouse) -> None:
    rates = {
        str(r[0]): r[1:]
        for r in warehouse.query(
            """
            select month_start, grr_monthly, nrr_monthly, grr_t12m, nrr_t12m, quick_ratio
            from marts.mart_revenue_retention where segment = 'all'
            """
        )
    }
    # Jan-24: starting 0 -> monthly rates null; no M-12 cohort -> T12M null
    assert rates["2024-01-01"] == (None, None, None, None, None)
    # Feb-24: nothing lost: grr = nrr = 1250/1250; no churn or contraction -> quick ratio null
    assert rates["2024-02-01"] == (1.0, 1.0, None, None, None)
    # May-24: (1509.01 - 5.01) / 1509.01; quick ratio 0 / 5.01 = 0
    grr, nrr, _, _, quick = rates["2024-05-01"]
    assert grr == pytest.approx(1504.00 / 1509.01, abs=1e-12)
    assert nrr == pytest.approx(1504.00 / 1509.01, abs=1e-12)
    assert quick == 0.0
    # Jul-24: grr = nrr = (1588.49 - 36) / 1588.49; quick = 10.01 / 36
    grr, nrr, _, _, quick = rates["2024-07-01"]
    assert grr == pytest.approx(1552.49 / 1588.49, abs=1e-12)
    assert nrr == pytest.approx(1552.49 / 1588.49, abs=1e-12)
    assert quick == pytest.approx(10.01 / 36.00, abs=1e-12)
    # Jun-24: nrr = (1504 + 84.49) / 1504, grr = 1
    grr, nrr, *_ = rates["2024-06-01"]
    assert (grr, nrr) == (1.0, pytest.approx(1588.49 / 1504.00, abs=1e-12))
    # T12M Jan-25: cohort {A3: 1250}, A3 at 0 -> 0 / 1250
    assert rates["2025-01-01"][2:4] == (0.0, 0.0)
    # T12M Feb-25: cohort Feb-24 {A1 100, A3 1250, A4 5.01} = 1355.01; now A1 108
    #   nrr = 108 / 1355.01; grr = min(108, 100) / 1355.01 = 100 / 1355.01
    _, _, grr_t12m, nrr_t12m, _ = rates["2025-02-01"]
    assert grr_t12m == pytest.approx(100 / 1355.01, abs=1e-12)
    assert nrr_t12m == pytest.approx(108 / 1355.01, abs=1e-12)
    # T12M Mar-25: cohort {A1 100, A2 110, A3 1250, A4 5.01} = 1465.01; now 108 + 194.49
    #   nrr = 302.49 / 1465.01; grr = (100 + 110) / 1465.01
    _, _, grr_t12m, nrr_t12m, _ = rates["2025-03-01"]
    assert grr_t12m == pytest.approx(210 / 1465.01, abs=1e-12)
    assert nrr_t12m == pytest.approx(302.49 / 1465.01, abs=1e-12)


def test_segments_and_density(warehouse: BuiltWarehouse) -> None:
    # 15 months x (smb, mid_market, enterprise, all) in every dense revenue mart
    for mart in ("mart_revenue_retention", "mart_churn", "mart_renewals"):
        assert warehouse.query(f"select count(*) from marts.{mart}") == [(60,)]
    # smb in Mar-25 is A1 alone: 108; T12M cohort {A1 100, A4 5.01}
    row = warehouse.query(
        """
        select ending_mrr, nrr_t12m, grr_t12m from marts.mart_revenue_retention
        where segment = 'smb' and month_start = date '2025-03-01'
        """
    )[0]
    assert row[0] == D("108.00")
    assert row[1] == pytest.approx(108 / 105.01, abs=1e-12)
    assert row[2] == pytest.approx(100 / 105.01, abs=1e-12)
    # enterprise has nothing left after Jan-25: zeros, and null rates
    row = warehouse.query(
        """
        select starting_mrr, ending_mrr, grr_monthly, nrr_monthly from marts.mart_revenue_retention
        where segment = 'enterprise' and month_start = date '2025-02-01'
        """
    )[0]
    assert row == (D("0.00"), D("0.00"), None, None)


def test_churn(warehouse: BuiltWarehouse) -> None:
    rows = {
        str(r[0]): r[1:]
        for r in warehouse.query(
            """
            select month_start, accounts_start, accounts_churned, logo_churn_rate,
                   revenue_churn_rate, gross_mrr_churn_rate, logo_retention_t12m
            from marts.mart_churn where segment = 'all'
            """
        )
    }
    # May-24: A1, A2, A3, A4 paying at end of April; A4 churns: 1/4; 5.01 / 1509.01
    start, churned, logo, revenue, gross, retention = rows["2024-05-01"]
    assert (start, churned, logo) == (4, 1, 0.25)
    assert revenue == pytest.approx(5.01 / 1509.01, abs=1e-12)
    assert gross == pytest.approx(5.01 / 1509.01, abs=1e-12)
    assert retention is None
    # Jul-24: no churn; contraction 36 of 1588.49 is gross churn only
    start, churned, logo, revenue, gross, _ = rows["2024-07-01"]
    assert (start, churned, logo, revenue) == (3, 0, 0.0, 0.0)
    assert gross == pytest.approx(36 / 1588.49, abs=1e-12)
    # Jan-25: A1, A2, A3 paying at end of Dec; A3 churns; T12M cohort {A3} keeps 0 logos
    start, churned, logo, revenue, _, retention = rows["2025-01-01"]
    assert (start, churned) == (3, 1)
    assert logo == pytest.approx(1 / 3, abs=1e-12)
    assert revenue == pytest.approx(1250 / 1552.49, abs=1e-12)
    assert retention == 0.0
    # T12M logos: Feb-25 cohort {A1, A3, A4} keeps A1 -> 1/3; Mar-25 {A1..A4} keeps A1, A2 -> 1/2
    assert rows["2025-02-01"][5] == pytest.approx(1 / 3, abs=1e-12)
    assert rows["2025-03-01"][5] == 0.5


def test_renewals(warehouse: BuiltWarehouse) -> None:
    rows = {
        (str(r[0]), r[1]): r[2:]
        for r in warehouse.query(
            """
            select month_start, segment, contracts_up, contracts_renewed, contracts_pending,
                   logo_renewal_rate, arr_up, arr_renewed, arr_renewal_rate
            from marts.mart_renewals where contracts_up > 0
            """
        )
    }
    # K5 (A4, ends 2024-05-01, last day 04-30) is up in Apr-24; no renewal
    #   contract and no MRR at the end of June (paused) -> not renewed
    assert rows[("2024-04-01", "all")] == (1, 0, 0, 0.0, D("60.12"), D("0.00"), 0.0)
    # K7 (A1 expansion, ends 2024-12-01) is up in Nov-24; MRR 108 at end of Jan-25 -> renewed
    assert rows[("2024-11-01", "all")] == (1, 1, 0, 1.0, D("528.00"), D("528.00"), 1.0)
    # K1 (A3, 12000 GBP at 1.25 on 2024-01-15 = 15000.00) up in Jan-25; MRR 0 at end of Mar-25
    assert rows[("2025-01-01", "all")] == (1, 0, 0, 0.0, D("15000.00"), D("0.00"), 0.0)
    # Feb-25: K2 (A1) renewed by K3 starting 23 days after its end; K4 (A2,
    #   1200 EUR x 1.10 = 1320.00) pending: K6 is signed after as_of_date and
    #   April 2025 is not complete. Rates over decided contracts only: 1/1, 1200/1200
    assert rows[("2025-02-01", "all")] == (2, 1, 1, 1.0, D("2520.00"), D("1200.00"), 1.0)
    assert rows[("2025-02-01", "smb")] == (1, 1, 0, 1.0, D("1200.00"), D("1200.00"), 1.0)
    assert rows[("2025-02-01", "mid_market")] == (1, 0, 1, None, D("1320.00"), D("0.00"), None)
    # K3 is up in Mar-26, outside the reporting window; nothing else is up
    assert set(rows) == {
        ("2024-04-01", "all"), ("2024-04-01", "smb"),
        ("2024-11-01", "all"), ("2024-11-01", "smb"),
        ("2025-01-01", "all"), ("2025-01-01", "enterprise"),
        ("2025-02-01", "all"), ("2025-02-01", "smb"), ("2025-02-01", "mid_market"),
    }
