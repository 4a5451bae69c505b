{#-
    Comma-separated, de-duplicated column list (optionally qualified by a
    table alias) for the key and detail columns a data test returns.
-#}
{% macro dq_select_columns(columns, alias=none) -%}
    {%- set seen = [] -%}
    {%- for column in columns -%}
        {%- if column not in seen -%}
            {%- do seen.append(column) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set prefix = alias ~ '.' if alias else '' -%}
    {%- for column in seen -%}
        {{ prefix ~ column }}{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
