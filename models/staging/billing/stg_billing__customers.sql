with

source as (

    select * from {{ csra_source('billing', 'customers') }}

),

renamed as (

    select
        -- ids
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,

        -- strings
        trim(customer_name) as customer_name,
        upper(trim(currency)) as currency,

        -- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at

    from source

)

select * from renamed
