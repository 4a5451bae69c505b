with

source as (

    select * from {{ source('stripe', 'invoice') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as invoice_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(subscription_id as {{ dbt.type_string() }}) as subscription_id,

        -- strings
        lower(trim(status)) as status,
        upper(trim(currency)) as currency,

        -- numbers: minor units -> major units
        {{ stripe_minor_to_major('amount_due', 'currency') }} as amount_due,

        -- timestamps
        cast(created as {{ dbt.type_timestamp() }}) as issued_at,
        cast(due_date as {{ dbt.type_timestamp() }}) as due_at,
        cast(status_transitions_paid_at as {{ dbt.type_timestamp() }}) as paid_at

    from source
    where not coalesce(_fivetran_deleted, false)

)

select * from renamed
