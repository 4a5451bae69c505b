with

reporting_months as (

    select month_start
    from {{ ref('int_reporting_months') }}

),

first_reporting_month as (

    select min(month_start) as month_start
    from reporting_months

),

week_offsets as (

    -- 5,300 weeks (about 100 years) is more history than any billing system holds
    {{ dbt.generate_series(5300) }}

),

weeks as (

    -- Monday-start weeks from the week holding the first reporting month's
    -- first day
    select
        cast(
            {{ dbt.dateadd(
                'day',
                '7 * (week_offsets.generated_number - 1)',
                dbt.date_trunc('week', 'first_reporting_month.month_start')
            ) }} as date
        ) as week_start
    from first_reporting_month
    cross join week_offsets

),

final as (

    select
        week_start,
        cast({{ dbt.dateadd('day', 6, 'week_start') }} as date) as week_end
    from weeks
    -- complete weeks only: the Sunday is on or before as_of_date (a fact
    -- dated on as_of_date has happened)
    where {{ dbt.dateadd('day', 6, 'week_start') }} <= {{ as_of_date() }}

)

select * from final
