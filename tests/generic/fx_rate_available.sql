{#-
    An amount in the tested currency column can be converted to USD: the FX
    table `fx_relation` has a rate for that currency on or before
    `date_column` (a date, or a timestamp dated by its calendar date).
    Currencies in `exempt_currencies` (USD: converts at 1) and rows with a
    null currency or date pass. Currencies are compared trimmed and upper
    case, as staging cleans them.
-#}
{% test fx_rate_available(model, column_name, date_column, fx_relation, fx_currency_column='currency', fx_date_column='rate_date', exempt_currencies=['USD'], key_columns=none) %}

{%- set keys = dq_key_columns(model, key_columns, column_name) -%}
{%- set exempt = [] -%}
{%- for currency in exempt_currencies -%}
    {%- do exempt.append(dq_literal(currency | upper)) -%}
{%- endfor -%}

with

amounts as (

    select
        {{ dq_select_columns(keys + [column_name, date_column]) }},
        upper(trim({{ column_name }})) as currency_code,
        cast({{ date_column }} as date) as needed_on
    from {{ model }}
    where
        {{ column_name }} is not null
        and {{ date_column }} is not null
        {%- if exempt %}
        and upper(trim({{ column_name }})) not in ({{ exempt | join(', ') }})
        {%- endif %}

),

first_rates as (

    select
        upper(trim({{ fx_currency_column }})) as currency_code,
        min({{ fx_date_column }}) as first_rate_date
    from {{ fx_relation }}
    group by upper(trim({{ fx_currency_column }}))

),

unconvertible as (

    select
        {{ dq_select_columns(keys + [column_name, date_column, 'currency_code', 'needed_on'], 'amounts') }},
        first_rates.first_rate_date
    from amounts
    left join first_rates
        on amounts.currency_code = first_rates.currency_code
    where
        first_rates.first_rate_date is null
        or first_rates.first_rate_date > amounts.needed_on

),

final as (

    select
        {{ dq_select_columns(keys + [column_name, date_column]) }},
        first_rate_date,
        {{ dq_failure_message(model, keys, [
            dq_literal('no fx rate for '),
            dq_value_text('currency_code'),
            dq_literal(' on or before ' ~ date_column ~ ' '),
            dq_value_text('needed_on'),
            "case when first_rate_date is null then "
                ~ dq_literal(' (no rates at all in ' ~ dq_relation_label(fx_relation) ~ ')') ~ " else "
                ~ dbt.concat(["' (first rate '", dq_value_text('first_rate_date'), "')'"]) ~ " end",
        ]) }} as failure_message
    from unconvertible

)

select * from final

{% endtest %}
