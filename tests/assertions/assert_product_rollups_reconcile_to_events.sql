-- The incremental event rollups must hold exactly what a full refresh would:
-- per account and activity date, the events rolled up equal the
-- de-duplicated events in staging (raw_sources.md: a repeated event_id is the
-- same event). A missed late delivery or a double-counted redelivery after an
-- incremental run shows up here, with the key and both counts.
with

events as (

    select
        account_id,
        user_id,
        feature_key,
        occurred_at
    from {{ ref('stg_product__events') }}

),

user_days as (

    select
        account_id,
        activity_date,
        event_count
    from {{ ref('int_product_user_days') }}

),

feature_days as (

    select
        account_id,
        activity_date,
        event_count
    from {{ ref('int_product_feature_days') }}

),

events_by_key as (

    select
        account_id,
        cast(occurred_at as date) as activity_date,
        count(case when user_id is not null then 1 end) as user_events,
        count(case when feature_key is not null then 1 end) as feature_events
    from events
    where account_id is not null and occurred_at is not null
    group by account_id, cast(occurred_at as date)

),

user_days_by_key as (

    select
        account_id,
        activity_date,
        sum(event_count) as user_events
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

compared as (

    select
        events_by_key.account_id,
        events_by_key.activity_date,
        events_by_key.user_events,
        events_by_key.feature_events,
        coalesce(user_days_by_key.user_events, 0) as rolled_user_events,
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
        0 as user_events,
        0 as feature_events,
        user_days_by_key.user_events as rolled_user_events,
        0 as rolled_feature_events
    from user_days_by_key
    left join events_by_key
        on
            user_days_by_key.account_id = events_by_key.account_id
            and user_days_by_key.activity_date = events_by_key.activity_date
    where events_by_key.account_id is null

)

select
    account_id,
    activity_date,
    'account ' || account_id || ' on ' || cast(activity_date as {{ dbt.type_string() }})
    || ': staged events with user / feature = ' || cast(user_events as {{ dbt.type_string() }})
    || ' / ' || cast(feature_events as {{ dbt.type_string() }})
    || ' but rolled up ' || cast(rolled_user_events as {{ dbt.type_string() }})
    || ' / ' || cast(rolled_feature_events as {{ dbt.type_string() }}) as failure_message
from compared
where user_events != rolled_user_events or feature_events != rolled_feature_events
union all
select
    account_id,
    activity_date,
    'account ' || account_id || ' on ' || cast(activity_date as {{ dbt.type_string() }})
    || ': ' || cast(rolled_user_events as {{ dbt.type_string() }})
    || ' events rolled up without any staged event' as failure_message
from orphans
