with

reporting_months as (

    select month_start
    from {{ ref('int_reporting_months') }}

),

expansion_attribution as (

    select
        month_start,
        segment,
        expansion_mrr,
        cs_sourced_expansion_mrr,
        other_sourced_expansion_mrr,
        unattributed_expansion_mrr
    from {{ ref('fct_expansion_attribution') }}

),

segment_rollup as (

    select
        segment,
        reporting_segment
    from {{ ref('segment_rollup') }}

),

reporting_segments as (

    select distinct reporting_segment as segment
    from segment_rollup

),

grid as (

    -- dense: every complete month x segment, zeros where nothing happened
    select
        reporting_months.month_start,
        reporting_segments.segment
    from reporting_months
    cross join reporting_segments

),

movements_with_all as (

    -- each movement counts in its segment and in 'all' (seed segment_rollup)
    select
        expansion_attribution.month_start,
        segment_rollup.reporting_segment as segment,
        expansion_attribution.expansion_mrr,
        expansion_attribution.cs_sourced_expansion_mrr,
        expansion_attribution.other_sourced_expansion_mrr,
        expansion_attribution.unattributed_expansion_mrr
    from expansion_attribution
    inner join segment_rollup
        on expansion_attribution.segment = segment_rollup.segment

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

    select
        grid.month_start,
        grid.segment,
        cast(coalesce(month_segments.expansion_mrr, 0) as decimal(18, 2)) as expansion_mrr,
        cast(coalesce(month_segments.cs_sourced_expansion_mrr, 0) as decimal(18, 2))
            as cs_sourced_expansion_mrr,
        cast(coalesce(month_segments.other_sourced_expansion_mrr, 0) as decimal(18, 2))
            as other_sourced_expansion_mrr,
        cast(coalesce(month_segments.unattributed_expansion_mrr, 0) as decimal(18, 2))
            as unattributed_expansion_mrr
    from grid
    left join month_segments
        on
            grid.month_start = month_segments.month_start
            and grid.segment = month_segments.segment

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
