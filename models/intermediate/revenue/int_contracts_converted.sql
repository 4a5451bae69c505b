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

fx_rates as (

    select
        currency,
        usd_per_unit,
        valid_from,
        valid_to
    from {{ ref('int_fx_rates_ranged') }}

),

signed_by_as_of_date as (

    -- a contract signed after as_of_date has not happened yet; one with no
    -- signed_at is not known to be signed (metrics.md, Precision and grids)
    select *
    from contracts
    where cast(signed_at as date) <= {{ as_of_date() }}

),

with_rate as (

    select
        signed_by_as_of_date.*,
        fx_rates.usd_per_unit
    from signed_by_as_of_date
    left join fx_rates
        on
            signed_by_as_of_date.currency = fx_rates.currency
            and {{ is_in_force_on('signed_by_as_of_date.start_date', 'fx_rates') }}

),

final as (

    select
        contract_id,
        account_id,
        contract_type,
        currency,
        arr_amount,
        start_date,
        end_date,
        signed_at,
        -- converted at the rate on start_date and rounded to the cent per
        -- row, before any sum (metrics.md, Precision and grids)
        cast(
            {{ divide_and_round_to_cents(to_usd('arr_amount', 'currency', 'usd_per_unit'), 1) }}
            as decimal(18, 2)
        ) as arr_usd
    from with_rate

)

select * from final
