{#-
    Weights come from the `health_weights` project var through the
    health_weights() macro, which validates them (five components, each in
    [0, 1], summing to 1) while the project is parsed: a bad set stops the
    run with a message naming the sum and every weight.
-#}
{%- set weights = health_weights() -%}

with

account_weeks as (

    select
        account_id,
        week_start,
        week_end,
        segment,
        csm_user_id,
        mrr_usd
    from {{ ref('int_account_weeks_mrr_measured') }}

),

usage_scored as (

    select
        account_id,
        week_start,
        seat_utilization_rate,
        adoption_depth_rate,
        usage_score
    from {{ ref('int_account_weeks_usage_scored') }}

),

support_scored as (

    select
        account_id,
        week_start,
        cases_90d,
        escalated_cases_90d,
        support_score
    from {{ ref('int_account_weeks_support_scored') }}

),

engagement_scored as (

    select
        account_id,
        week_start,
        activities_90d,
        survey_responses_90d,
        engagement_score
    from {{ ref('int_account_weeks_engagement_scored') }}

),

payment_scored as (

    select
        account_id,
        week_start,
        max_days_overdue,
        payment_score
    from {{ ref('int_account_weeks_payment_scored') }}

),

relationship_scored as (

    select
        account_id,
        week_start,
        latest_nps_score,
        relationship_score
    from {{ ref('int_account_weeks_relationship_scored') }}

),

components_measured as (

    select
        is_usage_measured,
        is_support_measured,
        is_engagement_measured,
        is_payment_measured,
        is_relationship_measured,
        is_first_value_measured
    from {{ ref('int_health_components_measured') }}

),

first_values as (

    select
        account_id,
        first_value_at
    from {{ ref('int_accounts_first_value_dated') }}

),

expansion_signals as (

    select
        account_id,
        week_start,
        has_seat_utilization_signal,
        has_feature_ceiling_signal,
        has_active_user_surge_signal
    from {{ ref('fct_expansion_signals') }}

),

signal_weeks as (

    select
        account_id,
        week_start
    from expansion_signals
    where
        has_seat_utilization_signal
        or has_feature_ceiling_signal
        or has_active_user_surge_signal
    group by
        account_id,
        week_start

),

components_joined as (

    select
        account_weeks.account_id,
        account_weeks.week_start,
        account_weeks.week_end,
        account_weeks.segment,
        account_weeks.csm_user_id,
        account_weeks.mrr_usd,
        -- a component whose system the company does not run is unknown,
        -- not a zero or a perfect score (int_health_components_measured)
        case when components_measured.is_usage_measured then usage_scored.usage_score end as usage_score,
        case when components_measured.is_support_measured then support_scored.support_score end as support_score,
        case
            when components_measured.is_engagement_measured then engagement_scored.engagement_score
        end as engagement_score,
        case when components_measured.is_payment_measured then payment_scored.payment_score end as payment_score,
        case
            when components_measured.is_relationship_measured then relationship_scored.relationship_score
        end as relationship_score,
        usage_scored.seat_utilization_rate,
        usage_scored.adoption_depth_rate,
        support_scored.cases_90d,
        support_scored.escalated_cases_90d,
        engagement_scored.activities_90d,
        engagement_scored.survey_responses_90d,
        payment_scored.max_days_overdue,
        relationship_scored.latest_nps_score,
        -- unknown (null) where the company has no `new` contract to start a
        -- time-to-value clock: routing then skips onboarding
        case
            when components_measured.is_first_value_measured
                then coalesce(cast(first_values.first_value_at as date) <= account_weeks.week_end, false)
        end as has_reached_first_value,
        signal_weeks.account_id is not null as has_expansion_signal
    from account_weeks
    inner join usage_scored
        on
            account_weeks.account_id = usage_scored.account_id
            and account_weeks.week_start = usage_scored.week_start
    inner join support_scored
        on
            account_weeks.account_id = support_scored.account_id
            and account_weeks.week_start = support_scored.week_start
    inner join engagement_scored
        on
            account_weeks.account_id = engagement_scored.account_id
            and account_weeks.week_start = engagement_scored.week_start
    inner join payment_scored
        on
            account_weeks.account_id = payment_scored.account_id
            and account_weeks.week_start = payment_scored.week_start
    inner join relationship_scored
        on
            account_weeks.account_id = relationship_scored.account_id
            and account_weeks.week_start = relationship_scored.week_start
    cross join components_measured
    left join first_values
        on account_weeks.account_id = first_values.account_id
    left join signal_weeks
        on
            account_weeks.account_id = signal_weeks.account_id
            and account_weeks.week_start = signal_weeks.week_start

),

weighted as (

    -- the weighted sum of the stored (2-decimal) components, rounded to 2
    -- decimals: a reader can recompute the score from the row. Components
    -- the company cannot measure drop out and the weights of the others are
    -- renormalised to sum to 1 (docs block health_score); with all five
    -- measured the exact decimal sum is kept, no division
    select
        *,
        cast(
            round(
                case
                    when
                        usage_score is not null and support_score is not null
                        and engagement_score is not null and payment_score is not null
                        and relationship_score is not null
                        then
                            {{ weights['usage'] }} * usage_score
                            + {{ weights['support'] }} * support_score
                            + {{ weights['engagement'] }} * engagement_score
                            + {{ weights['payment'] }} * payment_score
                            + {{ weights['relationship'] }} * relationship_score
                    else
                        -- a double quotient, fixed to 6 decimals before rounding so the
                        -- exact branch above stays a decimal
                        cast((
                            {{ weights['usage'] }} * coalesce(usage_score, 0)
                            + {{ weights['support'] }} * coalesce(support_score, 0)
                            + {{ weights['engagement'] }} * coalesce(engagement_score, 0)
                            + {{ weights['payment'] }} * coalesce(payment_score, 0)
                            + {{ weights['relationship'] }} * coalesce(relationship_score, 0)
                        )
                        / nullif(
                            case when usage_score is not null then {{ weights['usage'] }} else 0 end
                            + case when support_score is not null then {{ weights['support'] }} else 0 end
                            + case when engagement_score is not null then {{ weights['engagement'] }} else 0 end
                            + case when payment_score is not null then {{ weights['payment'] }} else 0 end
                            + case when relationship_score is not null then {{ weights['relationship'] }} else 0 end,
                            0
                        ) as decimal(18, 6))
                end,
                2
            ) as decimal(5, 2)
        ) as health_score
    from components_joined
    -- an account-week with no measurable component has no score at all
    where
        usage_score is not null or support_score is not null or engagement_score is not null
        or payment_score is not null or relationship_score is not null

),

banded as (

    -- bands on the stored score: red < 60, yellow 60-84.99, green >= 85
    -- (metrics.md, Health score)
    select
        *,
        case
            when health_score < 60 then 'red'
            when health_score < 85 then 'yellow'
            else 'green'
        end as health_band
    from weighted

),

routed as (

    -- precedence (metrics.md, Health score; the order is this project's):
    -- 1. red -> retention specialist, whatever else is true;
    -- 2. not yet at first value -> onboarding (an account moves from
    --    onboarding to steady state when it reaches first value; unknown,
    --    null, without any `new` contract in the company: not onboarding);
    -- 3. green with an expansion signal that week -> growth CSM;
    -- 4. everything else -> steady state
    select
        *,
        case
            when health_band = 'red' then 'retention_specialist'
            when has_reached_first_value = false then 'onboarding'
            when health_band = 'green' and has_expansion_signal then 'growth_csm'
            else 'steady_state'
        end as routing_action
    from banded

),

final as (

    select
        account_id,
        week_start,
        week_end,
        segment,
        csm_user_id,
        mrr_usd,
        health_score,
        health_band,
        usage_score,
        support_score,
        engagement_score,
        payment_score,
        relationship_score,
        routing_action,
        has_reached_first_value,
        has_expansion_signal,
        seat_utilization_rate,
        adoption_depth_rate,
        cases_90d,
        escalated_cases_90d,
        activities_90d,
        survey_responses_90d,
        max_days_overdue,
        latest_nps_score
    from routed

)

select * from final
