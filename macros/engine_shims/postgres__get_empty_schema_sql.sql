{#-
    Contract check on PostgreSQL: dbt's own implementation, fed the declared
    types in PostgreSQL's spelling (contract_data_type). Root project macros
    take precedence over dbt's, so dispatch picks this one on postgres.
-#}
{% macro postgres__get_empty_schema_sql(columns) -%}
    {{ return(dbt.default__get_empty_schema_sql(contract_columns(columns))) }}
{%- endmacro %}
