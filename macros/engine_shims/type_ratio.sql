{#-
    The column type of ratios: an 8-byte float on every engine. dbt's
    type_float() is 4 bytes on DuckDB and Spark, too coarse for 1e-9.
-#}
{% macro type_ratio() -%}
    {{ return(adapter.dispatch('type_ratio', 'cs_revenue_analytics')()) }}
{%- endmacro %}

{% macro default__type_ratio() -%}
    double
{%- endmacro %}

{% macro postgres__type_ratio() -%}
    double precision
{%- endmacro %}
