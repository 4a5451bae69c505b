{#-
    The SQL name of an 8-byte float on this engine, for ratios and other
    non-money fractions. dbt.type_float() is NOT this: it renders `float`,
    which is 8 bytes on PostgreSQL but 4 bytes (about 7 digits) on DuckDB
    and Spark, so ratios would differ across engines far beyond 1e-9.
    In contract YAML write the same thing as
    "{{ 'double precision' if target.type == 'postgres' else 'double' }}".
-#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'cs_revenue_analytics')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}

{% macro postgres__type_double() -%}
    double precision
{%- endmacro %}
