with

first_values as (

    select cohort_month
    from {{ ref('int_account_first_value') }}

),

month_offsets as (

    -- 0 .. 1199: 100 years of signing history, as int_calendar_months
    select generated_number - 1 as month_offset
    from ({{ dbt.generate_series(1200) }}) as month_numbers

),

cohort_range as (

    -- from the first signing month to the last complete month (the last
    -- month whose last day is on or before as_of_date)
    select
        min(cohort_month) as first_cohort_month,
        {{ last_complete_month_start() }} as last_complete_month
    from first_values

),

cohort_months as (

    select
        cast(
            {{ dbt.dateadd('month', 'month_offsets.month_offset', 'cohort_range.first_cohort_month') }} as date
        ) as cohort_month,
        cohort_range.last_complete_month
    from cohort_range
    cross join month_offsets

),

final as (

    select
        cohort_month,
        cast({{ dbt.last_day('cohort_month', 'month') }} as date) as cohort_month_end
    from cohort_months
    where cohort_month <= last_complete_month

)

select * from final
