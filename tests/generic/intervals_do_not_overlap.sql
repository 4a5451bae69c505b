{#-
    Within each `partition_by` group, the half-open intervals
    [from_column, to_column) of different rows do not overlap (a null
    to_column is open-ended). Touching intervals (one ends on the day the
    next starts) are fine. Only valid intervals take part: inverted ones are
    interval_is_valid's business, rows sharing a key key_is_unique's. Each
    overlapping pair is reported once, on the row that starts later.
-#}
{% test intervals_do_not_overlap(model, partition_by, from_column, to_column, key_columns=none) %}

{%- set keys = dq_key_columns(model, key_columns) -%}
{%- set partition_columns = [partition_by] if partition_by is string else partition_by | list -%}
{%- set open_end = "cast('9999-12-31' as date)" -%}

with

intervals as (

    select
        {{ dq_select_columns(keys + partition_columns + [from_column, to_column]) }},
        {{ dq_key_text(keys) }} as row_key_text
    from {{ model }}
    where
        {{ from_column }} is not null
        and ({{ to_column }} is null or {{ to_column }} > {{ from_column }})

),

overlapping_pairs as (

    select
        {{ dq_select_columns(keys + partition_columns + [from_column, to_column], 'later') }},
        earlier.row_key_text as overlapped_key_text,
        earlier.{{ from_column }} as overlapped_{{ from_column }},
        earlier.{{ to_column }} as overlapped_{{ to_column }}
    from intervals as later
    inner join intervals as earlier
        on
        {%- for column in partition_columns %}
            {{ 'and ' if not loop.first }}later.{{ column }} = earlier.{{ column }}
        {%- endfor %}
            and later.row_key_text <> earlier.row_key_text
            and (
                later.{{ from_column }} > earlier.{{ from_column }}
                or (
                    later.{{ from_column }} = earlier.{{ from_column }}
                    and later.row_key_text > earlier.row_key_text
                )
            )
            and later.{{ from_column }} < coalesce(earlier.{{ to_column }}, {{ open_end }})
            and earlier.{{ from_column }} < coalesce(later.{{ to_column }}, {{ open_end }})

),

final as (

    select
        {{ dq_select_columns(keys + partition_columns + [from_column, to_column]) }},
        overlapped_key_text,
        {{ dq_failure_message(model, keys, [
            dq_literal('[' ),
            dq_value_text(from_column),
            dq_literal(', '),
            "coalesce(cast(" ~ to_column ~ " as " ~ dbt.type_string() ~ "), 'open')",
            dq_literal(') overlaps '),
            'overlapped_key_text',
            dq_literal(' ['),
            dq_value_text('overlapped_' ~ from_column),
            dq_literal(', '),
            "coalesce(cast(overlapped_" ~ to_column ~ " as " ~ dbt.type_string() ~ "), 'open')",
            dq_literal(') within '),
            dq_key_text(partition_columns),
        ]) }} as failure_message
    from overlapping_pairs

)

select * from final

{% endtest %}
