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

opportunities_existing as (

    -- an opportunity created after as_of_date does not exist yet
    -- (metrics.md, Precision and grids); timestamps are dated by UTC date
    select
        *,
        cast(created_at as date) as created_date
    from opportunities
    where cast(created_at as date) <= {{ as_of_date() }}

),

opportunities_rated as (

    -- CRM money converts at the rate on created_at (the latest rate_date on
    -- or before it); USD at 1 whether or not fx_rates lists it (usd_rate); a
    -- missing rate leaves the amount null, which a test turns into a failure
    {{ with_usd_rate_on('opportunities_existing', 'opportunities_existing.created_date') }}

),

final as (

    -- each row is rounded to the cent (half away from zero) before any sum
    -- (metrics.md, Precision and grids)
    select
        *,
        {{ to_usd_cents('amount_arr', 'currency', 'usd_per_unit') }} as amount_arr_usd
    from opportunities_rated

)

select * from final
