{#-
    Half-open interval [from_column, to_column) is not empty or inverted:
    to_column > from_column. A null to_column (open end) passes; a null
    from_column is left to the not-null test.
-#}
{% test interval_is_valid(model, from_column, to_column, key_columns=none) %}

{%- set keys = dq_key_columns(model, key_columns) -%}

select
    {{ dq_select_columns(keys + [from_column, to_column]) }},
    {{ dq_failure_message(model, keys, [
        dq_literal(to_column ~ ' '),
        dq_value_text(to_column),
        dq_literal(' is not after ' ~ from_column ~ ' '),
        dq_value_text(from_column),
    ]) }} as failure_message
from {{ model }}
where
    {{ from_column }} is not null
    and {{ to_column }} is not null
    and {{ to_column }} <= {{ from_column }}

{% endtest %}
