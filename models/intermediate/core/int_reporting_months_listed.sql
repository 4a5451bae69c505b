with

calendar_months as (

    select
        month_start,
        month_end
    from {{ ref('int_calendar_months_listed') }}

),

mrr_account_months as (

    select month_start
    from {{ ref('int_mrr_account_months_measured') }}

),

first_month_with_mrr as (

    select min(month_start) as month_start
    from mrr_account_months

),

final as (

    -- complete months from the first month with any MRR (metrics.md,
    -- Reporting window)
    select
        calendar_months.month_start,
        calendar_months.month_end
    from calendar_months
    inner join first_month_with_mrr
        on calendar_months.month_start >= first_month_with_mrr.month_start

)

select * from final
