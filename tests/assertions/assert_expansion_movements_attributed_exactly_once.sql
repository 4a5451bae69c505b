-- Each expansion MRR movement goes, in full, to at most one opportunity
-- (metrics.md, CSQP) and none may be lost on the way: every expansion row
-- of fct_mrr_movements appears exactly once in fct_expansion_attribution
-- with the same amount, and the attribution holds no other rows.
with

movements as (

    select
        account_id,
        month_start,
        expansion_mrr
    from {{ ref('fct_mrr_movements') }}
    where movement_type = 'expansion'

),

attribution as (

    select
        account_id,
        month_start,
        count(*) as attribution_rows,
        sum(expansion_mrr) as expansion_mrr
    from {{ ref('fct_expansion_attribution') }}
    group by
        account_id,
        month_start

),

final as (

    select
        coalesce(movements.account_id, attribution.account_id) as account_id,
        coalesce(movements.month_start, attribution.month_start) as month_start,
        movements.expansion_mrr as movement_expansion_mrr,
        attribution.expansion_mrr as attributed_expansion_mrr,
        attribution.attribution_rows
    from movements
    full outer join attribution
        on
            movements.account_id = attribution.account_id
            and movements.month_start = attribution.month_start
    where
        movements.account_id is null
        or attribution.account_id is null
        or attribution.attribution_rows != 1
        or attribution.expansion_mrr != movements.expansion_mrr

)

select * from final
