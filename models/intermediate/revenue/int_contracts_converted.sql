with

contracts as (

    select
        contract_id,
        account_id,
        contract_type,
        currency,
        arr_amount,
        start_date,
        end_date,
        signed_at
    from {{ ref('stg_crm__contracts') }}

),

signed_by_as_of_date as (

    -- a contract signed after as_of_date has not happened yet; one with no
    -- signed_at is not known to be signed (metrics.md, Precision and grids)
    select *
    from contracts
    where cast(signed_at as date) <= {{ as_of_date() }}

),

with_rate as (

    -- the rate in force on start_date; USD at 1 (usd_rate)
    {{ with_usd_rate_on('signed_by_as_of_date', 'signed_by_as_of_date.start_date') }}

),

final as (

    -- converted at the rate on start_date and rounded to the cent per row,
    -- before any sum (metrics.md, Precision and grids)
    select
        *,
        {{ to_usd_cents('arr_amount', 'currency', 'usd_per_unit') }} as arr_usd
    from with_rate

)

select * from final
