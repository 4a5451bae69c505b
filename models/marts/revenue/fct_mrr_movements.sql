with

account_months as (

    select
        account_id,
        month_start,
        previous_mrr,
        current_mrr,
        had_mrr_before_month
    from {{ ref('int_mrr_account_months_paired') }}

),

accounts as (

    select
        account_id,
        segment
    from {{ ref('stg_crm__accounts') }}

),

classified as (

    -- zero-transitions are decided before the comparisons (metrics.md,
    -- MRR movements): from 0 is new or reactivation, to 0 is churn
    select
        account_id,
        month_start,
        previous_mrr,
        current_mrr,
        case
            when previous_mrr = 0 and current_mrr > 0 and not had_mrr_before_month then 'new'
            when previous_mrr = 0 and current_mrr > 0 then 'reactivation'
            when previous_mrr > 0 and current_mrr = 0 then 'churn'
            when current_mrr > previous_mrr then 'expansion'
            when current_mrr < previous_mrr then 'contraction'
            else 'flat'
        end as movement_type
    from account_months

),

final as (

    select
        classified.account_id,
        classified.month_start,
        accounts.segment,
        classified.movement_type,
        classified.previous_mrr as starting_mrr,
        cast(case when classified.movement_type = 'new' then classified.current_mrr else 0 end as decimal(18, 2))
            as new_mrr,
        cast(
            case when classified.movement_type = 'reactivation' then classified.current_mrr else 0 end
            as decimal(18, 2)
        ) as reactivation_mrr,
        cast(
            case
                when classified.movement_type = 'expansion'
                    then classified.current_mrr - classified.previous_mrr
                else 0
            end as decimal(18, 2)
        ) as expansion_mrr,
        cast(
            case
                when classified.movement_type = 'contraction'
                    then classified.previous_mrr - classified.current_mrr
                else 0
            end as decimal(18, 2)
        ) as contraction_mrr,
        cast(case when classified.movement_type = 'churn' then classified.previous_mrr else 0 end as decimal(18, 2))
            as churned_mrr,
        classified.current_mrr as ending_mrr
    from classified
    left join accounts
        on classified.account_id = accounts.account_id

)

select * from final
