with

source as (

    select * from {{ csra_source('billing', 'fx_rates') }}

),

renamed as (

    select
        -- strings
        upper(trim(currency)) as currency,

        -- numbers
        cast(usd_per_unit as decimal(18, 8)) as usd_per_unit,

        -- dates
        cast(rate_date as date) as rate_date

    from source

)

select * from renamed
