{#-
    Relationships without orphans: every non-null value of the tested
    column exists in `field` of the parent relation `to` (a ref() or
    source()). The message names the child row, the missing value and the
    parent table and column.
-#}
{% test references_parent(model, column_name, to, field, key_columns=none) %}

{%- set keys = dq_key_columns(model, key_columns, column_name) -%}

with

children as (

    select {{ dq_select_columns(keys + [column_name]) }}
    from {{ model }}
    where {{ column_name }} is not null

),

parents as (

    select distinct {{ field }} as parent_key
    from {{ to }}
    where {{ field }} is not null

),

orphans as (

    select {{ dq_select_columns(keys + [column_name], 'children') }}
    from children
    left join parents
        on children.{{ column_name }} = parents.parent_key
    where parents.parent_key is null

),

final as (

    select
        {{ dq_select_columns(keys + [column_name]) }},
        {{ dq_failure_message(model, keys, [
            dq_literal(column_name ~ '='),
            dq_value_text(column_name),
            dq_literal(' not found in ' ~ dq_relation_label(to) ~ '.' ~ field),
        ]) }} as failure_message
    from orphans

)

select * from final

{% endtest %}
