with

first_values as (

    select
        account_id,
        segment,
        signed_date,
        cohort_month
    from {{ ref('int_accounts_first_value_dated') }}

),

milestones as (

    select
        account_id,
        milestone_key,
        target_date,
        completed_at
    from {{ ref('stg_crm__onboarding_milestones') }}

),

milestone_keys as (

    -- the onboarding plan every signed account is expected to go through
    select
        'kickoff' as milestone_key,
        1 as milestone_order
    union all
    select
        'integration_live' as milestone_key,
        2 as milestone_order
    union all
    select
        'first_value' as milestone_key,
        3 as milestone_order
    union all
    select
        'onboarding_complete' as milestone_key,
        4 as milestone_order

),

account_milestone_grid as (

    select
        first_values.account_id,
        first_values.segment,
        first_values.signed_date,
        first_values.cohort_month,
        milestone_keys.milestone_key,
        milestone_keys.milestone_order
    from first_values
    cross join milestone_keys

),

milestones_as_of as (

    -- a completion dated after as_of_date has not happened yet
    select
        account_id,
        milestone_key,
        target_date,
        case
            when cast(completed_at as date) <= {{ as_of_date() }} then completed_at
        end as completed_at
    from milestones

),

milestones_joined as (

    select
        account_milestone_grid.account_id,
        account_milestone_grid.milestone_key,
        account_milestone_grid.milestone_order,
        account_milestone_grid.segment,
        account_milestone_grid.cohort_month,
        account_milestone_grid.signed_date,
        milestones_as_of.target_date,
        milestones_as_of.completed_at,
        cast(milestones_as_of.completed_at as date) as completed_date,
        milestones_as_of.account_id is not null as is_planned
    from account_milestone_grid
    left join milestones_as_of
        on
            account_milestone_grid.account_id = milestones_as_of.account_id
            and account_milestone_grid.milestone_key = milestones_as_of.milestone_key

),

milestones_judged as (

    select
        *,
        completed_date is not null as is_completed,
        -- on time = completed on or before its target date (a milestone
        -- without a target date has no deadline)
        completed_date is not null
        and (target_date is null or completed_date <= target_date) as is_completed_on_time,
        -- days from signing to completion; before signing counts as 0, as
        -- for time to value
        {{ days_from_signing('signed_date', 'completed_date') }} as days_to_complete
    from milestones_joined

),

milestones_classified as (

    select
        *,
        case
            when not is_planned then 'not_planned'
            when is_completed_on_time then 'completed_on_time'
            when is_completed then 'completed_late'
            -- as_of_date is a whole observed day: a target on it not met by
            -- then is missed
            when target_date <= {{ as_of_date() }} then 'overdue'
            else 'open'
        end as milestone_status
    from milestones_judged

),

final as (

    select
        account_id,
        milestone_key,
        milestone_order,
        segment,
        cohort_month,
        signed_date,
        target_date,
        completed_at,
        completed_date,
        days_to_complete,
        is_planned,
        is_completed,
        is_completed_on_time,
        milestone_status
    from milestones_classified

)

select * from final
