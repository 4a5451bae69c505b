{#-
    SQL expression for the `failure_message` column of the project's data
    tests: "<schema.table> <k1>=<v1>, ...: <what is wrong>".
    `problem` is a list of SQL expressions (build literals with dq_literal,
    values with dq_value_text) concatenated after the key.
-#}
{% macro dq_failure_message(model, key_columns, problem, alias=none) -%}
    {%- set fragments = [dq_literal(dq_relation_label(model) ~ ' ')] -%}
    {%- if key_columns -%}
        {%- do fragments.append(dq_key_text(key_columns, alias)) -%}
    {%- endif -%}
    {%- do fragments.append(dq_literal(': ')) -%}
    {%- do fragments.extend(problem) -%}
    {{ dbt.concat(fragments) }}
{%- endmacro %}
