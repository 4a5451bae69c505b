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
        activity_id,
        account_id,
        occurred_at
    from {{ ref('stg_crm__activities') }}

),

survey_responses as (

    select
        response_id,
        account_id,
        responded_at
    from {{ ref('stg_survey__responses') }}

),

activities_in_window as (

    select
        account_weeks.account_id,
        account_weeks.week_start,
        count(*) as activities_90d
    from account_weeks
    inner join activities
        on
            account_weeks.account_id = activities.account_id
            and cast(activities.occurred_at as date) <= account_weeks.week_end
            and cast(activities.occurred_at as date)
            > {{ dbt.dateadd('day', -window_days, 'account_weeks.week_end') }}
    group by
        account_weeks.account_id,
        account_weeks.week_start

),

responses_in_window as (

    select
        account_weeks.account_id,
        account_weeks.week_start,
        count(*) as survey_responses_90d
    from account_weeks
    inner join survey_responses
        on
            account_weeks.account_id = survey_responses.account_id
            and cast(survey_responses.responded_at as date) <= account_weeks.week_end
            and cast(survey_responses.responded_at as date)
            > {{ dbt.dateadd('day', -window_days, 'account_weeks.week_end') }}
    group by
        account_weeks.account_id,
        account_weeks.week_start

),

measured as (

    select
        account_weeks.account_id,
        account_weeks.week_start,
        account_weeks.week_end,
        coalesce(activities_in_window.activities_90d, 0) as activities_90d,
        coalesce(responses_in_window.survey_responses_90d, 0) as survey_responses_90d
    from account_weeks
    left join activities_in_window
        on
            account_weeks.account_id = activities_in_window.account_id
            and account_weeks.week_start = activities_in_window.week_start
    left join responses_in_window
        on
            account_weeks.account_id = responses_in_window.account_id
            and account_weeks.week_start = responses_in_window.week_start

),

scored as (

    select
        account_id,
        week_start,
        week_end,
        activities_90d,
        survey_responses_90d,
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
        cast(activities_90d as {{ dbt.type_bigint() }}) as activities_90d,
        cast(survey_responses_90d as {{ dbt.type_bigint() }}) as survey_responses_90d,
        cast(round(cast(engagement_score_unrounded as decimal(18, 6)), 2) as decimal(5, 2)) as engagement_score
    from scored

)

select * from final
