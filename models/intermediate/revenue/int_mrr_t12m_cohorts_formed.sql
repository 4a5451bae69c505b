with

mrr_account_months as (

    select
        account_id,
        month_start,
        mrr_usd
    from {{ ref('int_mrr_account_months_measured') }}

),

reporting_months as (

    select month_start
    from {{ ref('int_reporting_months_listed') }}

),

cohort_base as (

    -- the T12M cohort of month M: accounts with MRR(M-12) > 0
    -- (metrics.md, Revenue retention)
    select
        reporting_months.month_start,
        mrr_account_months.account_id,
        mrr_account_months.mrr_usd as base_mrr
    from reporting_months
    inner join mrr_account_months
        on
            cast({{ dbt.dateadd('month', -12, 'reporting_months.month_start') }} as date)
            = mrr_account_months.month_start

),

final as (

    -- accounts that churned and came back inside the window count with
    -- MRR(M); retained MRR is MRR(M) capped at the base: expansion does not
    -- count (metrics.md, Revenue retention: grr_t12m)
    select
        cohort_base.month_start,
        cohort_base.account_id,
        cohort_base.base_mrr,
        cast(coalesce(mrr_account_months.mrr_usd, 0) as decimal(18, 2)) as current_mrr,
        cast(least(coalesce(mrr_account_months.mrr_usd, 0), cohort_base.base_mrr) as decimal(18, 2)) as retained_mrr
    from cohort_base
    left join mrr_account_months
        on
            cohort_base.account_id = mrr_account_months.account_id
            and cohort_base.month_start = mrr_account_months.month_start

)

select * from final
