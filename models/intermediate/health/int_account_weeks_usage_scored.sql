{#-
    Usage component of the health score (weight `health_weights.usage`):
    seat utilization and adoption depth over the trailing 30 days ending on
    the week's Sunday (metrics.md, Usage), each capped to [0, 1], averaged
    and scaled to 0-100. A signal that cannot be measured (no per-seat
    licence: no seats; no licensed tier: no features) drops out of the
    average; with neither, the component is the neutral 50.
-#}

with

identified_events as (

    -- events that name their user: without any in the company, active users
    -- (and so seat utilization) cannot be measured (metrics.md, Usage: user
    -- measures are unknown, not 0, when no event has a user)
    select user_id
    from {{ ref('stg_product__events') }}
    where user_id is not null

),

account_weeks as (

    select
        account_id,
        week_start,
        week_end
    from {{ ref('int_account_weeks_mrr_measured') }}

),

active_users as (

    -- distinct users active in the 30 days ending on the Sunday, computed
    -- once for the pipeline and health models
    select
        account_id,
        week_start,
        active_users_30d
    from {{ ref('int_account_weeks_users_counted') }}

),

feature_days as (

    select
        account_id,
        feature_key,
        activity_date
    from {{ ref('int_product_feature_days_rolled_up') }}

),

entitlements as (

    select
        account_id,
        valid_from,
        valid_to,
        licensed_tier_rank,
        licensed_seats
    from {{ ref('int_account_entitlements_phased') }}

),

features as (

    select
        feature_key,
        min_tier
    from {{ ref('stg_product__features') }}

),

features_ranked as (

    select
        feature_key,
        {{ tier_rank('min_tier') }} as min_tier_rank
    from features

),

account_weeks_entitled as (

    -- tier and seats licensed on the week's Sunday
    select
        account_weeks.account_id,
        account_weeks.week_start,
        account_weeks.week_end,
        entitlements.licensed_tier_rank,
        entitlements.licensed_seats
    from account_weeks
    left join entitlements
        on
            account_weeks.account_id = entitlements.account_id
            and {{ is_in_force_on('account_weeks.week_end', 'entitlements') }}

),

features_licensed as (

    select
        account_weeks_entitled.account_id,
        account_weeks_entitled.week_start,
        count(*) as features_licensed
    from account_weeks_entitled
    inner join features_ranked
        on account_weeks_entitled.licensed_tier_rank >= features_ranked.min_tier_rank
    group by
        account_weeks_entitled.account_id,
        account_weeks_entitled.week_start

),

feature_weeks as (

    -- a feature's use per Monday-Sunday week, with the last weekday it was
    -- used on (0 = Monday .. 6 = Sunday)
    select
        account_id,
        feature_key,
        cast({{ dbt.date_trunc('week', 'activity_date') }} as date) as week_start,
        max(activity_date) as last_used_date
    from feature_days
    group by
        account_id,
        feature_key,
        cast({{ dbt.date_trunc('week', 'activity_date') }} as date)

),

feature_weeks_weekday as (

    -- the last weekday of the week the feature was used on (0 = Monday ..
    -- 6 = Sunday)
    select
        account_id,
        feature_key,
        week_start,
        {{ dbt.datediff('week_start', 'last_used_date', 'day') }} as last_used_weekday  -- noqa: LT05
    from feature_weeks

),

week_offsets as (

    select 0 as week_offset
    union all
    select 1 as week_offset
    union all
    select 2 as week_offset
    union all
    select 3 as week_offset
    union all
    select 4 as week_offset

),

feature_weeks_to_windows as (

    -- the 30 days ending on the Sunday of week T are the whole
    -- weeks T - 3 .. T and the Saturday and Sunday of week T - 4: a week's
    -- use reaches the windows of the 4 weeks from it, and of the 5th when
    -- the feature was used on its Saturday or Sunday (equi-joins instead of
    -- a range join over every feature-day)
    select
        feature_weeks_weekday.account_id,
        feature_weeks_weekday.feature_key,
        cast({{ dbt.dateadd('day', '7 * week_offsets.week_offset', 'feature_weeks_weekday.week_start') }} as date)
            as window_week_start
    from feature_weeks_weekday
    cross join week_offsets
    where
        week_offsets.week_offset <= 3
        or feature_weeks_weekday.last_used_weekday >= 5

),

licensed_features_used as (

    -- licensed features with any event in the window (metrics.md, Usage:
    -- adoption depth); use of a feature above the tier does not count here
    select
        account_weeks_entitled.account_id,
        account_weeks_entitled.week_start,
        count(distinct feature_weeks_to_windows.feature_key) as licensed_features_used_30d
    from account_weeks_entitled
    inner join feature_weeks_to_windows
        on
            account_weeks_entitled.account_id = feature_weeks_to_windows.account_id
            and account_weeks_entitled.week_start = feature_weeks_to_windows.window_week_start
    inner join features_ranked
        on
            feature_weeks_to_windows.feature_key = features_ranked.feature_key
            and account_weeks_entitled.licensed_tier_rank >= features_ranked.min_tier_rank
    group by
        account_weeks_entitled.account_id,
        account_weeks_entitled.week_start

),

measured as (

    select
        account_weeks_entitled.account_id,
        account_weeks_entitled.week_start,
        account_weeks_entitled.week_end,
        account_weeks_entitled.licensed_seats,
        coalesce(active_users.active_users_30d, 0) as active_users_30d,
        coalesce(features_licensed.features_licensed, 0) as features_licensed,
        coalesce(licensed_features_used.licensed_features_used_30d, 0) as licensed_features_used_30d
    from account_weeks_entitled
    left join active_users
        on
            account_weeks_entitled.account_id = active_users.account_id
            and account_weeks_entitled.week_start = active_users.week_start
    left join features_licensed
        on
            account_weeks_entitled.account_id = features_licensed.account_id
            and account_weeks_entitled.week_start = features_licensed.week_start
    left join licensed_features_used
        on
            account_weeks_entitled.account_id = licensed_features_used.account_id
            and account_weeks_entitled.week_start = licensed_features_used.week_start

),

users_identified as (

    select count(*) > 0 as are_users_identified
    from identified_events

),

measured_with_identity as (

    select
        measured.*,
        users_identified.are_users_identified
    from measured
    cross join users_identified

),

rated as (

    select
        account_id,
        week_start,
        week_end,
        licensed_seats,
        active_users_30d,
        features_licensed,
        licensed_features_used_30d,
        case
            when are_users_identified then {{ safe_ratio('active_users_30d', 'licensed_seats') }}
        end as seat_utilization_rate,
        {{ safe_ratio('licensed_features_used_30d', 'features_licensed') }} as adoption_depth_rate
    from measured_with_identity

),

rated_capped as (

    select
        *,
        -- more active users than seats is full utilization, not more
        case when seat_utilization_rate > 1 then 1 else seat_utilization_rate end as seat_utilization_rate_capped
    from rated

),

scored as (

    select
        account_id,
        week_start,
        week_end,
        licensed_seats,
        active_users_30d,
        features_licensed,
        licensed_features_used_30d,
        seat_utilization_rate,
        adoption_depth_rate,
        -- a signal that cannot be measured (null) drops out of the average
        case
            when seat_utilization_rate_capped is not null and adoption_depth_rate is not null
                then 100 * (seat_utilization_rate_capped + adoption_depth_rate) / 2
            when seat_utilization_rate_capped is not null
                then 100 * seat_utilization_rate_capped
            when adoption_depth_rate is not null
                then 100 * adoption_depth_rate
            else 50
        end as usage_score_unrounded
    from rated_capped

),

final as (

    select
        account_id,
        week_start,
        week_end,
        cast(licensed_seats as {{ dbt.type_bigint() }}) as licensed_seats,
        cast(active_users_30d as {{ dbt.type_bigint() }}) as active_users_30d,
        cast(features_licensed as {{ dbt.type_bigint() }}) as features_licensed,
        cast(licensed_features_used_30d as {{ dbt.type_bigint() }}) as licensed_features_used_30d,
        seat_utilization_rate,
        adoption_depth_rate,
        cast(round(cast(usage_score_unrounded as decimal(18, 6)), 2) as decimal(5, 2)) as usage_score
    from scored

)

select * from final
