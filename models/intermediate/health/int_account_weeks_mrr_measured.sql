with

subscription_items as (

    select
        account_id,
        valid_from,
        valid_to,
        mrr_usd_x1200
    from {{ ref('int_subscription_items_priced') }}

),

health_weeks as (

    select
        week_start,
        week_end
    from {{ ref('int_health_weeks_listed') }}

),

accounts as (

    select
        account_id,
        segment,
        csm_user_id
    from {{ ref('stg_crm__accounts') }}

),

items_in_force_at_week_end as (

    -- MRR is measured on the week's last day exactly as on a month's last
    -- day: valid_from <= week_end < coalesce(valid_to, infinity)
    -- (metrics.md, MRR)
    select
        subscription_items.account_id,
        health_weeks.week_start,
        health_weeks.week_end,
        subscription_items.mrr_usd_x1200
    from subscription_items
    inner join health_weeks
        on {{ is_in_force_on('health_weeks.week_end', 'subscription_items') }}

),

summed as (

    select
        account_id,
        week_start,
        week_end,
        sum(mrr_usd_x1200) as mrr_usd_x1200
    from items_in_force_at_week_end
    group by
        account_id,
        week_start,
        week_end

),

rounded as (

    select
        account_id,
        week_start,
        week_end,
        cast({{ divide_and_round_to_cents('mrr_usd_x1200', 1200) }} as decimal(18, 2)) as mrr_usd
    from summed

),

final as (

    -- an account is scored in a week when it pays at the week's end
    -- (MRR > 0 on the Sunday); trials and paused accounts are not scored
    select
        rounded.account_id,
        rounded.week_start,
        rounded.week_end,
        accounts.segment,
        accounts.csm_user_id,
        rounded.mrr_usd
    from rounded
    left join accounts
        on rounded.account_id = accounts.account_id
    where rounded.mrr_usd > 0

)

select * from final
