with

source as (

    select * from {{ csra_source('billing', 'subscriptions') }}

),

renamed as (

    select
        -- ids
        cast(subscription_id as {{ dbt.type_string() }}) as subscription_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,

        -- strings
        status,
        nullif(trim(cancel_reason), '') as cancel_reason,

        -- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(canceled_at as {{ dbt.type_timestamp() }}) as canceled_at

    from source

)

select * from renamed
