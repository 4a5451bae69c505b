-- The company row of mart_revenue_retention is exactly the sum of
-- fct_mrr_movements, and each account's ending MRR is its month-end MRR:
-- no account-month is lost or counted twice between the layers.
with

movements_by_month as (

    select
        month_start,
        sum(starting_mrr) as starting_mrr,
        sum(ending_mrr) as ending_mrr,
        sum(expansion_mrr) as expansion_mrr,
        sum(churned_mrr) as churned_mrr
    from {{ ref('fct_mrr_movements') }}
    group by month_start

),

company as (

    select
        month_start,
        starting_mrr,
        ending_mrr,
        expansion_mrr,
        churned_mrr
    from {{ ref('mart_revenue_retention') }}
    where segment = 'all'

),

mart_mismatches as (

    select
        company.month_start,
        'mart_revenue_retention month_start=' || cast(company.month_start as {{ dbt.type_string() }})
        || ' segment=all does not equal the sum of fct_mrr_movements' as failure_message
    from company
    left join movements_by_month
        on company.month_start = movements_by_month.month_start
    where
        company.starting_mrr != coalesce(movements_by_month.starting_mrr, 0)
        or company.ending_mrr != coalesce(movements_by_month.ending_mrr, 0)
        or company.expansion_mrr != coalesce(movements_by_month.expansion_mrr, 0)
        or company.churned_mrr != coalesce(movements_by_month.churned_mrr, 0)

),

account_mismatches as (

    select
        movements.month_start,
        'fct_mrr_movements account_id=' || movements.account_id || ' month_start='
        || cast(movements.month_start as {{ dbt.type_string() }})
        || ': ending_mrr differs from int_mrr_account_months_measured' as failure_message
    from {{ ref('fct_mrr_movements') }} as movements
    left join {{ ref('int_mrr_account_months_measured') }} as mrr
        on
            movements.account_id = mrr.account_id
            and movements.month_start = mrr.month_start
    where movements.ending_mrr != coalesce(mrr.mrr_usd, 0)

)

select * from mart_mismatches
union all
select * from account_mismatches
