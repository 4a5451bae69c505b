{#-
    Contract check on Spark: dbt's own implementation, fed the declared
    types in Spark's spelling (contract_data_type: `varchar` -> `string`).
-#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {{ return(dbt.default__get_empty_schema_sql(contract_columns(columns))) }}
{%- endmacro %}
