with

fx_rates as (

    select
        currency,
        rate_date,
        usd_per_unit
    from {{ ref('stg_billing__fx_rates') }}

),

rates_with_next_date as (

    select
        currency,
        rate_date,
        usd_per_unit,
        lead(rate_date) over (partition by currency order by rate_date) as next_rate_date
    from fx_rates

),

final as (

    select
        currency,
        usd_per_unit,
        rate_date as valid_from,
        -- the rate stays in force until the next published rate (exclusive);
        -- the latest rate has no end (metrics.md: latest rate_date on or before)
        next_rate_date as valid_to
    from rates_with_next_date

)

select * from final
