{#-
    Suspicious but legal (use at severity warn): a fact of an account
    (an event, a case) dated before the account could have had it, before
    the CRM account's `created_at` or before the account's first
    subscription item started (`valid_from`). The fact still counts
    wherever its own date puts it; the warning names each row's key and
    which start it precedes. Rows without an account or a date pass
    (other tests cover them). Reads the CRM accounts and the raw billing
    tables only, so it runs before any model.
-#}
{% test is_not_before_account_start(model, column_name, account_column='account_id', key_columns=none) %}

{%- set keys = dq_key_columns(model, key_columns, column_name) -%}

with

facts as (

    select
        {{ dq_select_columns(keys + [column_name]) }},
        {{ account_column }} as fact_account_id,
        cast({{ column_name }} as date) as fact_date
    from {{ model }}
    where {{ account_column }} is not null and {{ column_name }} is not null

),

accounts as (

    select
        account_id,
        cast(created_at as date) as account_created_date
    from {{ source('crm', 'accounts') }}

),

first_items as (

    -- read from the raw billing tables, so the check runs with the sources
    -- and needs no model built
    select
        customers.account_id,
        min(subscription_items.valid_from) as first_item_date
    from {{ source('billing', 'subscription_items') }} as subscription_items
    inner join {{ source('billing', 'subscriptions') }} as subscriptions
        on subscription_items.subscription_id = subscriptions.subscription_id
    inner join {{ source('billing', 'customers') }} as customers
        on subscriptions.customer_id = customers.customer_id
    group by customers.account_id

),

facts_with_starts as (

    select
        facts.*,
        accounts.account_created_date,
        first_items.first_item_date
    from facts
    left join accounts
        on facts.fact_account_id = accounts.account_id
    left join first_items
        on facts.fact_account_id = first_items.account_id

)

select
    {{ dq_select_columns(keys + [column_name]) }},
    account_created_date,
    first_item_date,
    {{ dq_failure_message(model, keys, [
        dq_literal(column_name ~ ' '),
        dq_value_text('fact_date'),
        "case when fact_date < account_created_date then "
            ~ dbt.concat(["' is before the account was created ('", dq_value_text('account_created_date'), "')'"])
            ~ " else "
            ~ dbt.concat(["' is before the account''s first subscription started ('", dq_value_text('first_item_date'), "')'"])
            ~ " end",
    ]) }} as failure_message
from facts_with_starts
where fact_date < account_created_date or fact_date < first_item_date

{% endtest %}
