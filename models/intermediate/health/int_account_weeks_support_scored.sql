{#-
    Support component of the health score (weight `health_weights.support`):
    support load and escalations over the 90 days ending on the week's
    Sunday, as penalty points off 100: every case opened -5, a `high`
    priority case a further -5, an `urgent` one a further -10, an escalated
    one a further -15; floored at 0. No case in the window is a full 100.
    `is_escalated` carries no date, so a case counts as escalated from the
    day it was opened.
-#}
{%- set window_days = 90 -%}
{%- set points_per_case = 5 -%}
{%- set points_per_high_case = 5 -%}
{%- set points_per_urgent_case = 10 -%}
{%- set points_per_escalated_case = 15 -%}

with

account_weeks as (

    select
        account_id,
        week_start,
        week_end
    from {{ ref('int_account_weeks_mrr_measured') }}

),

cases as (

    select
        case_id,
        account_id,
        priority,
        is_escalated,
        opened_at
    from {{ ref('stg_crm__cases') }}

),

cases_dated as (

    select
        case_id,
        account_id,
        priority,
        coalesce(is_escalated, false) as is_escalated,
        cast(opened_at as date) as opened_date
    from cases

),

cases_in_window as (

    select
        account_weeks.account_id,
        account_weeks.week_start,
        count(*) as cases_90d,
        sum(case when cases_dated.priority = 'high' then 1 else 0 end) as high_priority_cases_90d,
        sum(case when cases_dated.priority = 'urgent' then 1 else 0 end) as urgent_cases_90d,
        sum(case when cases_dated.is_escalated then 1 else 0 end) as escalated_cases_90d
    from account_weeks
    inner join cases_dated
        on
            account_weeks.account_id = cases_dated.account_id
            and {{ is_within_days_before('cases_dated.opened_date', 'account_weeks.week_end', window_days) }}
    group by
        account_weeks.account_id,
        account_weeks.week_start

),

-- no case in the window counts 0
measured as (

    {{ zero_filled_on('account_weeks', ['account_id', 'week_start'], {
        'cases_in_window': {
            dbt.type_bigint(): ['cases_90d', 'high_priority_cases_90d', 'urgent_cases_90d', 'escalated_cases_90d'],
        },
    }, spine_columns=['week_end']) }}

),

scored as (

    select
        *,
        100
        - {{ points_per_case }} * cases_90d
        - {{ points_per_high_case }} * high_priority_cases_90d
        - {{ points_per_urgent_case }} * urgent_cases_90d
        - {{ points_per_escalated_case }} * escalated_cases_90d as support_points
    from measured

),

final as (

    select
        account_id,
        week_start,
        week_end,
        cases_90d,
        high_priority_cases_90d,
        urgent_cases_90d,
        escalated_cases_90d,
        cast(case when support_points < 0 then 0 else support_points end as decimal(5, 2)) as support_score
    from scored

)

select * from final
