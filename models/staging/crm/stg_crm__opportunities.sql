with

source as (

    select * from {{ csra_source('crm', 'opportunities') }}

),

renamed as (

    select
        -- ids
        cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(created_by_user_id as {{ dbt.type_string() }}) as created_by_user_id,
        cast(owner_user_id as {{ dbt.type_string() }}) as owner_user_id,

        -- strings
        opportunity_type,
        stage,
        origin,
        origin_signal,
        upper(trim(currency)) as currency,

        -- numbers
        cast(amount_arr as decimal(18, 2)) as amount_arr,

        -- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(qualified_at as {{ dbt.type_timestamp() }}) as qualified_at,
        cast(closed_at as {{ dbt.type_timestamp() }}) as closed_at

    from source

)

select * from renamed
