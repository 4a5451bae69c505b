with

source as (

    select * from {{ source('stripe', 'subscription_item') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as subscription_item_id,
        cast(subscription_id as {{ dbt.type_string() }}) as subscription_id,
        cast(price_id as {{ dbt.type_string() }}) as price_id,

        -- numbers
        cast(quantity as {{ dbt.type_int() }}) as quantity,

        -- timestamps
        cast(created as {{ dbt.type_timestamp() }}) as created_at

    from source
    -- a deleted item is no longer on the subscription: its history stays in
    -- the invoice lines, it just has no current state
    where not coalesce(_fivetran_deleted, false)

)

select * from renamed
