with

source as (

    select * from {{ source('stripe', 'coupon') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as coupon_id,

        -- strings
        lower(trim(duration)) as duration,
        upper(trim(currency)) as currency,

        -- numbers
        cast(percent_off as decimal(5, 2)) as percent_off,
        {{ stripe_minor_to_major('amount_off', 'currency') }} as amount_off,
        cast(duration_in_months as {{ dbt.type_int() }}) as duration_in_months

    from source
    where not coalesce(_fivetran_deleted, false)

)

select * from renamed
