{#-
    The tested column is never null. Each failing row is named by its key
    (`key_columns`, else the table's meta.primary_key).
-#}
{% test value_is_not_null(model, column_name, key_columns=none) %}

{%- set keys = dq_key_columns(model, key_columns, column_name) -%}

select
    {{ dq_select_columns(keys + [column_name]) }},
    {{ dq_failure_message(model, keys, [dq_literal(column_name ~ ' is null')]) }} as failure_message
from {{ model }}
where {{ column_name }} is null

{% endtest %}
