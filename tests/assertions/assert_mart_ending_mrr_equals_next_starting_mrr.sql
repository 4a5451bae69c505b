-- Month to month, each segment's ending MRR is the next month's starting MRR
-- (metrics.md, MRR movements: ending(M) = starting(M+1)).
with

retention as (

    select
        month_start,
        segment,
        starting_mrr,
        ending_mrr
    from {{ ref('mart_revenue_retention') }}

)

select
    retention.month_start,
    retention.segment,
    'mart_revenue_retention month_start=' || cast(retention.month_start as {{ dbt.type_string() }})
    || ' segment=' || retention.segment || ': ending_mrr ' || cast(retention.ending_mrr as {{ dbt.type_string() }})
    || ' != next starting_mrr ' || cast(next_retention.starting_mrr as {{ dbt.type_string() }}) as failure_message
from retention
inner join retention as next_retention
    on
        retention.segment = next_retention.segment
        and next_retention.month_start = cast({{ dbt.dateadd('month', 1, 'retention.month_start') }} as date)
where retention.ending_mrr != next_retention.starting_mrr
