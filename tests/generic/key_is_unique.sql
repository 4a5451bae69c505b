{#-
    No two rows share a key. The key is `columns` (a list, for composite
    keys) or the tested column. Rows with a null in any key column are left
    to the not-null test. Returns one row per duplicated key.
-#}
{% test key_is_unique(model, column_name=none, columns=none) %}

{%- set key_columns = dq_key_columns(model, columns or column_name) -%}

with

keys_counted as (

    select
        {{ dq_select_columns(key_columns) }},
        count(*) as row_count
    from {{ model }}
    where
        {%- for column in key_columns %}
            {{ 'and ' if not loop.first }}{{ column }} is not null
        {%- endfor %}
    group by {{ dq_select_columns(key_columns) }}
    having count(*) > 1

),

final as (

    select
        {{ dq_select_columns(key_columns) }},
        row_count,
        {{ dq_failure_message(model, key_columns, [
            dq_literal('key is not unique ('),
            dq_value_text('row_count'),
            dq_literal(' rows)'),
        ]) }} as failure_message
    from keys_counted

)

select * from final

{% endtest %}
