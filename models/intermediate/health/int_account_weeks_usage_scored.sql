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

entitled as (

    -- tier, seats and licensed features on the week's Sunday
    select
        account_id,
        period_start as week_start,
        licensed_seats,
        licensed_features
    from {{ ref('int_account_period_ends_entitled') }}
    where cadence = 'week'

),

features_used as (

    -- licensed features with any event in the 30 days ending on the Sunday
    -- (metrics.md, Usage: adoption depth); use above the tier does not
    -- count here
    select
        account_id,
        period_start as week_start,
        licensed_features_used_30d
    from {{ ref('int_account_period_ends_features_used') }}
    where cadence = 'week'

),

measured as (

    select
        account_weeks.account_id,
        account_weeks.week_start,
        account_weeks.week_end,
        entitled.licensed_seats,
        coalesce(active_users.active_users_30d, 0) as active_users_30d,
        coalesce(entitled.licensed_features, 0) as licensed_features,
        coalesce(features_used.licensed_features_used_30d, 0) as licensed_features_used_30d
    from account_weeks
    left join entitled
        on
            account_weeks.account_id = entitled.account_id
            and account_weeks.week_start = entitled.week_start
    left join active_users
        on
            account_weeks.account_id = active_users.account_id
            and account_weeks.week_start = active_users.week_start
    left join features_used
        on
            account_weeks.account_id = features_used.account_id
            and account_weeks.week_start = features_used.week_start

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
        licensed_features,
        licensed_features_used_30d,
        case
            when are_users_identified then {{ safe_ratio('active_users_30d', 'licensed_seats') }}
        end as seat_utilization_rate,
        {{ safe_ratio('licensed_features_used_30d', 'licensed_features') }} as adoption_depth_rate
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
        *,
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
        cast(licensed_features as {{ dbt.type_bigint() }}) as licensed_features,
        cast(licensed_features_used_30d as {{ dbt.type_bigint() }}) as licensed_features_used_30d,
        seat_utilization_rate,
        adoption_depth_rate,
        cast(round(cast(usage_score_unrounded as decimal(18, 6)), 2) as decimal(5, 2)) as usage_score
    from scored

)

select * from final
