"""Every invariant holds on a generated company of 10,000 accounts.

The session fixture `generated_company` runs one full `dbt build` (models,
seeds, every data test and unit test); here we assert that nothing failed
and re-check the headline invariants directly from the marts, so a test
that silently stopped running would still be noticed.
"""

from __future__ import annotations

import pytest
from conftest import BuiltWarehouse

pytestmark = pytest.mark.slow


def test_full_build_passes_every_test(generated_company: BuiltWarehouse) -> None:
    outcome = generated_company.outcome
    assert outcome.success, outcome.failed()
    assert not outcome.failed()
    invariant_tests = {
        "fct_mrr_movements__bridge_balances",
        "mart_revenue_retention__bridge_balances",
        "mart_revenue_retention__grr_not_above_nrr",
        "assert_account_ending_mrr_equals_next_starting_mrr",
        "mart_revenue_retention__segments_add_up_to_all",
        "mart_churn__segments_add_up_to_all",
        "mart_renewals__segments_add_up_to_all",
    }
    assert invariant_tests <= {name for name, status in outcome.statuses.items() if status == "pass"}


def test_bridge_holds_to_the_cent_in_every_month(generated_company: BuiltWarehouse) -> None:
    broken = generated_company.query(
        """
        select count(*) from marts.mart_revenue_retention
        where starting_mrr + new_mrr + reactivation_mrr + expansion_mrr
              - contraction_mrr - churned_mrr != ending_mrr
        """
    )
    assert broken == [(0,)]


def test_retention_rates_in_range_and_ordered(generated_company: BuiltWarehouse) -> None:
    (bad_rows, t12m_rows) = generated_company.query(
        """
        select
            count(*) filter (where grr_t12m < 0 or grr_t12m > 1 or grr_t12m > nrr_t12m
                             or grr_monthly < 0 or grr_monthly > 1 or grr_monthly > nrr_monthly),
            count(nrr_t12m)
        from marts.mart_revenue_retention
        """
    )[0]
    assert bad_rows == 0
    # 36 generated months -> T12M exists from month 13 on, for every segment
    assert t12m_rows >= 4 * 20


def test_generated_company_looks_like_a_saas_business(generated_company: BuiltWarehouse) -> None:
    segment_nrr = dict(
        generated_company.query(
            """
            select segment, nrr_t12m from marts.mart_revenue_retention
            where month_start = (select max(month_start) from marts.mart_revenue_retention)
            """
        )
    )
    # enterprise expands more and churns less than smb (generator config)
    assert segment_nrr["enterprise"] > segment_nrr["smb"]
    assert 0.6 < segment_nrr["all"] < 1.6
