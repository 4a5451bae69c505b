-- Stripe customers in the shape of raw_billing.customers: each linked to the
-- CRM account it bills for. A row of the seed stripe_customer_accounts wins
-- over the customer's metadata (so a team can fix links without touching
-- Stripe); a customer with neither fails stripe_customers__account_id__is_linked.
with

customers as (

    select
        customer_id,
        metadata_account_id,
        customer_name,
        currency,
        created_at
    from {{ ref('stg_stripe__customers') }}

),

account_links as (

    select
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id
    from {{ ref('stripe_customer_accounts') }}

),

linked as (

    select
        customers.customer_id,
        coalesce(account_links.account_id, customers.metadata_account_id) as account_id,
        customers.customer_name,
        customers.currency,
        customers.created_at
    from customers
    left join account_links
        on customers.customer_id = account_links.customer_id

)

select * from linked
