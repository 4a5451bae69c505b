-- The incremental event models must hold exactly what a full refresh would,
-- checked in two steps against the raw events (the only non-incremental
-- reference: stg_product__events is incremental on the same watermark rule
-- as the rollups, so a late load it never read is missing from both and
-- would reconcile with itself):
-- 1. staging takes in every raw delivery: each raw event_id is staged, with
--    its first loaded copy. A raw row whose event_id is not staged, or that
--    was loaded before the copy staged for its event_id, is a load the
--    incremental runs never read (committed after the watermark passed it);
--    the check is a join on event_id, no window over the raw events;
-- 2. per account and activity date, the events rolled up equal the
--    de-duplicated events in staging (raw_sources.md: a repeated event_id is
--    the same event; an event without user_id is still the account's event,
--    on the user rollup's row with a null user_id).
-- A missed late delivery or a double-counted redelivery after an incremental
-- run shows up here, with the key, the counts and the loads not accounted
-- for: for step 1 the raw loads never staged against the newest load staging
-- holds; for step 2 the staged loaded_at range of the key against the newest
-- load the rollup holds for it, and the rollups' watermark against the run's
-- clock (a watermark after the clock means a future loaded_at moved it).
-- `csra nightly --full-refresh` takes such loads in.
with

raw_events as (

    select
        event_id,
        account_id,
        occurred_at,
        loaded_at
    from {{ csra_source('product', 'events') }}

),

events as (

    select
        event_id,
        account_id,
        feature_key,
        occurred_at,
        loaded_at
    from {{ ref('stg_product__events') }}

),

unstaged_deliveries as (

    -- step 1: raw rows staging never read (a null event_id is named by the
    -- staging key tests; a null loaded_at is re-read by every run)
    select
        raw_events.event_id,
        raw_events.account_id,
        cast(raw_events.occurred_at as date) as activity_date,
        raw_events.loaded_at,
        events.loaded_at as staged_loaded_at
    from raw_events
    left join events
        on raw_events.event_id = events.event_id
    where
        raw_events.event_id is not null
        and (events.event_id is null or raw_events.loaded_at < events.loaded_at)

),

staged_through as (

    select max(loaded_at) as newest_staged_load
    from events
    where loaded_at <= {{ events_run_clock() }}

),

unstaged_by_key as (

    select
        account_id,
        activity_date,
        count(*) as deliveries,
        count(case when staged_loaded_at is null then 1 end) as unstaged_event_ids,
        min(event_id) as example_event_id,
        min(loaded_at) as first_loaded_at,
        max(loaded_at) as last_loaded_at
    from unstaged_deliveries
    group by account_id, activity_date

),

user_days as (

    select
        account_id,
        activity_date,
        event_count,
        max_loaded_at
    from {{ ref('int_product_user_days_rolled_up') }}

),

feature_days as (

    select
        account_id,
        activity_date,
        event_count
    from {{ ref('int_product_feature_days_rolled_up') }}

),

events_by_key as (

    select
        account_id,
        cast(occurred_at as date) as activity_date,
        count(*) as events,
        count(feature_key) as feature_events,
        min(loaded_at) as first_loaded_at,
        max(loaded_at) as last_loaded_at
    from events
    where account_id is not null and occurred_at is not null
    group by account_id, cast(occurred_at as date)

),

user_days_by_key as (

    select
        account_id,
        activity_date,
        sum(event_count) as events,
        max(max_loaded_at) as rolled_last_loaded_at
    from user_days
    group by account_id, activity_date

),

feature_days_by_key as (

    select
        account_id,
        activity_date,
        sum(event_count) as feature_events
    from feature_days
    group by account_id, activity_date

),

watermark as (

    select
        max(max_loaded_at) as newest_rolled_load,
        {{ events_run_clock() }} as run_clock
    from user_days

),

compared as (

    select
        events_by_key.account_id,
        events_by_key.activity_date,
        events_by_key.events,
        events_by_key.feature_events,
        events_by_key.first_loaded_at,
        events_by_key.last_loaded_at,
        user_days_by_key.rolled_last_loaded_at,
        coalesce(user_days_by_key.events, 0) as rolled_events,
        coalesce(feature_days_by_key.feature_events, 0) as rolled_feature_events
    from events_by_key
    left join user_days_by_key
        on
            events_by_key.account_id = user_days_by_key.account_id
            and events_by_key.activity_date = user_days_by_key.activity_date
    left join feature_days_by_key
        on
            events_by_key.account_id = feature_days_by_key.account_id
            and events_by_key.activity_date = feature_days_by_key.activity_date

),

orphans as (

    -- rollup keys without any staged event (would survive a missed delete)
    select
        user_days_by_key.account_id,
        user_days_by_key.activity_date,
        user_days_by_key.events as rolled_events,
        user_days_by_key.rolled_last_loaded_at
    from user_days_by_key
    left join events_by_key
        on
            user_days_by_key.account_id = events_by_key.account_id
            and user_days_by_key.activity_date = events_by_key.activity_date
    where events_by_key.account_id is null

),

mismatches as (

    select
        compared.account_id,
        compared.activity_date,
        'account ' || compared.account_id || ' on ' || cast(compared.activity_date as {{ dbt.type_string() }})
        || ': staged events (all / with feature) = ' || cast(compared.events as {{ dbt.type_string() }})
        || ' / ' || cast(compared.feature_events as {{ dbt.type_string() }})
        || ' but rolled up ' || cast(compared.rolled_events as {{ dbt.type_string() }})
        || ' / ' || cast(compared.rolled_feature_events as {{ dbt.type_string() }})
        || '; unaccounted loads: staged loaded_at ' || {{ dq_value_text('compared.first_loaded_at') }}
        || ' .. ' || {{ dq_value_text('compared.last_loaded_at') }}
        || ', newest load rolled up for the key ' || {{ dq_value_text('compared.rolled_last_loaded_at') }}
        || '; rollup watermark (newest load processed) ' || {{ dq_value_text('watermark.newest_rolled_load') }}
        || case
            when watermark.newest_rolled_load > watermark.run_clock
                then
                    ' is after the run clock ' || {{ dq_value_text('watermark.run_clock') }}
                    || ' (a future loaded_at moved it)'
            else ''
        end as failure_message
    from compared
    cross join watermark
    where
        compared.events != compared.rolled_events
        or compared.feature_events != compared.rolled_feature_events

),

orphans_described as (

    select
        account_id,
        activity_date,
        'account ' || account_id || ' on ' || cast(activity_date as {{ dbt.type_string() }})
        || ': ' || cast(rolled_events as {{ dbt.type_string() }})
        || ' events rolled up (loads up to ' || {{ dq_value_text('rolled_last_loaded_at') }}
        || ') without any staged event' as failure_message
    from orphans

),

unstaged_described as (

    select
        unstaged_by_key.account_id,
        unstaged_by_key.activity_date,
        'account ' || {{ dq_value_text('unstaged_by_key.account_id') }}
        || ' on ' || {{ dq_value_text('unstaged_by_key.activity_date') }}
        || ': ' || cast(unstaged_by_key.deliveries as {{ dbt.type_string() }})
        || ' raw event deliveries never staged (' || cast(unstaged_by_key.unstaged_event_ids as {{ dbt.type_string() }})
        || ' event_ids missing from stg_product__events, the others staged with a later loaded copy; e.g. '
        || unstaged_by_key.example_event_id || '); unaccounted loads: raw loaded_at '
        || {{ dq_value_text('unstaged_by_key.first_loaded_at') }}
        || ' .. ' || {{ dq_value_text('unstaged_by_key.last_loaded_at') }}
        || ', newest load staged ' || {{ dq_value_text('staged_through.newest_staged_load') }}
        || ' (loaded before the incremental watermark passed them; a full refresh takes them in)'
            as failure_message
    from unstaged_by_key
    cross join staged_through

)

select * from unstaged_described
union all
select * from mismatches
union all
select * from orphans_described
