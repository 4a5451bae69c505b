{#- A Python string as a SQL string literal (single quotes doubled). -#}
{% macro dq_literal(text) -%}
    '{{ text | string | replace("'", "''") }}'
{%- endmacro %}
