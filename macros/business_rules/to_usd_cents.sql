{#-
    Money in USD rounded to the cent (half away from zero) per row, before
    any sum (metrics.md, Precision and grids): to_usd, then
    divide_and_round_to_cents, as decimal(18, 2).
-#}
{% macro to_usd_cents(amount, currency, rate) -%}
    cast({{ divide_and_round_to_cents(to_usd(amount, currency, rate), 1) }} as decimal(18, 2))
{%- endmacro %}
