{#-
    Engagement component of the health score (weight
    `health_weights.engagement`): CS touchpoints (CRM activities of any type)
    and survey participation over the 90 days ending on the week's Sunday.
    80 points for touchpoints, linear up to 6 in the window (about one
    every two weeks) and capped there; 20 points when the account answered at
    least one survey (any type) in the window. Nothing in the window is 0:
    silence is the signal here (the relationship component is where a
    missing survey must not hurt).
-#}
{%- set window_days = 90 -%}
{%- set touchpoints_for_full_points = 6 -%}
{%- set touchpoint_points = 80 -%}
{%- set survey_points = 20 -%}

with

account_weeks as (

    select
        account_id,
        week_start,
        week_end
    from {{ ref('int_account_weeks_mrr_measured') }}

),

activities as (

    select
        account_id,
        occurred_at
    from {{ ref('stg_crm__activities') }}

),

survey_responses as (

    select
        account_id,
        responded_at
    from {{ ref('stg_survey__responses') }}

),

touchpoints as (

    -- CS touchpoints and survey answers, each on its UTC date
    select
        account_id,
        cast(occurred_at as date) as touch_date,
        1 as is_activity,
        0 as is_survey_response
    from activities

    union all

    select
        account_id,
        cast(responded_at as date) as touch_date,
        0 as is_activity,
        1 as is_survey_response
    from survey_responses

),

touchpoints_in_window as (

    select
        account_weeks.account_id,
        account_weeks.week_start,
        sum(touchpoints.is_activity) as activities_90d,
        sum(touchpoints.is_survey_response) as survey_responses_90d
    from account_weeks
    inner join touchpoints
        on
            account_weeks.account_id = touchpoints.account_id
            and {{ is_within_days_before('touchpoints.touch_date', 'account_weeks.week_end', window_days) }}
    group by
        account_weeks.account_id,
        account_weeks.week_start

),

-- nothing in the window counts 0
measured as (

    {{ zero_filled_on('account_weeks', ['account_id', 'week_start'], {
        'touchpoints_in_window': {dbt.type_bigint(): ['activities_90d', 'survey_responses_90d']},
    }, spine_columns=['week_end']) }}

),

scored as (

    select
        *,
        {{ touchpoint_points }}.0
        * (
            case
                when activities_90d > {{ touchpoints_for_full_points }} then {{ touchpoints_for_full_points }}
                else activities_90d
            end
        )
        / {{ touchpoints_for_full_points }}
        + case when survey_responses_90d > 0 then {{ survey_points }} else 0 end as engagement_score_unrounded
    from measured

),

final as (

    select
        account_id,
        week_start,
        week_end,
        activities_90d,
        survey_responses_90d,
        cast(round(cast(engagement_score_unrounded as decimal(18, 6)), 2) as decimal(5, 2)) as engagement_score
    from scored

)

select * from final
