with

source as (

    select * from {{ csra_source('crm', 'onboarding_milestones') }}

),

renamed as (

    select
        -- ids
        cast(account_id as {{ dbt.type_string() }}) as account_id,

        -- strings
        milestone_key,

        -- dates
        cast(target_date as date) as target_date,

        -- timestamps
        cast(completed_at as {{ dbt.type_timestamp() }}) as completed_at

    from source

)

select * from renamed
