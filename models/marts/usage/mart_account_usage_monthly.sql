with

reporting_months as (

    select
        month_start,
        month_end
    from {{ ref('int_reporting_months_listed') }}

),

mrr as (

    select
        account_id,
        month_start,
        mrr_usd
    from {{ ref('int_mrr_account_months_measured') }}

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

feature_days as (

    select
        account_id,
        feature_key,
        activity_date
    from {{ ref('int_product_feature_days_rolled_up') }}

),

features as (

    select
        feature_key,
        min_tier
    from {{ ref('stg_product__features') }}

),

entitlements as (

    select
        account_id,
        valid_from,
        valid_to,
        licensed_tier,
        licensed_tier_rank,
        licensed_seats
    from {{ ref('int_account_entitlements_phased') }}

),

accounts as (

    select
        account_id,
        segment
    from {{ ref('stg_crm__accounts') }}

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

feature_days_dated as (

    select
        account_id,
        feature_key,
        activity_date,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as month_start
    from feature_days

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
    inner join reporting_months
        on user_days_dated.month_start = reporting_months.month_start
    group by
        user_days_dated.account_id,
        user_days_dated.month_start

),

feature_months as (

    -- the last day in each calendar month on which the account used a feature
    select
        account_id,
        feature_key,
        month_start,
        max(activity_date) as last_used_date
    from feature_days_dated
    group by
        account_id,
        feature_key,
        month_start

),

account_months_listed as (

    -- an account is reported in a month when it has MRR or product events
    select
        mrr.account_id,
        mrr.month_start
    from mrr
    inner join reporting_months
        on mrr.month_start = reporting_months.month_start
    union all
    select
        account_id,
        month_start
    from monthly_activity
    union all
    select
        feature_months.account_id,
        feature_months.month_start
    from feature_months
    inner join reporting_months
        on feature_months.month_start = reporting_months.month_start

),

reporting_months_sized as (

    select
        month_start,
        month_end,
        -- month_end is the month's last day, so its day number is the length
        cast(extract(day from month_end) as {{ dbt.type_int() }}) as days_in_month,
        -- trailing 30 days: the 30 calendar days ending on month_end
        cast({{ dbt.dateadd('day', -29, 'month_end') }} as date) as trailing_30d_start
    from reporting_months

),

account_months as (

    select distinct
        account_months_listed.account_id,
        reporting_months_sized.month_start,
        reporting_months_sized.month_end,
        reporting_months_sized.days_in_month,
        reporting_months_sized.trailing_30d_start
    from account_months_listed
    inner join reporting_months_sized
        on account_months_listed.month_start = reporting_months_sized.month_start

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

user_months_to_windows as (

    -- the 30 days ending on a month_end reach back into the previous month at
    -- most: a user is in the window of month M when the last active day in M,
    -- or in M - 1, is on or after the window's first day (equi-joins instead
    -- of a range join over every user-day)
    select
        account_id,
        user_id,
        month_start as window_month_start,
        last_active_date
    from user_months
    union all
    select
        account_id,
        user_id,
        cast({{ dbt.dateadd('month', 1, 'month_start') }} as date) as window_month_start,
        last_active_date
    from user_months

),

trailing_users as (

    select
        account_months.account_id,
        account_months.month_start,
        count(distinct user_months_to_windows.user_id) as active_users_30d
    from account_months
    inner join user_months_to_windows
        on
            account_months.account_id = user_months_to_windows.account_id
            and account_months.month_start = user_months_to_windows.window_month_start
    where
        account_months.trailing_30d_start <= user_months_to_windows.last_active_date
        and account_months.month_end >= user_months_to_windows.last_active_date
    group by
        account_months.account_id,
        account_months.month_start

),

feature_months_to_windows as (

    -- as user_months_to_windows, for features
    select
        account_id,
        feature_key,
        month_start as window_month_start,
        last_used_date
    from feature_months
    union all
    select
        account_id,
        feature_key,
        cast({{ dbt.dateadd('month', 1, 'month_start') }} as date) as window_month_start,
        last_used_date
    from feature_months

),

entitlements_at_month_end as (

    -- what the account is licensed for on month_end (items in force then,
    -- the same instant MRR is measured on)
    select
        account_months.account_id,
        account_months.month_start,
        entitlements.licensed_tier,
        entitlements.licensed_tier_rank,
        entitlements.licensed_seats
    from account_months
    inner join entitlements
        on
            account_months.account_id = entitlements.account_id
            and {{ is_in_force_on('account_months.month_end', 'entitlements') }}

),

features_ranked as (

    select
        feature_key,
        {{ tier_rank('min_tier') }} as min_tier_rank
    from features

),

trailing_features as (

    -- features used (any event carrying the feature_key) in the trailing
    -- 30 days, split by whether the month-end tier licenses them
    select
        account_months.account_id,
        account_months.month_start,
        count(
            distinct case
                when features_ranked.min_tier_rank <= entitlements_at_month_end.licensed_tier_rank
                    then feature_months_to_windows.feature_key
            end
        ) as licensed_features_used_30d,
        count(
            distinct case
                when
                    features_ranked.min_tier_rank > coalesce(entitlements_at_month_end.licensed_tier_rank, 0)
                    then feature_months_to_windows.feature_key
            end
        ) as unlicensed_features_used_30d
    from account_months
    inner join feature_months_to_windows
        on
            account_months.account_id = feature_months_to_windows.account_id
            and account_months.month_start = feature_months_to_windows.window_month_start
    left join features_ranked
        on feature_months_to_windows.feature_key = features_ranked.feature_key
    left join entitlements_at_month_end
        on
            account_months.account_id = entitlements_at_month_end.account_id
            and account_months.month_start = entitlements_at_month_end.month_start
    where
        account_months.trailing_30d_start <= feature_months_to_windows.last_used_date
        and account_months.month_end >= feature_months_to_windows.last_used_date
    group by
        account_months.account_id,
        account_months.month_start

),

tier_ranks as (

    select 1 as tier_rank
    union all
    select 2 as tier_rank
    union all
    select 3 as tier_rank

),

features_licensed_by_tier as (

    select
        tier_ranks.tier_rank,
        count(features_ranked.feature_key) as licensed_features
    from tier_ranks
    left join features_ranked
        on tier_ranks.tier_rank >= features_ranked.min_tier_rank
    group by tier_ranks.tier_rank

),

usage_joined as (

    select
        account_months.account_id,
        account_months.month_start,
        account_months.month_end,
        accounts.segment,
        cast(coalesce(mrr.mrr_usd, 0) as decimal(18, 2)) as mrr_usd,
        entitlements_at_month_end.licensed_tier,
        entitlements_at_month_end.licensed_seats,
        coalesce(features_licensed_by_tier.licensed_features, 0) as licensed_features,
        account_months.days_in_month,
        coalesce(monthly_activity.monthly_active_users, 0) as monthly_active_users,
        coalesce(monthly_activity.active_user_days, 0) as active_user_days,
        coalesce(monthly_activity.events, 0) as events,
        coalesce(monthly_activity.session_starts, 0) as session_starts,
        coalesce(monthly_activity.session_starts_with_user, 0) as session_starts_with_user,
        -- metrics.md, Usage: where the month has events and none of them has
        -- a user, who was active is unknown, so the user-based measures are
        -- null; a month without any event has no active user (0)
        coalesce(monthly_activity.events, 0) > 0 and coalesce(monthly_activity.events_with_user, 0) = 0
            as are_users_unknown,
        coalesce(trailing_users.active_users_30d, 0) as active_users_30d,
        coalesce(trailing_features.licensed_features_used_30d, 0) as licensed_features_used_30d,
        coalesce(trailing_features.unlicensed_features_used_30d, 0) as unlicensed_features_used_30d
    from account_months
    left join accounts
        on account_months.account_id = accounts.account_id
    left join mrr
        on
            account_months.account_id = mrr.account_id
            and account_months.month_start = mrr.month_start
    left join entitlements_at_month_end
        on
            account_months.account_id = entitlements_at_month_end.account_id
            and account_months.month_start = entitlements_at_month_end.month_start
    left join features_licensed_by_tier
        on entitlements_at_month_end.licensed_tier_rank = features_licensed_by_tier.tier_rank
    left join monthly_activity
        on
            account_months.account_id = monthly_activity.account_id
            and account_months.month_start = monthly_activity.month_start
    left join trailing_users
        on
            account_months.account_id = trailing_users.account_id
            and account_months.month_start = trailing_users.month_start
    left join trailing_features
        on
            account_months.account_id = trailing_features.account_id
            and account_months.month_start = trailing_features.month_start

),

usage_users_known as (

    -- the user-based measures, null where the users are unknown
    select
        account_id,
        month_start,
        month_end,
        days_in_month,
        segment,
        mrr_usd,
        licensed_tier,
        licensed_seats,
        licensed_features,
        licensed_features_used_30d,
        unlicensed_features_used_30d,
        session_starts,
        events,
        case when not are_users_unknown then monthly_active_users end as monthly_active_users,
        case when not are_users_unknown then active_user_days end as active_user_days,
        case when not are_users_unknown then active_users_30d end as active_users_30d,
        case when not are_users_unknown then session_starts_with_user end as session_starts_with_user
    from usage_joined

),

final as (

    select
        account_id,
        month_start,
        month_end,
        days_in_month,
        segment,
        mrr_usd,
        licensed_tier,
        cast(licensed_seats as {{ dbt.type_bigint() }}) as licensed_seats,
        cast(licensed_features as {{ dbt.type_bigint() }}) as licensed_features,
        cast(monthly_active_users as {{ dbt.type_bigint() }}) as monthly_active_users,
        cast(active_user_days as {{ dbt.type_bigint() }}) as active_user_days,
        {{ safe_ratio('active_user_days', 'days_in_month') }} as avg_daily_active_users,
        -- (sum over days of distinct users per day / days in month) / MAU
        {{ safe_ratio('active_user_days', 'days_in_month * monthly_active_users') }} as dau_mau,
        cast(active_users_30d as {{ dbt.type_bigint() }}) as active_users_30d,
        cast(licensed_features_used_30d as {{ dbt.type_bigint() }}) as licensed_features_used_30d,
        cast(unlicensed_features_used_30d as {{ dbt.type_bigint() }}) as unlicensed_features_used_30d,
        {{ safe_ratio('licensed_features_used_30d', 'licensed_features') }} as adoption_depth,
        {{ safe_ratio('active_users_30d', 'licensed_seats') }} as seat_utilization,
        cast(session_starts as {{ dbt.type_bigint() }}) as session_starts,
        -- sessions of the users counted in MAU (sessions without a user have
        -- no one to be averaged over)
        {{ safe_ratio('session_starts_with_user', 'monthly_active_users') }} as sessions_per_active_user,
        cast(events as {{ dbt.type_bigint() }}) as events
    from usage_users_known

)

select * from final
