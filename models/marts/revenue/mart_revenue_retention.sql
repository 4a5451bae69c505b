with

movements as (

    select
        month_start,
        account_id,
        starting_mrr,
        new_mrr,
        reactivation_mrr,
        expansion_mrr,
        contraction_mrr,
        churned_mrr,
        ending_mrr
    from {{ ref('fct_mrr_movements') }}

),

t12m_cohort as (

    select
        month_start,
        account_id,
        base_mrr,
        current_mrr
    from {{ ref('int_mrr_t12m_cohorts_formed') }}

),

accounts_rolled_up as (

    select
        account_id,
        segment
    from {{ ref('int_accounts_rolled_up') }}

),

month_segment_grid as (

    select
        month_start,
        segment
    from {{ ref('int_reporting_months_segmented') }}

),

movements_by_month_segment as (

    select
        movements.month_start,
        accounts_rolled_up.segment,
        sum(movements.starting_mrr) as starting_mrr,
        sum(movements.new_mrr) as new_mrr,
        sum(movements.reactivation_mrr) as reactivation_mrr,
        sum(movements.expansion_mrr) as expansion_mrr,
        sum(movements.contraction_mrr) as contraction_mrr,
        sum(movements.churned_mrr) as churned_mrr,
        sum(movements.ending_mrr) as ending_mrr
    from movements
    inner join accounts_rolled_up
        on movements.account_id = accounts_rolled_up.account_id
    group by movements.month_start, accounts_rolled_up.segment

),

t12m_by_month_segment as (

    select
        t12m_cohort.month_start,
        accounts_rolled_up.segment,
        sum(t12m_cohort.base_mrr) as t12m_base_mrr,
        sum(t12m_cohort.current_mrr) as t12m_current_mrr,
        sum(
            case
                when t12m_cohort.current_mrr < t12m_cohort.base_mrr then t12m_cohort.current_mrr
                else t12m_cohort.base_mrr
            end
        ) as t12m_retained_mrr
    from t12m_cohort
    inner join accounts_rolled_up
        on t12m_cohort.account_id = accounts_rolled_up.account_id
    group by t12m_cohort.month_start, accounts_rolled_up.segment

),

dense as (

    select
        month_segment_grid.month_start,
        month_segment_grid.segment,
        cast(coalesce(movements_by_month_segment.starting_mrr, 0) as decimal(18, 2)) as starting_mrr,
        cast(coalesce(movements_by_month_segment.new_mrr, 0) as decimal(18, 2)) as new_mrr,
        cast(coalesce(movements_by_month_segment.reactivation_mrr, 0) as decimal(18, 2)) as reactivation_mrr,
        cast(coalesce(movements_by_month_segment.expansion_mrr, 0) as decimal(18, 2)) as expansion_mrr,
        cast(coalesce(movements_by_month_segment.contraction_mrr, 0) as decimal(18, 2)) as contraction_mrr,
        cast(coalesce(movements_by_month_segment.churned_mrr, 0) as decimal(18, 2)) as churned_mrr,
        cast(coalesce(movements_by_month_segment.ending_mrr, 0) as decimal(18, 2)) as ending_mrr,
        cast(coalesce(t12m_by_month_segment.t12m_base_mrr, 0) as decimal(18, 2)) as t12m_base_mrr,
        cast(coalesce(t12m_by_month_segment.t12m_current_mrr, 0) as decimal(18, 2)) as t12m_current_mrr,
        cast(coalesce(t12m_by_month_segment.t12m_retained_mrr, 0) as decimal(18, 2)) as t12m_retained_mrr
    from month_segment_grid
    left join movements_by_month_segment
        on
            month_segment_grid.month_start = movements_by_month_segment.month_start
            and month_segment_grid.segment = movements_by_month_segment.segment
    left join t12m_by_month_segment
        on
            month_segment_grid.month_start = t12m_by_month_segment.month_start
            and month_segment_grid.segment = t12m_by_month_segment.segment

),

final as (

    select
        month_start,
        segment,
        starting_mrr,
        new_mrr,
        reactivation_mrr,
        expansion_mrr,
        contraction_mrr,
        churned_mrr,
        ending_mrr,
        cast(ending_mrr * 12 as decimal(18, 2)) as ending_arr,
        -- retention is over accounts with starting MRR > 0: new and
        -- reactivation are not part of it (metrics.md, Revenue retention)
        {{ safe_ratio('starting_mrr - contraction_mrr - churned_mrr', 'starting_mrr') }} as grr_monthly,
        {{ safe_ratio('starting_mrr + expansion_mrr - contraction_mrr - churned_mrr', 'starting_mrr') }}
            as nrr_monthly,
        t12m_base_mrr,
        t12m_current_mrr,
        t12m_retained_mrr,
        {{ safe_ratio('t12m_retained_mrr', 't12m_base_mrr') }} as grr_t12m,
        {{ safe_ratio('t12m_current_mrr', 't12m_base_mrr') }} as nrr_t12m,
        {{ safe_ratio('new_mrr + reactivation_mrr + expansion_mrr', 'churned_mrr + contraction_mrr') }}
            as quick_ratio
    from dense

)

select * from final
