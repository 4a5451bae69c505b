with

movements as (

    select
        month_start,
        account_id,
        movement_type,
        starting_mrr,
        contraction_mrr,
        churned_mrr
    from {{ ref('fct_mrr_movements') }}

),

t12m_cohort as (

    select
        month_start,
        account_id,
        current_mrr
    from {{ ref('int_mrr_t12m_cohorts_formed') }}

),

accounts_rolled_up as (

    select
        account_id,
        segment
    from {{ ref('int_accounts_rolled_up') }}

),

churn_by_month_segment as (

    select
        movements.month_start,
        accounts_rolled_up.segment,
        sum(case when movements.starting_mrr > 0 then 1 else 0 end) as accounts_start,
        sum(case when movements.movement_type = 'churn' then 1 else 0 end) as accounts_churned,
        sum(movements.starting_mrr) as starting_mrr,
        sum(movements.churned_mrr) as churned_mrr,
        sum(movements.contraction_mrr) as contraction_mrr
    from movements
    inner join accounts_rolled_up
        on movements.account_id = accounts_rolled_up.account_id
    group by movements.month_start, accounts_rolled_up.segment

),

t12m_logos_by_month_segment as (

    select
        t12m_cohort.month_start,
        accounts_rolled_up.segment,
        count(*) as accounts_t12m_cohort,
        sum(case when t12m_cohort.current_mrr > 0 then 1 else 0 end) as accounts_t12m_retained
    from t12m_cohort
    inner join accounts_rolled_up
        on t12m_cohort.account_id = accounts_rolled_up.account_id
    group by t12m_cohort.month_start, accounts_rolled_up.segment

),

dense as (

    {{ fill_month_segment_grid({
        'churn_by_month_segment': {
            dbt.type_int(): ['accounts_start', 'accounts_churned'],
            'decimal(18, 2)': ['starting_mrr', 'churned_mrr', 'contraction_mrr'],
        },
        't12m_logos_by_month_segment': {
            dbt.type_int(): ['accounts_t12m_cohort', 'accounts_t12m_retained'],
        },
    }) }}

),

final as (

    select
        month_start,
        segment,
        accounts_start,
        accounts_churned,
        starting_mrr,
        churned_mrr,
        contraction_mrr,
        accounts_t12m_cohort,
        accounts_t12m_retained,
        {{ safe_ratio('accounts_churned', 'accounts_start') }} as logo_churn_rate,
        {{ safe_ratio('churned_mrr', 'starting_mrr') }} as revenue_churn_rate,
        {{ safe_ratio('churned_mrr + contraction_mrr', 'starting_mrr') }} as gross_mrr_churn_rate,
        {{ safe_ratio('accounts_t12m_retained', 'accounts_t12m_cohort') }} as logo_retention_t12m
    from dense

)

select * from final
