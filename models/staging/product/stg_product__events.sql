with

source as (

    select * from {{ csra_source('product', 'events') }}

),

deliveries_ranked as (

    select
        *,
        -- a repeated event_id is a redelivery of the same event: keep the
        -- first loaded copy (raw_sources.md, events)
        row_number() over (
            partition by event_id
            order by loaded_at, occurred_at, user_id, event_name, feature_key
        ) as delivery_rank
    from source

),

renamed as (

    select
        -- ids
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        cast(feature_key as {{ dbt.type_string() }}) as feature_key,

        -- strings
        event_name,

        -- timestamps
        cast(occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(loaded_at as {{ dbt.type_timestamp() }}) as loaded_at

    from deliveries_ranked
    where delivery_rank = 1

)

select * from renamed
