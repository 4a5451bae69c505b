{#-
    Post-hook of every mart (dbt_project.yml): dbt `grants` give the BI role
    select on the mart table, but PostgreSQL also needs usage on the schema
    to reach it. Only the marts' schema is granted, so the role cannot even
    look up staging, intermediate or raw objects. Renders nothing on engines
    without grants (dbt runs no statement for an empty hook).
    Marts build in parallel threads and two concurrent GRANTs on one schema
    fail with "tuple concurrently updated", so the hook first takes a
    transaction-scoped advisory lock (post-hooks run inside the model's
    transaction): the grants run one after the other.
-#}
{% macro grant_marts_schema_usage() -%}
    {{ return(adapter.dispatch('grant_marts_schema_usage', 'cs_revenue_analytics')()) }}
{%- endmacro %}

{% macro default__grant_marts_schema_usage() -%}
{%- endmacro %}

{% macro postgres__grant_marts_schema_usage() -%}
    select pg_advisory_xact_lock(hashtext('csra.grant_marts_schema_usage'));
    grant usage on schema {{ adapter.quote(this.schema) }} to {{ adapter.quote(env_var('DBT_BI_ROLE', 'bi_reader')) }}
{%- endmacro %}
