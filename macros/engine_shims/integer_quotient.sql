{#-
    `dividend / divisor` for a decimal dividend that is a whole multiple of
    the positive integer `divisor`, computed with integer arithmetic so no
    digit is lost to floating point (DuckDB divides decimals as doubles).
    DuckDB: HUGEINT integer division; Spark: `div` (a long, which holds any
    decimal(18,2) amount in cents); PostgreSQL and others: numeric `div`.
-#}
{% macro integer_quotient(dividend, divisor) -%}
    {{ return(adapter.dispatch('integer_quotient', 'cs_revenue_analytics')(dividend, divisor)) }}
{%- endmacro %}

{% macro default__integer_quotient(dividend, divisor) -%}
    div(cast({{ dividend }} as decimal(38, 0)), {{ divisor }})
{%- endmacro %}

{% macro duckdb__integer_quotient(dividend, divisor) -%}
    (cast({{ dividend }} as hugeint) // {{ divisor }})
{%- endmacro %}

{% macro spark__integer_quotient(dividend, divisor) -%}
    (cast({{ dividend }} as decimal(38, 0)) div {{ divisor }})
{%- endmacro %}
