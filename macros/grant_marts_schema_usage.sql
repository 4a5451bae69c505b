{#-
    on-run-end hook: dbt `grants` (dbt_project.yml, marts) give the BI role
    select on each mart table, but PostgreSQL also needs usage on the schema
    to reach them. Only the marts schema is granted, so the role cannot even
    look up staging or intermediate objects. Renders nothing (no hook runs)
    on engines without grants.
-#}
{% macro grant_marts_schema_usage() -%}
    {{ return(adapter.dispatch('grant_marts_schema_usage', 'cs_revenue_analytics')()) }}
{%- endmacro %}

{% macro default__grant_marts_schema_usage() -%}
{%- endmacro %}

{% macro postgres__grant_marts_schema_usage() -%}
    {%- set marts_schemas = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.fqn[1] == 'marts' -%}
            {%- do marts_schemas.append(node.schema) if node.schema not in marts_schemas -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set role = env_var('DBT_BI_ROLE', 'bi_reader') -%}
    {%- for schema in marts_schemas %}
    do $grant$
    begin
        -- the schema exists only once a mart was built (not after `--select staging`)
        if exists (select 1 from pg_namespace where nspname = '{{ schema }}') then
            grant usage on schema {{ adapter.quote(schema) }} to {{ adapter.quote(role) }};
        end if;
    end
    $grant$;
    {%- endfor %}
{%- endmacro %}
