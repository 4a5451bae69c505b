with

milestones as (

    select
        account_id,
        milestone_key,
        segment,
        cohort_month,
        days_to_complete,
        milestone_status
    from {{ ref('fct_onboarding_milestones') }}

),

accounts_rolled_up as (

    select
        account_id,
        segment
    from {{ ref('int_accounts_rolled_up') }}

),

accounts_onboarding as (

    -- one row per signed account: on time when all four milestones were
    -- completed by their target dates; missed as soon as one was completed
    -- late, is overdue or is not planned; in progress otherwise (right-
    -- censored like time to value: left out of the rate)
    select
        account_id,
        segment,
        cohort_month,
        case
            when count(case when milestone_status = 'completed_on_time' then 1 end) = count(*)
                then 'on_time'
            when count(case when milestone_status in ('completed_late', 'overdue', 'not_planned') then 1 end) > 0
                then 'missed'
            else 'in_progress'
        end as onboarding_status,
        max(case when milestone_key = 'kickoff' then days_to_complete end) as days_to_kickoff,
        max(case when milestone_key = 'integration_live' then days_to_complete end) as days_to_integration_live,
        max(case when milestone_key = 'first_value' then days_to_complete end) as days_to_first_value_milestone,
        max(case when milestone_key = 'onboarding_complete' then days_to_complete end)
            as days_to_onboarding_complete
    from milestones
    group by
        account_id,
        segment,
        cohort_month

),

accounts_by_segment as (

    -- every account counts in its own segment and in `all`
    -- (int_accounts_rolled_up); an account without a known segment counts in neither,
    -- as in the revenue marts, so the segments add up to `all`
    select
        accounts_rolled_up.segment,
        accounts_onboarding.cohort_month,
        accounts_onboarding.onboarding_status,
        accounts_onboarding.days_to_kickoff,
        accounts_onboarding.days_to_integration_live,
        accounts_onboarding.days_to_first_value_milestone,
        accounts_onboarding.days_to_onboarding_complete
    from accounts_onboarding
    inner join accounts_rolled_up
        on accounts_onboarding.account_id = accounts_rolled_up.account_id

),

cohorts_aggregated as (

    select
        cohort_month,
        segment,
        count(*) as accounts_signed,
        count(case when onboarding_status = 'on_time' then 1 end) as accounts_onboarded_on_time,
        count(case when onboarding_status = 'missed' then 1 end) as accounts_onboarding_missed,
        count(case when onboarding_status = 'in_progress' then 1 end) as accounts_onboarding_in_progress,
        count(days_to_kickoff) as accounts_completed_kickoff,
        count(days_to_integration_live) as accounts_completed_integration_live,
        count(days_to_first_value_milestone) as accounts_completed_first_value_milestone,
        count(days_to_onboarding_complete) as accounts_completed_onboarding,
        cast({{ percentile_cont('days_to_kickoff', 0.5) }} as {{ type_ratio() }})
            as median_days_to_kickoff,
        cast({{ percentile_cont('days_to_integration_live', 0.5) }} as {{ type_ratio() }})
            as median_days_to_integration_live,
        cast({{ percentile_cont('days_to_first_value_milestone', 0.5) }} as {{ type_ratio() }})
            as median_days_to_first_value_milestone,
        cast({{ percentile_cont('days_to_onboarding_complete', 0.5) }} as {{ type_ratio() }})
            as median_days_to_onboarding_complete
    from accounts_by_segment
    group by
        cohort_month,
        segment

),

-- every month of the reporting window is a signing cohort, even where
-- nobody signed; a median of nobody stays null
cohorts_dense as (

    {{ fill_month_segment_grid({
        'cohorts_aggregated': {
            dbt.type_bigint(): [
                'accounts_signed', 'accounts_onboarded_on_time', 'accounts_onboarding_missed',
                'accounts_onboarding_in_progress', 'accounts_completed_kickoff',
                'accounts_completed_integration_live', 'accounts_completed_first_value_milestone',
                'accounts_completed_onboarding',
            ],
            none: [
                'median_days_to_kickoff', 'median_days_to_integration_live',
                'median_days_to_first_value_milestone', 'median_days_to_onboarding_complete',
            ],
        },
    }, month_column='cohort_month') }}

),

final as (

    select
        cohort_month,
        segment,
        accounts_signed,
        accounts_onboarded_on_time,
        accounts_onboarding_missed,
        accounts_onboarding_in_progress,
        -- in-progress accounts are right-censored: out of the denominator
        {{ safe_ratio('accounts_onboarded_on_time', 'accounts_onboarded_on_time + accounts_onboarding_missed') }}
            as onboarding_on_time_rate,
        accounts_completed_kickoff,
        median_days_to_kickoff,
        accounts_completed_integration_live,
        median_days_to_integration_live,
        accounts_completed_first_value_milestone,
        median_days_to_first_value_milestone,
        accounts_completed_onboarding,
        median_days_to_onboarding_complete
    from cohorts_dense

)

select * from final
