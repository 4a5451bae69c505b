{#-
    A SQL expression as text for a failure message; null shows as "null" so
    one null value does not blank the whole message.
-#}
{% macro dq_value_text(expression) -%}
    coalesce(cast({{ expression }} as {{ dbt.type_string() }}), 'null')
{%- endmacro %}
