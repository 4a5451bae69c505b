with

opportunities as (

    select
        opportunity_id,
        account_id,
        opportunity_type,
        stage,
        origin,
        origin_signal,
        currency,
        amount_arr,
        created_at,
        qualified_at,
        closed_at
    from {{ ref('stg_crm__opportunities') }}

),

fx_rates as (

    select
        currency,
        rate_date,
        usd_per_unit
    from {{ ref('stg_billing__fx_rates') }}

),

opportunities_existing as (

    -- an opportunity created after as_of_date does not exist yet
    -- (metrics.md, Precision and grids); timestamps are dated by UTC date
    select
        *,
        cast(created_at as date) as created_date
    from opportunities
    where cast(created_at as date) <= {{ as_of_date() }}

),

fx_rate_intervals as (

    -- each rate is in force from its rate_date until the next listed date,
    -- so the rate on a date is the latest rate_date on or before it
    select
        currency,
        usd_per_unit,
        rate_date as valid_from,
        lead(rate_date) over (
            partition by currency
            order by rate_date
        ) as valid_to
    from fx_rates

),

opportunities_rated as (

    -- CRM money converts at the rate on created_at; USD at 1 whether or not
    -- fx_rates lists it; a missing rate leaves the amount null (a test fails)
    select
        opportunities_existing.*,
        case
            when opportunities_existing.currency = 'USD'
                then cast(1 as decimal(18, 8))
            else fx_rate_intervals.usd_per_unit
        end as usd_per_unit
    from opportunities_existing
    left join fx_rate_intervals
        on
            opportunities_existing.currency = fx_rate_intervals.currency
            and opportunities_existing.currency != 'USD'
            and opportunities_existing.created_date >= fx_rate_intervals.valid_from
            and (
                fx_rate_intervals.valid_to is null
                or opportunities_existing.created_date < fx_rate_intervals.valid_to
            )

),

final as (

    select
        opportunity_id,
        account_id,
        opportunity_type,
        stage,
        origin,
        origin_signal,
        currency,
        amount_arr,
        usd_per_unit,
        -- each row is rounded to the cent (half away from zero) before any sum
        cast(
            round(cast(amount_arr as decimal(28, 2)) * usd_per_unit, 2)
            as decimal(18, 2)
        ) as amount_arr_usd,
        created_at,
        created_date,
        qualified_at,
        closed_at
    from opportunities_rated

)

select * from final
