with

subscription_items as (

    select
        subscription_item_id,
        subscription_id,
        plan_id,
        currency,
        quantity,
        unit_amount,
        discount_pct,
        valid_from,
        valid_to
    from {{ ref('stg_billing__subscription_items') }}

),

subscriptions as (

    select
        subscription_id,
        customer_id
    from {{ ref('stg_billing__subscriptions') }}

),

customers as (

    select
        customer_id,
        account_id
    from {{ ref('stg_billing__customers') }}

),

plans as (

    select
        plan_id,
        tier,
        is_addon,
        pricing_model,
        billing_period_months
    from {{ ref('stg_billing__plans') }}

),

items_with_account_and_plan as (

    -- orphans (an item without subscription, customer or plan) cannot be
    -- priced or attributed; they fail the named relationship tests on the
    -- sources instead of being guessed here
    select
        subscription_items.subscription_item_id,
        subscription_items.subscription_id,
        subscriptions.customer_id,
        customers.account_id,
        subscription_items.plan_id,
        plans.tier,
        plans.is_addon,
        plans.pricing_model,
        plans.billing_period_months,
        subscription_items.quantity,
        subscription_items.unit_amount,
        subscription_items.discount_pct,
        subscription_items.currency,
        subscription_items.valid_from,
        subscription_items.valid_to
    from subscription_items
    inner join subscriptions
        on subscription_items.subscription_id = subscriptions.subscription_id
    inner join customers
        on subscriptions.customer_id = customers.customer_id
    inner join plans
        on subscription_items.plan_id = plans.plan_id

),

items_with_rate as (

    -- the rate in force on valid_from, so FX drift never moves MRR
    -- (metrics.md, MRR); USD at 1 (usd_rate)
    {{ with_usd_rate_on('items_with_account_and_plan', 'items_with_account_and_plan.valid_from') }}

),

final as (

    select
        subscription_item_id,
        subscription_id,
        customer_id,
        account_id,
        plan_id,
        tier,
        is_addon,
        pricing_model,
        billing_period_months,
        quantity,
        unit_amount,
        discount_pct,
        currency,
        valid_from,
        valid_to,
        usd_per_unit,
        -- exact: quantity x unit x (100 - discount) x rate x (12 / period) is
        -- a decimal product; dividing by 1200 once, at the account-month sum,
        -- keeps every cent (metrics.md, Precision and grids). 12 / period is
        -- a whole number for the allowed periods 1, 3, 6 and 12.
        cast(quantity as decimal(38, 0))
        * cast(unit_amount as decimal(38, 2))
        * (cast(100 as decimal(38, 2)) - cast(discount_pct as decimal(38, 2)))
        * cast(usd_per_unit as decimal(38, 8))
        * cast(12 / billing_period_months as decimal(38, 0)) as mrr_usd_x1200
    from items_with_rate

)

select * from final
