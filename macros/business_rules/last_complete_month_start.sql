{#-
    First day of the last complete month: the month whose last day is on or
    before as_of_date (metrics.md, Reporting window).
-#}
{% macro last_complete_month_start() -%}
    cast({{ dbt.dateadd('month', -1, dbt.date_trunc('month', dbt.dateadd('day', 1, as_of_date()))) }} as date)
{%- endmacro %}
