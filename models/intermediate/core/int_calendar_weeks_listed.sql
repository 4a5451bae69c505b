with

calendar_months as (

    select month_start
    from {{ ref('int_calendar_months_listed') }}

),

first_week as (

    -- the week holding the first day of the first calendar month
    select cast({{ dbt.date_trunc('week', 'min(month_start)') }} as date) as week_start
    from calendar_months

),

weeks_back_from_last_complete as (

    -- Monday-start weeks counted back from the last complete week, the one
    -- whose Sunday is on or before as_of_date (a fact dated on as_of_date
    -- has happened); 52,200 weeks (1,000 years) bound the history, not the
    -- length
    {{ periods_ending_at('day', dbt.date_trunc('week', dbt.dateadd('day', -6, as_of_date())), 52200, step=7) }}

),

final as (

    select
        weeks_back_from_last_complete.period_start as week_start,
        cast({{ dbt.dateadd('day', 6, 'weeks_back_from_last_complete.period_start') }} as date) as week_end
    from weeks_back_from_last_complete
    inner join first_week
        on weeks_back_from_last_complete.period_start >= first_week.week_start

)

select * from final
