{#-
    The tested column lies in a range: >= `min_value` (> when
    min_inclusive is false) and <= `max_value` (< when max_inclusive is
    false); either bound may be omitted. Null passes (pair with
    value_is_not_null where null is bad input).
-#}
{% test value_in_range(model, column_name, min_value=none, max_value=none, min_inclusive=true, max_inclusive=true, key_columns=none) %}

{%- set keys = dq_key_columns(model, key_columns, column_name) -%}
{%- if min_value is none and max_value is none -%}
    {{ exceptions.raise_compiler_error('value_in_range needs min_value or max_value') }}
{%- endif -%}
{%- set checks = [] -%}
{%- if min_value is not none -%}
    {%- do checks.append([
        column_name ~ (' < ' if min_inclusive else ' <= ') ~ min_value,
        (' is below ' if min_inclusive else ' is not above ') ~ min_value,
    ]) -%}
{%- endif -%}
{%- if max_value is not none -%}
    {%- do checks.append([
        column_name ~ (' > ' if max_inclusive else ' >= ') ~ max_value,
        (' is above ' if max_inclusive else ' is not below ') ~ max_value,
    ]) -%}
{%- endif -%}
{%- set verdict -%}
    case
        {%- for check in checks %}
        when {{ check[0] }} then {{ dq_literal(check[1]) }}
        {%- endfor %}
    end
{%- endset -%}

select
    {{ dq_select_columns(keys + [column_name]) }},
    {{ dq_failure_message(model, keys, [
        dq_literal(column_name ~ ' '),
        dq_value_text(column_name),
        verdict,
    ]) }} as failure_message
from {{ model }}
where
    {%- for check in checks %}
    {{ 'or ' if not loop.first }}{{ check[0] }}
    {%- endfor %}

{% endtest %}
