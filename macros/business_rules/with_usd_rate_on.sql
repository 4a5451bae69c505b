{#-
    The FX lookup, written once (metrics.md, Precision and grids): every row
    of `relation` (a CTE with a `currency` column) with `usd_per_unit`, the
    effective USD rate (usd_rate: USD at 1) of the int_fx_rates_ranged rate
    in force on `date_expression`. A currency without a rate on that date
    keeps the row with a null rate, which the callers' tests turn into a
    failure.
-#}
{% macro with_usd_rate_on(relation, date_expression) -%}
    select
        {{ relation }}.*,
        {{ usd_rate(relation ~ '.currency', 'fx_rates.usd_per_unit') }} as usd_per_unit
    from {{ relation }}
    left join {{ ref('int_fx_rates_ranged') }} as fx_rates
        on
            {{ relation }}.currency = fx_rates.currency
            and {{ is_in_force_on(date_expression, 'fx_rates') }}
{%- endmacro %}
