{#-
    Trailing 30-day and prior 30-day distinct active users per account at
    the end of each complete Monday-Sunday week, without a fan-out of
    user-days over weeks (it has to scale to tens of millions of user-days):

    1. user-days -> user-weeks (first and last active day of a user in a week);
    2. each user-week counts the user in the trailing window (week_end - 29
       .. week_end) of a run of weeks, and in the prior window (week_end - 59
       .. week_end - 30) of another run; whether the edge weeks of a run are
       reached depends only on the first/last active day, because a 30-day
       window cannot fall strictly inside a 7-day week;
    3. each run keeps only the weeks no earlier run of the same user covers,
       so a user counts once per week;
    4. each piece adds +1 at its first week and -1 after its last; a running
       sum over each account's weeks gives the distinct-user counts.
-#}

with

user_days as (

    select
        account_id,
        user_id,
        activity_date
    from {{ ref('int_product_user_days') }}

),

user_days_in_scope as (

    -- an event after as_of_date has not happened yet
    select
        account_id,
        user_id,
        activity_date,
        cast({{ dbt.date_trunc('week', 'activity_date') }} as date) as week_start
    from user_days
    where activity_date <= {{ as_of_date() }}

),

user_weeks as (

    select
        account_id,
        user_id,
        week_start,
        min(activity_date) as first_active_date,
        max(activity_date) as last_active_date
    from user_days_in_scope
    group by
        account_id,
        user_id,
        week_start

),

user_weeks_sequenced as (

    -- each user-week with the user's previous active week
    select
        account_id,
        user_id,
        week_start,
        first_active_date,
        last_active_date,
        lag(week_start) over (
            partition by account_id, user_id
            order by week_start
        ) as previous_week_start,
        lag(last_active_date) over (
            partition by account_id, user_id
            order by week_start
        ) as previous_last_active_date
    from user_weeks

),

user_week_reach as (

    -- in weeks after the active week s (target week T, Sunday T + 6):
    -- trailing window T - 23 .. T + 6 holds a day of s for T = s .. s + 21
    -- always, and for T = s + 28 when the user was active on s + 5 or later;
    -- prior window T - 53 .. T - 24 holds a day of s for T = s + 35 .. s + 49
    -- always, for T = s + 28 when active on s + 4 or earlier, and for
    -- T = s + 56 when active on s + 3 or later. Both ends of a run grow with
    -- s (a later week s' >= s + 7 reaches at least s' + 21 >= s + 28, resp.
    -- s' + 49 >= s + 56), so the previous active week's run reaches
    -- furthest of all earlier runs: previous_reach_to.
    select
        account_id,
        user_id,
        'trailing' as window_kind,
        week_start as reach_from,
        case
            when last_active_date >= cast({{ dbt.dateadd('day', 5, 'week_start') }} as date)
                then cast({{ dbt.dateadd('day', 28, 'week_start') }} as date)
            else cast({{ dbt.dateadd('day', 21, 'week_start') }} as date)
        end as reach_to,
        case
            when previous_last_active_date >= cast({{ dbt.dateadd('day', 5, 'previous_week_start') }} as date)
                then cast({{ dbt.dateadd('day', 28, 'previous_week_start') }} as date)
            else cast({{ dbt.dateadd('day', 21, 'previous_week_start') }} as date)
        end as previous_reach_to
    from user_weeks_sequenced
    union all
    select
        account_id,
        user_id,
        'prior' as window_kind,
        case
            when first_active_date <= cast({{ dbt.dateadd('day', 4, 'week_start') }} as date)
                then cast({{ dbt.dateadd('day', 28, 'week_start') }} as date)
            else cast({{ dbt.dateadd('day', 35, 'week_start') }} as date)
        end as reach_from,
        case
            when last_active_date >= cast({{ dbt.dateadd('day', 3, 'week_start') }} as date)
                then cast({{ dbt.dateadd('day', 56, 'week_start') }} as date)
            else cast({{ dbt.dateadd('day', 49, 'week_start') }} as date)
        end as reach_to,
        case
            when previous_last_active_date >= cast({{ dbt.dateadd('day', 3, 'previous_week_start') }} as date)
                then cast({{ dbt.dateadd('day', 56, 'previous_week_start') }} as date)
            else cast({{ dbt.dateadd('day', 49, 'previous_week_start') }} as date)
        end as previous_reach_to
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
            else cast({{ dbt.dateadd('day', 7, 'previous_reach_to') }} as date)
        end as new_from,
        reach_to as new_to
    from user_week_reach
    where previous_reach_to is null or reach_to > previous_reach_to

),

coverage_deltas as (

    -- +1 on the first week of a piece, -1 on the week after its last
    select
        account_id,
        new_from as week_start,
        case when window_kind = 'trailing' then 1 else 0 end as trailing_delta,
        case when window_kind = 'prior' then 1 else 0 end as prior_delta
    from user_reach_new_weeks
    union all
    select
        account_id,
        cast({{ dbt.dateadd('day', 7, 'new_to') }} as date) as week_start,
        case when window_kind = 'trailing' then -1 else 0 end as trailing_delta,
        case when window_kind = 'prior' then -1 else 0 end as prior_delta
    from user_reach_new_weeks

),

account_week_deltas as (

    select
        account_id,
        week_start,
        sum(trailing_delta) as trailing_delta,
        sum(prior_delta) as prior_delta
    from coverage_deltas
    group by
        account_id,
        week_start

),

account_bounds as (

    -- weeks an account can have anyone in its trailing window: from its
    -- first active week to the last week its trailing runs reach, and only
    -- complete weeks (Sunday on or before as_of_date)
    select
        account_id,
        min(new_from) as first_week_start,
        max(new_to) as last_week_start
    from user_reach_new_weeks
    where window_kind = 'trailing'
    group by account_id

),

digits as (

    {%- for digit in range(10) %}
        select {{ digit }} as digit
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

week_numbers as (

    -- 0 .. 9999 weeks (190 years) after the first active week
    select
        ones.digit
        + 10 * tens.digit
        + 100 * hundreds.digit
        + 1000 * thousands.digit as week_number
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands

),

first_week as (

    select min(first_week_start) as week_start
    from account_bounds

),

calendar_weeks as (

    select
        cast({{ dbt.dateadd('day', '7 * week_numbers.week_number', 'first_week.week_start') }} as date)
            as week_start
    from first_week
    cross join week_numbers

),

complete_weeks as (

    select week_start
    from calendar_weeks
    where cast({{ dbt.dateadd('day', 6, 'week_start') }} as date) <= {{ as_of_date() }}

),

account_weeks as (

    select
        account_bounds.account_id,
        complete_weeks.week_start
    from account_bounds
    inner join complete_weeks
        on
            account_bounds.first_week_start <= complete_weeks.week_start
            and account_bounds.last_week_start >= complete_weeks.week_start

),

account_weeks_counted as (

    select
        account_weeks.account_id,
        account_weeks.week_start,
        sum(coalesce(account_week_deltas.trailing_delta, 0)) over (
            partition by account_weeks.account_id
            order by account_weeks.week_start
            rows between unbounded preceding and current row
        ) as active_users_30d,
        sum(coalesce(account_week_deltas.prior_delta, 0)) over (
            partition by account_weeks.account_id
            order by account_weeks.week_start
            rows between unbounded preceding and current row
        ) as active_users_prior_30d
    from account_weeks
    left join account_week_deltas
        on
            account_weeks.account_id = account_week_deltas.account_id
            and account_weeks.week_start = account_week_deltas.week_start

),

final as (

    select
        account_id,
        week_start,
        cast({{ dbt.dateadd('day', 6, 'week_start') }} as date) as week_end,
        cast(active_users_30d as {{ dbt.type_bigint() }}) as active_users_30d,
        cast(active_users_prior_30d as {{ dbt.type_bigint() }}) as active_users_prior_30d
    from account_weeks_counted
    -- weeks with nobody active in the trailing window have no row
    where active_users_30d > 0

)

select * from final
