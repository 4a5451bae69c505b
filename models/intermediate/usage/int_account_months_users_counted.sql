{#- A table, not a view like the rest of the folder (issue 16): it scans
    every user-day, and besides the monthly usage mart eight data tests read
    it; as a view each of them recomputed that scan (at 10,000 accounts
    eight test nodes of 6-14 s each, more than the mart itself). -#}
{{ config(materialized='table') }}

with

period_ends as (

    select
        period_start as month_start,
        period_end as month_end
    from {{ ref('int_period_ends_listed') }}
    where cadence = 'month'

),

period_windows_spanned as (

    select
        period_start as month_start,
        period_end as month_end,
        trailing_30d_start,
        spanned_period_start
    from {{ ref('int_period_windows_spanned') }}
    where cadence = 'month'

),

user_days as (

    select
        account_id,
        user_id,
        activity_date,
        event_count,
        session_start_count
    from {{ ref('int_product_user_days_rolled_up') }}

),

user_days_dated as (

    select
        account_id,
        user_id,
        activity_date,
        event_count,
        session_start_count,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as month_start
    from user_days

),

monthly_activity as (

    -- one row per active user-day (plus one per day for the events without
    -- a user, which count as events and make nobody active): the user-days
    -- summed per month give the sum over the month's days of distinct users
    -- per day (days without activity add 0). Reporting months are complete,
    -- so no day after as_of_date counts.
    select
        user_days_dated.account_id,
        user_days_dated.month_start,
        count(distinct user_days_dated.user_id) as monthly_active_users,
        count(user_days_dated.user_id) as active_user_days,
        sum(user_days_dated.event_count) as events,
        sum(case when user_days_dated.user_id is not null then user_days_dated.event_count else 0 end)
            as events_with_user,
        sum(user_days_dated.session_start_count) as session_starts,
        sum(case when user_days_dated.user_id is not null then user_days_dated.session_start_count else 0 end)
            as session_starts_with_user
    from user_days_dated
    inner join period_ends
        on user_days_dated.month_start = period_ends.month_start
    group by
        user_days_dated.account_id,
        user_days_dated.month_start

),

user_months as (

    -- the last day in each calendar month on which the user was active
    select
        account_id,
        user_id,
        month_start,
        max(activity_date) as last_active_date
    from user_days_dated
    where user_id is not null
    group by
        account_id,
        user_id,
        month_start

),

trailing_users as (

    -- a user is in the trailing 30 days of a month end when the last
    -- active day in a month the window spans is on or after its first day
    select
        user_months.account_id,
        period_windows_spanned.month_start,
        count(distinct user_months.user_id) as active_users_30d
    from user_months
    inner join period_windows_spanned
        on user_months.month_start = period_windows_spanned.spanned_period_start
    where
        user_months.last_active_date >= period_windows_spanned.trailing_30d_start
        and user_months.last_active_date <= period_windows_spanned.month_end
    group by
        user_months.account_id,
        period_windows_spanned.month_start

),

account_month_keys as (

    select
        account_id,
        month_start
    from monthly_activity
    union all
    select
        account_id,
        month_start
    from trailing_users

),

account_months as (

    select
        account_id,
        month_start
    from account_month_keys
    group by
        account_id,
        month_start

),

activity_joined as (

    select
        account_months.account_id,
        account_months.month_start,
        coalesce(monthly_activity.monthly_active_users, 0) as monthly_active_users,
        coalesce(monthly_activity.active_user_days, 0) as active_user_days,
        coalesce(trailing_users.active_users_30d, 0) as active_users_30d,
        coalesce(monthly_activity.events, 0) as events,
        coalesce(monthly_activity.session_starts, 0) as session_starts,
        coalesce(monthly_activity.session_starts_with_user, 0) as session_starts_with_user,
        -- metrics.md, Usage: where the month has events and none of them has
        -- a user, who was active is unknown
        coalesce(monthly_activity.events, 0) > 0 and coalesce(monthly_activity.events_with_user, 0) = 0
            as are_users_unknown
    from account_months
    left join monthly_activity
        on
            account_months.account_id = monthly_activity.account_id
            and account_months.month_start = monthly_activity.month_start
    left join trailing_users
        on
            account_months.account_id = trailing_users.account_id
            and account_months.month_start = trailing_users.month_start

),

final as (

    -- the user-based measures are null where the users are unknown (docs
    -- usage_active_user); a month without any event has no active user (0)
    select
        account_id,
        month_start,
        cast(case when not are_users_unknown then monthly_active_users end as {{ dbt.type_bigint() }})
            as monthly_active_users,
        cast(case when not are_users_unknown then active_user_days end as {{ dbt.type_bigint() }})
            as active_user_days,
        cast(case when not are_users_unknown then active_users_30d end as {{ dbt.type_bigint() }})
            as active_users_30d,
        cast(events as {{ dbt.type_bigint() }}) as events,
        cast(session_starts as {{ dbt.type_bigint() }}) as session_starts,
        cast(case when not are_users_unknown then session_starts_with_user end as {{ dbt.type_bigint() }})
            as session_starts_with_user,
        are_users_unknown
    from activity_joined

)

select * from final
