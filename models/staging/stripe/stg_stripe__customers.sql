with

source as (

    select * from {{ source('stripe', 'customer') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as customer_id,
        -- the CRM account this customer bills for, when the customer carries it
        -- in metadata (key: var stripe_customer_account_metadata_key)
        cast(
            nullif(trim({{ json_text('metadata', var('stripe_customer_account_metadata_key', 'account_id')) }}), '')
            as {{ dbt.type_string() }}
        ) as metadata_account_id,

        -- strings
        trim(name) as customer_name,
        upper(trim(currency)) as currency,

        -- timestamps
        cast(created as {{ dbt.type_timestamp() }}) as created_at

    from source
    -- deleted customers (Stripe or Fivetran soft delete) are gone from billing
    where
        not coalesce(is_deleted, false)
        and not coalesce(_fivetran_deleted, false)

)

select * from renamed
