with

first_values as (

    select cohort_month
    from {{ ref('int_account_first_value') }}

),

digits as (

    select 0 as digit
    union all
    select 1 as digit
    union all
    select 2 as digit
    union all
    select 3 as digit
    union all
    select 4 as digit
    union all
    select 5 as digit
    union all
    select 6 as digit
    union all
    select 7 as digit
    union all
    select 8 as digit
    union all
    select 9 as digit

),

month_offsets as (

    -- 0..999: enough months for any signing history
    select hundreds.digit * 100 + tens.digit * 10 + units.digit as month_offset
    from digits as hundreds
    cross join digits as tens
    cross join digits as units

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
