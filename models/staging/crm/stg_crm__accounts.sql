with

source as (

    select * from {{ csra_source('crm', 'accounts') }}

),

renamed as (

    select
        -- ids
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(csm_user_id as {{ dbt.type_string() }}) as csm_user_id,
        cast(ae_user_id as {{ dbt.type_string() }}) as ae_user_id,

        -- strings
        trim(account_name) as account_name,
        segment,
        trim(industry) as industry,
        region,

        -- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at

    from source

)

select * from renamed
