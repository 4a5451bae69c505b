{#-
    Relationship component of the health score (weight
    `health_weights.relationship`): the account's latest NPS answer (any
    touchpoint) on or before the week's Sunday. Promoter 9-10 -> 100,
    passive 7-8 -> 70, detractor 0-6 -> score x 50 / 6 (6 -> 50, 3 -> 25,
    0 -> 0). An account that never answered NPS is not punished as a
    detractor: it scores the neutral 70, the same as a passive. Two answers
    at the same latest instant: the lower score counts.
-#}
{%- set no_nps_score = 70 -%}

with

account_weeks as (

    select
        account_id,
        week_start,
        week_end
    from {{ ref('int_account_weeks_mrr_measured') }}

),

survey_responses as (

    select
        response_id,
        account_id,
        survey_type,
        score,
        responded_at
    from {{ ref('stg_survey__responses') }}

),

nps_responses as (

    select
        response_id,
        account_id,
        score,
        responded_at
    from survey_responses
    where survey_type = 'nps'

),

nps_ranked as (

    select
        account_weeks.account_id,
        account_weeks.week_start,
        nps_responses.score,
        nps_responses.responded_at,
        row_number() over (
            partition by account_weeks.account_id, account_weeks.week_start
            order by nps_responses.responded_at desc, nps_responses.score asc, nps_responses.response_id asc
        ) as recency_rank
    from account_weeks
    inner join nps_responses
        on
            account_weeks.account_id = nps_responses.account_id
            and cast(nps_responses.responded_at as date) <= account_weeks.week_end

),

latest_nps as (

    select
        account_id,
        week_start,
        score as latest_nps_score,
        responded_at as latest_nps_at
    from nps_ranked
    where recency_rank = 1

),

final as (

    select
        account_weeks.account_id,
        account_weeks.week_start,
        account_weeks.week_end,
        latest_nps.latest_nps_score,
        latest_nps.latest_nps_at,
        cast(
            case
                when latest_nps.latest_nps_score is null then {{ no_nps_score }}
                when latest_nps.latest_nps_score >= 9 then 100
                when latest_nps.latest_nps_score >= 7 then 70
                else round(cast(latest_nps.latest_nps_score * 50 as decimal(18, 6)) / 6, 2)
            end as decimal(5, 2)
        ) as relationship_score
    from account_weeks
    left join latest_nps
        on
            account_weeks.account_id = latest_nps.account_id
            and account_weeks.week_start = latest_nps.week_start

)

select * from final
