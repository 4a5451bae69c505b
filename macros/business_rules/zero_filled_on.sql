{#-
    A dense step written once: every row of `spine` (a CTE), with the
    measures of each already-aggregated CTE in `aggregates` left-joined on
    `keys`, coalesced to 0 where the spine row has no aggregate row and cast
    to its type. `aggregates` is {cte: {data_type: [column, ...]}}; the data
    type `none` passes columns through unchanged (null where there is no
    row). `spine_columns` are further spine columns carried along.
    `spine_relation`, when given, is what the spine is read from (a ref or
    a subquery), aliased `spine`.
-#}
{% macro zero_filled_on(spine, keys, aggregates, spine_columns=[], spine_relation=none) -%}
    select
        {%- for column in keys + spine_columns %}
        {{ spine }}.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
        {%- for relation, columns_by_type in aggregates.items() %}
        {%- for data_type, columns in columns_by_type.items() %}
        {%- for column in columns %},
        {% if data_type is none -%}
        {{ relation }}.{{ column }}
        {%- else -%}
        cast(coalesce({{ relation }}.{{ column }}, 0) as {{ data_type }}) as {{ column }}
        {%- endif %}
        {%- endfor %}
        {%- endfor %}
        {%- endfor %}
    from {{ spine_relation ~ ' as ' ~ spine if spine_relation else spine }}
    {%- for relation in aggregates %}
    left join {{ relation }}
        on
        {%- for key in keys %}
            {{ 'and ' if not loop.first }}{{ spine }}.{{ key }} = {{ relation }}.{{ key }}
        {%- endfor %}
    {%- endfor %}
{%- endmacro %}
