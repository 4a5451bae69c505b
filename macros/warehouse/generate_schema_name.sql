{#-
    Layer schemas are used as named (staging, intermediate, marts, seeds)
    instead of dbt's default "<target schema>_<custom>", so BI tools read
    `marts.mart_revenue_retention` on every target.

    Only when this project is the root project: installed as a package into
    someone else's project (README "Install as a package") its nodes follow
    dbt's default, "<host target schema>_marts" etc., so they never land in
    (or collide with) the host's own `staging` or `marts` schemas.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- elif node.package_name != project_name -%}
        {{ target.schema | trim }}_{{ custom_schema_name | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
