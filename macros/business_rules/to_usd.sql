{#-
    The USD rule, written once (metrics.md, Precision and grids): USD
    converts at 1 whether or not fx_rates lists it, any other currency at
    the `rate` its caller looked up. `usd_rate` is that effective rate (the
    published usd_per_unit columns); `to_usd` converts an amount with it.
    The product is exact (decimal); rounding is left to the caller.
-#}
{% macro usd_rate(currency, rate) -%}
    case when {{ currency }} = 'USD' then cast(1 as decimal(18, 8)) else {{ rate }} end
{%- endmacro %}

{% macro to_usd(amount, currency, rate) -%}
    (cast({{ amount }} as decimal(38, 2)) * cast({{ usd_rate(currency, rate) }} as decimal(38, 8)))
{%- endmacro %}
