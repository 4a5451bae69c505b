with

source as (

    select * from {{ source('stripe', 'price') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as price_id,
        cast(product_id as {{ dbt.type_string() }}) as product_id,

        -- strings
        nullif(trim(nickname), '') as price_nickname,
        upper(trim(currency)) as currency,
        lower(trim(type)) as price_type,
        lower(trim(recurring_interval)) as recurring_interval,

        -- numbers: Stripe's minor units -> major units (JPY has none)
        {{ stripe_minor_to_major('unit_amount', 'currency') }} as unit_amount,
        cast(recurring_interval_count as {{ dbt.type_int() }}) as recurring_interval_count

    from source
    where not coalesce(_fivetran_deleted, false)

)

select * from renamed
