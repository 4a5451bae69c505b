{#-
    Incremental on loaded_at: an incremental run recomputes every
    (account, activity date) key that received an event loaded after the
    watermark (macros/incremental/in_reprocessed_event_keys.sql), from ALL the events of
    that key, and replaces the key's rows (delete+insert on account_id,
    activity_date). So late deliveries and redeliveries give the same rows
    as a full refresh.
    Engine-specific settings (macros/incremental/event_rollup_incremental_config.sql):
    delete+insert on DuckDB and PostgreSQL; on Spark (Parquet, no MERGE or
    DELETE) insert_overwrite of activity_date partitions, with whole dates
    reprocessed (spark__in_reprocessed_event_keys).
-#}
{{ config(**event_rollup_incremental_config()) }}

with

events as (

    select
        account_id,
        user_id,
        event_name,
        occurred_at,
        loaded_at
    from {{ ref('stg_product__events') }}

),

events_dated as (

    select
        account_id,
        user_id,
        event_name,
        occurred_at,
        loaded_at,
        -- events are dated by the UTC date of occurred_at (metrics.md,
        -- Precision and grids); as_of_date is applied in the marts, so a
        -- change of as_of_date never needs a rebuild of this rollup
        cast(occurred_at as date) as activity_date
    from events
    -- events without a user_id (anonymous, server-side) are kept: they are
    -- the account's events (raw_sources.md) and roll up into one row per
    -- account and day with a null user_id, which makes nobody active
    where
        account_id is not null
        and occurred_at is not null

),

events_in_scope as (

    -- full refresh: every event; incremental run: every event of the
    -- (account, date) keys touched since the watermark, old ones included
    select *
    from events_dated
    where {{ in_reprocessed_event_keys('events_dated') }}

),

user_days as (

    select
        account_id,
        user_id,
        activity_date,
        count(*) as event_count,
        count(case when event_name = 'session_start' then 1 end) as session_start_count,
        count(case when event_name = 'feature_used' then 1 end) as feature_used_count,
        count(case when event_name = 'workflow_completed' then 1 end) as workflow_completed_count,
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at,
        max(loaded_at) as max_loaded_at
    from events_in_scope
    group by
        account_id,
        user_id,
        activity_date

)

select * from user_days
