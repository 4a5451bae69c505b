with

calendar_weeks as (

    select
        week_start,
        week_end
    from {{ ref('int_calendar_weeks_listed') }}

),

reporting_months as (

    select month_start
    from {{ ref('int_reporting_months_listed') }}

),

first_week as (

    -- the week holding the first day of the first reporting month
    select cast({{ dbt.date_trunc('week', 'min(month_start)') }} as date) as week_start
    from reporting_months

),

final as (

    select
        calendar_weeks.week_start,
        calendar_weeks.week_end
    from calendar_weeks
    inner join first_week
        on calendar_weeks.week_start >= first_week.week_start

)

select * from final
