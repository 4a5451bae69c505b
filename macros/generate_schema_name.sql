{#-
    Layer schemas are used as named (staging, intermediate, marts, seeds)
    instead of dbt's default "<target schema>_<custom>", so BI tools read
    `marts.mart_revenue_retention` on every target.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
