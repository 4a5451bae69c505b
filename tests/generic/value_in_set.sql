{#-
    Strict accepted values: the tested column holds one of `values`
    (compared exactly: case and spaces matter). Null fails unless
    `allow_null: true`. Numbers in `values` are compared unquoted.
-#}
{% test value_in_set(model, column_name, values, allow_null=false, key_columns=none) %}

{%- set keys = dq_key_columns(model, key_columns, column_name) -%}
{%- set rendered = [] -%}
{%- for value in values -%}
    {%- do rendered.append(value if value is number else dq_literal(value)) -%}
{%- endfor -%}
{%- set allowed = values | join(', ') ~ (' or null' if allow_null else '') -%}
{#- quote shown values when the accepted ones are strings: reveals stray spaces -#}
{%- set quote = "'" if (values | reject('number') | list) else '' -%}

select
    {{ dq_select_columns(keys + [column_name]) }},
    {{ dq_failure_message(model, keys, [
        dq_literal(column_name ~ ' '),
        "case when " ~ column_name ~ " is null then 'null' else "
            ~ dbt.concat([dq_literal(quote), dq_value_text(column_name), dq_literal(quote)]) ~ " end",
        dq_literal(' is not one of ' ~ allowed),
    ]) }} as failure_message
from {{ model }}
where
    {%- if not allow_null %}
    {{ column_name }} is null
    or
    {%- endif %}
    {{ column_name }} not in ({{ rendered | join(', ') }})

{% endtest %}
