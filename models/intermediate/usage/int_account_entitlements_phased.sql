with

items as (

    select
        account_id,
        tier,
        is_addon,
        pricing_model,
        quantity,
        valid_from,
        valid_to
    from {{ ref('int_subscription_items_priced') }}

),

boundaries as (

    -- every day on which something the account is entitled to may change
    select
        account_id,
        valid_from as boundary_date
    from items
    union all
    select
        account_id,
        valid_to as boundary_date
    from items
    where valid_to is not null

),

boundaries_distinct as (

    select distinct
        account_id,
        boundary_date
    from boundaries

),

intervals as (

    select
        account_id,
        boundary_date as valid_from,
        lead(boundary_date) over (partition by account_id order by boundary_date) as valid_to
    from boundaries_distinct

),

intervals_entitled as (

    -- the items in force at an interval's start are in force all through it
    -- (every item boundary is an interval boundary). Trials count: a trial
    -- item licenses its tier and seats although it is billed 0.
    select
        intervals.account_id,
        intervals.valid_from,
        intervals.valid_to,
        max(case when not items.is_addon then {{ tier_rank('items.tier') }} end) as licensed_tier_rank,
        sum(
            case when not items.is_addon and items.pricing_model = 'per_seat' then items.quantity end
        ) as licensed_seats
    from intervals
    inner join items
        on
            intervals.account_id = items.account_id
            and {{ is_in_force_on('intervals.valid_from', 'items') }}
    group by
        intervals.account_id,
        intervals.valid_from,
        intervals.valid_to

),

intervals_flagged as (

    -- gaps and islands: a new phase starts after a gap or when tier or
    -- seats change
    select
        account_id,
        valid_from,
        valid_to,
        licensed_tier_rank,
        licensed_seats,
        case
            when
                lag(valid_to) over (partition by account_id order by valid_from) = valid_from
                and coalesce(lag(licensed_tier_rank) over (partition by account_id order by valid_from), -1)
                = coalesce(licensed_tier_rank, -1)
                and coalesce(lag(licensed_seats) over (partition by account_id order by valid_from), -1)
                = coalesce(licensed_seats, -1)
                then 0
            else 1
        end as is_phase_start
    from intervals_entitled

),

intervals_numbered as (

    select
        *,
        sum(is_phase_start) over (
            partition by account_id
            order by valid_from
            rows between unbounded preceding and current row
        ) as phase_number
    from intervals_flagged

),

phases as (

    select
        account_id,
        phase_number,
        licensed_tier_rank,
        licensed_seats,
        min(valid_from) as valid_from,
        -- an open interval keeps the phase open
        case when count(*) = count(valid_to) then max(valid_to) end as valid_to
    from intervals_numbered
    group by
        account_id,
        phase_number,
        licensed_tier_rank,
        licensed_seats

),

final as (

    select
        account_id,
        valid_from,
        valid_to,
        case licensed_tier_rank
            when 1 then 'starter'
            when 2 then 'growth'
            when 3 then 'enterprise'
        end as licensed_tier,
        licensed_tier_rank,
        cast(licensed_seats as {{ dbt.type_bigint() }}) as licensed_seats
    from phases

)

select * from final
