-- Stripe prices in the shape of raw_billing.plans. A Stripe price is
-- immutable (one product, currency, amount and interval), so the plan of a
-- price phase is its price: plan_id = price id. Tier and pricing model come
-- from the product's metadata; the billing period from the price's interval.
with

prices as (

    select
        price_id,
        product_id,
        price_nickname,
        price_type,
        recurring_interval,
        recurring_interval_count
    from {{ ref('stg_stripe__prices') }}

),

products as (

    select
        product_id,
        product_name,
        tier,
        pricing_model
    from {{ ref('stg_stripe__products') }}

),

planned as (

    select
        prices.price_id as plan_id,
        coalesce(prices.price_nickname, products.product_name) as plan_name,
        products.tier,
        -- month-end MRR divides a period's price by whole months: `month` and
        -- `year` intervals convert; `day` and `week` (and one-time prices)
        -- cannot and stay null, failing
        -- stripe_prices__billing_period_months__is_expressible for the prices in use
        case prices.recurring_interval
            when 'month' then prices.recurring_interval_count
            when 'year' then 12 * prices.recurring_interval_count
        end as billing_period_months,
        -- no metadata: Stripe's default per-unit price, i.e. per seat
        coalesce(products.pricing_model, 'per_seat') as pricing_model,
        coalesce(products.tier = 'addon', false) as is_addon,
        prices.recurring_interval,
        prices.recurring_interval_count,
        prices.price_type
    from prices
    left join products
        on prices.product_id = products.product_id

)

select * from planned
