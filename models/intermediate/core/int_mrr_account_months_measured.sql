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

items_in_force_at_month_end as (

    -- measured on the last day of the month: valid_from <= month_end <
    -- coalesce(valid_to, infinity), so a phase that starts and ends inside
    -- one month never counts (metrics.md, MRR)
    select
        items.account_id,
        calendar_months.month_start,
        calendar_months.month_end,
        items.mrr_usd_x1200
    from items
    inner join calendar_months
        on {{ is_in_force_on('calendar_months.month_end', 'items') }}

),

summed as (

    select
        account_id,
        month_start,
        month_end,
        sum(mrr_usd_x1200) as mrr_usd_x1200
    from items_in_force_at_month_end
    group by account_id, month_start, month_end

),

rounded as (

    -- exact sum first, one division and one rounding at the end
    select
        account_id,
        month_start,
        month_end,
        cast({{ divide_and_round_to_cents('mrr_usd_x1200', 1200) }} as decimal(18, 2)) as mrr_usd
    from summed

),

final as (

    select
        account_id,
        month_start,
        month_end,
        mrr_usd
    from rounded
    -- trials and zero-priced phases contribute 0: an account-month exists
    -- here only when MRR is positive
    where mrr_usd > 0

)

select * from final
