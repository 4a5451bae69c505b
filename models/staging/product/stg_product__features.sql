with

source as (

    select * from {{ csra_source('product', 'features') }}

),

renamed as (

    select
        -- ids
        cast(feature_key as {{ dbt.type_string() }}) as feature_key,

        -- strings
        trim(feature_name) as feature_name,
        min_tier,

        -- booleans
        cast(is_core_workflow as {{ dbt.type_boolean() }}) as is_core_workflow

    from source

)

select * from renamed
