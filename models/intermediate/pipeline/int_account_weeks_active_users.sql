{#-
    Trailing 30-day and prior 30-day distinct active users per account at
    the end of each complete week. A user-week (the days one user was active
    in one Monday-Sunday week) reaches the windows of the nine weeks from
    its own week to eight weeks later; it belongs to a window exactly when
    its first active day is on or before the window's last day and its last
    active day is on or after the window's first day (a 30-day window cannot
    fall strictly inside a 7-day week, so min/max days decide it exactly).
    Reducing user-days to user-weeks before the fan-out keeps the model
    linear in product activity.
-#}
{%- set window_days = 30 -%}

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

week_offsets as (

    {%- for offset in range(9) %}
        select {{ offset }} as week_offset
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

user_weeks_fanned as (

    select
        user_weeks.account_id,
        user_weeks.user_id,
        user_weeks.first_active_date,
        user_weeks.last_active_date,
        cast({{ dbt.dateadd('day', '7 * week_offsets.week_offset', 'user_weeks.week_start') }} as date)
            as target_week_start
    from user_weeks
    cross join week_offsets

),

user_windows as (

    select
        account_id,
        user_id,
        target_week_start,
        first_active_date,
        last_active_date,
        -- the week's last day (Sunday) is the measurement date
        cast({{ dbt.dateadd('day', 6, 'target_week_start') }} as date) as week_end,
        -- trailing window: week_end - 29 .. week_end
        cast({{ dbt.dateadd('day', 7 - window_days, 'target_week_start') }} as date) as trailing_from,
        -- prior window: week_end - 59 .. week_end - 30
        cast({{ dbt.dateadd('day', 7 - 2 * window_days, 'target_week_start') }} as date) as prior_from,
        cast({{ dbt.dateadd('day', 6 - window_days, 'target_week_start') }} as date) as prior_to
    from user_weeks_fanned

),

user_windows_flagged as (

    select
        account_id,
        user_id,
        target_week_start,
        week_end,
        first_active_date <= week_end and last_active_date >= trailing_from as is_in_trailing_window,
        first_active_date <= prior_to and last_active_date >= prior_from as is_in_prior_window
    from user_windows
    -- only complete weeks are measured
    where week_end <= {{ as_of_date() }}

),

account_weeks as (

    select
        account_id,
        target_week_start as week_start,
        week_end,
        count(distinct case when is_in_trailing_window then user_id end) as active_users_30d,
        count(distinct case when is_in_prior_window then user_id end) as active_users_prior_30d
    from user_windows_flagged
    group by
        account_id,
        target_week_start,
        week_end

),

final as (

    select
        account_id,
        week_start,
        week_end,
        active_users_30d,
        active_users_prior_30d
    from account_weeks
    -- weeks reached only through the prior window have nobody active now
    where active_users_30d > 0

)

select * from final
