-- Why: the health score must be exactly what a reader recomputes from the
-- row: round(sum of weight x component, 2) with the weights of the
-- `health_weights` var (metrics.md, Health score), over the components the
-- company measures (weights renormalised when one is unmeasured), and a
-- component is null exactly when its system is absent
-- (int_health_components_measured). A component left out of the sum, a
-- swapped weight, a rounding change or a zero standing in for "unknown"
-- shows up here.
{%- set weights = health_weights() %}

with

account_health as (

    select
        account_id,
        week_start,
        health_score,
        usage_score,
        support_score,
        engagement_score,
        payment_score,
        relationship_score
    from {{ ref('fct_account_health') }}

),

components_measured as (

    select
        is_usage_measured,
        is_support_measured,
        is_engagement_measured,
        is_payment_measured,
        is_relationship_measured
    from {{ ref('int_health_components_measured') }}

),

recomputed as (

    select
        account_health.account_id,
        account_health.week_start,
        account_health.health_score,
        cast(
            round(
                case
                    when
                        account_health.usage_score is not null
                        and account_health.support_score is not null
                        and account_health.engagement_score is not null
                        and account_health.payment_score is not null
                        and account_health.relationship_score is not null
                        then
                            {{ weights['usage'] }} * account_health.usage_score
                            + {{ weights['support'] }} * account_health.support_score
                            + {{ weights['engagement'] }} * account_health.engagement_score
                            + {{ weights['payment'] }} * account_health.payment_score
                            + {{ weights['relationship'] }} * account_health.relationship_score
                    else
                        cast(
                            (
                                {{ weights['usage'] }} * coalesce(account_health.usage_score, 0)
                                + {{ weights['support'] }} * coalesce(account_health.support_score, 0)
                                + {{ weights['engagement'] }} * coalesce(account_health.engagement_score, 0)
                                + {{ weights['payment'] }} * coalesce(account_health.payment_score, 0)
                                + {{ weights['relationship'] }} * coalesce(account_health.relationship_score, 0)
                            )
                            / (
                                case
                                    when account_health.usage_score is not null then {{ weights['usage'] }}
                                    else 0
                                end
                                + case
                                    when account_health.support_score is not null then {{ weights['support'] }}
                                    else 0
                                end
                                + case
                                    when account_health.engagement_score is not null then {{ weights['engagement'] }}
                                    else 0
                                end
                                + case
                                    when account_health.payment_score is not null then {{ weights['payment'] }}
                                    else 0
                                end
                                + case
                                    when account_health.relationship_score is not null
                                        then {{ weights['relationship'] }}
                                    else 0
                                end
                            ) as decimal(18, 6)
                        )
                end,
                2
            ) as decimal(5, 2)
        ) as expected_health_score,
        (
            (account_health.usage_score is null) = components_measured.is_usage_measured
            or (account_health.support_score is null) = components_measured.is_support_measured
            or (account_health.engagement_score is null) = components_measured.is_engagement_measured
            or (account_health.payment_score is null) = components_measured.is_payment_measured
            or (account_health.relationship_score is null) = components_measured.is_relationship_measured
        ) as has_wrong_null_component
    from account_health
    cross join components_measured

),

final as (

    select
        account_id,
        week_start,
        health_score,
        expected_health_score,
        has_wrong_null_component
    from recomputed
    where health_score <> expected_health_score or has_wrong_null_component

)

select * from final
