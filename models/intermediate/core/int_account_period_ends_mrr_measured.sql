with

items as (

    select
        account_id,
        valid_from,
        valid_to,
        mrr_usd_x1200
    from {{ ref('int_subscription_items_priced') }}

),

calendar_months as (

    select
        month_start,
        month_end
    from {{ ref('int_calendar_months_listed') }}

),

calendar_weeks as (

    select
        week_start,
        week_end
    from {{ ref('int_calendar_weeks_listed') }}

),

period_ends as (

    select
        'month' as period_type,
        month_start as period_start,
        month_end as period_end
    from calendar_months

    union all

    select
        'week' as period_type,
        week_start as period_start,
        week_end as period_end
    from calendar_weeks

),

items_in_force_at_period_end as (

    -- measured on the period's last day: valid_from <= period_end <
    -- coalesce(valid_to, infinity), so a phase that starts and ends inside
    -- one period never counts (metrics.md, MRR)
    select
        items.account_id,
        period_ends.period_type,
        period_ends.period_start,
        period_ends.period_end,
        items.mrr_usd_x1200
    from items
    inner join period_ends
        on {{ is_in_force_on('period_ends.period_end', 'items') }}

),

summed as (

    select
        account_id,
        period_type,
        period_start,
        period_end,
        sum(mrr_usd_x1200) as mrr_usd_x1200
    from items_in_force_at_period_end
    group by account_id, period_type, period_start, period_end

),

rounded as (

    -- exact sum first, one division and one rounding at the end
    select
        account_id,
        period_type,
        period_start,
        period_end,
        cast({{ divide_and_round_to_cents('mrr_usd_x1200', 1200) }} as decimal(18, 2)) as mrr_usd
    from summed

),

final as (

    select
        account_id,
        period_type,
        period_start,
        period_end,
        mrr_usd
    from rounded
    -- trials and zero-priced phases contribute 0: an account-period exists
    -- here only when MRR is positive
    where mrr_usd > 0

)

select * from final
