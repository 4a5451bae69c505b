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

segments as (

    select 'smb' as segment
    union all
    select 'mid_market' as segment
    union all
    select 'enterprise' as segment
    union all
    select 'all' as segment

),

grid as (

    -- dense: every complete month x segment, zeros where nothing happened
    select
        reporting_months.month_start,
        segments.segment
    from reporting_months
    cross join segments

),

movements_with_all as (

    select
        month_start,
        segment,
        expansion_mrr,
        cs_sourced_expansion_mrr,
        other_sourced_expansion_mrr,
        unattributed_expansion_mrr
    from expansion_attribution
    union all
    select
        month_start,
        'all' as segment,
        expansion_mrr,
        cs_sourced_expansion_mrr,
        other_sourced_expansion_mrr,
        unattributed_expansion_mrr
    from expansion_attribution

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
        case
            when expansion_mrr != 0
                then cast(cs_sourced_expansion_mrr as {{ type_double() }}) / cast(expansion_mrr as {{ type_double() }})
        end as cs_sourced_share
    from month_segments_dense

)

select * from final
