{#-
    SQL expression rendering "k1=v1, k2=v2" for the given key columns
    (optionally qualified by a table alias): the key part of a failure
    message.
-#}
{% macro dq_key_text(key_columns, alias=none) -%}
    {%- set prefix = alias ~ '.' if alias else '' -%}
    {%- set fragments = [] -%}
    {%- for column in key_columns -%}
        {%- do fragments.append(dq_literal((', ' if not loop.first else '') ~ column ~ '=')) -%}
        {%- do fragments.append(dq_value_text(prefix ~ column)) -%}
    {%- endfor -%}
    {%- if not fragments -%}
        {%- do fragments.append("''") -%}
    {%- endif -%}
    {{ dbt.concat(fragments) }}
{%- endmacro %}
