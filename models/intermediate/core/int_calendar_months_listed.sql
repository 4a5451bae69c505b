with

subscription_items as (

    select
        valid_from,
        valid_to,
        mrr_usd_x1200
    from {{ ref('int_subscription_items_priced') }}

),

first_month_with_mrr as (

    -- the first month on whose last day an item with a positive price is in
    -- force (metrics.md, Reporting window): $0 placeholders and phases that
    -- start and end inside one month never open the calendar
    select min(cast({{ dbt.date_trunc('month', 'valid_from') }} as date)) as month_start
    from subscription_items
    where
        mrr_usd_x1200 > 0
        and cast({{ dbt.last_day('valid_from', 'month') }} as date)
        < coalesce(valid_to, cast('9999-12-31' as date))

),

months_back_from_last_complete as (

    -- 12,000 months (1,000 years) is a bound on the history, not a length
    {{ periods_ending_at('month', last_complete_month_start(), 12000) }}

),

months as (

    select months_back_from_last_complete.period_start as month_start
    from months_back_from_last_complete
    inner join first_month_with_mrr
        on months_back_from_last_complete.period_start >= first_month_with_mrr.month_start

),

final as (

    select
        month_start,
        cast({{ dbt.last_day('month_start', 'month') }} as date) as month_end
    from months

)

select * from final
