with

calendar_months as (

    select
        month_start,
        month_end
    from {{ ref('int_calendar_months_listed') }}

),

accounts_mrr_months as (

    select first_mrr_month
    from {{ ref('int_accounts_mrr_months_bounded') }}

),

first_month_with_mrr as (

    select min(first_mrr_month) as month_start
    from accounts_mrr_months

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
