with

expansion_attribution as (

    select
        month_start,
        account_id,
        expansion_mrr,
        cs_sourced_expansion_mrr,
        other_sourced_expansion_mrr,
        unattributed_expansion_mrr
    from {{ ref('fct_expansion_attribution') }}

),

accounts_rolled_up as (

    select
        account_id,
        segment
    from {{ ref('int_accounts_rolled_up') }}

),

movements_with_all as (

    -- each movement counts in its segment and in 'all' (int_accounts_rolled_up)
    select
        expansion_attribution.month_start,
        accounts_rolled_up.segment,
        expansion_attribution.expansion_mrr,
        expansion_attribution.cs_sourced_expansion_mrr,
        expansion_attribution.other_sourced_expansion_mrr,
        expansion_attribution.unattributed_expansion_mrr
    from expansion_attribution
    inner join accounts_rolled_up
        on expansion_attribution.account_id = accounts_rolled_up.account_id

),

month_segments as (

    select
        month_start,
        segment,
        sum(expansion_mrr) as expansion_mrr,
        sum(cs_sourced_expansion_mrr) as cs_sourced_expansion_mrr,
        sum(other_sourced_expansion_mrr) as other_sourced_expansion_mrr,
        sum(unattributed_expansion_mrr) as unattributed_expansion_mrr
    from movements_with_all
    group by
        month_start,
        segment

),

month_segments_dense as (

    {{ fill_month_segment_grid({
        'month_segments': {
            'decimal(18, 2)': [
                'expansion_mrr', 'cs_sourced_expansion_mrr', 'other_sourced_expansion_mrr',
                'unattributed_expansion_mrr',
            ],
        },
    }) }}

),

final as (

    select
        month_start,
        segment,
        expansion_mrr,
        cs_sourced_expansion_mrr,
        other_sourced_expansion_mrr,
        unattributed_expansion_mrr,
        {{ safe_ratio('cs_sourced_expansion_mrr', 'expansion_mrr') }} as cs_sourced_share
    from month_segments_dense

)

select * from final
