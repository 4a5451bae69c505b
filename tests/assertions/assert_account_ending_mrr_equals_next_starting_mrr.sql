-- The bridge chains: an account's ending MRR of month M is its starting MRR
-- of month M+1 wherever both rows exist, and a positive ending MRR always
-- has a next row unless M is the last reporting month (metrics.md, MRR
-- movements). A gap here means a movement was lost between months.
with

movements as (

    select
        account_id,
        month_start,
        starting_mrr,
        ending_mrr
    from {{ ref('fct_mrr_movements') }}

),

last_month as (

    select max(month_start) as month_start
    from {{ ref('int_reporting_months_listed') }}

),

chained as (

    select
        movements.account_id,
        movements.month_start,
        movements.ending_mrr,
        next_movements.starting_mrr as next_starting_mrr,
        next_movements.account_id is not null as has_next_row
    from movements
    left join movements as next_movements
        on
            movements.account_id = next_movements.account_id
            and next_movements.month_start = cast({{ dbt.dateadd('month', 1, 'movements.month_start') }} as date)

)

select
    chained.account_id,
    chained.month_start,
    chained.ending_mrr,
    chained.next_starting_mrr,
    'fct_mrr_movements account_id=' || chained.account_id
    || ' month_start=' || cast(chained.month_start as {{ dbt.type_string() }})
    || ': ending_mrr ' || cast(chained.ending_mrr as {{ dbt.type_string() }})
    || ' is not the next month''s starting_mrr '
    || coalesce(cast(chained.next_starting_mrr as {{ dbt.type_string() }}), '(no row)') as failure_message
from chained
cross join last_month
where
    (chained.has_next_row and chained.ending_mrr != chained.next_starting_mrr)
    or (not chained.has_next_row and chained.ending_mrr > 0 and chained.month_start < last_month.month_start)
