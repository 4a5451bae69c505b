{#-
    A boolean SQL `expression` holds on every row (rows where it is null
    pass). `message` says what is wrong on a failing row; the values of
    `show_columns` are appended to it. On a column, the expression is
    prefixed with the column name.
-#}
{% test expression_is_true(model, expression, message=none, show_columns=[], key_columns=none, column_name=none) %}

{%- set keys = dq_key_columns(model, key_columns, column_name) -%}
{%- set condition = (column_name ~ ' ' ~ expression) if column_name else expression -%}
{%- set problem = [dq_literal(message or ('expected ' ~ condition))] -%}
{%- for column in show_columns -%}
    {%- do problem.append(dq_literal((' (' if loop.first else ', ') ~ column ~ '=')) -%}
    {%- do problem.append(dq_value_text(column)) -%}
    {%- if loop.last -%}
        {%- do problem.append(dq_literal(')')) -%}
    {%- endif -%}
{%- endfor -%}

select
    {{ dq_select_columns(keys + show_columns) }},
    {{ dq_failure_message(model, keys, problem) }} as failure_message
from {{ model }}
where not ({{ condition }})

{% endtest %}
