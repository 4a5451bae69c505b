-- Stripe subscriptions (current version) in the shape of
-- raw_billing.subscriptions. Stripe's eight statuses fold into the contract's
-- four: past_due and unpaid are still active subscriptions (a payment
-- problem, not a stop), incomplete is active awaiting its first payment,
-- incomplete_expired never started and counts as canceled.
with

subscriptions as (

    select
        subscription_id,
        customer_id,
        status,
        cancel_reason,
        created_at,
        canceled_at
    from {{ ref('stg_stripe__subscriptions') }}

),

mapped as (

    select
        subscription_id,
        customer_id,
        case
            when status in ('active', 'past_due', 'unpaid', 'incomplete') then 'active'
            when status in ('canceled', 'incomplete_expired') then 'canceled'
            else status
        end as status,
        created_at,
        -- Stripe sets canceled_at when a cancellation is requested, also for
        -- one scheduled at period end; the contract's canceled_at is only for
        -- subscriptions that are canceled
        case when status in ('canceled', 'incomplete_expired') then canceled_at end as canceled_at,
        cancel_reason
    from subscriptions

)

select * from mapped
