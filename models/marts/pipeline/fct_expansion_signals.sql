with

active_users as (

    select
        account_id,
        week_start,
        week_end,
        active_users_30d,
        active_users_prior_30d
    from {{ ref('int_account_weeks_users_counted') }}

),

features_above_tier as (

    select
        account_id,
        week_start,
        features_above_tier
    from {{ ref('int_account_weeks_tier_exceeded') }}

),

entitled as (

    -- seats and tier licensed on the week's Sunday (the measurement date)
    select
        account_id,
        period_start as week_start,
        licensed_seats,
        licensed_tier
    from {{ ref('int_account_period_ends_entitled') }}
    where cadence = 'week'

),

opportunities as (

    select
        opportunity_id,
        account_id,
        origin,
        created_at,
        created_date
    from {{ ref('fct_opportunities') }}

),

account_week_keys as (

    select
        account_id,
        week_start
    from active_users
    union all
    select
        account_id,
        week_start
    from features_above_tier

),

account_weeks as (

    select
        account_id,
        week_start,
        cast({{ dbt.dateadd('day', 6, 'week_start') }} as date) as week_end
    from account_week_keys
    group by
        account_id,
        week_start

),

-- no active user or no feature above the tier in the window counts 0
account_weeks_measured as (

    {{ zero_filled_on('account_weeks', ['account_id', 'week_start'], {
        'active_users': {dbt.type_bigint(): ['active_users_30d', 'active_users_prior_30d']},
        'features_above_tier': {dbt.type_bigint(): ['features_above_tier']},
    }, spine_columns=['week_end']) }}

),

account_weeks_licensed as (

    select
        account_weeks_measured.*,
        entitled.licensed_seats,
        entitled.licensed_tier
    from account_weeks_measured
    left join entitled
        on
            account_weeks_measured.account_id = entitled.account_id
            and account_weeks_measured.week_start = entitled.week_start

),

account_weeks_flagged as (

    -- thresholds are project vars, compared without division so no
    -- rounding decides a signal: "above 85 %" is strict (17 active users on
    -- 20 seats is 0.85, not above; 18 is), "up at least 25 %" is inclusive
    -- (8 -> 10 users is +25 %, a surge; 8 -> 9 is not); no users in the
    -- prior 30 days means no measurable surge
    select
        *,
        coalesce(
            licensed_seats > 0
            and active_users_30d > {{ var('seat_utilization_signal_threshold') }} * licensed_seats,
            false
        ) as has_seat_utilization_signal,
        features_above_tier > 0 as has_feature_ceiling_signal,
        (
            active_users_prior_30d > 0
            and active_users_30d - active_users_prior_30d
            >= {{ var('active_user_surge_signal_threshold') }} * active_users_prior_30d
        ) as has_active_user_surge_signal
    from account_weeks_licensed

),

signal_weeks as (

    select *
    from account_weeks_flagged
    where
        has_seat_utilization_signal
        or has_feature_ceiling_signal
        or has_active_user_surge_signal

),

cs_opportunities_ranked as (

    -- CS-origin opportunities (any type) that exist by as_of_date, in order
    -- of creation per account; ties on the timestamp: smaller id first
    select
        opportunity_id,
        account_id,
        created_date,
        row_number() over (
            partition by account_id
            order by created_at, opportunity_id
        ) as creation_rank
    from opportunities
    where origin = 'cs'

),

cs_opportunities_reach as (

    -- the next CS opportunity on or after a date d is the first one created
    -- on d or, failing that, after it: each opportunity is "next" for the
    -- dates after the previous opportunity's date up to its own date
    -- (empty for a second opportunity on the same date)
    select
        current_opportunity.opportunity_id,
        current_opportunity.account_id,
        current_opportunity.created_date,
        previous_opportunity.created_date as previous_created_date
    from cs_opportunities_ranked as current_opportunity
    left join cs_opportunities_ranked as previous_opportunity
        on
            current_opportunity.account_id = previous_opportunity.account_id
            and current_opportunity.creation_rank = previous_opportunity.creation_rank + 1

),

signal_weeks_led as (

    select
        signal_weeks.*,
        cs_opportunities_reach.opportunity_id as next_cs_opportunity_id,
        cs_opportunities_reach.created_date as next_cs_opportunity_created_date
    from signal_weeks
    left join cs_opportunities_reach
        on
            signal_weeks.account_id = cs_opportunities_reach.account_id
            and signal_weeks.week_start <= cs_opportunities_reach.created_date
            and signal_weeks.week_start
            > coalesce(cs_opportunities_reach.previous_created_date, cast('0001-01-01' as date))

),

final as (

    select
        account_id,
        week_start,
        week_end,
        licensed_tier,
        cast(licensed_seats as {{ dbt.type_int() }}) as licensed_seats,
        cast(active_users_30d as {{ dbt.type_bigint() }}) as active_users_30d,
        cast(active_users_prior_30d as {{ dbt.type_bigint() }}) as active_users_prior_30d,
        {{ safe_ratio('active_users_30d', 'licensed_seats') }} as seat_utilization_rate,
        {{ safe_ratio('active_users_30d - active_users_prior_30d', 'active_users_prior_30d') }}
            as active_user_growth_rate,
        cast(features_above_tier as {{ dbt.type_bigint() }}) as features_above_tier,
        has_seat_utilization_signal,
        has_feature_ceiling_signal,
        has_active_user_surge_signal,
        next_cs_opportunity_id,
        next_cs_opportunity_created_date,
        case
            when next_cs_opportunity_created_date is not null
                then cast(
                    {{ dbt.datediff('week_start', 'next_cs_opportunity_created_date', 'day') }}
                    as {{ dbt.type_int() }}
                )
        end as lead_time_days
    from signal_weeks_led

)

select * from final
