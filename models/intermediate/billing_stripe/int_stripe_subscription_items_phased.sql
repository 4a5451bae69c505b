-- Stripe subscription items as price phases in the shape of
-- raw_billing.subscription_items (the basis of MRR). Fivetran keeps no
-- history of subscription items, so the history is read from what Stripe
-- billed: every subscription invoice line says which price and quantity an
-- item had over [period_start, period_end). Rules (README "Billing from
-- Stripe"):
--   * a charge line (a regular line, or a proration line with amount >= 0,
--     "remaining time on ...") puts its price and quantity in force from its
--     period_start until the item's next charge starts, a proration credit
--     (amount < 0, "unused time on ...") cuts it, the subscription ends, or
--     its period ends, whichever comes first;
--   * the current state is subscription_item: the last charge of an item
--     still on a live subscription stays open (valid_to null); if the item's
--     price or quantity now differs from that charge (a change made without
--     proration) the new state starts when the charged period ends, which is
--     when Stripe bills it;
--   * the subscription's end (ended_at, else a scheduled cancel_at, else
--     current_period_end when cancel_at_period_end) ends every phase;
--   * days in [trial_start, trial_end) are priced 0;
--   * the discount in force on a day is the most specific live discount
--     (item, then subscription, then customer; the latest started wins):
--     percent_off as is, amount_off as a percentage of the item's list
--     amount per period (capped at 100), `once` coupons not at all (one
--     invoice is not recurring revenue), `repeating` until `end` (else start
--     + duration_in_months), `forever` until `end` (the day it was removed);
--   * consecutive days with the same price, quantity, price-after-trial and
--     discount form one phase, so each phase starts on the day something
--     changed (its FX rate is the one of that day, as for contract phases).
with

line_items as (

    select
        invoice_line_item_id,
        subscription_id,
        subscription_item_id,
        price_id,
        quantity,
        amount,
        is_proration,
        period_start,
        period_end
    from {{ ref('stg_stripe__invoice_line_items') }}
    where
        line_type = 'subscription'
        and subscription_item_id is not null
        and period_end > period_start

),

subscriptions as (

    select
        subscription_id,
        customer_id,
        status,
        is_cancel_at_period_end,
        started_at,
        trial_started_at,
        trial_ended_at,
        current_period_ended_at,
        cancel_at,
        ended_at
    from {{ ref('stg_stripe__subscriptions') }}

),

current_items as (

    select
        subscription_item_id,
        subscription_id,
        price_id,
        quantity,
        created_at
    from {{ ref('stg_stripe__subscription_items') }}

),

prices as (

    select
        price_id,
        currency,
        unit_amount
    from {{ ref('stg_stripe__prices') }}

),

discounts as (

    select
        discount_id,
        coupon_id,
        customer_id,
        subscription_id,
        discount_type,
        discount_type_id,
        started_at,
        ended_at
    from {{ ref('stg_stripe__discounts') }}

),

coupons as (

    select
        coupon_id,
        duration,
        duration_in_months,
        percent_off,
        amount_off,
        currency
    from {{ ref('stg_stripe__coupons') }}

),

subscription_ends as (

    -- the day a subscription stops: it ended, or it is scheduled to
    select
        subscription_id,
        customer_id,
        cast(trial_started_at as date) as trial_starts_on,
        cast(trial_ended_at as date) as trial_ends_on,
        cast(current_period_ended_at as date) as current_period_ends_on,
        cast(coalesce(
            ended_at,
            cancel_at,
            case when is_cancel_at_period_end then current_period_ended_at end
        ) as date) as ends_on,
        status in ('canceled', 'incomplete_expired') as is_ended,
        -- a paused subscription bills nothing: no phase stays open
        status = 'paused' as is_paused
    from subscriptions

),

charges_deduplicated as (

    -- a charge line per item and start day (a repeated delivery or a
    -- re-issued invoice keeps the latest line)
    select
        subscription_item_id,
        subscription_id,
        price_id,
        quantity,
        period_start,
        period_end
    from (
        select
            *,
            row_number() over (
                partition by subscription_item_id, period_start
                order by period_end desc, invoice_line_item_id desc
            ) as charge_rank
        from line_items
        where not is_proration or amount >= 0
    ) as ranked_charges
    where charge_rank = 1

),

credits as (

    -- proration credits: the item's old state stops on their period_start
    select
        subscription_item_id,
        period_start as cut_on
    from line_items
    where is_proration and amount < 0

),

charges_sequenced as (

    select
        *,
        lead(period_start) over (
            partition by subscription_item_id order by period_start
        ) as next_charge_from
    from charges_deduplicated

),

charges_cut as (

    select
        charges_sequenced.subscription_item_id,
        charges_sequenced.period_start,
        min(credits.cut_on) as cut_on
    from charges_sequenced
    inner join credits
        on
            charges_sequenced.subscription_item_id = credits.subscription_item_id
            and charges_sequenced.period_start < credits.cut_on
            and charges_sequenced.period_end > credits.cut_on
    group by charges_sequenced.subscription_item_id, charges_sequenced.period_start

),

charges_bounded as (

    select
        charges_sequenced.subscription_item_id,
        charges_sequenced.subscription_id,
        charges_sequenced.price_id,
        charges_sequenced.quantity,
        charges_sequenced.period_start as covered_from,
        -- least() of non-null dates: a missing bound is the far future
        least(
            charges_sequenced.period_end,
            coalesce(charges_sequenced.next_charge_from, cast('9999-12-31' as date)),
            coalesce(charges_cut.cut_on, cast('9999-12-31' as date)),
            coalesce(subscription_ends.ends_on, cast('9999-12-31' as date))
        ) as charged_to,
        charges_sequenced.next_charge_from is null as is_last_charge,
        charges_cut.cut_on is not null as is_cut,
        subscription_ends.ends_on as subscription_ends_on,
        subscription_ends.is_ended or subscription_ends.is_paused as is_subscription_stopped
    from charges_sequenced
    inner join subscription_ends
        on charges_sequenced.subscription_id = subscription_ends.subscription_id
    left join charges_cut
        on
            charges_sequenced.subscription_item_id = charges_cut.subscription_item_id
            and charges_sequenced.period_start = charges_cut.period_start

),

charges_with_current_state as (

    select
        charges_bounded.*,
        current_items.subscription_item_id is not null as is_current_item,
        current_items.price_id = charges_bounded.price_id
        and current_items.quantity = charges_bounded.quantity as is_current_state
    from charges_bounded
    left join current_items
        on charges_bounded.subscription_item_id = current_items.subscription_item_id

),

charged_coverage as (

    -- the last charge of an item still on a live subscription, in its
    -- current state, stays in force: open, or until the scheduled end
    select
        subscription_item_id,
        subscription_id,
        price_id,
        quantity,
        covered_from,
        case
            when
                is_last_charge and not is_cut and is_current_item and is_current_state
                and not is_subscription_stopped
                then subscription_ends_on
            else charged_to
        end as covered_to
    from charges_with_current_state

),

last_charges as (

    select
        subscription_item_id,
        max(period_end) as last_charged_to
    from charges_deduplicated
    group by subscription_item_id

),

uncharged_current_states as (

    -- the item's current price and quantity where no charge shows them yet:
    -- from the end of the last charged period (Stripe bills a change made
    -- without proration from the next period), or from the item's creation
    -- if it was never invoiced
    select
        current_items.subscription_item_id,
        current_items.subscription_id,
        current_items.price_id,
        current_items.quantity,
        coalesce(
            last_charges.last_charged_to,
            cast(current_items.created_at as date)
        ) as covered_from,
        subscription_ends.ends_on as covered_to
    from current_items
    inner join subscription_ends
        on current_items.subscription_id = subscription_ends.subscription_id
    left join last_charges
        on current_items.subscription_item_id = last_charges.subscription_item_id
    left join charges_with_current_state
        on
            current_items.subscription_item_id = charges_with_current_state.subscription_item_id
            and charges_with_current_state.is_last_charge
    where
        not subscription_ends.is_ended
        and not subscription_ends.is_paused
        -- never invoiced, or last invoiced in another state and not stopped by a credit
        and (
            charges_with_current_state.subscription_item_id is null
            or (not charges_with_current_state.is_current_state and not charges_with_current_state.is_cut)
        )

),

coverage as (

    select * from charged_coverage
    where covered_to is null or covered_to > covered_from
    union all
    select * from uncharged_current_states
    where covered_to is null or covered_to > covered_from

),

coverage_with_subscription as (

    select
        coverage.*,
        subscription_ends.customer_id,
        subscription_ends.trial_starts_on,
        subscription_ends.trial_ends_on
    from coverage
    inner join subscription_ends
        on coverage.subscription_id = subscription_ends.subscription_id

),

discounts_dated as (

    select
        discounts.discount_id,
        discounts.customer_id,
        discounts.subscription_id,
        case
            when discounts.discount_type = 'subscription_item' then discounts.discount_type_id
        end as subscription_item_id,
        case
            when discounts.discount_type = 'subscription_item' then 1
            when discounts.subscription_id is not null then 2
            else 3
        end as specificity,
        cast(discounts.started_at as date) as starts_on,
        cast(coalesce(
            discounts.ended_at,
            case
                when coupons.duration = 'repeating'
                    then {{ dbt.dateadd('month', 'coupons.duration_in_months', 'discounts.started_at') }}
            end
        ) as date) as ends_on,
        coupons.percent_off,
        coupons.amount_off,
        coupons.currency as amount_off_currency
    from discounts
    inner join coupons
        on discounts.coupon_id = coupons.coupon_id
    where coupons.duration in ('repeating', 'forever')

),

discounts_per_item as (

    select
        coverage_with_subscription.subscription_item_id,
        coverage_with_subscription.covered_from,
        discounts_dated.discount_id,
        discounts_dated.specificity,
        discounts_dated.starts_on,
        discounts_dated.ends_on,
        discounts_dated.percent_off,
        discounts_dated.amount_off,
        discounts_dated.amount_off_currency
    from coverage_with_subscription
    inner join discounts_dated
        on
            (
                coverage_with_subscription.subscription_item_id = discounts_dated.subscription_item_id
                or (
                    discounts_dated.specificity = 2
                    and coverage_with_subscription.subscription_id = discounts_dated.subscription_id
                )
                or (
                    discounts_dated.specificity = 3
                    and coverage_with_subscription.customer_id = discounts_dated.customer_id
                )
            )
            and discounts_dated.starts_on < coalesce(coverage_with_subscription.covered_to, cast('9999-12-31' as date))
            and coalesce(discounts_dated.ends_on, cast('9999-12-31' as date)) > coverage_with_subscription.covered_from

),

split_points as (

    -- where a coverage row must split: its start, and every discount start
    -- or end and the trial end strictly inside it
    select
        subscription_item_id,
        covered_from,
        covered_from as piece_from
    from coverage_with_subscription
    union
    select
        subscription_item_id,
        covered_from,
        starts_on as piece_from
    from discounts_per_item
    union
    select
        subscription_item_id,
        covered_from,
        ends_on as piece_from
    from discounts_per_item
    union
    select
        subscription_item_id,
        covered_from,
        trial_ends_on as piece_from
    from coverage_with_subscription

),

pieces as (

    select
        coverage_with_subscription.subscription_item_id,
        coverage_with_subscription.subscription_id,
        coverage_with_subscription.price_id,
        coverage_with_subscription.quantity,
        coverage_with_subscription.covered_from,
        split_points.piece_from,
        coalesce(
            lead(split_points.piece_from) over (
                partition by coverage_with_subscription.subscription_item_id, coverage_with_subscription.covered_from
                order by split_points.piece_from
            ),
            coverage_with_subscription.covered_to
        ) as piece_to,
        coverage_with_subscription.trial_starts_on is not null
        and split_points.piece_from >= coverage_with_subscription.trial_starts_on
        and split_points.piece_from < coverage_with_subscription.trial_ends_on as is_trial
    from coverage_with_subscription
    inner join split_points
        on
            coverage_with_subscription.subscription_item_id = split_points.subscription_item_id
            and coverage_with_subscription.covered_from = split_points.covered_from
            and coverage_with_subscription.covered_from <= split_points.piece_from
            and split_points.piece_from < coalesce(coverage_with_subscription.covered_to, cast('9999-12-31' as date))

),

pieces_priced as (

    select
        pieces.subscription_item_id,
        pieces.subscription_id,
        pieces.price_id,
        pieces.quantity,
        pieces.piece_from,
        pieces.piece_to,
        prices.currency,
        case when pieces.is_trial then cast(0 as decimal(18, 2)) else prices.unit_amount end as unit_amount,
        prices.unit_amount as list_unit_amount
    from pieces
    inner join prices
        on pieces.price_id = prices.price_id

),

pieces_discount_ranked as (

    select
        pieces_priced.subscription_item_id,
        pieces_priced.piece_from,
        case
            when discounts_per_item.percent_off is not null then discounts_per_item.percent_off
            when
                discounts_per_item.amount_off_currency = pieces_priced.currency
                and pieces_priced.quantity * pieces_priced.list_unit_amount > 0
                then cast(least(
                    cast(100 as decimal(18, 2)),
                    round(
                        100 * discounts_per_item.amount_off
                        / (pieces_priced.quantity * pieces_priced.list_unit_amount), 2
                    )
                ) as decimal(5, 2))
        end as discount_pct,
        row_number() over (
            partition by pieces_priced.subscription_item_id, pieces_priced.piece_from
            order by
                discounts_per_item.specificity asc,
                discounts_per_item.starts_on desc,
                discounts_per_item.discount_id desc
        ) as discount_rank
    from pieces_priced
    inner join discounts_per_item
        on
            pieces_priced.subscription_item_id = discounts_per_item.subscription_item_id
            and pieces_priced.piece_from >= discounts_per_item.starts_on
            and coalesce(discounts_per_item.ends_on, cast('9999-12-31' as date)) > pieces_priced.piece_from

),

pieces_discounted as (

    select
        pieces_priced.*,
        coalesce(pieces_discount_ranked.discount_pct, cast(0 as decimal(5, 2))) as discount_pct
    from pieces_priced
    left join pieces_discount_ranked
        on
            pieces_priced.subscription_item_id = pieces_discount_ranked.subscription_item_id
            and pieces_priced.piece_from = pieces_discount_ranked.piece_from
            and pieces_discount_ranked.discount_rank = 1

),

pieces_flagged as (

    -- gaps and islands: a new phase starts after a gap or when anything
    -- priced changes
    select
        *,
        case
            when
                lag(piece_to) over (partition by subscription_item_id order by piece_from) = piece_from
                and lag(price_id) over (partition by subscription_item_id order by piece_from) = price_id
                and lag(quantity) over (partition by subscription_item_id order by piece_from) = quantity
                and lag(unit_amount) over (partition by subscription_item_id order by piece_from) = unit_amount
                and lag(discount_pct) over (partition by subscription_item_id order by piece_from) = discount_pct
                then 0
            else 1
        end as starts_phase
    from pieces_discounted

),

pieces_numbered as (

    select
        *,
        sum(starts_phase) over (
            partition by subscription_item_id order by piece_from
            rows between unbounded preceding and current row
        ) as phase_number
    from pieces_flagged

),

phases as (

    select
        subscription_item_id,
        phase_number,
        min(subscription_id) as subscription_id,
        min(price_id) as price_id,
        min(quantity) as quantity,
        min(unit_amount) as unit_amount,
        min(discount_pct) as discount_pct,
        min(currency) as currency,
        min(piece_from) as valid_from,
        -- an open piece (null piece_to) keeps the phase open
        case
            when count(*) = count(piece_to) then max(piece_to)
        end as valid_to
    from pieces_numbered
    group by subscription_item_id, phase_number

),

final as (

    select
        {{ dbt.concat(['subscription_item_id', "'~'", dbt.cast('valid_from', dbt.type_string())]) }} as item_id,
        subscription_id,
        price_id as plan_id,
        quantity,
        unit_amount,
        discount_pct,
        currency,
        valid_from,
        valid_to
    from phases

)

select * from final
