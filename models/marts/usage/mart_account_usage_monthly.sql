{#-
    The usage rules live in models/intermediate/usage: period ends and
    trailing windows (int_period_ends_listed, int_period_windows_spanned),
    what is licensed on month_end (int_account_period_ends_entitled,
    int_tiers_features_counted), features used in the trailing 30 days
    (int_account_period_ends_features_used) and active users
    (int_account_months_users_counted). This mart lists the account-months
    and turns the counts into the published ratios.
-#}

with

period_ends as (

    select
        period_start as month_start,
        period_end as month_end,
        days_in_period as days_in_month
    from {{ ref('int_period_ends_listed') }}
    where cadence = 'month'

),

mrr as (

    select
        account_id,
        month_start,
        mrr_usd
    from {{ ref('int_mrr_account_months_measured') }}

),

users_counted as (

    select
        account_id,
        month_start,
        monthly_active_users,
        active_user_days,
        active_users_30d,
        events,
        session_starts,
        session_starts_with_user
    from {{ ref('int_account_months_users_counted') }}

),

entitled as (

    select
        account_id,
        period_start as month_start,
        licensed_tier,
        licensed_seats,
        licensed_features
    from {{ ref('int_account_period_ends_entitled') }}
    where cadence = 'month'

),

features_used as (

    select
        account_id,
        period_start as month_start,
        licensed_features_used_30d,
        unlicensed_features_used_30d
    from {{ ref('int_account_period_ends_features_used') }}
    where cadence = 'month'

),

accounts as (

    select
        account_id,
        segment
    from {{ ref('stg_crm__accounts') }}

),

account_months_listed as (

    -- an account is reported in a month when it has MRR or product events
    -- (events on a feature are product events too)
    select
        account_id,
        month_start
    from mrr
    union all
    select
        account_id,
        month_start
    from users_counted
    where events > 0

),

account_months as (

    select distinct
        account_months_listed.account_id,
        period_ends.month_start,
        period_ends.month_end,
        period_ends.days_in_month
    from account_months_listed
    inner join period_ends
        on account_months_listed.month_start = period_ends.month_start

),

usage_joined as (

    -- a month without a row in users_counted had no event and nobody
    -- active in the window (0); a null in a row is unknown (docs
    -- usage_active_user)
    select
        account_months.account_id,
        account_months.month_start,
        account_months.month_end,
        account_months.days_in_month,
        accounts.segment,
        cast(coalesce(mrr.mrr_usd, 0) as decimal(18, 2)) as mrr_usd,
        entitled.licensed_tier,
        entitled.licensed_seats,
        coalesce(entitled.licensed_features, 0) as licensed_features,
        coalesce(features_used.licensed_features_used_30d, 0) as licensed_features_used_30d,
        coalesce(features_used.unlicensed_features_used_30d, 0) as unlicensed_features_used_30d,
        coalesce(users_counted.session_starts, 0) as session_starts,
        coalesce(users_counted.events, 0) as events,
        case when users_counted.account_id is null then 0 else users_counted.monthly_active_users end
            as monthly_active_users,
        case when users_counted.account_id is null then 0 else users_counted.active_user_days end
            as active_user_days,
        case when users_counted.account_id is null then 0 else users_counted.active_users_30d end
            as active_users_30d,
        case when users_counted.account_id is null then 0 else users_counted.session_starts_with_user end
            as session_starts_with_user
    from account_months
    left join accounts
        on account_months.account_id = accounts.account_id
    left join mrr
        on
            account_months.account_id = mrr.account_id
            and account_months.month_start = mrr.month_start
    left join entitled
        on
            account_months.account_id = entitled.account_id
            and account_months.month_start = entitled.month_start
    left join features_used
        on
            account_months.account_id = features_used.account_id
            and account_months.month_start = features_used.month_start
    left join users_counted
        on
            account_months.account_id = users_counted.account_id
            and account_months.month_start = users_counted.month_start

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
    from usage_joined

)

select * from final
