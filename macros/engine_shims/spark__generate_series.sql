{#-
    Spark implementation of dbt.generate_series (dbt-spark ships none, so
    dbt's default would apply): the default cross-joins eleven two-row
    unions to reach 1,200 rows, a plan Spark re-analyses and re-optimises in
    every view that reads it (seconds each time). Spark's own `range` table
    function gives the same rows (1 .. upper_bound, column
    generated_number) as one leaf node. Picked up by dispatch because root
    project macros take precedence over dbt's global ones.
-#}
{% macro spark__generate_series(upper_bound) -%}
    select cast(id as int) as generated_number
    from range(1, {{ upper_bound }} + 1)
{%- endmacro %}
