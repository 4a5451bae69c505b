{#-
    Bad input (issue 15): an item whose ARR in USD (12 x MRR), or the ARR
    of every item together (an upper bound of any month's company ARR,
    which the `all` rows of the marts hold), would not fit the money type
    decimal(18,2) (below 10^16). Tested on the raw price phases before any model runs,
    so the build stops with the table, the key and the amount instead of an
    engine overflow naming neither. Approximate arithmetic is enough for a
    bound: quantity x unit_amount x (1 - discount) / period, at the
    currency's highest rate (1 for USD and for a currency without rates,
    which fx_rate_available reports).
-#}
{% test mrr_fits_the_money_type(model, plans, fx_rates, key_columns=none) %}

{%- set keys = dq_key_columns(model, key_columns, 'item_id') -%}
{#- ARR = 12 x MRR is published too, so MRR must stay below 10^16 / 12 -#}
{%- set limit = '1e16 / 12' -%}

with

items as (

    select
        {{ dq_select_columns(keys + ['quantity', 'unit_amount', 'discount_pct', 'currency', 'plan_id']) }}
    from {{ model }}

),

plans as (

    select
        plan_id,
        billing_period_months
    from {{ plans }}

),

highest_rates as (

    select
        upper(trim(currency)) as currency_code,
        max(usd_per_unit) as usd_per_unit
    from {{ fx_rates }}
    group by upper(trim(currency))

),

items_mrr as (

    select
        {{ dq_select_columns(keys, 'items') }},
        cast(items.quantity as {{ dbt.type_float() }})
        * cast(items.unit_amount as {{ dbt.type_float() }})
        * (100 - cast(coalesce(items.discount_pct, 0) as {{ dbt.type_float() }})) / 100
        * cast(coalesce(highest_rates.usd_per_unit, 1) as {{ dbt.type_float() }})
        / cast(coalesce(plans.billing_period_months, 1) as {{ dbt.type_float() }}) as approximate_mrr_usd
    from items
    left join plans
        on items.plan_id = plans.plan_id
    left join highest_rates
        on upper(trim(items.currency)) = highest_rates.currency_code
           and upper(trim(items.currency)) != 'USD'

),

all_items as (

    select sum(approximate_mrr_usd) as approximate_mrr_usd
    from items_mrr

),

final as (

    select
        {{ dq_select_columns(keys) }},
        approximate_mrr_usd,
        {{ dq_failure_message(model, keys, [
            dq_literal('MRR of about '),
            dq_value_text('approximate_mrr_usd'),
            dq_literal(' USD: its ARR (12 x MRR) does not fit the money type decimal(18,2) (below 10^16)'),
        ]) }} as failure_message
    from items_mrr
    where approximate_mrr_usd >= {{ limit }}

    union all

    select
        {%- for key in keys %}
        cast(null as {{ dbt.type_string() }}) as {{ key }},
        {%- endfor %}
        approximate_mrr_usd,
        {{ dbt.concat([
            dq_literal(dq_relation_label(model) ~ ': the MRR of all items together, about '),
            dq_value_text('approximate_mrr_usd'),
            dq_literal(' USD: its ARR does not fit the money type decimal(18,2) of the company-wide marts (below 10^16)'),
        ]) }} as failure_message
    from all_items
    where approximate_mrr_usd >= {{ limit }}

)

select * from final

{% endtest %}
