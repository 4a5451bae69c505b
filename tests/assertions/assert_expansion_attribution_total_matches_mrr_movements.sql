-- The attribution mart must explain all expansion MRR and nothing else:
-- for every month and segment of the reporting window, its expansion_mrr
-- equals the expansion MRR of fct_mrr_movements (all = every segment), and
-- CS + other + unattributed add up to it to the cent.
with

movements as (

    select
        month_start,
        segment,
        expansion_mrr
    from {{ ref('fct_mrr_movements') }}

),

attribution as (

    select * from {{ ref('mart_expansion_attribution') }}

),

movements_with_all as (

    select
        month_start,
        segment,
        expansion_mrr
    from movements
    union all
    select
        month_start,
        'all' as segment,
        expansion_mrr
    from movements

),

movements_summed as (

    select
        month_start,
        segment,
        sum(expansion_mrr) as expansion_mrr
    from movements_with_all
    group by
        month_start,
        segment

),

final as (

    select
        attribution.month_start,
        attribution.segment,
        attribution.expansion_mrr,
        movements_summed.expansion_mrr as movements_expansion_mrr
    from attribution
    left join movements_summed
        on
            attribution.month_start = movements_summed.month_start
            and attribution.segment = movements_summed.segment
    where
        attribution.expansion_mrr != coalesce(movements_summed.expansion_mrr, 0)
        or attribution.cs_sourced_expansion_mrr
        + attribution.other_sourced_expansion_mrr
        + attribution.unattributed_expansion_mrr
        != attribution.expansion_mrr

)

select * from final
