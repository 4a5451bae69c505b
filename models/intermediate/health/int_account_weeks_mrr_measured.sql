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

health_weeks as (

    select week_start
    from {{ ref('int_health_weeks_listed') }}

),

accounts as (

    select
        account_id,
        segment,
        csm_user_id
    from {{ ref('stg_crm__accounts') }}

),

final as (

    -- MRR on the week's Sunday, measured exactly as on a month's last day
    -- (int_account_period_ends_mrr_measured; metrics.md, MRR); an account is
    -- scored in a week when it pays at the week's end (MRR > 0 on the
    -- Sunday): trials and paused accounts are not scored
    select
        account_period_ends_mrr.account_id,
        account_period_ends_mrr.period_start as week_start,
        account_period_ends_mrr.period_end as week_end,
        accounts.segment,
        accounts.csm_user_id,
        account_period_ends_mrr.mrr_usd
    from account_period_ends_mrr
    inner join health_weeks
        on account_period_ends_mrr.period_start = health_weeks.week_start
    left join accounts
        on account_period_ends_mrr.account_id = accounts.account_id
    where account_period_ends_mrr.period_type = 'week'

)

select * from final
