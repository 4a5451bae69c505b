with

account_period_ends_mrr as (

    select
        account_id,
        period_type,
        period_start,
        period_end,
        mrr_usd
    from {{ ref('int_account_period_ends_mrr_measured') }}

),

final as (

    -- MRR at each calendar month end; the rule lives in
    -- int_account_period_ends_mrr_measured, which measures week ends the
    -- same way
    select
        account_id,
        period_start as month_start,
        period_end as month_end,
        mrr_usd
    from account_period_ends_mrr
    where period_type = 'month'

)

select * from final
