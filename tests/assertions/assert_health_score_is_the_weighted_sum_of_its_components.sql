-- Why: the health score must be exactly what a reader recomputes from the
-- row: round(sum of weight x component, 2) with the weights of the
-- `health_weights` var (metrics.md, Health score). A component left out of
-- the sum, a swapped weight or a rounding change shows up here.
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

recomputed as (

    select
        account_id,
        week_start,
        health_score,
        cast(
            round(
                {{ weights['usage'] }} * usage_score
                + {{ weights['support'] }} * support_score
                + {{ weights['engagement'] }} * engagement_score
                + {{ weights['payment'] }} * payment_score
                + {{ weights['relationship'] }} * relationship_score,
                2
            ) as decimal(5, 2)
        ) as expected_health_score
    from account_health

),

final as (

    select
        account_id,
        week_start,
        health_score,
        expected_health_score
    from recomputed
    where health_score <> expected_health_score

)

select * from final
