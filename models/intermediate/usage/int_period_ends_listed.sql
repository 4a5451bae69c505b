{#-
    The period ends at which usage is measured: the month ends of the
    reporting window (the monthly usage mart) and the ends of complete
    Monday-Sunday weeks (health and pipeline), each with its trailing
    30-day window (metrics.md, Usage: the 30 calendar days ending on the
    period end, both included).
-#}

with

reporting_months as (

    select
        month_start,
        month_end
    from {{ ref('int_reporting_months_listed') }}

),

calendar_weeks as (

    select
        week_start,
        week_end
    from {{ ref('int_calendar_weeks_listed') }}

),

health_weeks as (

    select week_start
    from {{ ref('int_health_weeks_listed') }}

),

entitlements as (

    select valid_from
    from {{ ref('int_account_entitlements_phased') }}

),

first_health_week as (

    select min(week_start) as week_start
    from health_weeks

),

first_entitlement as (

    select min(valid_from) as valid_from
    from entitlements

),

first_week as (

    -- the health weeks' first, or the week of the first entitlement when
    -- that is earlier: the pipeline reads the seats licensed at the end of
    -- every complete week with activity
    select
        cast(
            {{ dbt.date_trunc('week', 'coalesce(first_entitlement.valid_from, first_health_week.week_start)') }}
            as date
        ) as entitlement_week_start,
        first_health_week.week_start as health_week_start
    from first_health_week
    cross join first_entitlement

),

weeks as (

    select
        calendar_weeks.week_start,
        calendar_weeks.week_end
    from calendar_weeks
    inner join first_week
        on
            calendar_weeks.week_start >= first_week.entitlement_week_start
            or calendar_weeks.week_start >= first_week.health_week_start

),

periods as (

    select
        'month' as cadence,
        month_start as period_start,
        month_end as period_end,
        -- month_end is the month's last day, so its day number is the length
        cast(extract(day from month_end) as {{ dbt.type_int() }}) as days_in_period
    from reporting_months
    union all
    select
        'week' as cadence,
        week_start as period_start,
        week_end as period_end,
        7 as days_in_period
    from weeks

),

final as (

    select
        cadence,
        period_start,
        period_end,
        days_in_period,
        -- trailing 30 days: the 30 calendar days ending on period_end
        cast({{ dbt.dateadd('day', -29, 'period_end') }} as date) as trailing_30d_start
    from periods

)

select * from final
