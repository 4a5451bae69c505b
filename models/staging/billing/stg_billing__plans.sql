with

source as (

    select * from {{ csra_source('billing', 'plans') }}

),

renamed as (

    select
        -- ids
        cast(plan_id as {{ dbt.type_string() }}) as plan_id,

        -- strings
        trim(plan_name) as plan_name,
        tier,
        pricing_model,

        -- numbers
        cast(billing_period_months as {{ dbt.type_int() }}) as billing_period_months,

        -- booleans
        cast(is_addon as {{ dbt.type_boolean() }}) as is_addon

    from source

)

select * from renamed
