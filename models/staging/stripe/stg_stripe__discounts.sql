with

source as (

    select * from {{ source('stripe', 'discount') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as discount_id,
        cast(coupon_id as {{ dbt.type_string() }}) as coupon_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(subscription_id as {{ dbt.type_string() }}) as subscription_id,
        -- what the discount is attached to: a customer, a subscription or one
        -- subscription item (type_id is then the item id)
        lower(trim(type)) as discount_type,
        cast(type_id as {{ dbt.type_string() }}) as discount_type_id,

        -- timestamps (`end` is a reserved word)
        cast(start as {{ dbt.type_timestamp() }}) as started_at,
        cast({{ adapter.quote('end') }} as {{ dbt.type_timestamp() }}) as ended_at

    from source
    where not coalesce(_fivetran_deleted, false)

)

select * from renamed
