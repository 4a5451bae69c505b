with

opportunities_priced as (

    select
        opportunity_id,
        account_id,
        opportunity_type,
        stage,
        origin,
        origin_signal,
        currency,
        amount_arr,
        usd_per_unit,
        amount_arr_usd,
        created_at,
        created_date,
        qualified_at,
        closed_at
    from {{ ref('int_opportunities_priced') }}

),

accounts as (

    select
        account_id,
        segment,
        csm_user_id
    from {{ ref('dim_accounts') }}

),

opportunities_dated as (

    -- a timestamp is dated by its UTC calendar date; qualification or
    -- closing after as_of_date has not happened yet (metrics.md, Precision
    -- and grids): those timestamps are blanked for the as-of view
    select
        *,
        case
            when cast(qualified_at as date) <= {{ as_of_date() }}
                then qualified_at
        end as qualified_at_as_of,
        case
            when cast(closed_at as date) <= {{ as_of_date() }}
                then closed_at
        end as closed_at_as_of
    from opportunities_priced

),

opportunities_judged as (

    select
        *,
        -- won/lost by current stage, and only once closed by as_of_date:
        -- an opportunity closed after it (or with no closed_at) is still open
        coalesce(
            stage = 'closed_won' and closed_at_as_of is not null, false
        ) as is_won,
        coalesce(
            stage = 'closed_lost' and closed_at_as_of is not null, false
        ) as is_lost,
        -- metrics.md, Precision and grids: qualified when qualified_at is on
        -- or before as_of_date or, with no qualified_at at all, when the stage
        -- is qualified, proposal or negotiation, or closed_won closed by then
        coalesce(
            qualified_at_as_of is not null
            or (
                qualified_at is null
                and (
                    stage in ('qualified', 'proposal', 'negotiation')
                    or (stage = 'closed_won' and closed_at_as_of is not null)
                )
            ),
            false
        ) as is_qualified
    from opportunities_dated

),

opportunities_staged as (

    select
        *,
        not is_won and not is_lost as is_open,
        -- the stage the opportunity was in on as_of_date, as far as the data
        -- tells: a close after as_of_date falls back to qualified (if it had
        -- qualified by then) or discovery; an open stage whose qualified_at
        -- lies after as_of_date was still in discovery
        case
            when is_won then 'closed_won'
            when is_lost then 'closed_lost'
            when stage in ('closed_won', 'closed_lost') and qualified_at_as_of is not null
                then 'qualified'
            when stage in ('closed_won', 'closed_lost') then 'discovery'
            when
                stage in ('qualified', 'proposal', 'negotiation')
                and qualified_at is not null
                and qualified_at_as_of is null
                then 'discovery'
            else stage
        end as stage_as_of,
        case
            when origin_signal in ('seat_utilization', 'feature_ceiling', 'new_persona')
                then 'signal_driven'
            when origin_signal = 'qbr' then 'calendar_driven'
            else 'other'
        end as signal_class
    from opportunities_judged

),

final as (

    select
        opportunities_staged.opportunity_id,
        opportunities_staged.account_id,
        accounts.segment,
        accounts.csm_user_id,
        opportunities_staged.opportunity_type,
        opportunities_staged.origin,
        opportunities_staged.origin_signal,
        opportunities_staged.signal_class,
        opportunities_staged.stage as current_stage,
        opportunities_staged.stage_as_of,
        coalesce(
            opportunities_staged.origin = 'cs'
            and opportunities_staged.opportunity_type = 'expansion',
            false
        ) as is_cs_expansion,
        coalesce(
            opportunities_staged.origin = 'cs'
            and opportunities_staged.opportunity_type = 'expansion'
            and opportunities_staged.is_qualified,
            false
        ) as is_cs_qualified,
        opportunities_staged.is_qualified,
        opportunities_staged.is_won,
        opportunities_staged.is_lost,
        opportunities_staged.is_open,
        opportunities_staged.currency,
        opportunities_staged.amount_arr,
        opportunities_staged.usd_per_unit,
        opportunities_staged.amount_arr_usd,
        opportunities_staged.created_at,
        opportunities_staged.created_date,
        cast({{ dbt.date_trunc('month', 'opportunities_staged.created_date') }} as date) as created_month_start,
        opportunities_staged.qualified_at_as_of as qualified_at,
        opportunities_staged.closed_at_as_of as closed_at,
        cast(opportunities_staged.closed_at_as_of as date) as closed_date,
        case
            when opportunities_staged.is_won or opportunities_staged.is_lost
                then cast(
                    {{ dbt.datediff(
                        'opportunities_staged.created_date',
                        'cast(opportunities_staged.closed_at_as_of as date)',
                        'day',
                    ) }} as {{ dbt.type_int() }}
                )
        end as days_to_close
    from opportunities_staged
    left join accounts
        on opportunities_staged.account_id = accounts.account_id

)

select * from final
