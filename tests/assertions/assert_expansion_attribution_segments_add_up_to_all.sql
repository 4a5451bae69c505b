-- Every mart with a segment carries 'all', and CRM/billing money is rounded
-- per row before any sum, so smb + mid_market + enterprise must equal 'all'
-- to the cent in every month of mart_expansion_attribution, for every
-- amount column.
with

attribution as (

    select * from {{ ref('mart_expansion_attribution') }}

),

segments_summed as (

    select
        month_start,
        sum(expansion_mrr) as expansion_mrr,
        sum(cs_sourced_expansion_mrr) as cs_sourced_expansion_mrr,
        sum(other_sourced_expansion_mrr) as other_sourced_expansion_mrr,
        sum(unattributed_expansion_mrr) as unattributed_expansion_mrr
    from attribution
    where segment != 'all'
    group by month_start

),

all_rows as (

    select * from attribution
    where segment = 'all'

),

final as (

    select
        all_rows.month_start,
        all_rows.expansion_mrr as all_expansion_mrr,
        segments_summed.expansion_mrr as segments_expansion_mrr
    from all_rows
    left join segments_summed
        on all_rows.month_start = segments_summed.month_start
    where
        coalesce(segments_summed.expansion_mrr, 0) != all_rows.expansion_mrr
        or coalesce(segments_summed.cs_sourced_expansion_mrr, 0) != all_rows.cs_sourced_expansion_mrr
        or coalesce(segments_summed.other_sourced_expansion_mrr, 0) != all_rows.other_sourced_expansion_mrr
        or coalesce(segments_summed.unattributed_expansion_mrr, 0) != all_rows.unattributed_expansion_mrr

)

select * from final
