{#-
    De-duplicated events, incremental on loaded_at (DuckDB, PostgreSQL; a
    table on Spark, macros/incremental/event_rollup_incremental_config.sql): a run reads
    only the raw rows loaded after the watermark (newest loaded_at kept,
    minus events_lookback_days, a future loaded_at ignored:
    macros/incremental/events_reprocess_after.sql), ranks the redelivered ones together
    with the copies already kept for the same event_ids, and replaces those
    event_ids (delete+insert). The first loaded copy over all deliveries is the first
    of the kept copy and the new ones, so the rows equal a full refresh's.
-#}
{{ config(**staged_events_config()) }}

with

source as (

    select * from {{ csra_source('product', 'events') }}
    {% if is_incremental() -%}
        -- the new loads (rows without loaded_at are bad input; kept in view)
        where
            loaded_at > {{ events_reprocess_after(this, 'loaded_at') }}
            or loaded_at is null
    {%- endif %}

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

    from source

),

deliveries as (

    select
        event_id,
        account_id,
        user_id,
        feature_key,
        event_name,
        occurred_at,
        loaded_at
    from renamed
    {% if is_incremental() -%}
        union all
        -- the copy already kept for an event_id delivered again
        select
            kept.event_id,
            kept.account_id,
            kept.user_id,
            kept.feature_key,
            kept.event_name,
            kept.occurred_at,
            kept.loaded_at
        from {{ this }} as kept
        where kept.event_id in (select renamed.event_id from renamed)
    {%- endif %}

),

event_ids_redelivered as (

    -- the event_ids delivered more than once (about 2 % of the rows): only
    -- these are ranked, so no window covers every event (a window over all
    -- 50 M rows could not spill far enough under a 4 GB memory limit; this
    -- aggregate and the join below do)
    select event_id
    from deliveries
    where event_id is not null
    group by event_id
    having count(*) > 1

),

single_deliveries as (

    select
        deliveries.event_id,
        deliveries.account_id,
        deliveries.user_id,
        deliveries.feature_key,
        deliveries.event_name,
        deliveries.occurred_at,
        deliveries.loaded_at
    from deliveries
    left join event_ids_redelivered
        on deliveries.event_id = event_ids_redelivered.event_id
    where
        deliveries.event_id is not null
        and event_ids_redelivered.event_id is null

),

redeliveries_ranked as (

    select
        deliveries.event_id,
        deliveries.account_id,
        deliveries.user_id,
        deliveries.feature_key,
        deliveries.event_name,
        deliveries.occurred_at,
        deliveries.loaded_at,
        -- a repeated event_id is a redelivery of the same event: keep the
        -- first loaded copy (raw_sources.md, events); rows without an
        -- event_id (bad input, failing their test) rank together, one kept
        row_number() over (
            partition by deliveries.event_id
            order by
                deliveries.loaded_at,
                deliveries.occurred_at,
                deliveries.user_id,
                deliveries.event_name,
                deliveries.feature_key
        ) as delivery_rank
    from deliveries
    left join event_ids_redelivered
        on deliveries.event_id = event_ids_redelivered.event_id
    where
        deliveries.event_id is null
        or event_ids_redelivered.event_id is not null

),

first_deliveries as (

    select
        event_id,
        account_id,
        user_id,
        feature_key,
        event_name,
        occurred_at,
        loaded_at
    from single_deliveries
    union all
    select
        event_id,
        account_id,
        user_id,
        feature_key,
        event_name,
        occurred_at,
        loaded_at
    from redeliveries_ranked
    where delivery_rank = 1

)

select * from first_deliveries
