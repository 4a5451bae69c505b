-- Stripe invoices in the shape of raw_billing.invoices (amounts already in
-- major units; Stripe's invoice statuses are the contract's five).
with

invoices as (

    select
        invoice_id,
        customer_id,
        issued_at,
        due_at,
        paid_at,
        status,
        amount_due,
        currency
    from {{ ref('stg_stripe__invoices') }}

)

select * from invoices
