with

subscription_items as (

    select valid_from
    from {{ ref('stg_billing__subscription_items') }}

),

first_month as (

    select cast({{ dbt.date_trunc('month', 'min(valid_from)') }} as date) as month_start
    from subscription_items

),

month_offsets as (

    -- 1,200 months (100 years) is more history than any billing system holds
    {{ dbt.generate_series(1200) }}

),

months as (

    select
        cast({{ dbt.dateadd('month', 'month_offsets.generated_number - 1', 'first_month.month_start') }} as date)
            as month_start
    from first_month
    cross join month_offsets

),

final as (

    select
        month_start,
        cast({{ dbt.last_day('month_start', 'month') }} as date) as month_end
    from months
    -- complete months only: the last day is on or before as_of_date
    where month_start <= {{ last_complete_month_start() }}

)

select * from final
