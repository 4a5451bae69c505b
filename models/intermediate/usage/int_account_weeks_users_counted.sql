{#-
    Trailing 30-day and prior 30-day distinct active users per account at
    the end of each complete Monday-Sunday week, without a fan-out of
    user-days over weeks (it has to scale to tens of millions of user-days):

    1. user-days -> user-weeks: the first and last weekday (0 = Monday ..
       6 = Sunday) a user was active in a week. Weeks are numbered from the
       Monday 1970-01-05, so the heavy steps use integer arithmetic only;
    2. each user-week w counts the user in the trailing window (Sunday - 29
       .. Sunday) of a run of target weeks, and in the prior window (Sunday
       - 59 .. Sunday - 30) of another run. The edge weeks of a run depend
       only on the first/last active weekday, because a 30-day window cannot
       fall strictly inside a 7-day week (T = target week, its Monday is day
       7T, its Sunday 7T + 6):
         trailing 7T - 23 .. 7T + 6 meets week w for T = w .. w + 3 always,
           and for T = w + 4 when the user was active on Saturday or Sunday;
         prior 7T - 53 .. 7T - 24 meets week w for T = w + 5 .. w + 7
           always, for T = w + 4 when active Monday to Friday, and for
           T = w + 8 when active Thursday to Sunday;
    3. both ends of a run grow with w (a later week reaches at least as
       far), so the run of the user's previous active week covers all that
       earlier runs cover beyond this run's start: each run keeps only the
       weeks after it, and a user counts once per week;
    4. each piece adds +1 at its first week and -1 after its last; a running
       sum over each account's weeks gives the distinct-user counts.
-#}

{#- Materialized, not a view: the heaviest step of the area (a scan of
    every user-day), read by several tests and by fct_expansion_signals.
    Incremental (macro period_users_counted_config: delete+insert of whole
    weeks on DuckDB and PostgreSQL, a table on Spark): a week's counts
    depend only on the user-days of its own and the 8 weeks before, so a
    run recomputes every week from the first one whose windows reach a
    user-day loaded since the last run (or from the week after the newest
    one built, when as_of_date moved on), from the user-days of 9 weeks
    before it onward, and replaces those weeks. A later as_of_date needs no
    rebuild; an earlier one needs --full-refresh. -#}
{{ config(**period_users_counted_config('week_start')) }}

{%- set epoch_monday = "cast('1970-01-05' as date)" -%}

{#- A table built before this model was incremental (a plain table without
    the watermark column user_days_loaded_through) has no watermark to read:
    its first incremental run recomputes every week, like a full refresh, and
    on_schema_change (append_new_columns) adds the column before the rows
    are replaced. No columns found (no relation yet) or no relation to look
    at (a unit test's `this` is a CTE name) means the usual incremental run. -#}
{%- set has_watermark = true -%}
{%- if execute and is_incremental() and this is not string -%}
    {%- set built_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- set has_watermark = built_columns | length == 0 or 'user_days_loaded_through' in built_columns -%}
{%- endif %}

with

user_days as (

    select
        account_id,
        user_id,
        activity_date,
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

recompute_from as (

    -- the first week recomputed: all of them on a full refresh; otherwise
    -- the week of the earliest user-day loaded since the last run (a day
    -- reaches the windows of its own week's Sunday and the 59 days after),
    -- or the week after the newest one built, whichever is earlier
    {% if is_incremental() and has_watermark -%}
        select
            cast(
                floor({{ dbt.datediff(epoch_monday, 'min(touched_from)', 'day') }} / 7.0)  -- noqa: LT05
                as {{ dbt.type_int() }}
            ) as week_number
        from (
            select min(activity_date) as touched_from
            from user_days
            where max_loaded_at > {{ events_reprocess_after(this, 'user_days_loaded_through') }}
            union all
            select cast({{ dbt.dateadd('day', 7, 'max(week_start)') }} as date) as touched_from
            from {{ this }}
        ) as touched
    {%- else -%}
        select cast(-100000 as {{ dbt.type_int() }}) as week_number
    {%- endif %}

),

user_days_numbered as (

    -- an event after as_of_date has not happened yet; the rollup's row of
    -- events without a user (null user_id) makes nobody active; a week
    -- counts the users of its own and the 8 weeks before (9 weeks = 63 days)
    select
        user_days.account_id,
        user_days.user_id,
        {{ dbt.datediff(epoch_monday, 'user_days.activity_date', 'day') }} as day_number  -- noqa: LT05
    from user_days
    cross join recompute_from
    where
        user_days.activity_date <= {{ as_of_date() }}
        and user_days.user_id is not null
        and {{ dbt.datediff(epoch_monday, 'user_days.activity_date', 'day') }}
        >= 7 * recompute_from.week_number - 63

),

user_days_weekly as (

    select
        account_id,
        user_id,
        day_number,
        cast(floor(day_number / 7.0) as {{ dbt.type_int() }}) as week_number
    from user_days_numbered

),

user_weeks as (

    select
        account_id,
        user_id,
        week_number,
        min(day_number) - 7 * week_number as first_weekday,
        max(day_number) - 7 * week_number as last_weekday
    from user_days_weekly
    group by
        account_id,
        user_id,
        week_number

),

user_weeks_sequenced as (

    select
        account_id,
        user_id,
        week_number,
        first_weekday,
        last_weekday,
        lag(week_number) over (
            partition by account_id, user_id
            order by week_number
        ) as previous_week_number,
        lag(last_weekday) over (
            partition by account_id, user_id
            order by week_number
        ) as previous_last_weekday
    from user_weeks

),

user_week_reach as (

    -- runs of target weeks (rules in the header); previous_reach_to is
    -- where the run of the user's previous active week ended
    select
        account_id,
        'trailing' as window_kind,
        week_number as reach_from,
        week_number + case when last_weekday >= 5 then 4 else 3 end as reach_to,
        previous_week_number + case when previous_last_weekday >= 5 then 4 else 3 end
            as previous_reach_to
    from user_weeks_sequenced
    union all
    select
        account_id,
        'prior' as window_kind,
        week_number + case when first_weekday <= 4 then 4 else 5 end as reach_from,
        week_number + case when last_weekday >= 3 then 8 else 7 end as reach_to,
        previous_week_number + case when previous_last_weekday >= 3 then 8 else 7 end
            as previous_reach_to
    from user_weeks_sequenced

),

user_reach_new_weeks as (

    -- the weeks a run adds to what the user's earlier runs already cover:
    -- these pieces are disjoint, so the user counts once per week
    select
        account_id,
        window_kind,
        case
            when previous_reach_to is null or reach_from > previous_reach_to
                then reach_from
            else previous_reach_to + 1
        end as new_from,
        reach_to as new_to
    from user_week_reach
    where previous_reach_to is null or reach_to > previous_reach_to

),

coverage_deltas as (

    -- +1 on the first week of a piece, -1 on the week after its last
    select
        account_id,
        new_from as week_number,
        case when window_kind = 'trailing' then 1 else 0 end as trailing_delta,
        case when window_kind = 'prior' then 1 else 0 end as prior_delta
    from user_reach_new_weeks
    union all
    select
        account_id,
        new_to + 1 as week_number,
        case when window_kind = 'trailing' then -1 else 0 end as trailing_delta,
        case when window_kind = 'prior' then -1 else 0 end as prior_delta
    from user_reach_new_weeks

),

account_week_deltas as (

    select
        account_id,
        week_number,
        sum(trailing_delta) as trailing_delta,
        sum(prior_delta) as prior_delta
    from coverage_deltas
    group by
        account_id,
        week_number

),

last_complete_week as (

    -- the last week whose Sunday is on or before as_of_date
    select
        cast(
            floor(({{ dbt.datediff(epoch_monday, as_of_date(), 'day') }} - 6) / 7.0)  -- noqa: LT05
            as {{ dbt.type_int() }}
        ) as week_number

),

account_bounds as (

    -- the weeks an account can have anyone in its trailing window: from its
    -- first active week to the last week its trailing runs reach, complete
    -- weeks only
    select
        account_id,
        min(new_from) as first_week_number,
        max(new_to) as last_week_number
    from user_reach_new_weeks
    where window_kind = 'trailing'
    group by account_id

),

week_offsets as (

    -- 0 .. 9999 weeks (190 years) after the first active week
    select generated_number - 1 as week_offset
    from ({{ dbt.generate_series(10000) }}) as week_numbers

),

complete_weeks as (

    select first_week.week_number + week_offsets.week_offset as week_number
    from (
        select min(first_week_number) as week_number
        from account_bounds
    ) as first_week
    cross join week_offsets
    cross join last_complete_week
    where first_week.week_number + week_offsets.week_offset <= last_complete_week.week_number

),

account_weeks as (

    select
        account_bounds.account_id,
        complete_weeks.week_number
    from account_bounds
    inner join complete_weeks
        on
            account_bounds.first_week_number <= complete_weeks.week_number
            and account_bounds.last_week_number >= complete_weeks.week_number

),

account_weeks_counted as (

    select
        account_weeks.account_id,
        account_weeks.week_number,
        sum(coalesce(account_week_deltas.trailing_delta, 0)) over (
            partition by account_weeks.account_id
            order by account_weeks.week_number
            rows between unbounded preceding and current row
        ) as active_users_30d,
        sum(coalesce(account_week_deltas.prior_delta, 0)) over (
            partition by account_weeks.account_id
            order by account_weeks.week_number
            rows between unbounded preceding and current row
        ) as active_users_prior_30d
    from account_weeks
    left join account_week_deltas
        on
            account_weeks.account_id = account_week_deltas.account_id
            and account_weeks.week_number = account_week_deltas.week_number

),

account_weeks_mrr as (

    -- weeks with nobody active in the trailing window have no row; weeks
    -- before recompute_from keep the rows already built
    select
        account_weeks_counted.account_id,
        account_weeks_counted.week_number,
        account_weeks_counted.active_users_30d,
        account_weeks_counted.active_users_prior_30d
    from account_weeks_counted
    cross join recompute_from
    where
        account_weeks_counted.active_users_30d > 0
        and account_weeks_counted.week_number >= recompute_from.week_number

),

final as (

    select
        account_weeks_mrr.account_id,
        cast({{ dbt.dateadd('day', '7 * account_weeks_mrr.week_number', epoch_monday) }} as date) as week_start,
        cast({{ dbt.dateadd('day', '7 * account_weeks_mrr.week_number + 6', epoch_monday) }} as date) as week_end,
        cast(account_weeks_mrr.active_users_30d as {{ dbt.type_bigint() }}) as active_users_30d,
        cast(account_weeks_mrr.active_users_prior_30d as {{ dbt.type_bigint() }}) as active_users_prior_30d,
        user_days_loaded_through.user_days_loaded_through
    from account_weeks_mrr
    cross join user_days_loaded_through

)

select * from final
