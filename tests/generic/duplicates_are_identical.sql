{#-
    Rows that share a key (the tested column, or `columns`) are exact
    copies in `compare_columns`: a repeated key whose other columns differ
    is a conflict (e.g. an id collision), not a redelivery. Meant for tables
    where repeated keys are allowed and de-duplicated downstream; usually
    severity warn. Returns one row per conflicting key, naming the columns
    that differ. `recent_loads_column` (the load time of an event-sized
    table): a nightly run compares only the keys with a delivery since its
    watermark, every delivery of them, old ones included (macro
    rows_of_recently_loaded_keys); every other run, every key.
-#}
{% test duplicates_are_identical(model, compare_columns, column_name=none, columns=none, recent_loads_column=none) %}

{%- set keys = dq_key_columns(model, columns or column_name) -%}

with

tested_rows as (

    select {{ dq_select_columns(keys + compare_columns) }}
    from {{ rows_of_recently_loaded_keys(model, keys, recent_loads_column) }}

),

repeated_keys as (

    select {{ dq_select_columns(keys) }}
    from tested_rows
    group by {{ dq_select_columns(keys) }}
    having count(*) > 1

),

{#- only repeated keys are compared column by column: cheap on big tables -#}
repeated_rows as (

    select {{ dq_select_columns(keys + compare_columns, 'tested_rows') }}
    from tested_rows
    inner join repeated_keys
        on
        {%- for column in keys %}
            {{ 'and ' if not loop.first }}tested_rows.{{ column }} = repeated_keys.{{ column }}
        {%- endfor %}

),

keys_compared as (

    select
        {{ dq_select_columns(keys) }},
        count(*) as row_count,
        {%- for column in compare_columns %}
        count(distinct {{ dq_value_text(column) }}) as {{ column }}_versions{{ ',' if not loop.last }}
        {%- endfor %}
    from repeated_rows
    group by {{ dq_select_columns(keys) }}

),

conflicts as (

    select
        {{ dq_select_columns(keys) }},
        row_count,
        {%- set flags = [] -%}
        {%- for column in compare_columns -%}
            {%- do flags.append("case when " ~ column ~ "_versions > 1 then " ~ dq_literal(', ' ~ column) ~ " else '' end") -%}
        {%- endfor %}
        {{ dbt.concat(flags) if flags | length > 1 else flags[0] }} as differing_columns
    from keys_compared
    where
        {%- for column in compare_columns %}
        {{ 'or ' if not loop.first }}{{ column }}_versions > 1
        {%- endfor %}

),

final as (

    select
        {{ dq_select_columns(keys) }},
        row_count,
        substr(differing_columns, 3) as differing_columns,
        {{ dq_failure_message(model, keys, [
            dq_value_text('row_count'),
            dq_literal(' rows share this key but differ in '),
            'substr(differing_columns, 3)',
        ]) }} as failure_message
    from conflicts

)

select * from final

{% endtest %}
