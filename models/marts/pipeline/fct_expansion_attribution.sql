with

mrr_movements as (

    select
        account_id,
        month_start,
        segment,
        expansion_mrr,
        movement_type
    from {{ ref('fct_mrr_movements') }}

),

opportunities as (

    select
        opportunity_id,
        account_id,
        opportunity_type,
        origin,
        is_won,
        amount_arr_usd,
        closed_at,
        closed_date
    from {{ ref('fct_opportunities') }}

),

expansion_movements as (

    select
        account_id,
        month_start,
        segment,
        expansion_mrr,
        cast({{ dbt.last_day('month_start', 'month') }} as date) as month_end
    from mrr_movements
    where movement_type = 'expansion'

),

won_expansion_opportunities as (

    -- won and closed on or before as_of_date (fct_opportunities applies it)
    select
        opportunity_id,
        account_id,
        origin,
        amount_arr_usd,
        closed_at,
        closed_date,
        cast(
            {{ dbt.dateadd('day', var('attribution_window_days'), 'closed_date') }} as date
        ) as window_end_date
    from opportunities
    where
        opportunity_type = 'expansion'
        and is_won

),

candidate_matches as (

    -- metrics.md, CSQP: date(closed_at) <= last_day(M) <= date(closed_at) + 90
    select
        expansion_movements.account_id,
        expansion_movements.month_start,
        won_expansion_opportunities.opportunity_id,
        won_expansion_opportunities.origin,
        won_expansion_opportunities.closed_at,
        row_number() over (
            partition by expansion_movements.account_id, expansion_movements.month_start
            -- latest closed_at; ties: larger ARR (USD, rounded), then smaller id
            order by
                won_expansion_opportunities.closed_at desc,
                won_expansion_opportunities.amount_arr_usd desc nulls last,
                won_expansion_opportunities.opportunity_id asc
        ) as match_rank
    from expansion_movements
    inner join won_expansion_opportunities
        on
            expansion_movements.account_id = won_expansion_opportunities.account_id
            and expansion_movements.month_end >= won_expansion_opportunities.closed_date
            and expansion_movements.month_end <= won_expansion_opportunities.window_end_date

),

matches as (

    select
        account_id,
        month_start,
        opportunity_id,
        origin,
        closed_at
    from candidate_matches
    where match_rank = 1

),

movements_attributed as (

    select
        expansion_movements.account_id,
        expansion_movements.month_start,
        expansion_movements.segment,
        expansion_movements.expansion_mrr,
        matches.opportunity_id,
        matches.origin as opportunity_origin,
        matches.closed_at as opportunity_closed_at,
        -- origin cs makes it CS-sourced, any other origin (null included)
        -- other-sourced, no match leaves it unattributed
        case
            when matches.opportunity_id is null then 'unattributed'
            when matches.origin = 'cs' then 'cs_sourced'
            else 'other_sourced'
        end as attribution
    from expansion_movements
    left join matches
        on
            expansion_movements.account_id = matches.account_id
            and expansion_movements.month_start = matches.month_start

),

final as (

    -- the whole movement goes to its one match, or stays unattributed
    select
        account_id,
        month_start,
        segment,
        expansion_mrr,
        opportunity_id,
        opportunity_origin,
        opportunity_closed_at,
        attribution,
        case
            when attribution = 'cs_sourced' then expansion_mrr
            else cast(0 as decimal(18, 2))
        end as cs_sourced_expansion_mrr,
        case
            when attribution = 'other_sourced' then expansion_mrr
            else cast(0 as decimal(18, 2))
        end as other_sourced_expansion_mrr,
        case
            when attribution = 'unattributed' then expansion_mrr
            else cast(0 as decimal(18, 2))
        end as unattributed_expansion_mrr
    from movements_attributed

)

select * from final
