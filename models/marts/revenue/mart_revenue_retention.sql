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
        current_mrr,
        retained_mrr
    from {{ ref('int_mrr_t12m_cohorts_formed') }}

),

accounts_rolled_up as (

    select
        account_id,
        segment
    from {{ ref('int_accounts_rolled_up') }}

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
        sum(t12m_cohort.retained_mrr) as t12m_retained_mrr
    from t12m_cohort
    inner join accounts_rolled_up
        on t12m_cohort.account_id = accounts_rolled_up.account_id
    group by t12m_cohort.month_start, accounts_rolled_up.segment

),

dense as (

    {{ fill_month_segment_grid({
        'movements_by_month_segment': {
            'decimal(18, 2)': [
                'starting_mrr', 'new_mrr', 'reactivation_mrr', 'expansion_mrr',
                'contraction_mrr', 'churned_mrr', 'ending_mrr',
            ],
        },
        't12m_by_month_segment': {
            'decimal(18, 2)': ['t12m_base_mrr', 't12m_current_mrr', 't12m_retained_mrr'],
        },
    }) }}

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
