with

contracts as (

    select
        contract_id,
        account_id,
        contract_type,
        start_date,
        signed_at
    from {{ ref('stg_crm__contracts') }}

),

milestones as (

    select
        account_id,
        milestone_key,
        completed_at
    from {{ ref('stg_crm__onboarding_milestones') }}

),

feature_days as (

    select
        account_id,
        feature_key,
        activity_date,
        workflow_completed_count,
        first_workflow_completed_at
    from {{ ref('int_product_feature_days_rolled_up') }}

),

features as (

    select
        feature_key,
        is_core_workflow
    from {{ ref('stg_product__features') }}

),

accounts as (

    select
        account_id,
        segment
    from {{ ref('stg_crm__accounts') }}

),

new_contracts_ranked as (

    -- the TTV clock starts at the first `new` contract signed by as_of_date
    -- and never restarts (metrics.md, Time to value): a later `new`
    -- contract of a reactivated account is ignored
    select
        contract_id,
        account_id,
        signed_at,
        row_number() over (
            partition by account_id
            order by signed_at, start_date, contract_id
        ) as signing_rank
    from contracts
    where
        contract_type = 'new'
        and signed_at is not null
        and cast(signed_at as date) <= {{ as_of_date() }}

),

first_signings as (

    select
        contract_id as first_new_contract_id,
        account_id,
        signed_at,
        cast(signed_at as date) as signed_date
    from new_contracts_ranked
    where signing_rank = 1

),

first_value_milestones as (

    -- a milestone completed after as_of_date has not happened yet
    select
        account_id,
        min(completed_at) as first_value_milestone_at
    from milestones
    where
        milestone_key = 'first_value'
        and completed_at is not null
        and cast(completed_at as date) <= {{ as_of_date() }}
    group by account_id

),

first_core_workflows as (

    -- the first workflow_completed event on a core-workflow feature, dated
    -- by occurred_at on or before as_of_date (late deliveries count)
    select
        feature_days.account_id,
        min(feature_days.first_workflow_completed_at) as first_core_workflow_at
    from feature_days
    inner join features
        on feature_days.feature_key = features.feature_key
    where
        features.is_core_workflow
        and feature_days.workflow_completed_count > 0
        and feature_days.activity_date <= {{ as_of_date() }}
    group by feature_days.account_id

),

first_values_combined as (

    select
        first_signings.account_id,
        first_signings.first_new_contract_id,
        first_signings.signed_at,
        first_signings.signed_date,
        first_value_milestones.first_value_milestone_at,
        first_core_workflows.first_core_workflow_at,
        -- first value = the earlier of the two (metrics.md); a tie is
        -- credited to the milestone
        case
            when first_core_workflows.first_core_workflow_at is null
                then first_value_milestones.first_value_milestone_at
            when first_value_milestones.first_value_milestone_at is null
                then first_core_workflows.first_core_workflow_at
            when first_core_workflows.first_core_workflow_at < first_value_milestones.first_value_milestone_at
                then first_core_workflows.first_core_workflow_at
            else first_value_milestones.first_value_milestone_at
        end as first_value_at,
        case
            when
                first_value_milestones.first_value_milestone_at is null
                and first_core_workflows.first_core_workflow_at is null
                then null
            when first_value_milestones.first_value_milestone_at is null
                then 'core_workflow_event'
            when first_core_workflows.first_core_workflow_at is null
                then 'milestone'
            when first_core_workflows.first_core_workflow_at < first_value_milestones.first_value_milestone_at
                then 'core_workflow_event'
            else 'milestone'
        end as first_value_source
    from first_signings
    left join first_value_milestones
        on first_signings.account_id = first_value_milestones.account_id
    left join first_core_workflows
        on first_signings.account_id = first_core_workflows.account_id

),

first_values_dated as (

    select
        account_id,
        first_new_contract_id,
        signed_at,
        signed_date,
        first_value_milestone_at,
        first_core_workflow_at,
        first_value_at,
        first_value_source,
        cast({{ dbt.date_trunc('month', 'signed_date') }} as date) as cohort_month,
        cast(first_value_at as date) as first_value_date,
        first_value_at is not null as has_reached_value,
        -- calendar days from signing to as_of_date: the observation time
        -- that decides right-censoring in the cohort shares
        cast(
            {{ dbt.datediff('signed_date', as_of_date(), 'day') }}
            as {{ dbt.type_int() }}
        ) as days_since_signing
    from first_values_combined

),

ttv_measured as (

    select
        *,
        -- value reached before signing (during a trial) counts as day 0
        {{ days_from_signing('signed_date', 'first_value_date') }} as ttv_days
    from first_values_dated

),

final as (

    select
        ttv_measured.account_id,
        accounts.segment,
        ttv_measured.first_new_contract_id,
        ttv_measured.signed_at,
        ttv_measured.signed_date,
        ttv_measured.cohort_month,
        ttv_measured.days_since_signing,
        ttv_measured.first_value_milestone_at,
        ttv_measured.first_core_workflow_at,
        ttv_measured.first_value_at,
        ttv_measured.first_value_date,
        ttv_measured.first_value_source,
        ttv_measured.has_reached_value,
        ttv_measured.ttv_days,
        -- buckets of retention by TTV (metrics.md); `never` = no first value
        -- by as_of_date
        case
            when ttv_measured.ttv_days is null then 'never'
            when ttv_measured.ttv_days <= 30 then '0-30'
            when ttv_measured.ttv_days <= 60 then '31-60'
            when ttv_measured.ttv_days <= 90 then '61-90'
            else '>90'
        end as ttv_bucket
    from ttv_measured
    left join accounts
        on ttv_measured.account_id = accounts.account_id

)

select * from final
