with

source as (

    select * from {{ csra_source('billing', 'invoices') }}

),

renamed as (

    select
        -- ids
        cast(invoice_id as {{ dbt.type_string() }}) as invoice_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,

        -- strings
        status,
        upper(trim(currency)) as currency,

        -- numbers
        cast(amount_due as decimal(18, 2)) as amount_due,

        -- timestamps
        cast(issued_at as {{ dbt.type_timestamp() }}) as issued_at,
        cast(due_at as {{ dbt.type_timestamp() }}) as due_at,
        cast(paid_at as {{ dbt.type_timestamp() }}) as paid_at

    from source

)

select * from renamed
