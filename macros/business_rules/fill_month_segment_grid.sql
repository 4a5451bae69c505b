{#-
    The last step of every segment mart (metrics.md, Precision and grids):
    zero_filled_on over the month x segment grid of the reporting window
    (int_reporting_months_segmented) as its spine, so every month x segment
    has a row and each measure is 0 where nothing happened. `aggregates` is
    zero_filled_on's {cte: {data_type: [column, ...]}}, each CTE already
    grouped by (month, segment); `month_column` names the month in them
    (and in the result).
-#}
{% macro fill_month_segment_grid(aggregates, month_column='month_start') -%}
    {%- set month_segment_grid -%}
        (select month_start as {{ month_column }}, segment from {{ ref('int_reporting_months_segmented') }})
    {%- endset -%}
    {{ zero_filled_on(
        'month_segment_grid', [month_column, 'segment'], aggregates, spine_relation=month_segment_grid
    ) }}
{%- endmacro %}
