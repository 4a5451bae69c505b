{#-
    Incremental on loaded_at, same scheme as int_product_user_days_rolled_up: keys
    (account, activity date) touched by events loaded after the watermark
    are recomputed from all their events and replace the key's rows.
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
        feature_key,
        occurred_at,
        loaded_at
    from {{ ref('stg_product__events') }}

),

events_dated as (

    select
        account_id,
        user_id,
        event_name,
        feature_key,
        occurred_at,
        loaded_at,
        -- dated by the UTC date of occurred_at; as_of_date applies in marts
        cast(occurred_at as date) as activity_date
    from events
    -- only events on a feature belong here (session_start and other
    -- feature-less events are counted in int_product_user_days_rolled_up)
    where
        account_id is not null
        and feature_key is not null
        and occurred_at is not null

),

events_in_scope as (

    -- full refresh: every event; incremental run: every event of the
    -- (account, date) keys touched since the watermark, old ones included
    select *
    from events_dated
    where {{ in_reprocessed_event_keys('events_dated') }}

),

feature_days as (

    select
        account_id,
        feature_key,
        activity_date,
        count(*) as event_count,
        count(distinct user_id) as active_users,
        count(case when event_name = 'workflow_completed' then 1 end) as workflow_completed_count,
        min(case when event_name = 'workflow_completed' then occurred_at end) as first_workflow_completed_at,
        max(loaded_at) as max_loaded_at
    from events_in_scope
    group by
        account_id,
        feature_key,
        activity_date

)

select * from feature_days
