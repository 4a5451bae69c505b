{#-
    Continuous percentile (linear interpolation between the two nearest
    ranks, like percentile_cont) of `expression` at `fraction` (0..1), as an
    aggregate. Engines spell it differently, so it is dispatched:
    duckdb quantile_cont, postgres percentile_cont ... within group, spark
    percentile (exact, interpolating). Nulls are ignored; no rows give null.
-#}
{% macro percentile_cont(expression, fraction) -%}
    {{ return(adapter.dispatch('percentile_cont', 'cs_revenue_analytics')(expression, fraction)) }}
{%- endmacro %}

{% macro default__percentile_cont(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__percentile_cont(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro postgres__percentile_cont(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro spark__percentile_cont(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}
