with

source as (

    select * from {{ csra_source('crm', 'cases') }}

),

renamed as (

    select
        -- ids
        cast(case_id as {{ dbt.type_string() }}) as case_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,

        -- strings
        priority,

        -- booleans
        cast(is_escalated as {{ dbt.type_boolean() }}) as is_escalated,

        -- timestamps
        cast(opened_at as {{ dbt.type_timestamp() }}) as opened_at,
        cast(first_response_at as {{ dbt.type_timestamp() }}) as first_response_at,
        cast(resolved_at as {{ dbt.type_timestamp() }}) as resolved_at

    from source

)

select * from renamed
