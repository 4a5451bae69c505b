{#-
    Converts money to USD: USD at 1 whether or not fx_rates lists it
    (metrics.md, Precision and grids), any other currency at `rate`.
    The product is exact (decimal); rounding is left to the caller.
-#}
{% macro to_usd(amount, currency, rate) -%}
    (
        case
            when {{ currency }} = 'USD' then cast({{ amount }} as decimal(38, 2))
            else cast({{ amount }} as decimal(38, 2)) * cast({{ rate }} as decimal(38, 8))
        end
    )
{%- endmacro %}
