{#-
    The engine's spelling of a data type declared in a model contract.
    Contracts in this project are written in DuckDB's spelling (`varchar`,
    `double`, `decimal(18,2)`, ...), which is not valid everywhere:
    PostgreSQL has no `double` (it is `double precision`) and Spark has no
    unbounded `varchar` or `text` (it is `string`). Used by the contract
    macros overridden for those engines (postgres__get_empty_schema_sql,
    postgres__get_table_columns_and_constraints, spark__get_empty_schema_sql),
    so the same YAML enforces the same contract on every target.
-#}
{% macro contract_data_type(data_type) -%}
    {{ return(adapter.dispatch('contract_data_type', 'cs_revenue_analytics')(data_type)) }}
{%- endmacro %}

{% macro default__contract_data_type(data_type) -%}
    {{ return(data_type) }}
{%- endmacro %}

{% macro postgres__contract_data_type(data_type) -%}
    {%- set normalised = data_type | trim | lower -%}
    {%- if normalised == 'double' -%}
        {{ return('double precision') }}
    {%- elif normalised == 'string' -%}
        {{ return('text') }}
    {%- endif -%}
    {{ return(data_type) }}
{%- endmacro %}

{% macro spark__contract_data_type(data_type) -%}
    {%- set normalised = data_type | trim | lower -%}
    {%- if normalised in ('varchar', 'text') or modules.re.match("^(varchar|char|character varying) *[(]", normalised) -%}
        {{ return('string') }}
    {%- elif normalised in ('double precision', 'float8') -%}
        {{ return('double') }}
    {%- endif -%}
    {{ return(data_type) }}
{%- endmacro %}
