with

calendar_months as (

    select month_start
    from {{ ref('int_calendar_months_listed') }}

),

subscription_items as (

    select valid_from
    from {{ ref('int_subscription_items_priced') }}

),

first_days as (

    -- the calendar months open at the first month with MRR, but seats and
    -- features are licensed from the first subscription item on (a trial
    -- or a $0 phase can come first): the weeks start at the earlier
    select min(month_start) as first_day
    from calendar_months

    union all

    select min(valid_from) as first_day
    from subscription_items

),

first_week as (

    select cast({{ dbt.date_trunc('week', 'min(first_day)') }} as date) as week_start
    from first_days

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
