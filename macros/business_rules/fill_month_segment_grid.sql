{#-
    The last step of every segment mart, written once (metrics.md, Precision
    and grids): one row for every month x segment of the reporting window
    (int_reporting_months_segmented), each measure coalesced to 0 where
    nothing happened and cast to its type. `aggregates` maps each CTE the
    mart has already grouped by (month, segment) to its measures by type,
    {cte: {data_type: [column, ...]}}; the data type `none` passes columns
    through unchanged (null where the month x segment has no rows, e.g. a
    median of nobody).
-#}
{% macro fill_month_segment_grid(aggregates, month_column='month_start') -%}
    select
        month_segment_grid.month_start as {{ month_column }},
        month_segment_grid.segment
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
    from {{ ref('int_reporting_months_segmented') }} as month_segment_grid
    {%- for relation in aggregates %}
    left join {{ relation }}
        on
            month_segment_grid.month_start = {{ relation }}.{{ month_column }}
            and month_segment_grid.segment = {{ relation }}.segment
    {%- endfor %}
{%- endmacro %}
