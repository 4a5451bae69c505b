{#- Materialized, not a view like the rest of the folder (issue 16): it
    scans every user-day, and besides the monthly usage mart eight data tests
    read it; as a view each of them recomputed that scan (at 10,000 accounts
    eight test nodes of 6-14 s each, more than the mart itself).
    Incremental (macro period_users_counted_config: delete+insert of whole
    months on DuckDB and PostgreSQL, a table on Spark): a month's row depends
    only on the user-days of its own month and the one before (a 30-day
    window ending on a month end starts in that month or the previous one),
    so a run recomputes every reporting month from the month of the earliest
    user-day loaded since the last run (or from the month after the newest
    one built, when as_of_date moved on), from the user-days of the month
    before it onward, and replaces those months. The reporting window's first
    month is kept on every row (reporting_months_from): when it moves (billing
    history before the first month with MRR), every month is recomputed. A
    later as_of_date needs no rebuild; an earlier one needs --full-refresh. -#}
{{ config(**period_users_counted_config('month_start')) }}

{#- A table built before this model was incremental has no watermark column
    to read: its first incremental run recomputes every month, like a full
    refresh (as int_account_weeks_users_counted). No columns found (no
    relation yet) or no relation to look at (a unit test's `this` is a CTE
    name) means the usual incremental run. -#}
{%- set has_watermark = true -%}
{%- if execute and is_incremental() and this is not string -%}
    {%- set built_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- set has_watermark = built_columns | length == 0 or 'user_days_loaded_through' in built_columns -%}
{%- endif %}

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
        session_start_count,
        max_loaded_at
    from {{ ref('int_product_user_days_rolled_up') }}

),

user_days_loaded_through as (

    -- the newest load the user-days hold (a load after the run's clock
    -- never counts, see macros/incremental/events_reprocess_after.sql)
    select max(max_loaded_at) as user_days_loaded_through
    from user_days
    where max_loaded_at <= {{ events_run_clock() }}

),

reporting_months_from as (

    select min(month_start) as reporting_months_from
    from period_ends

),

recompute_from as (

    -- the first month recomputed: all of them on a full refresh; otherwise
    -- the month of the earliest user-day loaded since the last run (a day
    -- reaches its own month and the next one), the month after the newest
    -- one built, or every month when the reporting window starts elsewhere
    -- than when the rows were built, whichever is earliest
    {% if is_incremental() and has_watermark -%}
        select min(touched_from) as month_start
        from (
            select cast({{ dbt.date_trunc('month', 'min(activity_date)') }} as date) as touched_from
            from user_days
            where max_loaded_at > {{ events_reprocess_after(this, 'user_days_loaded_through') }}
            union all
            -- an empty table (nothing built yet): every month
            select
                coalesce(
                    cast({{ dbt.dateadd('month', 1, 'max(month_start)') }} as date),
                    cast('1900-01-01' as date)
                ) as touched_from
            from {{ this }}
            union all
            select cast('1900-01-01' as date) as touched_from
            from (
                select min(reporting_months_from) as reporting_months_from
                from {{ this }}
            ) as built
            cross join reporting_months_from
            where built.reporting_months_from != reporting_months_from.reporting_months_from
        ) as touched
    {%- else -%}
        select cast('1900-01-01' as date) as month_start
    {%- endif %}

),

user_days_dated as (

    -- only the user-days the recomputed months read: their own months and
    -- the month before the first of them
    select
        user_days.account_id,
        user_days.user_id,
        user_days.activity_date,
        user_days.event_count,
        user_days.session_start_count,
        cast({{ dbt.date_trunc('month', 'user_days.activity_date') }} as date) as month_start
    from user_days
    cross join recompute_from
    where user_days.activity_date >= cast({{ dbt.dateadd('month', -1, 'recompute_from.month_start') }} as date)

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
    -- usage_active_user); a month without any event has no active user (0);
    -- months before recompute_from keep the rows already built
    select
        activity_joined.account_id,
        activity_joined.month_start,
        cast(
            case when not activity_joined.are_users_unknown then activity_joined.monthly_active_users end
            as {{ dbt.type_bigint() }}
        ) as monthly_active_users,
        cast(
            case when not activity_joined.are_users_unknown then activity_joined.active_user_days end
            as {{ dbt.type_bigint() }}
        ) as active_user_days,
        cast(
            case when not activity_joined.are_users_unknown then activity_joined.active_users_30d end
            as {{ dbt.type_bigint() }}
        ) as active_users_30d,
        cast(activity_joined.events as {{ dbt.type_bigint() }}) as events,
        cast(activity_joined.session_starts as {{ dbt.type_bigint() }}) as session_starts,
        cast(
            case when not activity_joined.are_users_unknown then activity_joined.session_starts_with_user end
            as {{ dbt.type_bigint() }}
        ) as session_starts_with_user,
        activity_joined.are_users_unknown,
        user_days_loaded_through.user_days_loaded_through,
        reporting_months_from.reporting_months_from
    from activity_joined
    cross join recompute_from
    cross join user_days_loaded_through
    cross join reporting_months_from
    where activity_joined.month_start >= recompute_from.month_start

)

select * from final
