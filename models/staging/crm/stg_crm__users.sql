with

source as (

    select * from {{ csra_source('crm', 'users') }}

),

renamed as (

    select
        -- ids
        cast(user_id as {{ dbt.type_string() }}) as user_id,

        -- strings
        trim(full_name) as full_name,
        role as user_role,
        trim(team) as team,

        -- booleans
        cast(is_active as {{ dbt.type_boolean() }}) as is_active

    from source

)

select * from renamed
