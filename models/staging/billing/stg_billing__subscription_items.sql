with

source as (

    select * from {{ csra_source('billing', 'subscription_items') }}

),

renamed as (

    select
        -- ids
        cast(item_id as {{ dbt.type_string() }}) as subscription_item_id,
        cast(subscription_id as {{ dbt.type_string() }}) as subscription_id,
        cast(plan_id as {{ dbt.type_string() }}) as plan_id,

        -- strings
        upper(trim(currency)) as currency,

        -- numbers
        cast(quantity as {{ dbt.type_int() }}) as quantity,
        cast(unit_amount as decimal(18, 2)) as unit_amount,
        cast(discount_pct as decimal(5, 2)) as discount_pct,

        -- dates (half-open: valid_to is the first day not covered)
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to

    from source

)

select * from renamed
