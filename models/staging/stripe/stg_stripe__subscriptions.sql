with

source as (

    select * from {{ source('stripe', 'subscription_history') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as subscription_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,

        -- strings
        lower(trim(status)) as status,
        nullif(
            trim({{ json_text('metadata', var('stripe_subscription_cancel_reason_metadata_key', 'cancel_reason')) }}),
            ''
        )
            as cancel_reason,

        -- booleans
        coalesce(cancel_at_period_end, false) as is_cancel_at_period_end,

        -- timestamps
        cast(created as {{ dbt.type_timestamp() }}) as created_at,
        cast(start_date as {{ dbt.type_timestamp() }}) as started_at,
        cast(trial_start as {{ dbt.type_timestamp() }}) as trial_started_at,
        cast(trial_end as {{ dbt.type_timestamp() }}) as trial_ended_at,
        cast(current_period_start as {{ dbt.type_timestamp() }}) as current_period_started_at,
        cast(current_period_end as {{ dbt.type_timestamp() }}) as current_period_ended_at,
        cast(cancel_at as {{ dbt.type_timestamp() }}) as cancel_at,
        cast(canceled_at as {{ dbt.type_timestamp() }}) as canceled_at,
        cast(ended_at as {{ dbt.type_timestamp() }}) as ended_at

    from source
    -- the current version of each subscription only: earlier versions are
    -- history Fivetran keeps, superseded by the active row
    where _fivetran_active

)

select * from renamed
